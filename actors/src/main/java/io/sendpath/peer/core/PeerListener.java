package io.sendpath.peer.core;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.function.Function;

/**
 * The peer host's TCP receive entry point: a listening socket plus the established-socket table
 * (net/ipv4/tcp_ipv4.c::tcp_v4_rcv() → __inet_lookup_skb()). Segments are demultiplexed by
 * 4-tuple to {@link PeerSock}s; a SYN to the listening port creates one (tcp_conn_request()); a
 * segment nobody owns is answered with a reset (tcp_v4_send_reset()).
 *
 * <p>Timers of all sockets sit in one binary heap keyed by (time, insertion order), so
 * {@link #nextTimerAt()} and {@link #onTimer(long)} cost O(log n) per due socket even with a
 * million sockets, and same-instant timers run in a fixed order. A socket keeps at most one live
 * heap entry ({@code PeerSock.heapAt}); superseded entries are skipped when they surface, and are
 * also dropped from the top by {@link #nextTimerAt()}, so it reports the exact next time.
 *
 * <p>Pure: no Pekko, no clock. The actor shell calls {@link #onSegment}, {@link #onTimer} and
 * arms its own timer for {@link #nextTimerAt()}.
 */
public final class PeerListener {

  /** Reusable buffers for the payload check (one listener is driven by one thread at a time). */
  static final class Scratch {
    private byte[] want = new byte[2048];
    private byte[] got = new byte[2048];

    byte[] want(int len) {
      if (want.length < len) want = new byte[Integer.highestOneBit(len - 1) << 1];
      return want;
    }

    byte[] got(int len) {
      if (got.length < len) got = new byte[Integer.highestOneBit(len - 1) << 1];
      return got;
    }
  }

  /** The listening address (host order); segments to other addresses are not ours. */
  private final int localAddr;
  /** The listening port, or -1 to accept a SYN on any port of localAddr. */
  private final int localPort;
  /** Expected payload per connection, keyed by the flow as the peer sees it (saddr = peer). */
  private final Function<FlowKey, Payload> payloadFor;
  private final PeerConfig config;
  /** Read rate (bytes/s) of the application per connection number; null = every socket reads at once. */
  private java.util.function.LongUnaryOperator readRateOf;
  private final PeerOutput out;
  private final PeerCounters counters = new PeerCounters();
  private final Scratch scratch = new Scratch();
  /** Live sockets keyed by the flow as the sender sends it (the incoming skb's flow). */
  private final HashMap<FlowKey, PeerSock> socks = new HashMap<>();
  /** Sockets in SYN_RECV (the request queue); bounded by the listen backlog. */
  private int synRecvCount;
  /** min(backlog, somaxconn): sk_max_ack_backlog of the listener. */
  private final int maxAckBacklog;
  /** Next statistics id for a connection whose SYN carried none. */
  private long nextConnId = 1;

  // ---- timer heap: parallel arrays, 1 entry per (socket, armed time) ----
  private long[] heapTime = new long[64];
  private long[] heapOrder = new long[64];
  private PeerSock[] heapSock = new PeerSock[64];
  /** Entries in use. */
  private int heapSize;
  /** Insertion counter: breaks ties between equal times deterministically. */
  private long heapSeq;

  /**
   * @param localAddr the peer host's address (host order)
   * @param localPort listening port, -1 for any
   * @param backlog listen() backlog; capped by somaxconn
   * @param payloadFor expected payload for a connection, keyed by the peer's view of the flow
   */
  public PeerListener(int localAddr, int localPort, int backlog, Function<FlowKey, Payload> payloadFor,
      PeerConfig config, PeerOutput out) {
    this.localAddr = localAddr;
    this.localPort = localPort;
    this.payloadFor = payloadFor;
    this.config = config;
    this.out = out;
    int b = Math.min(backlog, config.somaxconn);
    this.maxAckBacklog = Math.max(1, Math.min(b, config.tcpMaxSynBacklog));
  }

  public PeerCounters counters() {
    return counters;
  }

  /** The socket for a flow as the sender sees it (saddr = sender), or null. */
  public PeerSock lookup(FlowKey senderView) {
    return socks.get(senderView);
  }

  /** Live sockets (not CLOSED). For reports; do not mutate. */
  public Collection<PeerSock> sockets() {
    return Collections.unmodifiableCollection(socks.values());
  }

  public int size() {
    return socks.size();
  }

  /** A segment arrives from the wire side (seg.flow as the sender sent it). */
  public void onSegment(long now, SkBuff seg) {
    counters.TcpInSegs++;
    PeerSock sock = socks.get(seg.flow);
    if (sock != null) {
      sock.onSegment(now, seg, scratch, out);
      afterCall(sock);
      return;
    }
    int flags = seg.tcpFlags;
    boolean ours = seg.flow.daddr() == localAddr && (localPort < 0 || seg.flow.dport() == localPort);
    if (ours && (flags & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) == TcpFlags.SYN) {
      connRequest(now, seg);
      return;
    }
    sendReset(seg, counters, out);
  }

  /** net/ipv4/tcp_input.c::tcp_conn_request(): a new request socket and its SYN-ACK. */
  private void connRequest(long now, SkBuff syn) {
    if (synRecvCount >= maxAckBacklog) {
      if (config.tcpSyncookies == 0) {
        counters.TcpExtTCPReqQFullDrop++;
        counters.TcpExtListenDrops++;
        return;
      }
      // Syncookies: Linux keeps no state; this model still makes a socket (see report).
      counters.TcpExtSyncookiesSent++;
    }
    FlowKey peerView = syn.flow.reverse();
    long id = syn.connId >= 0 ? syn.connId : nextConnId++;
    PeerSock sock = new PeerSock(id, peerView, payloadFor.apply(peerView), config, counters,
        secureSeq(syn.flow), secureTsOff(syn.flow));
    if (readRateOf != null) sock.readRateBytesPerSec = readRateOf.applyAsLong(id);
    socks.put(syn.flow, sock);
    synRecvCount++;
    counters.TcpPassiveOpens++;
    out.stateChange(sock, null, PeerState.SYN_RECV);
    sock.onSyn(now, syn, out);
    afterCall(sock);
  }

  /** Runs every socket timer due at or before now. Entries from superseded arming are skipped. */
  public void onTimer(long now) {
    while (heapSize > 0 && heapTime[0] <= now) {
      long t = heapTime[0];
      PeerSock sock = heapSock[0];
      heapPop();
      if (sock.heapAt != t) continue; // stale
      sock.heapAt = PeerSock.NONE;
      if (sock.state == PeerState.CLOSED) continue;
      sock.onTimer(now, out);
      afterCall(sock);
    }
  }

  /** Earliest time any socket needs {@link #onTimer}; Long.MAX_VALUE when none. */
  public long nextTimerAt() {
    while (heapSize > 0 && heapSock[0].heapAt != heapTime[0]) heapPop();
    return heapSize > 0 ? heapTime[0] : Long.MAX_VALUE;
  }

  /**
   * The peer application's read rate per connection number (bytes/s, 0 = read at once), for the
   * sockets open now and every later one; null reads everything at once everywhere.
   */
  public void setReadRates(long now, java.util.function.LongUnaryOperator rateOfConn) {
    readRateOf = rateOfConn;
    java.util.List<PeerSock> open = new java.util.ArrayList<>(socks.values());
    open.sort(java.util.Comparator.comparingLong(PeerSock::connId));
    for (PeerSock sock : open) {
      sock.setReadRate(now, rateOfConn == null ? 0 : rateOfConn.applyAsLong(sock.connId()), out);
      afterCall(sock);
    }
  }

  /** The peer application stops or resumes reading on one connection. */
  public void setReading(long now, FlowKey senderView, boolean on) {
    PeerSock sock = socks.get(senderView);
    if (sock == null) return;
    sock.setReading(now, on, out);
    afterCall(sock);
  }

  /** The peer application aborts one connection: an RST goes out and the socket closes (peer-reset fault). */
  public void abort(long now, FlowKey senderView) {
    PeerSock sock = socks.get(senderView);
    if (sock == null) return;
    sock.abort(now, out);
    afterCall(sock);
  }

  /** The peer application closes one connection (acts in CLOSE_WAIT only). */
  public void close(long now, FlowKey senderView) {
    PeerSock sock = socks.get(senderView);
    if (sock == null) return;
    sock.close(now, out);
    afterCall(sock);
  }

  /** Bookkeeping after any call into a socket: state accounting, removal, timer registration. */
  private void afterCall(PeerSock sock) {
    if (sock.state != PeerState.SYN_RECV && sock.countedSynRecv) {
      sock.countedSynRecv = false;
      synRecvCount--;
    }
    if (sock.state == PeerState.CLOSED) {
      socks.remove(sock.flow.reverse());
      sock.heapAt = PeerSock.NONE;
      return;
    }
    // Exactly one live entry per armed socket: a re-armed or cancelled timer leaves its old
    // entry stale (skipped when it surfaces).
    long t = sock.nextTimerAt();
    if (t != sock.heapAt) {
      sock.heapAt = t;
      if (t != PeerSock.NONE) heapPush(t, sock);
    }
  }

  /**
   * net/ipv4/tcp_ipv4.c::tcp_v4_send_reset(): never answer an RST; echo the ACK number as our
   * sequence, or ACK everything the segment occupied when it had no ACK.
   */
  static void sendReset(SkBuff seg, PeerCounters counters, PeerOutput out) {
    if ((seg.tcpFlags & TcpFlags.RST) != 0) return;
    SkBuff rst = io.sendpath.tcp.TcpReset.answering(seg);
    counters.TcpOutRsts++;
    counters.TcpOutSegs++;
    out.xmit(rst);
  }

  /** Seeded stand-in for secure_tcp_seq(): a keyed hash of the 4-tuple. */
  private int secureSeq(FlowKey f) {
    return (int) mix(config.seed ^ 0x5EC0_5E9L, f);
  }

  /** Seeded stand-in for secure_tcp_ts_off(). */
  private int secureTsOff(FlowKey f) {
    return (int) (mix(config.seed ^ 0x75_0FFL, f) >>> 32);
  }

  private static long mix(long key, FlowKey f) {
    long z = key + (((long) f.saddr() << 32) | (f.daddr() & 0xffffffffL)) * 0x9E3779B97F4A7C15L
        + ((long) f.sport() << 16 | f.dport()) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  // ---- binary min-heap on (time, order) ----

  private void heapPush(long t, PeerSock sock) {
    if (heapSize == heapTime.length) {
      int n = heapSize * 2;
      heapTime = Arrays.copyOf(heapTime, n);
      heapOrder = Arrays.copyOf(heapOrder, n);
      heapSock = Arrays.copyOf(heapSock, n);
    }
    long order = heapSeq++;
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(t, order, heapTime[parent], heapOrder[parent])) break;
      heapTime[i] = heapTime[parent];
      heapOrder[i] = heapOrder[parent];
      heapSock[i] = heapSock[parent];
      i = parent;
    }
    heapTime[i] = t;
    heapOrder[i] = order;
    heapSock[i] = sock;
  }

  private void heapPop() {
    int last = --heapSize;
    long t = heapTime[last], order = heapOrder[last];
    PeerSock sock = heapSock[last];
    heapSock[last] = null;
    if (last == 0) return;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && less(heapTime[child + 1], heapOrder[child + 1], heapTime[child], heapOrder[child])) child++;
      if (!less(heapTime[child], heapOrder[child], t, order)) break;
      heapTime[i] = heapTime[child];
      heapOrder[i] = heapOrder[child];
      heapSock[i] = heapSock[child];
      i = child;
    }
    heapTime[i] = t;
    heapOrder[i] = order;
    heapSock[i] = sock;
  }

  private static boolean less(long t1, long o1, long t2, long o2) {
    return t1 < t2 || (t1 == t2 && o1 < o2);
  }
}
