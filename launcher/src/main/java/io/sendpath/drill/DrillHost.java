package io.sendpath.drill;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.tcp.TcpConfig;
import io.sendpath.tcp.TcpSock;
import io.sendpath.tcp.TcpSocket;
import io.sendpath.tcp.TcpState;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The emulated host a script drives: one listening socket and the connection it accepts (or
 * one connecting socket), and the host's answer (tcp_v4_send_reset) to segments no socket takes. Every core is called directly
 * in virtual time; no actors. System calls and arriving segments go through the connection's
 * {@link TcpSocket} (the socket lock, sk_err, blocking writes) with copies that take no time, so a
 * write runs to its end or its first wait within the call.
 *
 * <p>Outbound packets are taken at the TCP → IP boundary (ipv4_specific.queue_xmit), i.e. as
 * TSO-sized skbs, which is what packetdrill's tun device sees. The tun device consumes each skb
 * at once: tun_net_xmit() orphans each skb (tcp_wfree runs inside dev_queue_xmit()) and
 * NET_XMIT_SUCCESS is answered within the call, as Linux's dev_queue_xmit() returns
 * synchronously. The qdisc and NIC below never hold anything, TSQ never throttles, and
 * autocorking never waits for a completion.
 */
final class DrillHost {
  /** Addresses and ports of shared/conformance/README.md. */
  static final int LOCAL_IP = FlowKey.parseIp("192.168.0.1"), REMOTE_IP = FlowKey.parseIp("192.0.2.1");
  static final int LOCAL_PORT = 8080, REMOTE_PORT = 45678;
  /** Our initial sequence number; scripts see sequence numbers relative to it. */
  static final int OUR_ISS = 0x2e1f0000;
  /** The peer's initial sequence number for injected packets. */
  static final int PEER_ISS = 0x10000000;
  /** The payload every application write carries: zeros. */
  static final Payload ZEROS = (off, dst, at, len) -> Arrays.fill(dst, at, at + len, (byte) 0);

  /** One packet handed to IP, with the virtual time it left TCP. */
  record Out(long timeNs, SkBuff skb) {}

  final Sysctls sysctls;
  final TcpConfig cfg;
  final FlowKey flow = new FlowKey(LOCAL_IP, REMOTE_IP, LOCAL_PORT, REMOTE_PORT);
  /** Virtual time, ns. Never goes backwards. */
  long now;
  /** Packets handed to IP and not yet matched by a '>' line, oldest first (bounded by the script's length). */
  final ArrayDeque<Out> outQueue = new ArrayDeque<>();

  /** The listening socket, or null. */
  Listener listener;
  /** The connection of the one remote flow (SYN_RECV until the handshake completes), or null. */
  Conn conn;

  DrillHost(Sysctls sysctls, boolean tso) {
    this.sysctls = sysctls;
    this.cfg = TcpConfig.from(sysctls, 1500, tso ? 65536 : 0, tso, 0);
  }

  /** A listening socket (inet_csk listen state with its accept queue of one connection). */
  static final class Listener {
    int fd;
    boolean bound, listening;
    /** TCP_MAXSEG set on the listener: inherited by the connection (tp->rx_opt.user_mss). */
    int userMss;
    /** SO_SNDBUF set on the listener, inherited; -1 = not set. */
    int sndbuf = -1;
    boolean nodelay;
    boolean nonblocking;
  }

  /** A connection socket and what its application side needs. */
  final class Conn implements TcpSocket.Effects {
    /** The socket lock and system calls around the core. */
    final TcpSocket socket = new TcpSocket(0, this);
    /** The core; set right after construction (the core needs the socket as its output). */
    TcpSock sock;
    /** When the socket asked for its next step (a woken writer); Long.MAX_VALUE when none. */
    long stepAt = Long.MAX_VALUE;
    /** The answer of the last write() once it returned: bytes accepted and errno; null while none. */
    long[] writeResult;
    /** The file descriptor once accepted; 0 before. */
    int fd;
    /** Queued on the listener's accept queue (ESTABLISHED, not yet accepted). */
    boolean acceptable;
    boolean nonblocking;

    /**
     * ip_queue_xmit() into a tun device that consumes at once: the clone is freed (tcp_wfree, as
     * tun's skb_orphan() does) and NET_XMIT_SUCCESS is answered within the call, as Linux's
     * dev_queue_xmit() returns synchronously.
     */
    @Override
    public void queueXmit(SkBuff skb) {
      outQueue.add(new Out(now, skb));
      // tun_net_xmit() orphans the skb: tcp_wfree() runs before dev_queue_xmit() returns.
      sock.wfree(now, skb.truesize);
      sock.xmitResult(now, NetXmit.SUCCESS);
    }

    @Override
    public void writeSpace() {
      // a blocked writer is woken by the socket itself (sk_stream_wait_memory)
    }

    @Override
    public void scheduleStep(long at) {
      stepAt = Math.min(stepAt, at);
    }

    @Override
    public void sendResult(long accepted, int errno) {
      writeResult = new long[] {accepted, errno};
    }

    @Override
    public void acked(long streamBytes) {
      // no application asks for acknowledgements in a script
    }

    /** sk->sk_err, 0 when none. */
    int error() {
      return socket.skErr();
    }

    /** sock_error(): takes sk_err. */
    int takeError() {
      return socket.sockError();
    }

    @Override
    public void stateChange(TcpState from, TcpState to) {
      if (to == TcpState.TCP_ESTABLISHED && from == TcpState.TCP_SYN_RECV) acceptable = true;
    }

    @Override
    public void error(int errno) {
      // kept as sk_err by the socket
    }
  }

  /** After a call into the core: every transmit was answered within queue_xmit. */
  void drain(TcpSock sock) {
    if (sock.xmitPending()) throw new IllegalStateException("a transmit is still pending");
    runSteps();
  }

  /** Runs the socket's steps due at 'now' (a writer woken by an ACK, an error or a timeout). */
  void runSteps() {
    while (conn != null && conn.stepAt <= now) {
      conn.stepAt = Long.MAX_VALUE;
      conn.socket.step(now);
      if (conn.sock.xmitPending()) throw new IllegalStateException("a transmit is still pending");
    }
  }

  /** Earliest pending timer, Long.MAX_VALUE when none. */
  long nextTimerAt() {
    return conn == null ? Long.MAX_VALUE : Math.min(conn.socket.nextTimerAt(), conn.stepAt);
  }

  /** Runs the timers due at 'now'. */
  void runTimers() {
    if (conn == null) return;
    while (conn.socket.nextTimerAt() <= now) {
      conn.socket.onTimer(now);
      drain(conn.sock);
    }
    runSteps();
  }

  /** A segment from the peer: the connection, else the listener, else an RST from the host. */
  void deliver(SkBuff seg) {
    if (conn != null && conn.sock.state() != TcpState.TCP_CLOSE) {
      conn.socket.rcv(now, seg);
      drain(conn.sock);
      return;
    }
    int f = seg.tcpFlags;
    if (listener != null && listener.listening && (f & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) == TcpFlags.SYN) {
      Conn c = newConn();
      TcpSock sock = c.sock;
      if (listener.userMss != 0) sock.setUserMss(listener.userMss);
      c.socket.synRecv(now, seg);
      drain(sock);
      if (listener.sndbuf >= 0) c.socket.setSndbuf(now, listener.sndbuf, sysctls.getInt("wmem_max"));
      if (listener.nodelay) c.socket.setNodelay(now, true);
      drain(sock);
      return;
    }
    sendReset(seg);
  }

  /** connect() on socket 'l': an active open from the local port to the remote one (tcp_v4_connect()). */
  Conn connect(Listener l) {
    Conn c = newConn();
    if (l.userMss != 0) c.sock.setUserMss(l.userMss);
    c.socket.connect(now);
    drain(c.sock);
    if (l.sndbuf >= 0) c.socket.setSndbuf(now, l.sndbuf, sysctls.getInt("wmem_max"));
    if (l.nodelay) c.socket.setNodelay(now, true);
    return c;
  }

  private Conn newConn() {
    Conn c = new Conn();
    TcpSock sock = new TcpSock(cfg, flow, 1, OUR_ISS, ZEROS, c.socket);
    c.socket.bind(sock);
    c.sock = sock;
    conn = c;
    sock.setHostSysctls(sysctls.getInt("tcp_slow_start_after_idle") != 0, sysctls.getInt("tcp_invalid_ratelimit"),
        sysctls.getInt("tcp_early_retrans"));
    return c;
  }

  /** net/ipv4/tcp_ipv4.c::tcp_v4_send_reset() for a segment no socket takes. */
  void sendReset(SkBuff seg) {
    if ((seg.tcpFlags & TcpFlags.RST) != 0) return;
    SkBuff rst = io.sendpath.tcp.TcpReset.answering(seg);
    rst.flow = flow;
    outQueue.add(new Out(now, rst));
  }
}
