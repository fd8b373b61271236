package io.sendpath.tcp;

/**
 * struct tcp_congestion_ops, reduced to what a bulk sender uses. Implementations hold their own
 * per-connection state (inet_csk_ca) and change cwnd/ssthresh only through the {@link CcHost}.
 * Every method gets 'now' (virtual ns); jiffies are now / 1 ms (HZ = 1000).
 */
public interface CongestionControl {
  /** include/net/tcp.h TCP_INFINITE_SSTHRESH. */
  int TCP_INFINITE_SSTHRESH = 0x7fffffff;

  String name();

  /** .init, called from tcp_init_congestion_control() when the connection is established. */
  void init(CcHost conn, long now);

  /** .ssthresh: the slow start threshold after a loss or CWR (called before cwnd is reduced). */
  int ssthresh(CcHost conn);

  /** .cong_avoid: grow cwnd for 'acked' newly delivered packets; 'ack' is the ACK number. */
  void congAvoid(CcHost conn, int ack, int acked, long now);

  /** .set_state: the CA state is about to change to 'state'. */
  void setState(CcHost conn, TcpCaState state, long now);

  /** .cwnd_event. */
  void onEvent(CcHost conn, CaEvent event, long now);

  /** .pkts_acked: 'acked' packets left the retransmit queue; rttUs is the CA RTT sample or -1. */
  void pktsAcked(CcHost conn, int acked, long rttUs, long now);

  /** .undo_cwnd: cwnd to restore when a reduction proves spurious (tcp_reno_undo_cwnd). */
  int undoCwnd(CcHost conn, int priorCwnd);

  /** net/ipv4/tcp_cong.c::tcp_slow_start(): returns the ACKed packets left over for congestion avoidance. */
  static int tcpSlowStart(CcHost conn, int acked) {
    int cwnd = (int) Math.min((long) conn.cwnd() + acked, conn.ssthresh());
    acked -= cwnd - conn.cwnd();
    conn.setCwnd(Math.min(cwnd, conn.cwndClamp()));
    return acked;
  }

  /** net/ipv4/tcp_cong.c::tcp_cong_avoid_ai(): +1 cwnd per 'w' ACKed packets. */
  static void tcpCongAvoidAi(CcHost conn, int w, int acked) {
    int cnt = conn.cwndCnt();
    int cwnd = conn.cwnd();
    // If credits accumulated at a higher w, apply them gently now.
    if (Integer.compareUnsigned(cnt, w) >= 0) {
      cnt = 0;
      cwnd++;
    }
    cnt += acked;
    if (Integer.compareUnsigned(cnt, w) >= 0) {
      int delta = Integer.divideUnsigned(cnt, w);
      cnt -= delta * w;
      cwnd += delta;
    }
    conn.setCwndCnt(cnt);
    conn.setCwnd(Math.min(cwnd, conn.cwndClamp()));
  }

  /** include/net/tcp.h::tcp_in_slow_start(). */
  static boolean inSlowStart(CcHost conn) {
    return conn.cwnd() < conn.ssthresh();
  }
}
