package io.sendpath.tcp;

import io.sendpath.protocol.SkBuff;

/**
 * Effects of the TCP core; the actor shell implements them. Every {@link #queueXmit} is answered
 * later by {@link TcpSock#xmitResult} (ipv4_specific.queue_xmit's NET_XMIT_* return).
 */
public interface TcpOutput {
  /** icsk_af_ops->queue_xmit: hand a clone (or a control skb) to IPv4. */
  void queueXmit(SkBuff skb);

  /** sk->sk_write_space = sk_stream_write_space: a blocked writer may write again. */
  void writeSpace();

  /** tcp_set_state(): every state transition, in order. */
  void stateChange(TcpState from, TcpState to);

  /** sk->sk_err reported to the application (errno values as in Linux: ECONNRESET 104, ...). */
  void error(int errno);
}
