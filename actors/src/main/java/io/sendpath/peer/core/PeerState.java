package io.sendpath.peer.core;

/**
 * The passive side's TCP states (include/net/tcp_states.h). The peer only ever opens passively
 * and closes after the sender, so FIN_WAIT*, CLOSING and TIME_WAIT never occur here.
 */
public enum PeerState {
  /** A SYN was answered with a SYN-ACK; waiting for the ACK (a request sock in Linux). */
  SYN_RECV,
  ESTABLISHED,
  /** The sender's FIN arrived; our application has not closed yet. */
  CLOSE_WAIT,
  /** Our FIN is out; waiting for its ACK. */
  LAST_ACK,
  CLOSED
}
