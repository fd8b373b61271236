package io.sendpath.tcp;

/**
 * The part of struct tcp_sock a congestion control module reads and writes, so that Reno and
 * CUBIC can be tested on their own.
 */
public interface CcHost {
  int cwnd();
  void setCwnd(int cwnd);
  int ssthresh();
  void setSsthresh(int ssthresh);
  /** tp->snd_cwnd_cnt: ACKed packets counted toward the next +1 in congestion avoidance. */
  int cwndCnt();
  void setCwndCnt(int cnt);
  /** tp->snd_cwnd_clamp. */
  int cwndClamp();
  /** include/net/tcp.h::tcp_is_cwnd_limited(). */
  boolean isCwndLimited();
  int sndUna();
  int sndNxt();
  /** sk->sk_pacing_rate in bytes per second (Long.MAX_VALUE before any RTT sample: ~0UL). */
  long pacingRate();
  /** sk->sk_gso_max_size. */
  int gsoMaxSize();
  TcpCaState caState();
  /** tp->lsndtime: jiffies of the last data transmission (read by CA_EVENT_TX_START). */
  int lsndtime();
  TcpCounters counters();
}
