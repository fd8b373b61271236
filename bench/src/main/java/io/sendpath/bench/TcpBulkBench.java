package io.sendpath.bench;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.tcp.TcpConfig;
import io.sendpath.tcp.TcpOutput;
import io.sendpath.tcp.TcpSock;
import io.sendpath.tcp.TcpState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The TCP core alone sending a bulk stream: one {@link TcpSock} connects, the application writes
 * {@link #BYTES} in 64 KiB write() calls (tcp_sendmsg → tcp_push → tcp_write_xmit → tcp_transmit_skb),
 * and an in-memory loop plays everything below and beyond: each queue_xmit is answered
 * NET_XMIT_SUCCESS at once, TX completion (tcp_wfree) follows 5 us later, and a peer 50 us away
 * ACKs every second segment (tcp_ack). No actor, no frame bytes: only the core's work and the
 * loop's bookkeeping. Reported per MSS-sized data segment sent ({@link #SEGMENTS} per invocation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TcpBulkBench {
  /** Bytes the application writes per invocation. */
  static final long BYTES = 4L << 20;
  /** MSS with timestamps on a 1500-byte MTU. */
  static final int MSS = 1448;
  /** Data segments of BYTES at MSS: ceil(4 MiB / 1448). */
  static final int SEGMENTS = 2897;

  @Param({"cubic", "reno"})
  String congestionControl;

  @Benchmark
  @OperationsPerInvocation(SEGMENTS)
  public long bulkTransfer4MiB() {
    BulkLoop loop = new BulkLoop(TcpConfig.linuxDefaults(12345).withCongestionControl(congestionControl));
    return loop.run(BYTES);
  }

  /**
   * A discrete-event loop around one TcpSock. Both delays are constant, so TX completions and
   * ACKs each arrive in the order they were caused: two FIFO rings replace a priority queue.
   */
  static final class BulkLoop implements TcpOutput {
    static final FlowKey FLOW = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), 40000, 5001);
    static final FlowKey PEER_FLOW = FLOW.reverse();
    static final int ISS = 0x7fff0000, PEER_ISS = 5000;
    static final long ONE_WAY_NS = 50_000, TX_COMPLETION_NS = 5_000;
    /** Peer's window scale and window field: 32768 << 7 = 4 MiB, never the limit here. */
    static final int PEER_WSCALE = 7, PEER_WINDOW_FIELD = 32768;
    /** Ring capacity (power of two). Bounds skbs in flight and ACKs on the way; overflow is an error. */
    static final int RING = 1 << 14;

    final TcpSock sock;
    long now;
    /** The skb handed down whose NET_XMIT answer is due; null when none. */
    SkBuff handed;
    /** False from a short write until sk_stream_write_space. */
    boolean writable = true;
    long accepted;
    int peerTsVal = 1;

    /** TX completions: when, and the truesize to free. Entries [compHead, compTail). */
    final long[] compAt = new long[RING];
    final int[] compTruesize = new int[RING];
    int compHead, compTail;
    /** ACKs on their way back: when, cumulative ack, TS echo, flags. Entries [ackHead, ackTail). */
    final long[] ackAt = new long[RING];
    final int[] ackSeq = new int[RING];
    final int[] ackTsEcr = new int[RING];
    final int[] ackFlags = new int[RING];
    int ackHead, ackTail;

    BulkLoop(TcpConfig cfg) {
      sock = new TcpSock(cfg, FLOW, 1, ISS, new Payload.Generated(1, 1), this);
    }

    /** Runs until 'total' bytes are written and all acknowledged; returns snd_una. */
    long run(long total) {
      sock.connect(0);
      afterInput(total);
      long lastTimer = Long.MIN_VALUE;
      while (accepted < total || sock.sndUnaSeq() != sock.writeSeq()) {
        long tc = compHead != compTail ? compAt[compHead & (RING - 1)] : Long.MAX_VALUE;
        long ta = ackHead != ackTail ? ackAt[ackHead & (RING - 1)] : Long.MAX_VALUE;
        long tt = sock.nextTimerAt();
        if (tc == Long.MAX_VALUE && ta == Long.MAX_VALUE && tt == Long.MAX_VALUE) {
          throw new IllegalStateException("stalled at " + now + " ns: " + sock.info(now));
        }
        if (tc <= ta && tc <= tt) {
          now = Math.max(now, tc);
          sock.wfree(now, compTruesize[compHead++ & (RING - 1)]);
        } else if (ta <= tt) {
          now = Math.max(now, ta);
          deliverAck(ackHead++ & (RING - 1));
        } else {
          if (tt == lastTimer) throw new IllegalStateException("timer at " + tt + " ns did not move after it fired");
          lastTimer = tt;
          now = Math.max(now, tt);
          sock.onTimer(now);
        }
        afterInput(total);
      }
      if (sock.state() != TcpState.TCP_ESTABLISHED || sock.wmemQueued() != 0 || sock.info(now).totalRetrans() != 0) {
        throw new IllegalStateException("bulk transfer ended wrongly: " + sock.info(now) + " state " + sock.state());
      }
      return Integer.toUnsignedLong(sock.sndUnaSeq());
    }

    /** Answers transmits and lets the application write, until the core waits for input. */
    private void afterInput(long total) {
      while (true) {
        while (sock.xmitPending()) {
          SkBuff skb = handed;
          handed = null;
          sock.xmitResult(now, NetXmit.SUCCESS);
          wire(skb);
        }
        if (!writable || accepted == total || sock.state() != TcpState.TCP_ESTABLISHED) return;
        long ask = Math.min(total - accepted, 65536);
        long n = sock.sendmsg(now, ask, 0);
        accepted += n;
        if (n < ask) writable = false;
        if (!sock.xmitPending() && n == 0) return;
      }
    }

    /** The skb left the host: its completion, and the peer's ACKs for it. */
    private void wire(SkBuff skb) {
      if (compTail - compHead == RING) throw new IllegalStateException("more than " + RING + " skbs in flight");
      int c = compTail++ & (RING - 1);
      compAt[c] = now + TX_COMPLETION_NS;
      compTruesize[c] = skb.truesize;
      int tsVal = skb.options != null ? skb.options.tsVal : 0;
      long back = now + 2 * ONE_WAY_NS;
      if ((skb.tcpFlags & TcpFlags.SYN) != 0) {
        queueAck(back, skb.seq + 1, tsVal, TcpFlags.SYN | TcpFlags.ACK);
        return;
      }
      if (skb.len == 0) return;
      // the peer ACKs every second full segment (tcp_ack_snd_check's "more than one full frame") and the tail
      int mss = skb.gsoSegs > 1 ? skb.gsoSize : skb.len;
      for (int off = 2 * mss; off < skb.len; off += 2 * mss) queueAck(back, skb.seq + off, tsVal, TcpFlags.ACK);
      queueAck(back, skb.seq + skb.len, tsVal, TcpFlags.ACK);
    }

    private void queueAck(long at, int ack, int tsEcr, int flags) {
      if (ackTail - ackHead == RING) throw new IllegalStateException("more than " + RING + " ACKs on the way");
      int a = ackTail++ & (RING - 1);
      ackAt[a] = at;
      ackSeq[a] = ack;
      ackTsEcr[a] = tsEcr;
      ackFlags[a] = flags;
    }

    private void deliverAck(int a) {
      boolean synAck = (ackFlags[a] & TcpFlags.SYN) != 0;
      SkBuff seg = new SkBuff();
      seg.flow = PEER_FLOW;
      seg.seq = synAck ? PEER_ISS : PEER_ISS + 1;
      seg.ackSeq = ackSeq[a];
      seg.tcpFlags = ackFlags[a];
      seg.window = synAck ? 65535 : PEER_WINDOW_FIELD;
      TcpOptions o = new TcpOptions();
      o.timestamps = true;
      o.tsVal = peerTsVal++;
      o.tsEcr = ackTsEcr[a];
      if (synAck) {
        o.mss = 1460;
        o.wscale = PEER_WSCALE;
        o.sackOk = true;
      }
      seg.options = o;
      seg.truesize = SkBuff.truesizeFor(66);
      sock.rcv(now, seg);
    }

    @Override
    public void queueXmit(SkBuff skb) {
      if (handed != null) throw new IllegalStateException("a second queue_xmit before the first was answered");
      handed = skb;
    }

    @Override
    public void writeSpace() {
      writable = true;
    }

    @Override
    public void stateChange(TcpState from, TcpState to) {
      // the loop reads sock.state() where it matters
    }

    @Override
    public void error(int errno) {
      throw new IllegalStateException("errno " + errno + " in a loss-free bulk transfer");
    }
  }
}
