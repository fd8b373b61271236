package io.sendpath.drill;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.tcp.TcpConfig;
import io.sendpath.tcp.TcpOutput;
import io.sendpath.tcp.TcpSock;
import io.sendpath.tcp.TcpState;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The emulated host a script drives: one listening socket and the connection it accepts (or
 * one connecting socket), and the host's answer (tcp_v4_send_reset) to segments no socket takes. Every core is called directly
 * in virtual time; no actors.
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
  final class Conn implements TcpOutput {
    /** The core; set right after construction (the core needs this Conn as its output). */
    TcpSock sock;
    /** The file descriptor once accepted; 0 before. */
    int fd;
    /** Queued on the listener's accept queue (ESTABLISHED, not yet accepted). */
    boolean acceptable;
    boolean nonblocking;
    /** sk_stream_write_space() fired since the last write attempt. */
    boolean writeSpace;
    /** sk->sk_err, 0 when none. */
    int error;

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
      writeSpace = true;
    }

    @Override
    public void stateChange(TcpState from, TcpState to) {
      if (to == TcpState.TCP_ESTABLISHED && from == TcpState.TCP_SYN_RECV) acceptable = true;
    }

    @Override
    public void error(int errno) {
      error = errno;
    }
  }

  /** After a call into the core: every transmit was answered within queue_xmit. */
  void drain(TcpSock sock) {
    if (sock.xmitPending()) throw new IllegalStateException("a transmit is still pending");
  }

  /** Earliest pending timer, Long.MAX_VALUE when none. */
  long nextTimerAt() {
    return conn == null ? Long.MAX_VALUE : conn.sock.nextTimerAt();
  }

  /** Runs the timers due at 'now'. */
  void runTimers() {
    if (conn == null) return;
    while (conn.sock.nextTimerAt() <= now) {
      conn.sock.onTimer(now);
      drain(conn.sock);
    }
  }

  /** A segment from the peer: the connection, else the listener, else an RST from the host. */
  void deliver(SkBuff seg) {
    if (conn != null && conn.sock.state() != TcpState.TCP_CLOSE) {
      conn.sock.rcv(now, seg);
      drain(conn.sock);
      return;
    }
    int f = seg.tcpFlags;
    if (listener != null && listener.listening && (f & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) == TcpFlags.SYN) {
      Conn c = newConn();
      TcpSock sock = c.sock;
      if (listener.userMss != 0) sock.setUserMss(listener.userMss);
      sock.synRecv(now, seg);
      drain(sock);
      if (listener.sndbuf >= 0) sock.setSndbuf(now, listener.sndbuf, sysctls.getInt("wmem_max"));
      if (listener.nodelay) sock.setNodelay(now, true);
      drain(sock);
      return;
    }
    sendReset(seg);
  }

  /** connect() on socket 'l': an active open from the local port to the remote one (tcp_v4_connect()). */
  Conn connect(Listener l) {
    Conn c = newConn();
    if (l.userMss != 0) c.sock.setUserMss(l.userMss);
    c.sock.connect(now);
    drain(c.sock);
    if (l.sndbuf >= 0) c.sock.setSndbuf(now, l.sndbuf, sysctls.getInt("wmem_max"));
    if (l.nodelay) c.sock.setNodelay(now, true);
    return c;
  }

  private Conn newConn() {
    Conn c = new Conn();
    TcpSock sock = new TcpSock(cfg, flow, 1, OUR_ISS, ZEROS, c);
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
