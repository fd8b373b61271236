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

  /**
   * Names the socket's owner (the application: a TcpSink stage, the LoadGenerator, a test probe): it
   * receives every {@link SockEvent} from now on. Sent before Connect by an owner that is not the
   * one the connection was created with.
   */
  record Attach(ActorRef<SockEvent> owner) implements Command {}

  /**
   * tcp_sendmsg(): a write() of 'bytes' bytes. 'data' holds them (read-only views, kept until
   * acknowledged; their remaining() sums to 'bytes'), or is null to write the next 'bytes' of the
   * connection's own generated payload stream (the load generator's bytes, never stored).
   * 'flags' are MsgFlags (MSG_DONTWAIT, MSG_MORE, ...). 'sndtimeoNs' is SO_SNDTIMEO: 0 blocks
   * without limit, as in Linux. Answered by exactly one {@link SendResult}.
   */
  record SendMsg(long bytes, java.nio.ByteBuffer[] data, int flags, long sndtimeoNs) implements Command {
    /** A blocking write of the connection's generated payload. */
    public SendMsg(long bytes, int flags) {
      this(bytes, null, flags, 0);
    }
  }

  /** Asks for one {@link Acked} once the peer has acknowledged the first 'streamBytes' bytes written. */
  record NotifyAcked(long streamBytes) implements Command {}

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

  /**
   * Answer to SendMsg, as tcp_sendmsg() returns: 'accepted' bytes were copied; 'errno' is 0, or,
   * when nothing was copied, why (EAGAIN for MSG_DONTWAIT or an expired SO_SNDTIMEO, EPIPE,
   * ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ...). Like Linux, a write that copied something and
   * then hit an error or a timeout reports the bytes and errno 0; the error stays on the socket.
   */
  record SendResult(long accepted, int errno) implements SockEvent {
    public SendResult(long accepted) {
      this(accepted, 0);
    }
  }

  /** Answer to NotifyAcked: the first 'streamBytes' bytes written are acknowledged. */
  record Acked(long streamBytes) implements SockEvent {}

  /** sk_stream_write_space(): the writer may write again. */
  record WriteSpace() implements SockEvent {}

  /** inet_sk_state_store(): the TCP state changed. */
  record StateChange(TcpState from, TcpState to) implements SockEvent {}

  /** sk->sk_err was set (errno value, e.g. ECONNRESET = 104). */
  record SockError(int errno) implements SockEvent {}
}
