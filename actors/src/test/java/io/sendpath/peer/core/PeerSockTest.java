package io.sendpath.peer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packet scripts against the pure peer core: segments in at explicit virtual times, the peer's
 * segments out, compared with what Linux 6.18 sends.
 */
class PeerSockTest {

  static final long MS = 1_000_000L;
  static final int SENDER = FlowKey.parseIp("10.0.0.1");
  static final int PEER = FlowKey.parseIp("10.0.0.2");
  static final FlowKey FLOW = new FlowKey(SENDER, PEER, 40000, 5001);
  static final int ISN = 0x10000000;

  /** Collects everything the peer core emits. */
  static final class Out implements PeerOutput {
    final List<SkBuff> sent = new ArrayList<>();
    final List<PeerState> states = new ArrayList<>();
    final List<Long> errors = new ArrayList<>();
    long delivered;

    @Override public void xmit(SkBuff skb) { sent.add(skb); }
    @Override public void delivered(long connId, long bytes) { delivered += bytes; }
    @Override public void stateChange(PeerSock sock, PeerState from, PeerState to) { states.add(to); }
    @Override public void payloadError(long connId, long off) { errors.add(off); }

    List<SkBuff> take() {
      List<SkBuff> r = new ArrayList<>(sent);
      sent.clear();
      return r;
    }
  }

  /** A scripted sender: builds segments with real frame bytes from the expected payload. */
  static final class Script {
    final Out out = new Out();
    final Payload payload = new Payload.Generated(7, 1);
    final PeerListener listener;
    final boolean ts;
    final int mss;
    /** Peer's last TS val, echoed by the sender. */
    int peerTsVal;
    int peerIss;

    Script(PeerConfig config, boolean ts) {
      this.ts = ts;
      this.mss = ts ? 1448 : 1460;
      listener = new PeerListener(PEER, 5001, 4096, f -> payload, config, out);
    }

    Script(boolean ts) {
      this(PeerConfig.linuxDefaults(), ts);
    }

    SkBuff syn(TcpOptions opt) {
      SkBuff s = new SkBuff();
      s.flow = FLOW;
      s.seq = ISN;
      s.tcpFlags = TcpFlags.SYN;
      s.window = 64240;
      s.options = opt;
      s.truesize = SkBuff.truesizeFor(0);
      return s;
    }

    static TcpOptions linuxSynOptions(boolean ts) {
      TcpOptions o = new TcpOptions();
      o.mss = 1460;
      o.sackOk = true;
      o.timestamps = ts;
      o.tsVal = ts ? 1000 : 0;
      o.wscale = 7;
      return o;
    }

    /** SYN at t=0, SYN-ACK, handshake ACK at t=rtt. Leaves the socket ESTABLISHED. */
    PeerSock handshake(long rtt) {
      listener.onSegment(0, syn(linuxSynOptions(ts)));
      SkBuff synack = out.take().get(0);
      peerIss = synack.seq;
      if (ts) peerTsVal = synack.options.tsVal;
      listener.onSegment(rtt, ack(rtt, 0));
      assertThat(out.take()).isEmpty();
      return sock();
    }

    PeerSock sock() {
      return listener.lookup(FLOW);
    }

    SkBuff base(long now, long streamOff, int flags) {
      SkBuff s = new SkBuff();
      s.flow = FLOW;
      s.seq = ISN + 1 + (int) streamOff;
      s.ackSeq = peerIss + 1;
      s.tcpFlags = flags;
      s.window = 502;
      if (ts) {
        TcpOptions o = new TcpOptions();
        o.timestamps = true;
        o.tsVal = 1000 + (int) (now / MS);
        o.tsEcr = peerTsVal;
        s.options = o;
      }
      s.truesize = SkBuff.truesizeFor(0);
      return s;
    }

    SkBuff ack(long now, long streamOff) {
      return base(now, streamOff, TcpFlags.ACK);
    }

    /** A data segment carrying stream bytes [off, off+len) as a decoded frame would. */
    SkBuff data(long now, long off, int len, int extraFlags) {
      SkBuff s = base(now, off, TcpFlags.ACK | extraFlags);
      s.len = len;
      s.data = new byte[len + 54];
      s.dataOff = 54;
      payload.copyTo(off, s.data, 54, len);
      s.truesize = SkBuff.truesizeFor(len);
      return s;
    }

    void send(long now, SkBuff seg) {
      listener.onSegment(now, seg);
    }

    /** Runs the listener's timers up to and including 'until'. */
    void runTimers(long until) {
      long t;
      while ((t = listener.nextTimerAt()) <= until) listener.onTimer(t);
    }

    void track(List<SkBuff> acks) {
      for (SkBuff a : acks) if (ts && a.options != null) peerTsVal = a.options.tsVal;
    }
  }

  static byte[] encode(TcpOptions o) {
    byte[] b = new byte[o.length()];
    o.encode(b, 0);
    return b;
  }

  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
    return b;
  }

  static int be(int v, int i) {
    return (v >>> (24 - 8 * i)) & 0xff;
  }

  // =====================================================================================
  // LISTEN
  // =====================================================================================

  @Test
  void listen_linuxSyn_synAckMirrorsMssSackTsWscale() {
    Script s = new Script(true);
    s.listener.onSegment(5 * MS, s.syn(Script.linuxSynOptions(true)));
    List<SkBuff> out = s.out.take();
    assertThat(out).hasSize(1);
    SkBuff sa = out.get(0);
    PeerSock sock = s.sock();
    assertThat(sa.tcpFlags).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
    assertThat(sa.flow).isEqualTo(FLOW.reverse());
    assertThat(sa.ackSeq).isEqualTo(ISN + 1);
    assertThat(sa.seq).isEqualTo(sock.iss());
    // tcp_rmem[1] 131072 at 50% = 65536, rounded down to 1448 (mss less TS): 45 * 1448.
    assertThat(sa.window).isEqualTo(65160);
    // ilog2(33554432) - 15 = 10.
    assertThat(sock.rcvWscale()).isEqualTo(10);
    int tsVal = 5 + sock.tsOffset();
    assertThat(encode(sa.options)).containsExactly(bytes(
        0x02, 0x04, 0x05, 0xb4,
        0x04, 0x02, 0x08, 0x0a, be(tsVal, 0), be(tsVal, 1), be(tsVal, 2), be(tsVal, 3), 0, 0, 0x03, 0xe8,
        0x01, 0x03, 0x03, 0x0a));
    assertThat(sa.len).isZero();
    assertThat(sa.truesize).isEqualTo(SkBuff.truesizeFor(0));
    assertThat(s.out.states).containsExactly(PeerState.SYN_RECV);
    assertThat(s.listener.counters().TcpPassiveOpens).isEqualTo(1);
  }

  @Test
  void listen_synWithoutTs_synAckHasNoTsAndMssRoundedWindow() {
    Script s = new Script(false);
    s.listener.onSegment(0, s.syn(Script.linuxSynOptions(false)));
    SkBuff sa = s.out.take().get(0);
    // 65536 rounded down to 1460: 44 * 1460.
    assertThat(sa.window).isEqualTo(64240);
    assertThat(encode(sa.options)).containsExactly(bytes(
        0x02, 0x04, 0x05, 0xb4,
        0x01, 0x01, 0x04, 0x02,
        0x01, 0x03, 0x03, 0x0a));
  }

  @Test
  void listen_synWithMssOnly_noSackNoWscaleAndUnscaledWindow() {
    Script s = new Script(false);
    TcpOptions o = new TcpOptions();
    o.mss = 1460;
    s.listener.onSegment(0, s.syn(o));
    SkBuff sa = s.out.take().get(0);
    assertThat(encode(sa.options)).containsExactly(bytes(0x02, 0x04, 0x05, 0xb4));
    assertThat(s.sock().rcvWscale()).isZero();
    assertThat(sa.window).isEqualTo(64240);
  }

  @Test
  void listen_unknownFlowAck_rstWithAckAsSeq() {
    Script s = new Script(true);
    SkBuff seg = s.data(0, 100, 10, 0);
    seg.ackSeq = 0xCAFE;
    s.send(0, seg);
    SkBuff rst = s.out.take().get(0);
    assertThat(rst.tcpFlags).isEqualTo(TcpFlags.RST);
    assertThat(rst.seq).isEqualTo(0xCAFE);
    assertThat(rst.flow).isEqualTo(FLOW.reverse());
    assertThat(s.listener.counters().TcpOutRsts).isEqualTo(1);
  }

  @Test
  void listen_unknownFlowWithoutAck_rstAckCoversSegment() {
    Script s = new Script(true);
    SkBuff seg = s.data(0, 100, 10, TcpFlags.FIN);
    seg.tcpFlags = TcpFlags.FIN;
    s.send(0, seg);
    SkBuff rst = s.out.take().get(0);
    assertThat(rst.tcpFlags).isEqualTo(TcpFlags.RST | TcpFlags.ACK);
    assertThat(rst.seq).isZero();
    assertThat(rst.ackSeq).isEqualTo(seg.seq + 10 + 1);
  }

  @Test
  void listen_unknownFlowRst_noAnswer() {
    Script s = new Script(true);
    SkBuff seg = s.ack(0, 0);
    seg.tcpFlags = TcpFlags.RST;
    s.send(0, seg);
    assertThat(s.out.take()).isEmpty();
  }

  @Test
  void synRecv_noAck_synAckRetransmittedAfter1sThen2s() {
    Script s = new Script(true);
    s.listener.onSegment(0, s.syn(Script.linuxSynOptions(true)));
    s.out.take();
    assertThat(s.listener.nextTimerAt()).isEqualTo(1000 * MS);
    s.runTimers(1000 * MS);
    assertThat(s.out.take()).singleElement().satisfies(p -> assertThat(p.tcpFlags).isEqualTo(TcpFlags.SYN | TcpFlags.ACK));
    assertThat(s.listener.nextTimerAt()).isEqualTo(3000 * MS);
  }

  @Test
  void synRecv_ack_establishedWithMeasuredRtt() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    assertThat(sock.state()).isEqualTo(PeerState.ESTABLISHED);
    assertThat(sock.srttUs()).isEqualTo(10_000);
    // rto = srtt + max(2 * srtt, 200 ms)
    assertThat(sock.rtoMs()).isEqualTo(210);
    // tcp_init_buffer_space(): 65536 - advmss 1460 reserved.
    assertThat(sock.windowClamp()).isEqualTo(65536 - 1460);
    assertThat(sock.rcvMss()).isEqualTo(536);
  }

  // =====================================================================================
  // ESTABLISHED: delayed ACK engine
  // =====================================================================================

  /**
   * Sends full segments 1 ms apart until one is not ACKed at once (quick ACKs used up). Returns
   * the time of that segment; the stream is then at 'next' bytes.
   */
  static long exhaustQuickack(Script s, long[] next) {
    long now = 20 * MS;
    for (int i = 0; i < 60; i++) {
      now += MS;
      s.send(now, s.data(now, next[0], s.mss, 0));
      next[0] += s.mss;
      List<SkBuff> acks = s.out.take();
      s.track(acks);
      if (acks.isEmpty()) return now;
    }
    throw new AssertionError("quickack mode never ended");
  }

  @Test
  void established_firstSegments_quickAckedEach() {
    Script s = new Script(false);
    PeerSock sock = s.handshake(10 * MS);
    s.send(11 * MS, s.data(11 * MS, 0, 1460, 0));
    List<SkBuff> acks = s.out.take();
    assertThat(acks).singleElement().satisfies(a -> assertThat(a.ackSeq).isEqualTo(ISN + 1 + 1460));
    assertThat(sock.quickAcks()).isEqualTo(1);
    assertThat(sock.rcvMss()).isEqualTo(1460);
  }

  @Test
  void established_oneSegmentAfterQuickack_ackAtDelayedAckTime() {
    Script s = new Script(false);
    PeerSock sock = s.handshake(10 * MS);
    long[] next = {0};
    long t = exhaustQuickack(s, next);
    assertThat(sock.ato()).isEqualTo(40);
    assertThat(s.listener.nextTimerAt()).isEqualTo(t + 40 * MS);
    s.runTimers(t + 39 * MS);
    assertThat(s.out.take()).isEmpty();
    s.runTimers(t + 40 * MS);
    List<SkBuff> acks = s.out.take();
    assertThat(acks).singleElement().satisfies(a -> assertThat(a.ackSeq).isEqualTo(ISN + 1 + (int) next[0]));
    assertThat(sock.delayedAcks()).isEqualTo(1);
    assertThat(s.listener.counters().TcpExtDelayedACKs).isEqualTo(1);
  }

  @Test
  void established_twoFullSegments_oneImmediateAck() {
    Script s = new Script(false);
    s.handshake(10 * MS);
    long[] next = {0};
    long t = exhaustQuickack(s, next);
    s.send(t + MS, s.data(t + MS, next[0], s.mss, 0));
    next[0] += s.mss;
    List<SkBuff> acks = s.out.take();
    assertThat(acks).singleElement().satisfies(a -> {
      assertThat(a.ackSeq).isEqualTo(ISN + 1 + (int) next[0]);
      assertThat(a.tcpFlags).isEqualTo(TcpFlags.ACK);
    });
    // The ACK cancelled the delayed-ACK timer.
    assertThat(s.listener.nextTimerAt()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void established_fullSegmentWithPsh_readerAcksAtOnce() {
    // tcp_measure_rcv_mss() marks a 1-MSS PSH segment ICSK_ACK_PUSHED; tcp_cleanup_rbuf() ACKs
    // as soon as the application drains the queue.
    Script s = new Script(false);
    s.handshake(10 * MS);
    long[] next = {0};
    long t = exhaustQuickack(s, next);
    s.runTimers(t + 40 * MS);
    s.out.take();
    long now = t + 100 * MS;
    s.send(now, s.data(now, next[0], s.mss, TcpFlags.PSH));
    assertThat(s.out.take()).hasSize(1);
  }

  // =====================================================================================
  // ESTABLISHED: out-of-order data, SACK, DSACK
  // =====================================================================================

  @Test
  void established_outOfOrderSegment_immediateDupAckWithSackBlock() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    s.send(11 * MS, s.data(11 * MS, 0, 1448, 0));
    s.track(s.out.take());
    s.send(12 * MS, s.data(12 * MS, 2 * 1448, 1448, 0));
    List<SkBuff> acks = s.out.take();
    assertThat(acks).singleElement().satisfies(a -> {
      assertThat(a.ackSeq).isEqualTo(ISN + 1 + 1448);
      assertThat(a.options.timestamps).isTrue();
      assertThat(a.options.sackBlocks).containsExactly(ISN + 1 + 2 * 1448, ISN + 1 + 3 * 1448);
    });
    assertThat(sock.outOfOrderRanges()).isEqualTo(1);
    assertThat(s.listener.counters().TcpExtTCPOFOQueue).isEqualTo(1);
  }

  @Test
  void established_holeFilled_immediateAckCoveringAll() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    long[] next = {0};
    // Leave quickack mode so that the immediate ACK is owed to the filled hole, not to quick.
    long t = exhaustQuickackTs(s, next);
    s.runTimers(t + 200 * MS);
    s.out.take();
    long now = t + 300 * MS;
    long hole = next[0];
    s.send(now, s.data(now, hole + 1448, 1448, 0));
    s.send(now, s.data(now, hole + 2 * 1448, 1448, 0));
    s.out.take();
    now += MS;
    s.send(now, s.data(now, hole, 1448, 0));
    List<SkBuff> acks = s.out.take();
    assertThat(acks).singleElement().satisfies(a -> {
      assertThat(a.ackSeq).isEqualTo(ISN + 1 + (int) (hole + 3 * 1448));
      assertThat(a.options.sackBlocks).isNull();
    });
    assertThat(sock.outOfOrderRanges()).isZero();
    assertThat(sock.bytesDelivered()).isEqualTo(hole + 3 * 1448);
    assertThat(sock.rmemAlloc()).isZero();
  }

  static long exhaustQuickackTs(Script s, long[] next) {
    return exhaustQuickack(s, next);
  }

  @Test
  void established_twoHoles_sackBlocksNewestFirst() {
    Script s = new Script(true);
    s.handshake(10 * MS);
    s.send(11 * MS, s.data(11 * MS, 2 * 1448, 1448, 0));
    s.send(12 * MS, s.data(12 * MS, 5 * 1448, 1448, 0));
    List<SkBuff> acks = s.out.take();
    assertThat(acks).hasSize(2);
    int b = ISN + 1;
    assertThat(acks.get(1).options.sackBlocks).containsExactly(b + 5 * 1448, b + 6 * 1448, b + 2 * 1448, b + 3 * 1448);
  }

  @Test
  void established_retransmittedSegment_immediateAckWithDsack() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    s.send(11 * MS, s.data(11 * MS, 0, 1448, 0));
    s.send(12 * MS, s.data(12 * MS, 1448, 1448, 0));
    s.out.take();
    s.send(13 * MS, s.data(13 * MS, 0, 1448, 0));
    List<SkBuff> acks = s.out.take();
    assertThat(acks).singleElement().satisfies(a -> {
      assertThat(a.ackSeq).isEqualTo(ISN + 1 + 2 * 1448);
      assertThat(a.options.sackBlocks).containsExactly(ISN + 1, ISN + 1 + 1448);
    });
    assertThat(sock.dupSegs()).isEqualTo(1);
    assertThat(sock.bytesDelivered()).isEqualTo(2 * 1448);
    assertThat(s.listener.counters().TcpExtTCPDSACKOldSent).isEqualTo(1);
  }

  // =====================================================================================
  // ESTABLISHED: payload check
  // =====================================================================================

  @Test
  void established_corruptByte_mismatchRecordedWithStreamOffset() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    s.send(11 * MS, s.data(11 * MS, 0, 1448, 0));
    SkBuff bad = s.data(12 * MS, 1448, 1448, 0);
    bad.data[bad.dataOff + 100] ^= 0x5a;
    s.send(12 * MS, bad);
    assertThat(sock.payloadErrors()).isEqualTo(1);
    assertThat(sock.firstMismatchOffset()).isEqualTo(1448 + 100);
    assertThat(s.out.errors).containsExactly(1448L + 100);
  }

  @Test
  void established_correctBytes_noMismatchAndEachByteDeliveredOnce() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    for (int i = 0; i < 5; i++) s.send((11 + i) * MS, s.data((11 + i) * MS, i * 1000L, 1000, 0));
    // an overlapping retransmission
    s.send(20 * MS, s.data(20 * MS, 500, 1000, 0));
    assertThat(sock.payloadErrors()).isZero();
    assertThat(sock.firstMismatchOffset()).isEqualTo(-1);
    assertThat(sock.bytesDelivered()).isEqualTo(5000);
    assertThat(s.out.delivered).isEqualTo(5000);
  }

  // =====================================================================================
  // ESTABLISHED: application stops reading
  // =====================================================================================

  @Test
  void established_notReading_windowClosesThenUpdateWhenReadingResumes() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    s.listener.setReading(10 * MS, FLOW, false);
    long now = 10 * MS;
    long off = 0;
    int wscale = sock.rcvWscale();
    long rightEdge = 65160; // from the SYN-ACK, relative to stream offset 0
    boolean zero = false;
    for (int i = 0; i < 500 && !zero; i++) {
      now += MS;
      int len = (int) Math.min(1448, rightEdge - off);
      if (len > 0) {
        s.send(now, s.data(now, off, len, 0));
        off += len;
      }
      s.runTimers(now + 200 * MS);
      now += 200 * MS;
      List<SkBuff> acks = s.out.take();
      s.track(acks);
      for (SkBuff a : acks) {
        long acked = (a.ackSeq - (ISN + 1)) & 0xffffffffL;
        rightEdge = Math.max(rightEdge, acked + ((long) a.window << wscale));
        if (a.window == 0 && acked == off) zero = true;
      }
    }
    assertThat(zero).as("window closed").isTrue();
    assertThat(sock.bytesDelivered()).isZero();
    final long end = off;
    // A zero-window probe (old sequence, no data) is answered with the current (zero) window.
    now += MS;
    SkBuff probe = s.ack(now, off - 1);
    s.send(now, probe);
    assertThat(s.out.take()).singleElement().satisfies(a -> {
      assertThat(a.window).isZero();
      assertThat(a.ackSeq).isEqualTo(ISN + 1 + (int) end);
    });
    // New data at the closed window is dropped and ACKed.
    s.send(now, s.data(now, off, 1448, 0));
    assertThat(s.out.take()).singleElement().satisfies(a -> assertThat(a.window).isZero());
    assertThat(s.listener.counters().TcpExtTCPZeroWindowDrop).isEqualTo(1);
    // Reading resumes: everything is delivered and a window update goes out.
    now += MS;
    s.listener.setReading(now, FLOW, true);
    assertThat(sock.bytesDelivered()).isEqualTo(off);
    assertThat(s.out.take()).singleElement().satisfies(a -> {
      assertThat(a.window).isGreaterThan(0);
      assertThat(a.ackSeq).isEqualTo(ISN + 1 + (int) end);
    });
  }

  // =====================================================================================
  // Connection end
  // =====================================================================================

  @Test
  void established_fin_finAckThenLastAckThenClosedOnAck() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    s.send(11 * MS, s.data(11 * MS, 0, 1000, TcpFlags.PSH));
    s.track(s.out.take());
    s.send(12 * MS, s.base(12 * MS, 1000, TcpFlags.FIN | TcpFlags.ACK));
    List<SkBuff> out = s.out.take();
    // The application reads EOF and closes at once: the ACK of the FIN rides on our FIN.
    assertThat(out).singleElement().satisfies(f -> {
      assertThat(f.tcpFlags).isEqualTo(TcpFlags.FIN | TcpFlags.ACK);
      assertThat(f.ackSeq).isEqualTo(ISN + 1 + 1000 + 1);
      assertThat(f.seq).isEqualTo(sock.iss() + 1);
    });
    assertThat(sock.state()).isEqualTo(PeerState.LAST_ACK);
    assertThat(sock.eofRead()).isTrue();
    SkBuff last = s.ack(13 * MS, 1001);
    last.ackSeq = sock.iss() + 2;
    s.send(13 * MS, last);
    assertThat(sock.state()).isEqualTo(PeerState.CLOSED);
    assertThat(s.listener.lookup(FLOW)).isNull();
    assertThat(s.out.states).containsExactly(PeerState.SYN_RECV, PeerState.ESTABLISHED,
        PeerState.CLOSE_WAIT, PeerState.LAST_ACK, PeerState.CLOSED);
    // The flow is gone: anything further is reset.
    s.send(14 * MS, last);
    assertThat(s.out.take()).singleElement().satisfies(r -> assertThat(r.tcpFlags).isEqualTo(TcpFlags.RST));
  }

  @Test
  void established_finWithoutClose_delayedAckThenFinOnClose() {
    Script s = new Script(PeerConfig.builder().closeOnEof(false).build(), true);
    PeerSock sock = s.handshake(10 * MS);
    s.send(12 * MS, s.base(12 * MS, 0, TcpFlags.FIN | TcpFlags.ACK));
    assertThat(s.out.take()).isEmpty();
    assertThat(sock.state()).isEqualTo(PeerState.CLOSE_WAIT);
    assertThat(sock.pingpong()).isTrue();
    s.runTimers(12 * MS + 40 * MS);
    assertThat(s.out.take()).singleElement().satisfies(a -> {
      assertThat(a.tcpFlags).isEqualTo(TcpFlags.ACK);
      assertThat(a.ackSeq).isEqualTo(ISN + 2);
    });
    s.listener.close(100 * MS, FLOW);
    assertThat(s.out.take()).singleElement().satisfies(f -> assertThat(f.tcpFlags).isEqualTo(TcpFlags.FIN | TcpFlags.ACK));
    assertThat(sock.state()).isEqualTo(PeerState.LAST_ACK);
  }

  @Test
  void lastAck_finNotAcked_finRetransmittedAfterRto() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    s.send(12 * MS, s.base(12 * MS, 0, TcpFlags.FIN | TcpFlags.ACK));
    s.out.take();
    assertThat(s.listener.nextTimerAt()).isEqualTo(12 * MS + sock.rtoMs() * MS);
    s.runTimers(12 * MS + sock.rtoMs() * MS);
    assertThat(s.out.take()).singleElement().satisfies(f -> {
      assertThat(f.tcpFlags).isEqualTo(TcpFlags.FIN | TcpFlags.ACK);
      assertThat(f.retransmit).isTrue();
    });
  }

  @Test
  void established_rstAtRcvNxt_closed() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    SkBuff rst = s.ack(11 * MS, 0);
    rst.tcpFlags = TcpFlags.RST;
    s.send(11 * MS, rst);
    assertThat(sock.state()).isEqualTo(PeerState.CLOSED);
    assertThat(s.listener.counters().TcpEstabResets).isEqualTo(1);
    assertThat(s.listener.size()).isZero();
  }

  @Test
  void established_rstInsideWindow_challengeAck() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    SkBuff rst = s.ack(11 * MS, 5000);
    rst.tcpFlags = TcpFlags.RST;
    s.send(11 * MS, rst);
    assertThat(sock.state()).isEqualTo(PeerState.ESTABLISHED);
    assertThat(s.out.take()).singleElement().satisfies(a -> assertThat(a.tcpFlags).isEqualTo(TcpFlags.ACK));
  }

  // =====================================================================================
  // Timer structure across sockets
  // =====================================================================================

  @Test
  void listener_manySockets_timersFireInTimeOrder() {
    Out out = new Out();
    Payload p = Payload.ZEROS;
    PeerListener l = new PeerListener(PEER, 5001, 4096, f -> p, PeerConfig.linuxDefaults(), out);
    int n = 50;
    for (int i = 0; i < n; i++) {
      SkBuff syn = new SkBuff();
      syn.flow = new FlowKey(SENDER, PEER, 10000 + i, 5001);
      syn.seq = i;
      syn.tcpFlags = TcpFlags.SYN;
      // SYNs arrive in reverse order of port, 1 ms apart.
      l.onSegment((long) (n - i) * MS, syn);
    }
    out.take();
    long last = -1;
    int fired = 0;
    long t;
    while ((t = l.nextTimerAt()) <= 1000 * MS + n * MS) {
      assertThat(t).isGreaterThanOrEqualTo(last);
      last = t;
      l.onTimer(t);
      fired += out.take().size();
    }
    assertThat(fired).isEqualTo(n);
  }

  @Test
  void established_fourHolesWithTs_threeSackBlocksFit() {
    Script s = new Script(true);
    s.handshake(10 * MS);
    for (int i = 0; i < 4; i++) s.send((11 + i) * MS, s.data((11 + i) * MS, (2 * i + 1) * 1448L, 1448, 0));
    // Three dup ACKs go at once; the fourth is compressed, and with no receiver RTT estimate yet
    // the compression delay is zero (5% of rcv_rtt_est = 0).
    assertThat(s.out.sent).hasSize(3);
    assertThat(s.listener.nextTimerAt()).isEqualTo(14 * MS);
    s.runTimers(14 * MS);
    List<SkBuff> acks = s.out.take();
    assertThat(acks).hasSize(4);
    int b = ISN + 1;
    // 40 option bytes less 12 for TS leave room for 3 blocks; the newest comes first.
    assertThat(acks.get(3).options.sackBlocks).containsExactly(
        b + 7 * 1448, b + 8 * 1448, b + 5 * 1448, b + 6 * 1448, b + 3 * 1448, b + 4 * 1448);
  }

  @Test
  void established_manyOutOfOrderSegments_dupAcksCompressedAfterThree() {
    Script s = new Script(true);
    PeerSock sock = s.handshake(10 * MS);
    // Leave quickack mode first: in quickack mode every segment is ACKed.
    long[] next = {0};
    long t = exhaustQuickack(s, next);
    s.runTimers(t + 200 * MS);
    s.out.take();
    long now = t + 300 * MS;
    for (int i = 1; i <= 6; i++) s.send(now, s.data(now, next[0] + i * 1448L, 1448, 0));
    // tcp_ack_snd_check(): three dup ACKs at once, then tcp_comp_sack_* holds the rest.
    assertThat(s.out.take()).hasSize(3);
    long at = s.listener.nextTimerAt();
    assertThat(at).isGreaterThanOrEqualTo(now).isLessThanOrEqualTo(now + MS);
    s.runTimers(at);
    assertThat(s.out.take()).singleElement().satisfies(a -> assertThat(a.options.sackBlocks)
        .startsWith(ISN + 1 + (int) next[0] + 1448, ISN + 1 + (int) next[0] + 7 * 1448));
    assertThat(s.listener.counters().TcpExtTCPACKCompressed).isEqualTo(2);
    assertThat(sock.outOfOrderRanges()).isEqualTo(1);
  }

  /** Random order and duplicates inside one window: every byte delivered once, all checked. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void established_shuffledAndDuplicatedSegments_streamDeliveredExactlyOnce(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Script s = new Script(rnd.nextBoolean());
    PeerSock sock = s.handshake(10 * MS);
    int n = 40;
    int seg = s.mss;
    int[] order = new int[n + 10];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n; i < order.length; i++) order[i] = rnd.nextInt(n);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int x = order[i]; order[i] = order[j]; order[j] = x;
    }
    long now = 20 * MS;
    for (int k : order) {
      now += rnd.nextInt(3) * MS;
      s.send(now, s.data(now, (long) k * seg, seg, 0));
      s.runTimers(now);
      s.track(s.out.take());
    }
    s.runTimers(now + 500 * MS);
    List<SkBuff> tail = s.out.take();
    assertThat(sock.bytesDelivered()).isEqualTo((long) n * seg);
    assertThat(s.out.delivered).isEqualTo((long) n * seg);
    assertThat(sock.payloadErrors()).isZero();
    assertThat(sock.uncheckedBytes()).isZero();
    assertThat(sock.outOfOrderRanges()).isZero();
    assertThat(sock.rmemAlloc()).isZero();
    assertThat(sock.rcvNxt()).isEqualTo(ISN + 1 + n * seg);
    assertThat(s.listener.nextTimerAt()).isEqualTo(Long.MAX_VALUE);
    assertThat(tail.size()).isLessThanOrEqualTo(1);
  }

  @Test
  void config_smallerRmem_smallerSynAckWindowAndScale() {
    Sysctls sys = Sysctls.linuxDefaults().set("tcp_rmem", "4096 65536 6291456");
    Script s = new Script(PeerConfig.builder().sysctls(sys).build(), true);
    s.listener.onSegment(0, s.syn(Script.linuxSynOptions(true)));
    SkBuff sa = s.out.take().get(0);
    assertThat(sa.window).isEqualTo(32768 / 1448 * 1448);
    // 6 MiB (pre-6.16 cap): ilog2(6291456) - 15 = 7.
    assertThat(s.sock().rcvWscale()).isEqualTo(7);
    assertThat(Arrays.asList(sa.options.wscale)).containsExactly(7);
  }
}
