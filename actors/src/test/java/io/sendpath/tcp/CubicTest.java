package io.sendpath.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * CUBIC against values worked out by hand from net/ipv4/tcp_cubic.c's integer arithmetic
 * (HZ = 1000, beta = 717, bic_scale = 41).
 */
class CubicTest {
  static long ms(long m) { return m * 1_000_000L; }

  @Test
  void constants_matchCubictcpRegister() {
    // beta_scale = 8*(1024+717)/3/(1024-717) = 13928/3/307 = 4642/307 = 15
    assertThat(Cubic.BETA_SCALE).isEqualTo(15);
    // cube_factor = 2^40 / 410 = 2681735677
    assertThat(Cubic.CUBE_FACTOR).isEqualTo(2681735677L);
  }

  @Test
  void cubicRoot_tableAndNewton_matchesKernel() {
    assertThat(Cubic.cubicRoot(27)).isEqualTo(3); // small path: (v[27] + 35) >> 6 = 225 >> 6
    assertThat(Cubic.cubicRoot(1000)).isEqualTo(10);
    assertThat(Cubic.cubicRoot(1L << 30)).isEqualTo(1024);
    // cube_factor * 30 = 80452070310, real cbrt 4316.97; one Newton step from the table gives 4316
    assertThat(Cubic.cubicRoot(2681735677L * 30)).isEqualTo(4316);
  }

  @Test
  void loss_atCwnd100_ssthresh70_thenCubicCurveFromK() {
    Cubic cubic = new Cubic();
    FakeCcHost conn = new FakeCcHost();
    cubic.init(conn, 0);
    conn.cwnd = 100;
    // recalc_ssthresh: last_max_cwnd = 100 (no fast convergence on the first loss), 100*717/1024 = 70
    assertThat(cubic.ssthresh(conn)).isEqualTo(70);
    assertThat(cubic.lastMaxCwnd).isEqualTo(100);
    conn.cwnd = 70;
    conn.ssthresh = 70;
    cubic.delayMin = 10_000; // 10 ms min RTT

    // First ACK at 5 s: epoch starts, K = cubic_root(cube_factor * (100 - 70)) = 4316.
    // t = (0 + usecs_to_jiffies(10000) = 10) << 10 / 1000 = 10; offs = 4306;
    // delta = 410 * 4306^3 >> 40 = 29; target = 100 - 29 = 71; cnt = 70 / (71 - 70) = 70.
    cubic.congAvoid(conn, 0, 1, ms(5000));
    assertThat(cubic.bicK).isEqualTo(4316);
    assertThat(cubic.bicOriginPoint).isEqualTo(100);
    assertThat(cubic.cnt).isEqualTo(70);
    assertThat(conn.cwnd).isEqualTo(70);
    assertThat(conn.cwndCnt).isEqualTo(1);

    // At 7 s: t = (2000 + 10) << 10 / 1000 = 2058; offs = 2258; delta = 410 * 2258^3 >> 40 = 4;
    // target = 96; cnt = 70 / 26 = 2. tcp_cong_avoid_ai(2, 1): cnt 1 + 1 = 2 → cwnd 71.
    cubic.congAvoid(conn, 0, 1, ms(7000));
    assertThat(cubic.cnt).isEqualTo(2);
    assertThat(conn.cwnd).isEqualTo(71);
    assertThat(conn.cwndCnt).isEqualTo(0);
  }

  @Test
  void secondLoss_belowWmax_fastConvergence() {
    Cubic cubic = new Cubic();
    FakeCcHost conn = new FakeCcHost();
    cubic.init(conn, 0);
    conn.cwnd = 100;
    cubic.ssthresh(conn);
    conn.cwnd = 90;
    // 90 < last_max 100: last_max = 90 * (1024 + 717) / 2048 = 76; ssthresh = 90 * 717 / 1024 = 63
    assertThat(cubic.ssthresh(conn)).isEqualTo(63);
    assertThat(cubic.lastMaxCwnd).isEqualTo(76);
    FakeCcHost tiny = new FakeCcHost();
    tiny.cwnd = 2;
    assertThat(cubic.ssthresh(tiny)).isEqualTo(2);
  }

  @Test
  void slowStart_growsByAcked_untilSsthresh() {
    Cubic cubic = new Cubic();
    FakeCcHost conn = new FakeCcHost();
    cubic.init(conn, 0);
    conn.ssthresh = 14;
    cubic.congAvoid(conn, 0, 3, ms(10));
    assertThat(conn.cwnd).isEqualTo(13);
    // 13 + 3 = 16 is capped at ssthresh 14; the 2 left over go to congestion avoidance
    cubic.congAvoid(conn, 0, 3, ms(20));
    assertThat(conn.cwnd).isEqualTo(14);
    assertThat(conn.cwndCnt).isEqualTo(2);
  }

  @Test
  void notCwndLimited_noGrowth() {
    Cubic cubic = new Cubic();
    FakeCcHost conn = new FakeCcHost();
    cubic.init(conn, 0);
    conn.cwndLimited = false;
    cubic.congAvoid(conn, 0, 5, ms(10));
    assertThat(conn.cwnd).isEqualTo(10);
  }

  @Test
  void hystartDelay_risingRtt_exitsSlowStartAtCwnd() {
    Cubic cubic = new Cubic();
    FakeCcHost conn = new FakeCcHost();
    conn.cwnd = 20;
    conn.sndNxt = 100_000;
    cubic.init(conn, 0);
    // Samples spaced > 2 ms apart so the ACK-train test stays quiet; delay_min = 10 ms.
    long t = ms(1000);
    cubic.pktsAcked(conn, 1, 10_000, t);
    // The next round starts once snd_una passes the round's end_seq (bictcp_hystart_reset()).
    conn.sndUna = 100_001;
    conn.sndNxt = 200_000;
    for (int i = 0; i < 8; i++) {
      t += ms(5);
      cubic.pktsAcked(conn, 1, 15_000, t); // 15 ms > 10 ms + clamp(10ms/8, 4, 16 ms) = 14 ms
    }
    assertThat(conn.ssthresh).isEqualTo(CongestionControl.TCP_INFINITE_SSTHRESH);
    t += ms(5);
    cubic.pktsAcked(conn, 1, 15_000, t);
    assertThat(cubic.found).isTrue();
    assertThat(conn.ssthresh).isEqualTo(20);
    assertThat(conn.counters.TcpExtTCPHystartDelayDetect).isEqualTo(1);
  }

  @Test
  void hystartAckTrain_closelySpacedAcksPastHalfMinRtt_exits() {
    Cubic cubic = new Cubic();
    FakeCcHost conn = new FakeCcHost();
    conn.cwnd = 32;
    conn.pacingRate = 0; // hystart_ack_delay() is 0 without a pacing rate
    cubic.init(conn, ms(1000));
    cubic.delayMin = 8_000;
    // ACKs 1 ms apart; the train passes delay_min / 2 = 4 ms after the round start.
    long t = ms(1000);
    for (int i = 1; i <= 4; i++) cubic.pktsAcked(conn, 1, 9_000, t + ms(i));
    assertThat(cubic.found).isFalse();
    cubic.pktsAcked(conn, 1, 9_000, t + ms(5));
    assertThat(cubic.found).isTrue();
    assertThat(conn.ssthresh).isEqualTo(32);
    assertThat(conn.counters.TcpExtTCPHystartTrainDetect).isEqualTo(1);
  }

  @Test
  void txStartAfterIdle_shiftsEpochByIdleTime() {
    Cubic cubic = new Cubic();
    FakeCcHost conn = new FakeCcHost();
    cubic.init(conn, 0);
    cubic.epochStart = 5000;
    conn.lsndtime = 6000;
    cubic.onEvent(conn, CaEvent.CA_EVENT_TX_START, ms(6500));
    assertThat(cubic.epochStart).isEqualTo(5500);
  }
}
