package io.sendpath.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.NetXmit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Packet scripts for the passive side of {@link TcpSock}: SYN_RECV, the receive path and its
 * delayed ACKs, challenge ACKs, zero window probes, the tail loss probe and SACK recovery. The
 * fixture answers every queue_xmit at once and frees the clone in the same call, as a device
 * that consumes immediately does. Times in ms; sequence numbers relative to each side's ISN.
 */
class TcpSockPassiveTest {
  static final FlowKey FLOW = new FlowKey(0xC0A80001, 0xC0000201, 8080, 45678);
  static final int ISS = 7000, PEER_ISS = 90000;
  static final int ACK = TcpFlags.ACK, PSH = TcpFlags.PSH, FIN = TcpFlags.FIN, SYN = TcpFlags.SYN;

  static final class Fixture implements TcpOutput {
    final TcpSock sock;
    final List<SkBuff> sent = new ArrayList<>();
    int cursor;
    int peerSeq = 1;
    int writeSpace;
    final List<Integer> errors = new ArrayList<>();
    /** The time of the call in progress, for the answers queue_xmit gives. */
    long now;

    Fixture(boolean sack) {
      Sysctls s = Sysctls.linuxDefaults();
      s.set("tcp_rmem", "4096 540000 15728640");
      sock = new TcpSock(TcpConfig.from(s, 1500, 65536, true, 0), FLOW, 1, ISS,
          (off, dst, at, len) -> Arrays.fill(dst, at, at + len, (byte) 0), this);
      SkBuff syn = peer(SYN, 0, 0, 0, 65535);
      syn.options = new TcpOptions();
      syn.options.mss = 1000;
      syn.options.sackOk = sack;
      syn.options.wscale = 7;
      sock.synRecv(0, syn);
    }

    static long ms(double m) {
      return (long) (m * 1_000_000L);
    }

    @Override public void queueXmit(SkBuff skb) {
      sent.add(skb);
      sock.wfree(now, skb.truesize);
      sock.xmitResult(now, NetXmit.SUCCESS);
    }
    @Override public void writeSpace() { writeSpace++; }
    @Override public void stateChange(TcpState from, TcpState to) { }
    @Override public void error(int errno) { errors.add(errno); }

    SkBuff peer(int flags, int seqRel, int len, int ackRel, int window) {
      SkBuff s = new SkBuff();
      s.flow = FLOW.reverse();
      s.seq = PEER_ISS + seqRel;
      s.len = len;
      s.tcpFlags = flags;
      s.ackSeq = ISS + ackRel;
      s.window = window;
      return s;
    }

    /** The peer sends len bytes (and FIN) with its next sequence number. */
    void data(double atMs, int len, int flags, int ackRel) {
      SkBuff s = peer(flags | ACK, peerSeq, len, ackRel, 512);
      peerSeq += len + ((flags & FIN) != 0 ? 1 : 0);
      now = ms(atMs);
      sock.rcv(now, s);
    }

    void ack(double atMs, int ackRel, int window, int... sack) {
      SkBuff s = peer(ACK, peerSeq, 0, ackRel, window);
      if (sack.length > 0) {
        s.options = new TcpOptions();
        s.options.sackBlocks = new int[sack.length];
        for (int i = 0; i < sack.length; i++) s.options.sackBlocks[i] = ISS + sack[i];
      }
      now = ms(atMs);
      sock.rcv(now, s);
    }

    /** Runs every timer due up to 'toMs'. */
    void runTimersUntil(double toMs) {
      while (sock.nextTimerAt() <= ms(toMs)) {
        now = sock.nextTimerAt();
        sock.onTimer(now);
      }
    }

    SkBuff next() {
      assertThat(sent.size()).as("a packet was sent").isGreaterThan(cursor);
      return sent.get(cursor++);
    }

    void expectNothing() {
      assertThat(sent.subList(cursor, sent.size())).as("no further packets").isEmpty();
    }

    /** The next packet: relative seq, payload length, flags, relative ack. */
    SkBuff expect(int seqRel, int len, int flags, int ackRel) {
      SkBuff s = next();
      assertThat(s.seq - ISS).as("seq of " + s).isEqualTo(seqRel);
      assertThat(s.len).as("len of " + s).isEqualTo(len);
      assertThat(TcpFlags.toString(s.tcpFlags)).as("flags of " + s).isEqualTo(TcpFlags.toString(flags));
      assertThat(s.ackSeq - PEER_ISS).as("ack of " + s).isEqualTo(ackRel);
      return s;
    }

    /** Completes the handshake at 'atMs' with the peer's window (scaled by 7). */
    Fixture established(double atMs) {
      expect(0, 0, SYN | ACK, 1);
      now = ms(atMs);
      sock.rcv(now, peer(ACK, 1, 0, 1, 512));
      assertThat(sock.state()).isEqualTo(TcpState.TCP_ESTABLISHED);
      return this;
    }
  }

  @Nested
  class SynRecv {
    @Test
    void syn_synAck_optionsInLinuxOrder_thenEstablished() {
      Fixture f = new Fixture(true);
      SkBuff synAck = f.next();
      assertThat(synAck.tcpFlags).isEqualTo(SYN | ACK);
      assertThat(synAck.ackSeq).isEqualTo(PEER_ISS + 1);
      byte[] b = new byte[40];
      int n = synAck.options.encode(b, 0);
      // mss 1460, nop, nop, sackOK, nop, wscale 8 (tcp_rmem max 15 MiB)
      assertThat(Arrays.copyOf(b, n)).containsExactly(2, 4, 0x05, (byte) 0xb4, 1, 1, 4, 2, 1, 3, 3, 8);
      f.now = Fixture.ms(100);
      f.sock.rcv(f.now, f.peer(ACK, 1, 0, 1, 512));
      assertThat(f.sock.state()).isEqualTo(TcpState.TCP_ESTABLISHED);
      assertThat(f.sock.mss()).isEqualTo(1000);
      assertThat(f.sock.info(Fixture.ms(100)).srttUs()).isEqualTo(100_000);
      f.expectNothing();
    }

    @Test
    void userMss_clampsTheSynAckMss() {
      Sysctls s = Sysctls.linuxDefaults();
      List<SkBuff> out = new ArrayList<>();
      TcpSock[] holder = new TcpSock[1];
      TcpOutput o = new TcpOutput() {
        @Override public void queueXmit(SkBuff skb) { out.add(skb); holder[0].wfree(0, skb.truesize); holder[0].xmitResult(0, NetXmit.SUCCESS); }
        @Override public void writeSpace() { }
        @Override public void stateChange(TcpState from, TcpState to) { }
        @Override public void error(int errno) { }
      };
      holder[0] = new TcpSock(TcpConfig.from(s, 1500, 65536, true, 0), FLOW, 1, ISS, null, o);
      holder[0].setUserMss(1100);
      SkBuff syn = new SkBuff();
      syn.flow = FLOW.reverse();
      syn.seq = PEER_ISS;
      syn.tcpFlags = SYN;
      syn.window = 65535;
      syn.options = new TcpOptions();
      syn.options.mss = 1300;
      holder[0].synRecv(0, syn);
      assertThat(out.get(0).options.mss).isEqualTo(1100);
      assertThat(holder[0].advmss()).isEqualTo(1100);
    }
  }

  @Nested
  class Receiving {
    @Test
    void firstData_quickAck_thenFin_ackDelayedByAto() {
      Fixture f = new Fixture(false).established(10);
      f.data(20, 1000, PSH, 1);
      f.expect(1, 0, ACK, 1001);
      assertThat(f.sock.recv(Fixture.ms(20), 4000)).isEqualTo(1000);
      f.data(20, 0, FIN, 1);
      f.expectNothing();
      assertThat(f.sock.state()).isEqualTo(TcpState.TCP_CLOSE_WAIT);
      assertThat(f.sock.nextTimerAt()).isEqualTo(Fixture.ms(60)); // TCP_ATO_MIN
      f.runTimersUntil(60);
      f.expect(1, 0, ACK, 1002);
      assertThat(f.sock.finReceived()).isTrue();
    }

    @Test
    void finWithoutData_ackedAtTheNextTick() {
      Fixture f = new Fixture(false).established(10);
      f.data(20, 0, FIN, 1);
      f.expectNothing();
      assertThat(f.sock.nextTimerAt()).isEqualTo(Fixture.ms(21)); // ato 0: the next jiffy
      f.runTimersUntil(21);
      f.expect(1, 0, ACK, 2);
    }

    @Test
    void close_withUnreadData_sendsRst() {
      Fixture f = new Fixture(false).established(10);
      f.data(20, 100, PSH, 1);
      f.expect(1, 0, ACK, 101);
      f.now = Fixture.ms(30);
      f.sock.close(f.now);
      f.expect(1, 0, TcpFlags.RST | ACK, 101);
      assertThat(f.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
    }

    @Test
    void dataAfterClose_resetsTheConnection() {
      Fixture f = new Fixture(false).established(10);
      f.now = Fixture.ms(20);
      f.sock.close(f.now);
      f.expect(1, 0, FIN | ACK, 1);
      f.data(30, 1, 0, 1);
      SkBuff rst = f.next();
      assertThat(rst.tcpFlags).isEqualTo(TcpFlags.RST);
      assertThat(rst.seq - ISS).isEqualTo(1); // the segment's ACK number
      assertThat(f.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
      assertThat(f.errors).containsExactly(Errno.ECONNRESET);
    }
  }

  @Nested
  class Established {
    @Test
    void ackBeyondSndNxt_challengeAck_segmentDropped() {
      Fixture f = new Fixture(false).established(10);
      f.ack(20, 2, 512);
      f.expect(1, 0, ACK, 1);
      assertThat(f.sock.sndUnaSeq() - ISS).isEqualTo(1);
      // tcp_invalid_ratelimit (500 ms) holds back a second challenge ACK.
      f.ack(30, 2, 512);
      f.expectNothing();
    }

    @Test
    void userTimeout_retransmissionsStopAndTheSocketDies_ETIMEDOUT() {
      Fixture f = new Fixture(false).established(100);
      f.sock.setUserTimeout(1000);
      f.now = Fixture.ms(200);
      f.sock.close(f.now);
      f.expect(1, 0, FIN | ACK, 1);
      // RTO 300 ms, then 600 ms clamped to what is left of the 1 s after the first retransmission.
      f.runTimersUntil(500);
      f.expect(1, 0, FIN | ACK, 1);
      f.runTimersUntil(1100);
      f.expect(1, 0, FIN | ACK, 1);
      assertThat(f.sock.nextTimerAt()).isEqualTo(Fixture.ms(1500));
      f.runTimersUntil(1500);
      f.expectNothing();
      assertThat(f.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
      assertThat(f.errors).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void zeroWindow_probesAtSndUnaMinusOne_backingOff() {
      Fixture f = new Fixture(false).established(100);
      f.ack(100, 1, 0);
      f.now = Fixture.ms(100);
      assertThat(f.sock.sendmsg(f.now, 1000, 0)).isEqualTo(1000);
      f.expectNothing();
      long rtoMs = f.sock.rtoNs() / 1_000_000L;
      f.runTimersUntil(100 + rtoMs);
      f.expect(0, 0, ACK, 1);
      f.runTimersUntil(100 + 3 * rtoMs);
      f.expect(0, 0, ACK, 1);
      assertThat(f.sock.probesOut()).isEqualTo(2);
      assertThat(f.sock.info(Fixture.ms(100 + 3 * rtoMs)).backoff()).isEqualTo(2);
      f.ack(100 + 3 * rtoMs + 10, 1, 512);
      f.expect(1, 1000, PSH | ACK, 1);
      assertThat(f.sock.probesOut()).isZero();
    }

    @Test
    void sackPeer_lossProbeBeforeTheRto_retransmitsTheLastSegment() {
      Fixture f = new Fixture(true).established(100);
      f.now = Fixture.ms(100);
      f.sock.sendmsg(f.now, 1000, 0);
      f.expect(1, 1000, PSH | ACK, 1);
      // PTO = 2 * srtt + TCP_RTO_MIN for one packet, capped by the RTO (300 ms): 300 ms.
      assertThat(f.sock.nextTimerAt()).isEqualTo(Fixture.ms(400));
      f.runTimersUntil(400);
      SkBuff probe = f.expect(1, 1000, PSH | ACK, 1);
      assertThat(probe.retransmit).isTrue();
      assertThat(f.sock.counters().TcpExtTCPLossProbes).isEqualTo(1);
      assertThat(f.sock.nextTimerAt()).isEqualTo(Fixture.ms(700)); // the RTO restarts from the probe
    }

    @Test
    void sackPeer_threeSegmentsSackedAboveAHole_rackMarksItLost_prrRetransmitsOne() {
      Fixture f = new Fixture(true).established(10);
      f.now = Fixture.ms(10);
      f.sock.sendmsg(f.now, 6000, 0);
      int segs = 0;
      while (f.cursor < f.sent.size()) segs += f.next().gsoSegs;
      assertThat(segs).isEqualTo(6);
      f.ack(20, 1, 512, 1001, 2001);
      f.ack(21, 1, 512, 1001, 3001);
      f.expectNothing();
      f.ack(22, 1, 512, 1001, 4001);
      SkBuff rtx = f.expect(1, 1000, ACK, 1);
      assertThat(rtx.retransmit).isTrue();
      f.expectNothing();
      TcpInfo info = f.sock.info(Fixture.ms(22));
      assertThat(info.caState()).isEqualTo(TcpCaState.TCP_CA_Recovery);
      assertThat(info.sacked()).isEqualTo(3);
      assertThat(info.lost()).isEqualTo(1);
      assertThat(f.sock.counters().TcpExtTCPSackRecovery).isEqualTo(1);
      f.ack(30, 6001, 512);
      assertThat(f.sock.info(Fixture.ms(30)).caState()).isEqualTo(TcpCaState.TCP_CA_Open);
      assertThat(f.sock.info(Fixture.ms(30)).sacked()).isZero();
    }
  }
}
