package io.sendpath.tcp;

import static io.sendpath.tcp.TcpHarness.ISS;
import static io.sendpath.tcp.TcpHarness.PEER_ISS;
import static io.sendpath.tcp.TcpHarness.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.ops.NetXmit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Packet scripts for the TCP sender core, grouped by state. */
class TcpSockTest {
  static final int ACK = TcpFlags.ACK, PSH = TcpFlags.PSH, FIN = TcpFlags.FIN, SYN = TcpFlags.SYN;
  static final int MSS = 1448;

  static TcpConfig defaults() {
    return TcpConfig.linuxDefaults(0x01020304);
  }

  @Nested
  class SynSent {
    @Test
    void connect_sendsSynWithLinuxOptionLayout() {
      TcpHarness h = new TcpHarness(defaults());
      h.sock.connect(ms(5));
      h.drain(ms(5));
      SkBuff syn = h.next();
      assertThat(syn.tcpFlags).isEqualTo(SYN);
      assertThat(syn.seq).isEqualTo(ISS);
      // tcp_select_initial_window(): rounddown(131072 / 2, 1460) = 64240, unscaled in the SYN
      assertThat(syn.window).isEqualTo(64240);
      byte[] buf = new byte[40];
      int n = syn.options.encode(buf, 0);
      // mss 1460 | sackOK, TS val (5 ms + tsoffset) ecr 0 | nop, wscale 10 (ilog2(32 MiB) - 15)
      byte[] want = {
          2, 4, 0x05, (byte) 0xb4,
          4, 2, 8, 10, 0x01, 0x02, 0x03, 0x09, 0, 0, 0, 0,
          1, 3, 3, 10};
      assertThat(java.util.Arrays.copyOf(buf, n)).isEqualTo(want);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_SYN_SENT);
      assertThat(h.stateChanges).containsExactly("TCP_CLOSE>TCP_SYN_SENT");
    }

    @Test
    void noSynAck_retransmitsAt1s_thenBacksOffTo2s() {
      TcpHarness h = new TcpHarness(defaults());
      h.sock.connect(0);
      h.drain(0);
      h.next();
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(1000));
      h.timer(999);
      h.expectNothing();
      h.timer(1000);
      SkBuff again = h.next();
      assertThat(again.tcpFlags).isEqualTo(SYN);
      assertThat(again.seq).isEqualTo(ISS);
      assertThat(again.retransmit).isTrue();
      // tcp_syn_linear_timeouts = 4: the RTO stays 1 s until a SYN has timed out five times
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(2000));
      h.timer(2000);
      assertThat(h.next().tcpFlags).isEqualTo(SYN);
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(3000));
      h.timer(3000);
      h.next();
      h.timer(4000);
      h.next();
      h.timer(5000);
      h.next();
      assertThat(h.sock.nextTimerAt()).as("the fifth timeout doubles the RTO").isEqualTo(ms(7000));
      assertThat(h.sock.counters().TcpExtTCPSynRetrans).isEqualTo(5);
    }

    @Test
    void synRetries_exhausted_etimedout() {
      TcpHarness h = new TcpHarness(defaults());
      h.sock.connect(0);
      h.drain(0);
      // tcp_syn_retries 6 + tcp_syn_linear_timeouts 4 = 10 retransmissions, at 1, 2, 3, 4, 5, 7,
      // 11, 19, 35 and 67 s; the 11th timeout, at 131 s, gives up.
      for (int i = 0; i < 10; i++) h.timer(h.sock.nextTimerAt() / 1e6);
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(131_000));
      h.timer(131_000);
      assertThat(h.takeAllSegs()).isEqualTo(11);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
      assertThat(h.errors).containsExactly(Errno.ETIMEDOUT);
    }

    @Test
    void synAck_established_mss1448_ackSent_rtoFromSample() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_ESTABLISHED);
      assertThat(h.sock.mss()).isEqualTo(1448);
      SkBuff ack = h.sent.get(1);
      assertThat(ack.seq).isEqualTo(ISS + 1);
      assertThat(ack.ackSeq).isEqualTo(PEER_ISS + 1);
      assertThat(ack.options.timestamps).isTrue();
      assertThat(ack.options.tsEcr).isEqualTo(7777);
      // 64240 >> wscale 10
      assertThat(ack.window).isEqualTo(62);
      TcpInfo info = h.sock.info(ms(10));
      assertThat(info.srttUs()).isEqualTo(10_000);
      // rto = srtt + max(2 * rtt, TCP_RTO_MIN) = 10 ms + 200 ms
      assertThat(info.rtoUs()).isEqualTo(210_000);
      assertThat(info.cwnd()).isEqualTo(10);
      // tcp_sndbuf_expand(): 2 * 10 * (roundup_pow_of_two(1460 + 320 + 320) + 256) = 87040
      assertThat(info.sndbuf()).isEqualTo(87040);
    }

    @Test
    void rstWithValidAck_econnrefused() {
      TcpHarness h = new TcpHarness(defaults());
      h.sock.connect(0);
      h.drain(0);
      SkBuff rst = h.peerSegment(TcpFlags.RST | TcpFlags.ACK, 0, ISS + 1, 0);
      h.sock.rcv(ms(5), rst);
      assertThat(h.errors).containsExactly(Errno.ECONNREFUSED);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
      assertThat(h.sock.nextTimerAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void peerMssSmaller_mssFollowsPeer() {
      TcpHarness h = new TcpHarness(defaults());
      h.sock.connect(0);
      h.drain(0);
      SkBuff synAck = h.peerSegment(SYN | ACK, PEER_ISS, ISS + 1, 65535);
      synAck.options.mss = 1000;
      h.sock.rcv(ms(10), synAck);
      h.drain(ms(10));
      assertThat(h.sock.mss()).isEqualTo(1000 - 12);
    }
  }

  @Nested
  class Established {
    @Test
    void bulkWrite_initialWindowOf10Segments() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      long accepted = h.send(10, 100_000, 0);
      assertThat(accepted).isPositive();
      assertThat(h.takeAllSegs()).isEqualTo(10);
      assertThat(h.sock.packetsOut()).isEqualTo(10);
      assertThat(h.sock.sndNxtSeq() - (ISS + 1)).isEqualTo(10 * MSS);
      h.send(11, 0, 0);
      h.expectNothing();
    }

    @Test
    void slowStart_ackOfWholeWindow_doublesCwnd() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.send(10, 100_000, 0);
      h.takeAllSegs();
      h.ackRel(20, 10 * MSS);
      assertThat(h.sock.info(ms(20)).cwnd()).isEqualTo(20);
      assertThat(h.takeAllSegs()).isEqualTo(20);
    }

    @Test
    void nagle_holdsSmallSegment_untilAck() {
      TcpHarness h = TcpHarness.established(defaults().withAutocorking(false), 10);
      h.cursor = h.sent.size();
      h.send(10, 100, 0);
      h.expect(0, 100, ACK | PSH, 1);
      h.send(11, 100, 0);
      h.expectNothing();
      h.ackRel(20, 100);
      h.expect(100, 100, ACK | PSH, 1);
    }

    @Test
    void nodelay_sendsSmallSegmentAtOnce() {
      TcpHarness h = TcpHarness.established(defaults().withAutocorking(false).withNodelay(true), 10);
      h.cursor = h.sent.size();
      h.send(10, 100, 0);
      h.expect(0, 100, ACK | PSH, 1);
      h.send(11, 100, 0);
      h.expect(100, 100, ACK | PSH, 1);
    }

    @Test
    void msgMore_noPsh_andCorked() {
      TcpHarness h = TcpHarness.established(defaults().withAutocorking(false).withNodelay(true), 10);
      h.cursor = h.sent.size();
      h.send(10, 100, MsgFlags.MSG_MORE);
      h.expectNothing();
      h.send(10, 100, 0);
      h.expect(0, 200, ACK | PSH, 1);
    }

    @Test
    void sndbufFull_wouldBlock_thenWriteSpaceAfterAcks() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      long accepted = h.send(10, 10_000_000, 0);
      assertThat(accepted).isLessThan(10_000_000).isPositive();
      assertThat(h.sock.wmemQueued()).isGreaterThanOrEqualTo(h.sock.sndbuf());
      assertThat(h.send(10, 1000, 0)).isZero();
      assertThat(h.writeSpace).isZero();
      long sent = h.takeAllBytes();
      h.ackRel(20, sent);
      assertThat(h.writeSpace).isEqualTo(1);
      // tcp_new_space() grew sndbuf for cwnd 20: 2 * 20 * 4352
      assertThat(h.sock.sndbuf()).isEqualTo(174080);
      assertThat(h.send(20, 1000, 0)).isEqualTo(1000);
    }

    @Test
    void tsq_throttlesWithTwoSkbsInHost_resumesOnWfree() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.autoFree = false;
      h.send(10, 100_000, 0);
      int first = h.takeAllSegs();
      assertThat(first).isLessThan(10);
      assertThat(h.sock.counters().tsqThrottled).isEqualTo(1);
      assertThat(h.sock.wmemAlloc()).isPositive();
      h.freeOne(10.1);
      int more = h.takeAllSegs();
      assertThat(more).isPositive();
      while (!h.unfreed.isEmpty()) h.freeOne(10.2);
      assertThat(first + more + h.takeAllSegs()).isEqualTo(10);
      assertThat(h.sock.wmemAlloc()).isZero();
    }

    @Test
    void netXmitDrop_skbStaysUnsent_entersCwr_probeResends() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.answers.add(NetXmit.DROP);
      h.send(10, MSS, 0);
      SkBuff dropped = h.next();
      h.expectNothing();
      assertThat(h.sock.sndNxtSeq()).isEqualTo(ISS + 1);
      assertThat(h.sock.packetsOut()).isZero();
      assertThat(h.sock.caState()).isEqualTo(TcpCaState.TCP_CA_CWR);
      assertThat(h.sock.info(ms(10)).ssthresh()).isEqualTo(7); // cubic: 10 * 717 / 1024
      // Nothing in flight: tcp_check_probe_timer() retries after an RTO.
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(220));
      h.timer(220);
      SkBuff again = h.expect(0, MSS, ACK | PSH, 1);
      assertThat(again.seq).isEqualTo(dropped.seq);
      assertThat(h.sock.sndNxtSeq()).isEqualTo(ISS + 1 + MSS);
    }

    @Test
    void netXmitCn_countsAsSent_entersCwr() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.answers.add(NetXmit.CN);
      h.send(10, MSS, 0);
      h.expect(0, MSS, ACK | PSH, 1);
      assertThat(h.sock.packetsOut()).isEqualTo(1);
      assertThat(h.sock.caState()).isEqualTo(TcpCaState.TCP_CA_CWR);
    }

    @Test
    void rto_firesAtSrttPlusRttvar_backsOffAndRetransmitsHead() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      // The RTO path itself: no tail loss probe first (tcp_early_retrans=0).
      h.sock.setHostSysctls(true, 500, 0);
      h.cursor = h.sent.size();
      h.send(10, 3 * MSS, 0);
      assertThat(h.takeAllSegs()).isEqualTo(3);
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(220));
      h.timer(220);
      SkBuff r1 = h.next();
      assertThat(r1.seq).isEqualTo(ISS + 1);
      assertThat(r1.retransmit).isTrue();
      assertThat(r1.gsoSegs).isEqualTo(1);
      h.expectNothing();
      TcpInfo info = h.sock.info(ms(220));
      assertThat(info.caState()).isEqualTo(TcpCaState.TCP_CA_Loss);
      assertThat(info.cwnd()).isEqualTo(1);
      assertThat(info.backoff()).isEqualTo(1);
      assertThat(info.rtoUs()).isEqualTo(420_000);
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(640));
      h.timer(640);
      assertThat(h.next().seq).isEqualTo(ISS + 1);
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(640 + 840));
      assertThat(h.sock.counters().TcpExtTCPTimeouts).isEqualTo(2);
      assertThat(h.sock.counters().TcpRetransSegs).isEqualTo(2);
      // The ACK of the retransmission opens cwnd and the rest of the lost range goes out.
      h.ackRel(700, MSS);
      SkBuff next = h.next();
      assertThat(next.seq).isEqualTo(ISS + 1 + MSS);
      assertThat(next.retransmit).isTrue();
    }

    @Test
    void staleOnTimer_doesNothing() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.send(10, MSS, 0);
      h.next();
      h.timer(100);
      h.expectNothing();
      h.ackRel(20, MSS);
      assertThat(h.sock.nextTimerAt()).isEqualTo(Long.MAX_VALUE);
      h.timer(220);
      h.expectNothing();
      assertThat(h.sock.info(ms(220)).backoff()).isZero();
      assertThat(h.sock.counters().TcpExtTCPTimeouts).isZero();
    }

    @Test
    void threeDupacks_fastRetransmit_recovery() {
      // Duplicate ACKs drive recovery for a sender without SACK (tcp_is_reno()).
      TcpHarness h = TcpHarness.established(defaults(), 10, false);
      h.cursor = h.sent.size();
      h.send(10, 10 * MSS, 0);
      assertThat(h.takeAllSegs()).isEqualTo(10);
      h.ackRel(20, 2 * MSS);
      h.ackRel(21, 2 * MSS);
      h.ackRel(22, 2 * MSS);
      h.expectNothing();
      assertThat(h.sock.caState()).isEqualTo(TcpCaState.TCP_CA_Disorder);
      h.ackRel(23, 2 * MSS);
      SkBuff rtx = h.next();
      assertThat(rtx.seq).isEqualTo(ISS + 1 + 2 * MSS);
      assertThat(rtx.len).isEqualTo(MSS);
      assertThat(rtx.retransmit).isTrue();
      h.expectNothing();
      TcpInfo info = h.sock.info(ms(23));
      assertThat(info.caState()).isEqualTo(TcpCaState.TCP_CA_Recovery);
      assertThat(info.ssthresh()).isEqualTo(8); // cubic at cwnd 12: 12 * 717 / 1024
      assertThat(info.fastRetransCount()).isEqualTo(1);
      assertThat(h.sock.counters().TcpExtTCPFastRetrans).isEqualTo(1);
      // A partial ACK (NewReno) retransmits the next hole at once.
      h.ackRel(30, 3 * MSS);
      SkBuff rtx2 = h.next();
      assertThat(rtx2.seq).isEqualTo(ISS + 1 + 3 * MSS);
      assertThat(rtx2.retransmit).isTrue();
      // An ACK of exactly high_seq holds Recovery for a Reno sender (RFC 2582) ...
      h.ackRel(40, 10 * MSS);
      assertThat(h.sock.caState()).isEqualTo(TcpCaState.TCP_CA_Recovery);
      // ... and an ACK above it ends recovery with cwnd = ssthresh (tcp_end_cwnd_reduction).
      h.send(41, MSS, 0);
      h.expect(10 * MSS, MSS, ACK | PSH, 1);
      h.ackRel(50, 11 * MSS);
      assertThat(h.sock.caState()).isEqualTo(TcpCaState.TCP_CA_Open);
      assertThat(h.sock.info(ms(50)).cwnd()).isEqualTo(8);
    }

    @Test
    void reno_lossHalvesCwnd() {
      TcpHarness h = TcpHarness.established(defaults().withCongestionControl("reno"), 10, false);
      h.cursor = h.sent.size();
      h.send(10, 10 * MSS, 0);
      h.takeAllSegs();
      h.ackRel(20, 2 * MSS);
      for (int i = 0; i < 3; i++) h.ackRel(21 + i, 2 * MSS);
      assertThat(h.sock.info(ms(23)).ssthresh()).isEqualTo(6); // 12 / 2
    }

    @Test
    void rst_econnreset_queuesPurged() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.send(10, 50_000, 0);
      SkBuff rst = h.peerSegment(TcpFlags.RST, PEER_ISS + 1, 0, 0);
      h.sock.rcv(ms(15), rst);
      assertThat(h.errors).containsExactly(Errno.ECONNRESET);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
      assertThat(h.sock.wmemQueued()).isZero();
      assertThat(h.sock.nextTimerAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void everySegmentCarriesTimestampsAndTruesize() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.send(10, 20_000, 0);
      for (int i = h.cursor; i < h.sent.size(); i++) {
        SkBuff s = h.sent.get(i);
        assertThat(s.options.timestamps).isTrue();
        assertThat(s.options.tsVal).isEqualTo(10 + 0x01020304);
        assertThat(s.truesize).isEqualTo(SkBuff.truesizeFor(s.len));
        assertThat(s.connId).isEqualTo(7);
        assertThat(s.tstampNs).isEqualTo(ms(10));
        if (s.gsoSegs > 1) assertThat(s.gsoSize).isEqualTo(MSS);
      }
    }
  }

  @Nested
  class Closing {
    @Test
    void close_finWait1_finWait2_timeWait_close() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.send(10, 1000, 0);
      h.expect(0, 1000, ACK | PSH, 1);
      h.sock.close(ms(11));
      h.drain(ms(11));
      h.expect(1000, 0, ACK | FIN, 1);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_FIN_WAIT1);
      h.ackRel(20, 1001);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_FIN_WAIT2);
      h.peerFin(30, ISS + 1 + 1001);
      SkBuff ack = h.next();
      assertThat(ack.tcpFlags).isEqualTo(ACK);
      assertThat(ack.ackSeq).isEqualTo(PEER_ISS + 2);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_TIME_WAIT);
      assertThat(h.sock.nextTimerAt()).isEqualTo(ms(30 + 60_000));
      h.timer(30 + 60_000);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
      assertThat(h.stateChanges).containsExactly("TCP_CLOSE>TCP_SYN_SENT", "TCP_SYN_SENT>TCP_ESTABLISHED",
          "TCP_ESTABLISHED>TCP_FIN_WAIT1", "TCP_FIN_WAIT1>TCP_FIN_WAIT2", "TCP_FIN_WAIT2>TCP_TIME_WAIT",
          "TCP_TIME_WAIT>TCP_CLOSE");
    }

    @Test
    void close_withUnsentData_finRidesOnTail() {
      TcpHarness h = TcpHarness.established(defaults().withAutocorking(false), 10);
      h.cursor = h.sent.size();
      h.send(10, 100, 0);
      h.send(10, 100, 0); // held by Nagle
      h.sock.close(ms(10));
      h.drain(ms(10));
      h.expect(0, 100, ACK | PSH, 1);
      h.expect(100, 100, ACK | PSH | FIN, 1);
    }

    @Test
    void peerFinFirst_closeWait_lastAck_close() {
      TcpHarness h = TcpHarness.established(defaults(), 10);
      h.cursor = h.sent.size();
      h.peerFin(20, ISS + 1);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_CLOSE_WAIT);
      SkBuff ack = h.next();
      assertThat(ack.ackSeq).isEqualTo(PEER_ISS + 2);
      h.sock.close(ms(30));
      h.drain(ms(30));
      h.expect(0, 0, ACK | FIN, 1);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_LAST_ACK);
      h.ack(40, ISS + 2);
      assertThat(h.sock.state()).isEqualTo(TcpState.TCP_CLOSE);
      assertThat(h.sock.wmemQueued()).isZero();
    }
  }
}
