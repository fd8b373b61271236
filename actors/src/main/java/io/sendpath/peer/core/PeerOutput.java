package io.sendpath.peer.core;

import io.sendpath.protocol.SkBuff;

/**
 * Effects of the peer core. The actor shell implements it; tests collect into lists. Calls happen
 * synchronously inside {@code PeerListener.onSegment} / {@code onTimer} / socket calls, in order.
 */
public interface PeerOutput {

  /** A segment the peer sends (SYN-ACK, ACK, FIN, RST), fully filled, no payload. */
  void xmit(SkBuff skb);

  /** The peer application read {@code bytes} more in-order bytes of connection connId (tcp_recvmsg). */
  default void delivered(long connId, long bytes) {}

  /** tcp_set_state(): the socket moved from one state to another. */
  default void stateChange(PeerSock sock, PeerState from, PeerState to) {}

  /**
   * A received byte differed from the connection's expected payload. Reported once per segment
   * that carries a wrong byte; {@code streamOffset} is the first wrong one in that segment. The
   * socket also records the first error in its statistics.
   */
  default void payloadError(long connId, long streamOffset) {}
}
