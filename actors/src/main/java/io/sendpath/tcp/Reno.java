package io.sendpath.tcp;

/** net/ipv4/tcp_cong.c tcp_reno: slow start, +1 MSS per RTT, halve on loss. */
public final class Reno implements CongestionControl {
  @Override public String name() { return "reno"; }

  @Override public void init(CcHost conn, long now) {}

  /** tcp_cong.c::tcp_reno_ssthresh(). */
  @Override public int ssthresh(CcHost conn) {
    return Math.max(conn.cwnd() >>> 1, 2);
  }

  /** tcp_cong.c::tcp_reno_cong_avoid(). */
  @Override public void congAvoid(CcHost conn, int ack, int acked, long now) {
    if (!conn.isCwndLimited()) return;
    if (CongestionControl.inSlowStart(conn)) {
      acked = CongestionControl.tcpSlowStart(conn, acked);
      if (acked == 0) return;
    }
    // In "safe" area, increase.
    CongestionControl.tcpCongAvoidAi(conn, conn.cwnd(), acked);
  }

  @Override public void setState(CcHost conn, TcpCaState state, long now) {}

  @Override public void onEvent(CcHost conn, CaEvent event, long now) {}

  @Override public void pktsAcked(CcHost conn, int acked, long rttUs, long now) {}

  /** tcp_cong.c::tcp_reno_undo_cwnd(). */
  @Override public int undoCwnd(CcHost conn, int priorCwnd) {
    return Math.max(conn.cwnd(), priorCwnd);
  }
}
