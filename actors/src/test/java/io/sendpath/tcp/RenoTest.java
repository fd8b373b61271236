package io.sendpath.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** net/ipv4/tcp_cong.c Reno. */
class RenoTest {
  @Test
  void congestionAvoidance_oneSegmentPerCwndAcked() {
    Reno reno = new Reno();
    FakeCcHost conn = new FakeCcHost();
    conn.cwnd = 10;
    conn.ssthresh = 5;
    for (int i = 0; i < 9; i++) reno.congAvoid(conn, 0, 1, 0);
    assertThat(conn.cwnd).isEqualTo(10);
    reno.congAvoid(conn, 0, 1, 0);
    assertThat(conn.cwnd).isEqualTo(11);
    assertThat(conn.cwndCnt).isZero();
  }

  @Test
  void slowStart_thenAvoidance_leftoverCredited() {
    Reno reno = new Reno();
    FakeCcHost conn = new FakeCcHost();
    conn.cwnd = 10;
    conn.ssthresh = 12;
    reno.congAvoid(conn, 0, 5, 0);
    assertThat(conn.cwnd).isEqualTo(12);
    assertThat(conn.cwndCnt).isEqualTo(3);
  }

  @Test
  void ssthresh_halvesCwnd_atLeastTwo() {
    Reno reno = new Reno();
    FakeCcHost conn = new FakeCcHost();
    conn.cwnd = 21;
    assertThat(reno.ssthresh(conn)).isEqualTo(10);
    conn.cwnd = 3;
    assertThat(reno.ssthresh(conn)).isEqualTo(2);
  }
}
