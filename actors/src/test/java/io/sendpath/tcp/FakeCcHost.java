package io.sendpath.tcp;

/** A bare tcp_sock for congestion control unit tests. */
final class FakeCcHost implements CcHost {
  int cwnd = 10, ssthresh = CongestionControl.TCP_INFINITE_SSTHRESH, cwndCnt, sndUna, sndNxt;
  boolean cwndLimited = true;
  long pacingRate = Long.MAX_VALUE;
  TcpCaState caState = TcpCaState.TCP_CA_Open;
  final TcpCounters counters = new TcpCounters();

  @Override public int cwnd() { return cwnd; }
  @Override public void setCwnd(int c) { cwnd = c; }
  @Override public int ssthresh() { return ssthresh; }
  @Override public void setSsthresh(int s) { ssthresh = s; }
  @Override public int cwndCnt() { return cwndCnt; }
  @Override public void setCwndCnt(int c) { cwndCnt = c; }
  @Override public int cwndClamp() { return Integer.MAX_VALUE; }
  @Override public boolean isCwndLimited() { return cwndLimited; }
  @Override public int sndUna() { return sndUna; }
  @Override public int sndNxt() { return sndNxt; }
  @Override public long pacingRate() { return pacingRate; }
  @Override public int gsoMaxSize() { return 65536 - 321; }
  @Override public TcpCaState caState() { return caState; }
  int lsndtime;
  @Override public int lsndtime() { return lsndtime; }
  @Override public TcpCounters counters() { return counters; }
}
