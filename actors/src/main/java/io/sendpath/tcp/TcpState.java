package io.sendpath.tcp;

/** Socket states with Linux's names (include/net/tcp_states.h). */
public enum TcpState {
  TCP_ESTABLISHED, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_TIME_WAIT,
  TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING;

  /** A state after which the socket sends nothing more (TIME_WAIT counts as final here). */
  public boolean isFinal() {
    return this == TCP_CLOSE || this == TCP_TIME_WAIT;
  }
}
