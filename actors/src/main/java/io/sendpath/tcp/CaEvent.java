package io.sendpath.tcp;

/** include/net/tcp.h enum tcp_ca_event: what tcp_ca_event() tells the congestion control. */
public enum CaEvent {
  /** First transmit when no packets in flight. */
  CA_EVENT_TX_START,
  /** Congestion window restart after idle. */
  CA_EVENT_CWND_RESTART,
  /** End of congestion recovery (tcp_end_cwnd_reduction). */
  CA_EVENT_COMPLETE_CWR,
  /** Loss timeout (tcp_enter_loss). */
  CA_EVENT_LOSS
}
