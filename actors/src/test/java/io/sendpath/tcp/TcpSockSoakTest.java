package io.sendpath.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.NetXmit;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A whole bulk transfer through a lossy path: a seeded wire drops segments, a minimal peer ACKs
 * every segment it receives (cumulative, no SACK) and closes after our FIN. Checks the run's
 * invariants: every byte delivered once in order, the connection ends in TIME_WAIT, and
 * sk_wmem_queued and sk_wmem_alloc return to zero.
 */
class TcpSockSoakTest {
  static final long MS = 1_000_000L;
  static final long ONE_WAY = 5 * MS;
  static final int PEER_ISS = 9000;

  record Event(long at, long order, Runnable action) {}

  final PriorityQueue<Event> events = new PriorityQueue<>((a, b) ->
      a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
  long order;
  long now;

  void at(long t, Runnable r) {
    events.add(new Event(t, order++, r));
  }

  @ParameterizedTest(name = "{0} seed={1} loss={2}")
  @CsvSource({"cubic,1,0.0", "cubic,2,0.01", "cubic,3,0.03", "reno,4,0.01", "reno,5,0.03", "cubic,6,0.1"})
  void bulkTransfer_lossyWire_allBytesDelivered_memoryReturnsToZero(String ccName, long seed, double loss) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long total = 3_000_000;
    FlowKey flow = new FlowKey(0x0A000001, 0x0A000002, 40000, 5001);
    int iss = 0xfffff000; // wraps around 2^32 during the transfer
    ArrayDeque<SkBuff> handed = new ArrayDeque<>();
    long[] writeSpace = {0};
    TcpOutput out = new TcpOutput() {
      @Override public void queueXmit(SkBuff skb) { handed.add(skb); }
      @Override public void writeSpace() { writeSpace[0]++; }
      @Override public void stateChange(TcpState from, TcpState to) {}
      @Override public void error(int errno) { throw new AssertionError("errno " + errno); }
    };
    TcpSock sock = new TcpSock(TcpConfig.linuxDefaults(12345).withCongestionControl(ccName), flow, 1, iss,
        new Payload.Generated(seed, 1), out);

    // Peer state.
    int[] peerRcvNxt = {0};
    TreeMap<Integer, Integer> ooo = new TreeMap<>(Integer::compareUnsigned);
    boolean[] peerFinSent = {false};
    long[] accepted = {0};
    boolean[] closed = {false};
    int[] peerTs = {1};
    long[] lastTimer = {Long.MIN_VALUE};

    Runnable[] afterInput = new Runnable[1];
    // Sender → wire: answer at once, free at +20 us, deliver each wire segment unless dropped.
    afterInput[0] = () -> {
      while (true) {
        while (sock.xmitPending()) {
          SkBuff skb = handed.poll();
          sock.xmitResult(now, NetXmit.SUCCESS);
          int truesize = skb.truesize;
          at(now + 20_000, () -> { sock.wfree(now, truesize); afterInput[0].run(); });
          int segs = Math.max(1, skb.gsoSegs);
          int mss = skb.gsoSegs > 1 ? skb.gsoSize : skb.len;
          for (int i = 0; i < segs; i++) {
            if (rnd.nextDouble() < loss) continue;
            int off = i * mss;
            int len = skb.len == 0 ? 0 : Math.min(mss, skb.len - off);
            int seq = skb.seq + off;
            boolean last = i == segs - 1;
            int flags = skb.tcpFlags & (last ? ~0 : ~(TcpFlags.FIN | TcpFlags.PSH));
            int tsVal = skb.options != null ? skb.options.tsVal : 0;
            at(now + ONE_WAY, () -> peerReceive(sock, seq, len, flags, tsVal, peerRcvNxt, ooo, peerFinSent, peerTs,
                afterInput[0]));
          }
        }
        long t = sock.nextTimerAt();
        if (t != Long.MAX_VALUE && t != lastTimer[0]) {
          lastTimer[0] = t;
          at(Math.max(t, now), () -> { sock.onTimer(now); afterInput[0].run(); });
        }
        // The application writes whenever it may.
        if (!closed[0] && (sock.state() == TcpState.TCP_ESTABLISHED)) {
          long n = sock.sendmsg(now, total - accepted[0], 0);
          accepted[0] += n;
          if (sock.xmitPending()) continue;
          if (accepted[0] == total) {
            closed[0] = true;
            sock.close(now);
            if (sock.xmitPending()) continue;
          }
        }
        return;
      }
    };

    sock.connect(0);
    afterInput[0].run();
    long limit = 900_000 * MS;
    while (!events.isEmpty()) {
      Event e = events.poll();
      if (e.at > limit) break;
      now = e.at;
      e.action.run();
      if (sock.state() == TcpState.TCP_CLOSE && sock.nextTimerAt() == Long.MAX_VALUE) break;
    }
    assertThat(accepted[0]).as(() -> "t=" + now + " " + sock.info(now) + " nextTimer=" + sock.nextTimerAt()).isEqualTo(total);
    assertThat(Integer.toUnsignedLong(peerRcvNxt[0] - (iss + 1))).isEqualTo(total + 1); // data + FIN
    assertThat(sock.state()).as(() -> "t=" + now + " " + sock.info(now)).isIn(TcpState.TCP_TIME_WAIT, TcpState.TCP_CLOSE);
    assertThat(sock.wmemQueued()).isZero();
    assertThat(sock.wmemAlloc()).isZero();
    TcpInfo info = sock.info(now);
    assertThat(info.bytesAcked()).isEqualTo(total + 2); // SYN and FIN count in snd_una
    if (loss > 0) assertThat(info.totalRetrans()).isPositive();
    else assertThat(info.totalRetrans()).isZero();
  }

  /** End sequence of our FIN once the peer has seen it (0 = not yet). */
  int finEnd;

  private void peerReceive(TcpSock sock, int seq, int len, int flags, int tsVal, int[] rcvNxt,
      TreeMap<Integer, Integer> ooo, boolean[] finSent, int[] peerTs, Runnable afterInput) {
    if (sock.xmitPending()) throw new AssertionError("input while pending");
    if (sock.state() == TcpState.TCP_CLOSE) return;
    boolean syn = (flags & TcpFlags.SYN) != 0;
    int peerFlags = TcpFlags.ACK;
    int mySeq = PEER_ISS + 1;
    if (syn) {
      rcvNxt[0] = seq + 1;
      peerFlags = TcpFlags.SYN | TcpFlags.ACK;
      mySeq = PEER_ISS;
    } else {
      int end = seq + len + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
      if (seq == rcvNxt[0]) {
        rcvNxt[0] = end;
        // pull in queued out-of-order segments
        while (!ooo.isEmpty()) {
          Integer s = ooo.firstKey();
          if (Integer.compareUnsigned(s, rcvNxt[0]) > 0) break;
          int e = ooo.remove(s);
          if (e - rcvNxt[0] > 0) rcvNxt[0] = e;
        }
      } else if (seq - rcvNxt[0] > 0) {
        ooo.merge(seq, end, (a, b) -> a - b > 0 ? a : b);
      }
      if (finSent[0]) mySeq = PEER_ISS + 2;
    }
    if (!syn && (flags & TcpFlags.FIN) != 0) finEnd = seq + len + 1;
    boolean finNow = !syn && !finSent[0] && finEnd != 0 && rcvNxt[0] == finEnd;
    if (finNow) {
      peerFlags |= TcpFlags.FIN;
      finSent[0] = true;
    }
    SkBuff a = new SkBuff();
    a.flow = sock == null ? null : new FlowKey(0x0A000002, 0x0A000001, 5001, 40000);
    a.seq = mySeq;
    a.ackSeq = rcvNxt[0];
    a.tcpFlags = peerFlags;
    a.window = syn ? 65535 : (4 << 20) >> 7;
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = peerTs[0]++;
    o.tsEcr = tsVal;
    if (syn) { o.mss = 1460; o.wscale = 7; o.sackOk = true; }
    a.options = o;
    int flagsNow = peerFlags;
    at(now + ONE_WAY, () -> {
      if (sock.state() == TcpState.TCP_CLOSE) return;
      sock.rcv(now, a);
      afterInput.run();
    });
    if ((flagsNow & TcpFlags.FIN) != 0) {
      // nothing else: the peer's FIN is not retransmitted by this minimal peer
    }
  }
}
