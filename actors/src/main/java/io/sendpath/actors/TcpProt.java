package io.sendpath.actors;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.sim.SimActor;
import io.sendpath.tcp.TcpInfo;
import io.sendpath.tcp.TcpState;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Stands in for tcp_prot (struct proto): what the socket layer asks of a TCP connection, and what
 * the layers below deliver to it. The TcpConnectionActor takes these.
 */
public interface TcpProt {
  interface Command {}

  /** tcp_v4_connect(): active open. */
  record Connect() implements Command {}

  /** tcp_sendmsg(): queue 'bytes' more bytes of the connection's payload stream. */
  record SendMsg(long bytes, int flags) implements Command {}

  /** tcp_close(). */
  record Close() implements Command {}

  /** tcp_v4_rcv(): a segment for this connection, decoded from a received frame. */
  record Rcv(SkBuff seg) implements Command {}

  /** The NET_XMIT answer for the skb last handed to IP. */
  record XmitAnswer(NetXmit result) implements Command {}

  /** tcp_wfree(): a clone handed down was freed after TX completion (or dropped below). */
  record Wfree(int truesize) implements Command {}

  /** tcp_v4_err(): an ICMP destination-unreachable about this connection arrived (errno it maps to). */
  record IcmpError(int errno) implements Command {}

  /** The answer of ip_route_connect() to a connect(): 0, or ENETUNREACH when no route leads to the peer. */
  record ConnectRoute(int errno) implements Command {}

  /** A timer wake-up from the virtual clock. */
  record Tick(long at) implements Command {}

  /** A tcp_info snapshot, asked from outside the simulation. */
  record GetInfo(ActorRef<TcpInfo> replyTo) implements Command, SimActor.Uncounted {}

  /** What the connection tells its socket (the wait queue and error reporting of struct sock). */
  interface SockEvent {}

  /** Answer to SendMsg: how many bytes were accepted (fewer than asked ⇒ the sender must wait for WriteSpace). */
  record SendResult(long accepted) implements SockEvent {}

  /** sk_stream_write_space(): the writer may write again. */
  record WriteSpace() implements SockEvent {}

  /** inet_sk_state_store(): the TCP state changed. */
  record StateChange(TcpState from, TcpState to) implements SockEvent {}

  /** sk->sk_err was set (errno value, e.g. ECONNRESET = 104). */
  record SockError(int errno) implements SockEvent {}
}
