package io.sendpath.tcp;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.Seq;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.NetXmit;

/**
 * A Linux TCP socket (struct tcp_sock) as a pure core: active open ({@link #connect}) or passive
 * open ({@link #synRecv}, the request a listener keeps until the third ACK), the send path, ACK
 * processing with a SACK scoreboard (RACK loss detection, PRR) or NewReno without SACK, tail loss
 * probes, zero window probes, RTO, and a receive path that queues in-order data and ACKs it with
 * Linux's delayed-ACK engine (quick ACKs, ato, pingpong). No out-of-order queue: such data is
 * dropped and ACKed at once.
 *
 * <pre>
 *  sendmsg ─► tcp_sendmsg_locked ─► tcp_push / tcp_push_one ─► tcp_write_xmit ─► tcp_transmit_skb
 *                                                                                 │ out.queueXmit(clone)
 *  xmitResult(NET_XMIT_*) ◄───────────────────────────────────────────────────────┘ (same instant)
 *  rcv(ACK) ─► tcp_ack ─► tcp_clean_rtx_queue / tcp_fastretrans_alert / tcp_cong_control
 *           ─► tcp_xmit_recovery ─► tcp_data_snd_check ─► tcp_check_space ─► out.writeSpace()
 *  wfree ─► tcp_wfree ─► (TSQ_THROTTLED) tcp_tsq_handler ─► tcp_write_xmit
 *  onTimer ─► tcp_retransmit_timer (RTO, SYN) / tcp_send_loss_probe / tcp_probe_timer /
 *            tcp_delack_timer / TIME_WAIT expiry
 * </pre>
 *
 * One skb is handed down at a time: between {@link TcpOutput#queueXmit} and
 * {@link #xmitResult} the core is inside tcp_transmit_skb ({@link #xmitPending()}), and the
 * caller holds every other input back. Work that would transmit meanwhile is remembered as a
 * chain of steps (retransmit queue, push, space check, ACK) and resumed on the result. A caller
 * may also answer from inside queueXmit (a device that consumes at once, as Linux's synchronous
 * dev_queue_xmit() does); {@link #wfree} may then come before {@link #xmitResult}.
 * Memory is accounted in skb truesize. Time is virtual nanoseconds; jiffies are milliseconds.
 */
public final class TcpSock implements CcHost {
  // ---- constants, include/net/tcp.h ----
  /** TCP_RTO_MIN: 200 ms. */
  static final long TCP_RTO_MIN_NS = 200_000_000L;
  /** TCP_RTO_MAX: 120 s. */
  static final long TCP_RTO_MAX_NS = 120_000_000_000L;
  /** TCP_TIMEOUT_INIT: 1 s initial RTO (RFC 6298). */
  static final long TCP_TIMEOUT_INIT_NS = 1_000_000_000L;
  /** TCP_TIMEOUT_FALLBACK: 3 s when the handshake gave no RTT sample. */
  static final long TCP_TIMEOUT_FALLBACK_NS = 3_000_000_000L;
  /** TCP_RESOURCE_PROBE_INTERVAL: HZ/2, retry after a local drop of a retransmission. */
  static final long TCP_RESOURCE_PROBE_INTERVAL_NS = 500_000_000L;
  /** TCP_TIMEWAIT_LEN: 60 s. */
  static final long TCP_TIMEWAIT_LEN_NS = 60_000_000_000L;
  /** include/net/tcp.h TCP_INIT_CWND. */
  static final int TCP_INIT_CWND = 10;
  /** TCP_MSS_DEFAULT: the mss_clamp before the peer's MSS is known (RFC 1122). */
  static final int TCP_MSS_DEFAULT = 536;
  /** TCP_MAX_WSCALE. */
  static final int TCP_MAX_WSCALE = 14;
  /** MAX_TCP_HEADER on x86_64 (L1_CACHE_ALIGN(128 + MAX_HEADER)). */
  static final int MAX_TCP_HEADER = 320;
  /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) and SKB_DATA_ALIGN(sizeof(struct sk_buff)) on x86_64. */
  static final int SHINFO_SIZE = 320, SKBUFF_SIZE = 256;
  /** TCPOLEN_TSTAMP_ALIGNED. */
  static final int TCPOLEN_TSTAMP_ALIGNED = 12;
  /** Truesize of a pure ACK (net/ipv4/tcp_output.c::skb_set_tcp_pure_ack()). */
  static final int PURE_ACK_TRUESIZE = 2;

  /** TCP_ATO_MIN and TCP_DELACK_MIN at HZ=1000: 40 ms (include/net/tcp.h). */
  static final int TCP_ATO_MIN_MS = 40, TCP_DELACK_MIN_MS = 40;
  /** TCP_DELACK_MAX: 200 ms. */
  static final int TCP_DELACK_MAX_MS = 200;
  /** TCP_MAX_QUICKACKS: at most 16 quick ACKs after a quickack-mode entry. */
  static final int TCP_MAX_QUICKACKS = 16;
  /** SOCK_MIN_SNDBUF on x86_64: 2 * (2048 + SKB_TRUESIZE(1)) rounded as Linux does. */
  static final int SOCK_MIN_SNDBUF = 4608;

  /** tp->nonagle bits (include/net/tcp.h TCP_NAGLE_*). */
  static final int TCP_NAGLE_OFF = 1, TCP_NAGLE_CORK = 2, TCP_NAGLE_PUSH = 4;

  /** tcp_ack() flags (net/ipv4/tcp_input.c FLAG_*). */
  static final int FLAG_DATA = 0x01, FLAG_WIN_UPDATE = 0x02, FLAG_DATA_ACKED = 0x04,
      FLAG_RETRANS_DATA_ACKED = 0x08, FLAG_SYN_ACKED = 0x10, FLAG_DATA_SACKED = 0x20, FLAG_ECE = 0x40,
      FLAG_LOST_RETRANS = 0x80, FLAG_ORIG_SACK_ACKED = 0x200, FLAG_SND_UNA_ADVANCED = 0x400,
      FLAG_DSACKING_ACK = 0x800, FLAG_SET_XMIT_TIMER = 0x1000;
  static final int FLAG_ACKED = FLAG_DATA_ACKED | FLAG_SYN_ACKED;
  static final int FLAG_NOT_DUP = FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED;
  static final int FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK;
  static final int FLAG_FORWARD_PROGRESS = FLAG_ACKED | FLAG_DATA_SACKED;

  /** What the skb handed down is, so xmitResult knows how to go on. */
  private static final int P_NONE = 0, P_WRITE = 1, P_RETRANS_QUEUE = 2, P_RTO = 3, P_CONTROL = 4, P_WAKEUP = 5,
      P_PROBE = 6, P_TLP = 7;
  /** Deferred steps, run in this order once nothing is pending. */
  private static final int CHAIN_RETRANS = 1, CHAIN_PUSH = 2, CHAIN_SPACE = 4, CHAIN_ACK = 8, CHAIN_ACK_CHECK = 16;

  // ---- identity ----
  private final TcpConfig cfg;
  private final FlowKey flow;
  private final long connId;
  /** Where the stream's bytes come from (the generated payload, or a SendBuffer of written bytes). */
  private Payload payload;
  private final TcpOutput out;
  private final CongestionControl cc;
  private final TcpCounters counters = new TcpCounters();

  // ---- state ----
  /** sk->sk_state; changed only through setState. */
  private TcpState state = TcpState.TCP_CLOSE;
  /** icsk->icsk_ca_state; changed only through setCaState. */
  private TcpCaState caState = TcpCaState.TCP_CA_Open;

  // ---- sequence space (all modulo 2^32) ----
  /** Initial send sequence number; the SYN occupies iss. */
  private final int iss;
  /** First unacknowledged sequence number. snd_una <= snd_nxt <= write_seq. */
  private int sndUna;
  /** Next sequence number to send for new data. */
  private int sndNxt;
  /** Sequence number after the last byte queued by the application (plus SYN/FIN). */
  private int writeSeq;
  /** write_seq when PSH was last marked (forced_push). */
  private int pushedSeq;
  /** End of the last small (sub-MSS) segment sent (Minshall's Nagle variant). */
  private int sndSml;
  /** snd_nxt at the start of recovery / CWR / loss: the recovery point. */
  private int highSeq;
  /** Sequence number of the segment that last updated the window (snd_wl1). */
  private int sndWl1;
  /** Peer's receive window in bytes (already scaled). */
  private int sndWnd;
  /** Largest window the peer ever offered, bytes. */
  private int maxWindow;
  /** Next sequence number expected from the peer. */
  private int rcvNxt;
  /** Our receive window in bytes (tcp_select_initial_window); no data arrives, so it stays. */
  private int rcvWnd;
  /** Our window scale (rx_opt.rcv_wscale), 0..14. */
  private int rcvWscale;
  /** Peer's window scale (rx_opt.snd_wscale), 0..14. */
  private int sndWscale;
  /** Timestamps negotiated (rx_opt.tstamp_ok). */
  private boolean tsOk;
  /** SACK negotiated (rx_opt.sack_ok): the peer's blocks tag the scoreboard and RACK finds losses. */
  private boolean sackOk;
  /** Last TS val from the peer, echoed in TS ecr (rx_opt.ts_recent). */
  private int tsRecent;
  /** Peer's MSS from its SYN-ACK (rx_opt.mss_clamp); TCP_MSS_DEFAULT until then. */
  private int mssClamp = TCP_MSS_DEFAULT;
  /** Our advertised MSS (tp->advmss): MTU - 40, or TCP_MAXSEG when smaller (tcp_mss_clamp()). */
  private int advmss;
  /** Sender MSS (tp->mss_cache): payload bytes per segment, options excluded. */
  private int mssCache;
  /** TCP header length with the options every segment carries (20, or 32 with timestamps). */
  private int tcpHeaderLen;
  /** tp->gso_segs: segments per size_goal, cached by tcp_xmit_size_goal. */
  private int gsoSegsGoal;

  // ---- congestion control ----
  /** Congestion window in segments. cwnd >= 1 once established. */
  private int cwnd;
  /** Slow start threshold in segments; CongestionControl.TCP_INFINITE_SSTHRESH initially. */
  private int ssthresh = CongestionControl.TCP_INFINITE_SSTHRESH;
  /** ACKed packets counted toward the next cwnd increase in congestion avoidance. */
  private int cwndCnt;
  /** Upper bound for cwnd (snd_cwnd_clamp). */
  private int cwndClamp = Integer.MAX_VALUE;
  /** cwnd when the last reduction began (PRR's RecoverFS). */
  private int priorCwnd;
  /** ssthresh before the last reduction (undo is not modelled; kept for tcp_info). */
  private int priorSsthresh;
  /** PRR: packets delivered since recovery began. */
  private int prrDelivered;
  /** PRR: packets sent since recovery began. */
  private int prrOut;
  /** tp->is_cwnd_limited for the current window. */
  private boolean isCwndLimited;
  /** Most packets_out in the current window (tcp_cwnd_validate). */
  private int maxPacketsOut;
  /** snd_nxt when the cwnd-usage window began. */
  private int cwndUsageSeq;
  /** An undo point exists (tp->undo_marker != 0): set by tcp_init_undo, cleared by tcp_enter_cwr. */
  private boolean undoMarker;

  // ---- scoreboard, in segments ----
  /** Segments sent and not yet cumulatively acknowledged. */
  private int packetsOut;
  /** Retransmitted segments still in flight (TCPCB_SACKED_RETRANS). */
  private int retransOut;
  /** Segments marked lost (TCPCB_LOST). */
  private int lostOut;
  /** NewReno: duplicate ACKs counted as "sacked" segments (tcp_add_reno_sack). */
  private int sackedOut;
  /** tp->reordering: dupacks needed for fast retransmit (tcp_reordering, 3). */
  private int reordering;
  /** Segments delivered to the peer (tp->delivered). */
  private long delivered;
  /** Segments marked lost over the connection's life (tp->lost). */
  private long lost;

  // ---- RTT / RTO ----
  /** Smoothed RTT << 3, us; 0 = no sample yet. */
  private long srttUs;
  /** Mean deviation << 2, us. */
  private long mdevUs;
  /** Max mdev in the last RTT, us. */
  private long mdevMaxUs;
  /** Smoothed mdev_max, us (used for RTO). */
  private long rttvarUs;
  /** snd_nxt when rttvar was last refreshed. */
  private int rttSeq;
  /** Minimum RTT seen, us; 0xffffffff (~0U) until a sample. Not windowed (see report). */
  private long minRttUs = 0xffffffffL;
  /** icsk_rto in ns (a whole number of jiffies). */
  private long rtoNs = TCP_TIMEOUT_INIT_NS;
  /** icsk_backoff: RTO doublings since the last valid RTT sample. */
  private int backoff;
  /** icsk_retransmits: RTO retransmissions of the current head without progress. */
  private int retransmits;
  /** Time of the first retransmission of the current episode, ms of tcp_clock (0 = none). */
  private long retransStampMs;
  /** Timeouts over the connection's life (tp->total_rto). */
  private long totalRto;

  // ---- pacing / TSO / TSQ ----
  /** sk->sk_pacing_rate, bytes/s; ~0 until tcp_update_pacing_rate() has an RTT. */
  private long pacingRate = Long.MAX_VALUE;
  /** sk->sk_gso_max_size: device gso_max_size - (MAX_TCP_HEADER + 1); 0 without TSO. */
  private final int skGsoMaxSize;
  /** TSQ: sk_wmem_alloc, TSQ_THROTTLED and the throttle statistics (the byte credit towards IP). */
  private final TsqCredit tsq = new TsqCredit();

  // ---- memory ----
  /** sk->sk_sndbuf, bytes of truesize; tcp_wmem[1] until tcp_sndbuf_expand, at most tcp_wmem[2]. */
  private long sndbuf;
  /** sk->sk_wmem_queued: truesize of every skb on the write and retransmit queues. */
  private long wmemQueued;
  /** SOCK_NOSPACE: a writer was refused memory and waits for writeSpace(). */
  private boolean sockNospace;

  // ---- statistics ----
  private long bytesSent, bytesAcked, bytesRetrans, segsOut, dataSegsOut, totalRetrans, fastRetransCount;
  /** tp->lsndtime: jiffies of the last data transmission. */
  private int lsndtime;

  // ---- queues (bounded by sndbuf: nothing is added while wmem_queued >= sndbuf) ----
  /** sk_write_queue: skbs not yet sent; head = tcp_send_head. */
  private TcpSkb writeHead, writeTail;
  /** tcp_rtx_queue: skbs sent and not fully acknowledged, in sequence order. */
  private TcpSkb rtxHead, rtxTail;

  // ---- timers (Long.MAX_VALUE = not armed) ----
  /** ICSK_TIME_RETRANS (RTO, also the SYN timer). */
  private long rtoTimerAt = Long.MAX_VALUE;
  /** TIME_WAIT expiry. */
  private long timeWaitAt = Long.MAX_VALUE;
  /** ICSK_TIME_PROBE0: data queued, nothing in flight, nothing could be sent (tcp_check_probe_timer). */
  private long probeTimerAt = Long.MAX_VALUE;
  /** ICSK_TIME_DACK: the delayed ACK timer (icsk_ack.timeout while ICSK_ACK_TIMER is set). */
  private long delackTimerAt = Long.MAX_VALUE;
  /** ICSK_TIME_LOSS_PROBE: the tail loss probe timer (tcp_schedule_loss_probe()). */
  private long tlpTimerAt = Long.MAX_VALUE;
  /** tp->tlp_high_seq: snd_nxt when a loss probe was sent and not yet answered; 0 = none. */
  private int tlpHighSeq;
  /** A loss probe is outstanding (tlp_high_seq is meaningful). */
  private boolean tlpOutstanding;

  // ---- RACK (net/ipv4/tcp_recovery.c), SACK connections only ----
  /** tp->rack.mstamp: send time (ns) of the most recently sent skb that was (s)acked. */
  private long rackMstampNs;
  /** tp->rack.end_seq of that skb (tie-break for equal send times). */
  private int rackEndSeq;
  /** tp->rack.rtt_us: RTT of that skb; 0 until one is (s)acked (always 0 without SACK). */
  private long rackRttUs;
  /** tp->rack.advanced: a newer skb was (s)acked since the last loss detection. */
  private boolean rackAdvanced;

  // ---- receive side (no out-of-order queue: such data is dropped and ACKed at once) ----
  /** Bytes received in order and not yet read (rcv_nxt - copied_seq, less SYN/FIN). */
  private long rcvQueueBytes;
  /** tp->rcv_wup: rcv_nxt when the window was last advertised. */
  private int rcvWup;
  /** RCV_SHUTDOWN in sk_shutdown: FIN received, or close() / shutdown(SHUT_RD). */
  private boolean rcvShutdown;
  /** The peer's FIN was received (read returns 0 once the queue is empty). */
  private boolean finReceived;
  /** SEND_SHUTDOWN in sk_shutdown: shutdown(SHUT_WR) or close() was called. */
  private boolean sendShutdown;
  /** SOCK_DEAD: close() was called; the socket is an orphan. */
  private boolean orphan;

  // ---- delayed ACK engine (icsk->icsk_ack) ----
  /** icsk_ack.quick: quick ACKs left before delayed ACKs resume. */
  private int ackQuick;
  /** icsk_ack.ato in jiffies (ms); 0 until the first data segment arrives. */
  private int ackAtoMs;
  /** icsk_ack.pingpong >= TCP_PINGPONG_THRESH: interactive mode, ACKs are delayed. */
  private boolean pingpong;
  /** ICSK_ACK_SCHED: an ACK is owed to the peer. */
  private boolean ackScheduled;
  /** ICSK_ACK_NOW: the owed ACK goes out at the next tcp_ack_snd_check. */
  private boolean ackNow;
  /** icsk_ack.lrcvtime: jiffies of the last data segment received. */
  private int ackLrcvtime;
  /** icsk_ack.rcv_mss: estimate of the peer's segment size. */
  private int ackRcvMss;

  // ---- socket options ----
  /** tp->nonagle: TCP_NAGLE_OFF (TCP_NODELAY), TCP_NAGLE_CORK (TCP_CORK), TCP_NAGLE_PUSH bits. */
  private int nonagleBits;
  /** tp->rx_opt.user_mss (TCP_MAXSEG); 0 = not set. */
  private int userMss;
  /** SOCK_SNDBUF_LOCK: SO_SNDBUF was set; tcp_sndbuf_expand() leaves sk_sndbuf alone. */
  private boolean sndbufLocked;
  /** tp->notsent_lowat (TCP_NOTSENT_LOWAT); 0 means the sysctl applies. */
  private long notsentLowatOpt;
  /** icsk_user_timeout (TCP_USER_TIMEOUT) in ms; 0 = not set. */
  private int userTimeoutMs;
  /** icsk_probes_out: zero window probes sent without an answer. */
  private int probesOut;
  /** tcp_slow_start_after_idle sysctl. */
  private boolean slowStartAfterIdle = true;
  /** tcp_invalid_ratelimit sysctl in ms (tcp_oow_rate_limited()). */
  private int invalidRatelimitMs = 500;
  /** tcp_early_retrans sysctl: 3 or 4 enable tail loss probes. */
  private int earlyRetrans = 3;
  /** tp->last_oow_ack_time in ms; MIN = never. */
  private long lastOowAckMs = Integer.MIN_VALUE;
  /** tp->snd_cwnd_stamp in jiffies. */
  private int sndCwndStamp;

  // ---- the transmit handshake ----
  /** P_*: what was handed down and awaits xmitResult; P_NONE when nothing is pending. */
  private int pending = P_NONE;
  /** The queued skb whose clone is pending (P_WRITE, P_RETRANS_QUEUE, P_RTO). */
  private TcpSkb pendingSkb;
  /** CHAIN_* steps still to run. */
  private int chain;
  /** nonagle for the deferred CHAIN_PUSH. */
  private int chainNonagle;
  // tcp_write_xmit loop context, valid while a P_WRITE is pending.
  private int wxMss, wxNonagle, wxMaxSegs, wxSentPkts;
  private boolean wxPushOne, wxCwndLimited, wxRwndLimited, wxActive;
  // tcp_xmit_retransmit_queue loop context.
  private int rqMaxSegs;
  private boolean rqRearm, rqActive;
  private TcpSkb rqNext;

  public TcpSock(TcpConfig cfg, FlowKey flow, long connId, int iss, Payload payload, TcpOutput out) {
    this.cfg = cfg;
    this.tsOffset = cfg.tsOffset();
    this.flow = flow;
    this.connId = connId;
    this.iss = iss;
    this.payload = payload;
    this.out = out;
    this.cc = cfg.newCongestionControl();
    this.advmss = cfg.mtu() - 40;
    this.skGsoMaxSize = cfg.tso() && cfg.gsoMaxSize() > 0 ? cfg.gsoMaxSize() - (MAX_TCP_HEADER + 1) : 0;
    this.sndbuf = cfg.wmem1();
    this.reordering = cfg.reordering();
    this.cwnd = cfg.initCwnd();
    this.sndUna = this.sndNxt = this.writeSeq = this.pushedSeq = this.sndSml = this.highSeq = iss;
    this.nonagleBits = cfg.nodelay() ? TCP_NAGLE_OFF : 0;
  }

  // =====================================================================================
  // Public API
  // =====================================================================================

  public TcpState state() { return state; }

  /** Sets tp->tsoffset (normally drawn per connection); call before connect or synRecv. */
  public void setTsOffset(int tsOffset) {
    this.tsOffset = tsOffset;
  }

  /** The stream's byte source. */
  public Payload payload() {
    return payload;
  }

  /** The stream's byte source from now on (a SendBuffer once the application writes real bytes). */
  public void setPayload(Payload payload) {
    this.payload = payload;
  }

  /** Charge this socket's send queue to the host's TCP memory (tcp_mem); call once, before connect. */
  public void setMemory(TcpMemory memory) {
    this.memory = memory;
    memory.socketCreated();
    memCounted = true;
  }
  public FlowKey flow() { return flow; }
  public TcpCaState caState() { return caState; }
  public boolean xmitPending() { return pending != P_NONE; }
  public long nextTimerAt() {
    return Math.min(Math.min(Math.min(rtoTimerAt, timeWaitAt), probeTimerAt),
        Math.min(Math.min(delackTimerAt, tlpTimerAt), memWaitAt));
  }
  public TcpCounters counters() { return counters; }
  public long sndbufFree() { return Math.max(0, sndbuf - wmemQueued); }
  public long writeQueueBytes() { return Integer.toUnsignedLong(writeSeq - sndNxt); }
  public long wmemAlloc() { return tsq.wmemAlloc(); }
  public long wmemQueued() { return wmemQueued; }
  public long sndbuf() { return sndbuf; }
  public int mss() { return mssCache; }
  public int sndUnaSeq() { return sndUna; }
  public int sndNxtSeq() { return sndNxt; }
  public int writeSeq() { return writeSeq; }
  public long rtoNs() { return rtoNs; }
  public int packetsOut() { return packetsOut; }
  /** tp->advmss (tcpi_advmss). */
  public int advmss() { return advmss; }
  /** icsk_probes_out (tcpi_probes). */
  public int probesOut() { return probesOut; }
  /** Bytes received in order and not yet read. */
  public long rcvQueueBytes() { return rcvQueueBytes; }
  /** The peer's FIN was received: a read of an empty queue returns 0. */
  public boolean finReceived() { return finReceived; }
  /** SEND_SHUTDOWN: writes fail with EPIPE. */
  public boolean sendShutdown() { return sendShutdown; }
  /** TCP_MAXSEG as getsockopt() reports it: user_mss before the connection exists, else mss_cache. */
  public int maxseg() {
    return userMss != 0 && (state == TcpState.TCP_CLOSE || state == TcpState.TCP_LISTEN) ? userMss : mssCache;
  }
  public int userMss() { return userMss; }
  public long notsentLowat() { return notsentLowatOpt != 0 ? notsentLowatOpt : cfg.notsentLowat(); }
  public int userTimeoutMs() { return userTimeoutMs; }
  public boolean nodelay() { return (nonagleBits & TCP_NAGLE_OFF) != 0; }
  public boolean corked() { return (nonagleBits & TCP_NAGLE_CORK) != 0; }

  /** include/net/sock.h::__sk_stream_is_writeable(sk, 1): what tcp_poll() reports as POLLOUT. */
  public boolean pollWritable() {
    return sndbuf - wmemQueued >= (wmemQueued >> 1) && streamMemoryFree(1);
  }

  /** Host sysctls the core reads beyond {@link TcpConfig}: tcp_slow_start_after_idle, tcp_invalid_ratelimit, tcp_early_retrans. */
  public void setHostSysctls(boolean slowStartAfterIdle, int invalidRatelimitMs, int earlyRetrans) {
    this.slowStartAfterIdle = slowStartAfterIdle;
    this.invalidRatelimitMs = invalidRatelimitMs;
    this.earlyRetrans = earlyRetrans;
  }

  /** setsockopt(TCP_NODELAY): net/ipv4/tcp.c::__tcp_sock_set_nodelay(). */
  public void setNodelay(long now, boolean on) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("setsockopt while a transmit is pending");
    if (on) {
      nonagleBits |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
      pushPendingFrames(now);
    } else {
      nonagleBits &= ~TCP_NAGLE_OFF;
    }
  }

  /** setsockopt(TCP_CORK): net/ipv4/tcp.c::__tcp_sock_set_cork(). */
  public void setCork(long now, boolean on) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("setsockopt while a transmit is pending");
    if (on) {
      nonagleBits |= TCP_NAGLE_CORK;
    } else {
      nonagleBits &= ~TCP_NAGLE_CORK;
      if ((nonagleBits & TCP_NAGLE_OFF) != 0) nonagleBits |= TCP_NAGLE_PUSH;
      pushPendingFrames(now);
    }
  }

  /** setsockopt(TCP_MAXSEG) before the connection exists (tp->rx_opt.user_mss). */
  public void setUserMss(int mss) {
    userMss = mss;
  }

  /** setsockopt(SO_SNDBUF): net/core/sock.c::__sock_set_sndbuf(), doubled, SOCK_SNDBUF_LOCK set. */
  public void setSndbuf(long now, int val, int wmemMax) {
    noteHighWater();
    long v = Math.min(Integer.toUnsignedLong(val), wmemMax);
    sndbuf = Math.max(v * 2, SOCK_MIN_SNDBUF);
    sndbufLocked = true;
    chain |= CHAIN_SPACE; // sk->sk_write_space()
    runChain(now);
  }

  /** setsockopt(TCP_NOTSENT_LOWAT). */
  public void setNotsentLowat(long now, long bytes) {
    noteHighWater();
    notsentLowatOpt = bytes;
    chain |= CHAIN_SPACE; // sk->sk_write_space()
    runChain(now);
  }

  /** setsockopt(TCP_USER_TIMEOUT) in ms. */
  public void setUserTimeout(int ms) {
    userTimeoutMs = ms;
  }

  /** tcp_push_pending_frames() with tp->nonagle. */
  private void pushPendingFrames(long now) {
    if (writeHead == null || state.isFinal()) return;
    requestPush(now, tcpCurrentMss(), nonagleBits);
    runChain(now);
  }

  /**
   * recvmsg(): takes up to 'max' bytes of in-order data; returns the bytes read (0 when none
   * are queued). net/ipv4/tcp.c::tcp_recvmsg_locked() then tcp_cleanup_rbuf() (window updates
   * after reading are not modelled: the receive window never shrinks here).
   */
  public long recv(long now, long max) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("recv while a transmit is pending");
    long n = Math.min(max, rcvQueueBytes);
    rcvQueueBytes -= n;
    return n;
  }

  /**
   * A SYN for a listening socket: net/ipv4/tcp_input.c::tcp_conn_request() with the request
   * kept in this socket (SYN_RECV), and the SYN-ACK net/ipv4/tcp_output.c::tcp_make_synack()
   * sends. The third ACK makes it ESTABLISHED (tcp_check_req() → tcp_create_openreq_child()).
   */
  public void synRecv(long now, SkBuff syn) {
    noteHighWater();
    if (state != TcpState.TCP_CLOSE || pending != P_NONE) throw new IllegalStateException("synRecv in " + state);
    TcpOptions opt = syn.options;
    // tcp_openreq_init() / tcp_parse_options()
    mssClamp = opt != null && opt.mss > 0 ? opt.mss : TCP_MSS_DEFAULT;
    if (userMss != 0 && userMss < mssClamp) mssClamp = userMss;
    if (userMss != 0 && userMss < advmss) advmss = userMss; // tcp_mss_clamp()
    tsOk = cfg.timestamps() && opt != null && opt.timestamps;
    sackOk = cfg.sack() && opt != null && opt.sackOk;
    boolean wscaleOk = cfg.windowScaling() && opt != null && opt.wscale >= 0;
    sndWscale = wscaleOk ? Math.min(opt.wscale, TCP_MAX_WSCALE) : 0;
    if (tsOk) tsRecent = opt.tsVal;
    rcvNxt = syn.seq + 1;
    rcvWup = rcvNxt;
    selectInitialWindow();
    if (!wscaleOk) rcvWscale = 0;
    tcpHeaderLen = 20 + (tsOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
    setState(TcpState.TCP_SYN_RECV);
    TcpSkb synAck = new TcpSkb();
    synAck.seq = iss;
    synAck.endSeq = iss + 1;
    synAck.tcpFlags = TcpFlags.SYN | TcpFlags.ACK;
    writeSeq = iss + 1;
    wmemQueued += synAck.truesize();
    rtxAppend(synAck);
    sndNxt = writeSeq;
    pushedSeq = writeSeq;
    packetsOut += 1;
    synAckWscaleOk = wscaleOk;
    transmitSkb(now, synAck, P_CONTROL, false);
    armRto(now, rtoNs);
  }

  /** The peer's SYN offered window scaling: the SYN-ACK carries wscale. */
  private boolean synAckWscaleOk;

  /**
   * The ACK that completes a passive open (tcp_check_req(), tcp_create_openreq_child(),
   * tcp_rcv_state_process() in TCP_SYN_RECV). Returns false when the segment is not acceptable.
   */
  private boolean rcvSynRecvAck(long now, SkBuff seg) {
    if ((seg.tcpFlags & TcpFlags.ACK) == 0 || seg.ackSeq != sndNxt) return false;
    TcpSkb synAck = rtxHead;
    long seqRttUs = (synAck.sacked & TcpSkb.TCPCB_EVER_RETRANS) == 0 ? (now - synAck.txTimeNs) / 1000 : -1;
    rtxUnlinkHead();
    wmemQueued -= synAck.truesize();
    packetsOut = retransOut = lostOut = sackedOut = 0;
    bytesAcked += 1;
    sndUna = seg.ackSeq;
    retransmits = 0;
    retransStampMs = 0;
    rtoTimerAt = Long.MAX_VALUE;
    // tcp_create_openreq_child(): the window of the ACK, scaled.
    sndWnd = (int) Math.min((long) (seg.window & 0xffff) << sndWscale, Integer.MAX_VALUE);
    sndWl1 = seg.seq;
    maxWindow = sndWnd;
    tcpSyncMss(cfg.mtu());
    // tcp_initialize_rcv_mss()
    ackRcvMss = Math.min(Math.min(advmss, mssCache), Math.min(rcvWnd / 2, TCP_MSS_DEFAULT));
    ackRcvMss = Math.max(ackRcvMss, TCP_MIN_MSS);
    ackLrcvtime = jiffies(now);
    if (seqRttUs >= 0) ackUpdateRtt(seqRttUs, seqRttUs); // tcp_synack_rtt_meas()
    setState(TcpState.TCP_ESTABLISHED);
    // tcp_init_transfer()
    if (srttUs == 0) {
      rttvarUs = mdevUs = mdevMaxUs = TCP_TIMEOUT_FALLBACK_NS / 1000;
      rtoNs = TCP_TIMEOUT_FALLBACK_NS;
    }
    ssthresh = CongestionControl.TCP_INFINITE_SSTHRESH;
    cwnd = cfg.initCwnd();
    sndCwndStamp = jiffies(now);
    undoMarker = false;
    highSeq = sndNxt;
    lsndtime = jiffies(now);
    cc.init(this, now);
    tcpUpdatePacingRate();
    if (!sndbufLocked) tcpSndbufExpand(); // tcp_init_buffer_space()
    return true;
  }

  /** TCP_MIN_MSS. */
  static final int TCP_MIN_MSS = 88;

  /** net/ipv4/tcp_output.c::tcp_connect(): send the SYN, arm the SYN timer. */
  public void connect(long now) {
    noteHighWater();
    if (state != TcpState.TCP_CLOSE || pending != P_NONE) throw new IllegalStateException("connect in " + state);
    // tcp_connect_init()
    tcpHeaderLen = 20 + (cfg.timestamps() ? TCPOLEN_TSTAMP_ALIGNED : 0);
    if (userMss != 0) {
      mssClamp = userMss;
      if (userMss < advmss) advmss = userMss; // tcp_mss_clamp()
    }
    tcpSyncMss(cfg.mtu());
    selectInitialWindow();
    counters.TcpActiveOpens++;
    setState(TcpState.TCP_SYN_SENT);
    TcpSkb syn = new TcpSkb();
    syn.seq = iss;
    syn.endSeq = iss + 1;
    syn.tcpFlags = TcpFlags.SYN;
    writeSeq = iss + 1;
    wmemQueued += syn.truesize();
    retransStampMs = clockMs(now);
    rtxAppend(syn);
    sndNxt = writeSeq;
    pushedSeq = writeSeq;
    packetsOut += 1;
    transmitSkb(now, syn, P_CONTROL, false);
    armRto(now, rtoNs);
  }

  /**
   * net/ipv4/tcp.c::tcp_sendmsg_locked() for 'bytes' more bytes of the stream, in one call (no
   * time passes, nothing can arrive meanwhile). Returns the bytes accepted; 0 means the caller
   * would block (SOCK_NOSPACE is set and writeSpace() will follow). {@link TcpSocket} runs the
   * same steps spread over virtual time, with the socket lock.
   */
  public long sendmsg(long now, long bytes, int flags) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("sendmsg while a transmit is pending");
    if (state != TcpState.TCP_ESTABLISHED && state != TcpState.TCP_CLOSE_WAIT) return 0;
    if (sendShutdown || bytes <= 0) return 0;
    sendmsgRestart();
    long copied = 0;
    while (copied < bytes) {
      long n = sendmsgStep(now, bytes - copied, flags, copied, false);
      if (n == SEND_WAIT) return copied;
      copied += n;
    }
    sendmsgEnd(now, flags, copied);
    return copied;
  }

  /** {@link #sendmsgStep} found no memory: the writer must wait (SOCK_NOSPACE set, what was copied pushed). */
  public static final long SEND_WAIT = -1;
  /** {@link #sendmsgStep} allocated 16 skbs and the backlog holds segments: sk_flush_backlog(), then restart. */
  public static final long SEND_FLUSH = -2;

  // ---- the write in progress (tcp_sendmsg_locked's locals), valid from sendmsgRestart to sendmsgEnd ----
  /** mss_now of tcp_send_mss() at the last restart. */
  private int smMss;
  /** size_goal of tcp_send_mss() at the last restart: bytes per skb on the write queue. */
  private int smSizeGoal;
  /** process_backlog: skbs allocated since sk_flush_backlog() last ran (0..16). */
  private int smProcessBacklog;

  /** The restart label of tcp_sendmsg_locked(): tcp_send_mss() computes mss_now and size_goal. */
  public void sendmsgRestart() {
    smMss = tcpCurrentMss();
    smSizeGoal = tcpXmitSizeGoal(smMss, cfg.tso() && skGsoMaxSize > 0);
  }

  /**
   * One step of tcp_sendmsg_locked()'s copy loop: copies up to 'left' bytes into the tail skb, or
   * into a new one, filling at most one skb (size_goal bytes); a full skb is pushed as Linux does
   * (forced_push, or tcp_push_one at the send head). 'copied' is what this write copied before.
   * Returns the bytes copied (> 0), {@link #SEND_WAIT} when sk_stream_memory_free() or tcp_mem
   * refuses a new skb, or {@link #SEND_FLUSH} every 16th new skb when 'backlogPending' (the
   * caller runs sk_flush_backlog(), calls {@link #sendmsgRestart}, then this again). The caller
   * ends a complete write with {@link #sendmsgEnd}. May run while a transmit is pending: pushes
   * then wait for its answer.
   */
  public long sendmsgStep(long now, long left, int flags, long copied, boolean backlogPending) {
    noteHighWater();
    int mssNow = smMss, sizeGoal = smSizeGoal;
    TcpSkb skb = writeTail;
    int copy = 0;
    if (skb != null) copy = sizeGoal - skb.len;
    if (copy <= 0 || !canCollapseTo(skb)) {
      // new_segment: sk_stream_memory_free()
      if (!streamMemoryFree(0)) {
        waitForSpace(now, flags, copied, mssNow, sizeGoal);
        memSync();
        return SEND_WAIT;
      }
      if (smProcessBacklog >= 16) {
        smProcessBacklog = 0;
        if (backlogPending) return SEND_FLUSH; // sk_flush_backlog() → goto restart
      }
      if (!skWmemSchedule(SkBuff.truesizeFor(Math.min(sizeGoal, (int) Math.min(left, Integer.MAX_VALUE))))) {
        // tcp_sendmsg_locked(): goto wait_for_space; with room left in sk_sndbuf,
        // sk_stream_wait_memory() sleeps vm_wait (2..201 ms) before trying again
        waitForSpace(now, flags, copied, mssNow, sizeGoal);
        if (streamMemoryFree(0)) memWaitAt = now + vmWaitNs();
        memSync();
        return SEND_WAIT;
      }
      skb = new TcpSkb();
      skb.seq = writeSeq;
      skb.endSeq = writeSeq;
      skb.streamOffset = streamOffsetOf(writeSeq);
      // tcp_skb_entail()
      writeAppend(now, skb);
      wmemQueued += skb.truesize();
      nonagleBits &= ~TCP_NAGLE_PUSH;
      slowStartAfterIdleCheck(now);
      smProcessBacklog++;
      copy = sizeGoal;
    }
    if (copy > left) copy = (int) left;
    skb.len += copy;
    skb.endSeq += copy;
    skb.pcount = 0;
    wmemQueued += copy;
    writeSeq += copy;
    if (copy == left) {
      if ((flags & MsgFlags.MSG_EOR) != 0) skb.eor = true;
      return copy;
    }
    if (skb.len < sizeGoal || (flags & MsgFlags.MSG_OOB) != 0) return copy;
    if (forcedPush()) {
      tcpMarkPush(skb);
      requestPush(now, mssNow, TCP_NAGLE_PUSH);
    } else if (skb == writeHead && pending == P_NONE) {
      // tcp_push_one()
      writeXmit(now, mssNow, TCP_NAGLE_PUSH, true);
    }
    return copy;
  }

  /** The end of a tcp_sendmsg_locked() that copied 'copied' bytes: tcp_push() with the write's flags. */
  public void sendmsgEnd(long now, int flags, long copied) {
    noteHighWater();
    if (copied > 0) tcpPush(now, flags, smMss, nonagle(), smSizeGoal);
    memSync();
  }

  /**
   * What sk_stream_wait_memory() waits for: sk_stream_memory_free() (sk_wmem_queued below
   * sk_sndbuf and the unsent bytes under TCP_NOTSENT_LOWAT) and no tcp_mem vm_wait pending.
   */
  public boolean streamMemoryFree() {
    return streamMemoryFree(0) && memWaitAt == Long.MAX_VALUE;
  }

  /** Stream offset of the next byte written (write_seq less the SYN). */
  public long writeStreamOffset() {
    return streamOffsetOf(writeSeq);
  }

  /** Stream bytes the peer has acknowledged (snd_una less the SYN; the FIN is not counted). */
  public long ackedStreamBytes() {
    if (state == TcpState.TCP_SYN_SENT || state == TcpState.TCP_SYN_RECV || (state == TcpState.TCP_CLOSE && sndUna == iss)) return 0;
    long acked = streamOffsetOf(sndUna);
    long written = streamOffsetOf(writeSeq) - (finQueued ? 1 : 0);
    return Math.min(acked, written);
  }

  /** sk_stream_wait_memory() sets SOCK_NOSPACE before each sleep, so that tcp_check_space() wakes it. */
  public void setSockNospace() {
    sockNospace = true;
  }

  /** SOCK_NOSPACE: a writer was refused memory and waits for writeSpace(). */
  public boolean sockNospace() {
    return sockNospace;
  }

  /**
   * net/core/sock.c::__sk_mem_schedule() for 'size' more bytes of send queue: true when the host's
   * tcp_mem allows it. Refused: sk_stream_moderate_sndbuf(), and the allocation is forced anyway
   * when the socket already sits at its sndbuf (then it waits for ACKs, not for memory).
   */
  private boolean skWmemSchedule(int size) {
    if (memory == null) return true;
    long more = TcpMemory.pages(wmemQueued + size) - memPages;
    if (more <= 0 || memory.mayRaise(memPages, more)) return true;
    if (!sndbufLocked) sndbuf = Math.max(Math.min(sndbuf, wmemQueued >> 1), SOCK_MIN_SNDBUF);
    return wmemQueued + size >= sndbuf;
  }

  /** Brings this socket's charge to the host's TCP memory in step with its send queue. */
  private void memSync() {
    if (memory == null) return;
    long p = TcpMemory.pages(wmemQueued);
    if (p != memPages) {
      memory.charge(p - memPages);
      memPages = p;
    }
  }

  /** Leaves sockets_allocated (the full socket is gone: closed, or replaced by a TIME_WAIT mini-socket). */
  private void memRelease() {
    memSync();
    if (memCounted) {
      memCounted = false;
      memory.socketDestroyed();
    }
  }

  /** vm_wait: get_random_u32_below(HZ / 5) + 2 jiffies; drawn here from the connection and its stream position. */
  private long vmWaitNs() {
    long z = (connId * 0x9E3779B97F4A7C15L) ^ (writeSeq * 0xBF58476D1CE4E5B9L);
    z ^= z >>> 31;
    return (Math.floorMod(z, 200) + 2) * 1_000_000L;
  }

  /**
   * net/ipv4/tcp.c::tcp_close(): the socket becomes an orphan. Unread received data aborts the
   * connection with an RST (RFC 2525 2.17); otherwise a FIN follows what is queued.
   */
  public void close(long now) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("close while a transmit is pending");
    orphan = true;
    rcvShutdown = true;
    if (rcvQueueBytes > 0 && !state.isFinal() && state != TcpState.TCP_SYN_SENT) {
      rcvQueueBytes = 0;
      tcpSendActiveReset(now);
      tcpDone(now);
      return;
    }
    switch (state) {
      case TCP_ESTABLISHED -> { sendShutdown = true; setState(TcpState.TCP_FIN_WAIT1); tcpSendFin(now); }
      case TCP_CLOSE_WAIT -> { sendShutdown = true; setState(TcpState.TCP_LAST_ACK); tcpSendFin(now); }
      case TCP_SYN_SENT, TCP_SYN_RECV -> tcpDone(now);
      default -> { }
    }
  }

  /** net/ipv4/tcp.c::tcp_shutdown(): SHUT_RD and/or SHUT_WR; SHUT_WR sends a FIN after the queued data. */
  public void shutdown(long now, boolean rd, boolean wr) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("shutdown while a transmit is pending");
    if (rd) rcvShutdown = true;
    if (!wr || sendShutdown) return;
    sendShutdown = true;
    switch (state) {
      case TCP_ESTABLISHED -> { setState(TcpState.TCP_FIN_WAIT1); tcpSendFin(now); }
      case TCP_CLOSE_WAIT -> { setState(TcpState.TCP_LAST_ACK); tcpSendFin(now); }
      case TCP_SYN_SENT -> tcpDone(now);
      default -> { }
    }
  }

  /**
   * A segment from the peer: net/ipv4/tcp_input.c::tcp_rcv_established() (slow path) and
   * tcp_rcv_state_process(): validate, tcp_ack, state transitions, tcp_data_queue,
   * tcp_data_snd_check, tcp_ack_snd_check.
   */
  public void rcv(long now, SkBuff seg) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("rcv while a transmit is pending");
    switch (state) {
      case TCP_CLOSE, TCP_LISTEN -> { return; }
      case TCP_SYN_SENT -> { rcvSynSent(now, seg); return; }
      default -> { }
    }
    int flags = seg.tcpFlags;
    boolean fin = (flags & TcpFlags.FIN) != 0;
    int segEnd = seg.seq + seg.len + (fin ? 1 : 0);
    if ((flags & TcpFlags.RST) != 0) {
      // tcp_validate_incoming(): an RST is accepted when its seq is rcv_nxt (RFC 5961 3.2).
      if (seg.seq == rcvNxt) tcpReset(now);
      return;
    }
    if ((flags & TcpFlags.ACK) == 0) return;
    TcpOptions opt = seg.options;
    boolean sawTstamp = tsOk && opt != null && opt.timestamps;
    if (state == TcpState.TCP_SYN_RECV) {
      // An unacceptable ACK would be answered with an RST by the listener; it is dropped here.
      if (!rcvSynRecvAck(now, seg)) return;
    }
    if (sawTstamp && !Seq.after(seg.seq, rcvNxt)) tsRecent = opt.tsVal; // tcp_replace_ts_recent()
    if (state == TcpState.TCP_TIME_WAIT) {
      // tcp_timewait_state_process(): a retransmitted FIN is ACKed again.
      if (fin) chain |= CHAIN_ACK;
      runChain(now);
      return;
    }
    // tcp_validate_incoming() → tcp_sequence(): wholly old or beyond the window: a duplicate ACK.
    if (Seq.before(segEnd, rcvWup) || Seq.after(seg.seq, rcvNxt + receiveWindow())) {
      tcpSendDupack(seg, segEnd);
      runChain(now);
      return;
    }
    // tcp_validate_incoming(): a nonzero TS ecr loses our tsoffset.
    int ackVerdict = tcpAck(now, seg, sawTstamp && opt.tsEcr != 0 ? opt.tsEcr - tsOffset : 0, sawTstamp);
    if (ackVerdict < 0) {
      runChain(now);
      return;
    }
    if (state == TcpState.TCP_CLOSE) return;
    // Our FIN acknowledged?
    boolean finAcked = sndUna == writeSeq && finQueued;
    switch (state) {
      case TCP_FIN_WAIT1 -> { if (finAcked) setState(TcpState.TCP_FIN_WAIT2); }
      case TCP_CLOSING -> { if (finAcked) { enterTimeWait(now); runChain(now); return; } }
      case TCP_LAST_ACK -> { if (finAcked) { tcpDone(now); return; } }
      default -> { }
    }
    // step 7: process the segment text
    if (segEnd != seg.seq) {
      boolean queue = true;
      if ((state == TcpState.TCP_CLOSE_WAIT || state == TcpState.TCP_CLOSING || state == TcpState.TCP_LAST_ACK)
          && !Seq.before(seg.seq, rcvNxt)) {
        queue = false;
      }
      if (queue && rcvShutdown && !finReceived && state != TcpState.TCP_ESTABLISHED
          && Seq.after(segEnd - (fin ? 1 : 0), rcvNxt)) {
        // RFC 1122 4.2.2.13: new data for a socket that can no longer read aborts it (TCPAbortOnData).
        tcpSendResetFor(seg);
        tcpReset(now);
        return;
      }
      if (queue) tcpDataQueue(now, seg, segEnd);
    }
    if (state == TcpState.TCP_CLOSE) return;
    // tcp_data_snd_check(): push pending frames, then tcp_check_space(); then tcp_ack_snd_check().
    chain |= CHAIN_PUSH | CHAIN_SPACE | CHAIN_ACK_CHECK;
    chainNonagle = nonagleBits;
    runChain(now);
  }

  /** tcp_receive_window(): what is left of the window we last advertised. */
  private int receiveWindow() {
    int win = rcvWup + rcvWnd - rcvNxt;
    return Math.max(win, 0);
  }

  /** net/ipv4/tcp_input.c::tcp_data_queue() without an out-of-order queue. */
  private void tcpDataQueue(long now, SkBuff seg, int segEnd) {
    boolean fin = (seg.tcpFlags & TcpFlags.FIN) != 0;
    if (seg.seq == rcvNxt) {
      queueInOrder(now, seg.len, fin, segEnd);
      return;
    }
    if (!Seq.after(segEnd, rcvNxt)) {
      // A retransmit, 2nd most common case: force an immediate ACK (DSACK is not modelled).
      tcpEnterQuickackMode(TCP_MAX_QUICKACKS);
      ackScheduled = true;
      return;
    }
    if (!Seq.before(seg.seq, rcvNxt + receiveWindow())) {
      // Out of window, e.g. a zero window probe.
      tcpEnterQuickackMode(TCP_MAX_QUICKACKS);
      ackScheduled = true;
      return;
    }
    if (Seq.before(seg.seq, rcvNxt)) {
      // Partial packet, seq < rcv_next < end_seq: only the new part is queued.
      queueInOrder(now, segEnd - rcvNxt - (fin ? 1 : 0), fin, segEnd, seg.len);
      return;
    }
    // Out of order: not kept here; Linux queues it and ACKs at once (tcp_data_queue_ofo()).
    ackScheduled = true;
    ackNow = true;
  }

  private void queueInOrder(long now, int newBytes, boolean fin, int segEnd) {
    queueInOrder(now, newBytes, fin, segEnd, newBytes);
  }

  private void queueInOrder(long now, int newBytes, boolean fin, int segEnd, int skbLen) {
    rcvNxt = segEnd;
    rcvQueueBytes += newBytes;
    if (skbLen > 0) tcpEventDataRecv(now, skbLen);
    if (fin) tcpFin(now);
  }

  /** net/ipv4/tcp_input.c::tcp_event_data_recv(): the delayed ACK engine learns the arrival pattern. */
  private void tcpEventDataRecv(long now, int len) {
    ackScheduled = true; // inet_csk_schedule_ack()
    // tcp_measure_rcv_mss()
    if (len >= ackRcvMss) ackRcvMss = Math.min(len, advmss);
    int nowJ = jiffies(now);
    int rtoMs = (int) (rtoNs / 1_000_000L);
    if (ackAtoMs == 0) {
      // The first data packet received: initialize the delayed ACK engine.
      tcpIncrQuickack(TCP_MAX_QUICKACKS);
      ackAtoMs = TCP_ATO_MIN_MS;
    } else {
      int m = nowJ - ackLrcvtime;
      if (m <= TCP_ATO_MIN_MS / 2) {
        ackAtoMs = (ackAtoMs >> 1) + TCP_ATO_MIN_MS / 2;
      } else if (m < ackAtoMs) {
        ackAtoMs = (ackAtoMs >> 1) + m;
        if (ackAtoMs > rtoMs) ackAtoMs = rtoMs;
      } else if (m > rtoMs) {
        // Too long gap: the sender failed to restart its window; ACK quickly.
        tcpIncrQuickack(TCP_MAX_QUICKACKS);
      }
    }
    ackLrcvtime = nowJ;
  }

  /** net/ipv4/tcp_input.c::tcp_incr_quickack(). */
  private void tcpIncrQuickack(int maxQuickacks) {
    int quickacks = rcvWnd / (2 * Math.max(ackRcvMss, 1));
    if (quickacks == 0) quickacks = 2;
    quickacks = Math.min(quickacks, maxQuickacks);
    if (quickacks > ackQuick) ackQuick = quickacks;
  }

  /** net/ipv4/tcp_input.c::tcp_enter_quickack_mode(). */
  private void tcpEnterQuickackMode(int maxQuickacks) {
    tcpIncrQuickack(maxQuickacks);
    pingpong = false;
    ackAtoMs = TCP_ATO_MIN_MS;
  }

  /** include/net/tcp.h::tcp_in_quickack_mode(). */
  private boolean inQuickackMode() {
    return ackQuick > 0 && !pingpong;
  }

  /** net/ipv4/tcp_input.c::__tcp_ack_snd_check(): ACK now, or arm the delayed ACK timer. */
  private void tcpAckSndCheck(long now) {
    if (!ackScheduled) return;
    // More than one full frame received (the receive buffer is never the limit here), quickack
    // mode, or a one-time immediate ACK.
    if (rcvNxt - rcvWup > ackRcvMss || inQuickackMode() || ackNow) {
      chain |= CHAIN_ACK;
      return;
    }
    tcpSendDelayedAck(now);
  }

  /** net/ipv4/tcp_output.c::tcp_send_delayed_ack(), HZ=1000. */
  private void tcpSendDelayedAck(long now) {
    int ato = ackAtoMs;
    if (ato > TCP_DELACK_MIN_MS) {
      int maxAto = 500; // HZ / 2
      if (pingpong) maxAto = TCP_DELACK_MAX_MS;
      // Bound by the measured RTT, not by the RTO.
      if (srttUs != 0) {
        int rtt = (int) Math.max(((srttUs >> 3) + 999) / 1000, TCP_DELACK_MIN_MS);
        if (rtt < maxAto) maxAto = rtt;
      }
      ato = Math.min(ato, maxAto);
    }
    ato = Math.min(ato, TCP_DELACK_MAX_MS); // icsk_delack_max
    int nowJ = jiffies(now);
    // A timer due at the current jiffy fires on the next tick.
    long timeout = (long) (nowJ + Math.max(ato, 1)) * 1_000_000L;
    if (delackTimerAt != Long.MAX_VALUE) {
      // If the delayed ACK timer is about to expire, send the ACK now.
      if (delackTimerAt <= (long) (nowJ + (ato >> 2)) * 1_000_000L) {
        chain |= CHAIN_ACK;
        return;
      }
      if (timeout >= delackTimerAt) timeout = delackTimerAt;
    }
    delackTimerAt = timeout;
  }

  /** net/ipv4/tcp_output.c::tcp_event_ack_sent(): an ACK left; quick ACK accounting, timer off. */
  private void tcpEventAckSent() {
    if (ackQuick > 0) {
      int pkts = ackScheduled ? 1 : 0;
      if (pkts >= ackQuick) {
        ackQuick = 0;
        ackAtoMs = TCP_ATO_MIN_MS; // leaving quickack mode deflates ATO
      } else {
        ackQuick -= pkts;
      }
    }
    ackScheduled = false;
    ackNow = false;
    delackTimerAt = Long.MAX_VALUE;
    chain &= ~CHAIN_ACK_CHECK;
    rcvWup = rcvNxt; // tcp_select_window()
  }

  /** net/ipv4/tcp_input.c::tcp_send_dupack(). */
  private void tcpSendDupack(SkBuff seg, int segEnd) {
    if (segEnd != seg.seq && Seq.before(seg.seq, rcvNxt)) tcpEnterQuickackMode(TCP_MAX_QUICKACKS);
    chain |= CHAIN_ACK;
  }

  /** net/ipv4/tcp_input.c::tcp_send_challenge_ack() with the per-socket tcp_oow_rate_limited(). */
  private void tcpSendChallengeAck(long now) {
    long nowMs = clockMs(now);
    if (invalidRatelimitMs > 0 && lastOowAckMs != Integer.MIN_VALUE && nowMs - lastOowAckMs < invalidRatelimitMs) return;
    lastOowAckMs = nowMs;
    chain |= CHAIN_ACK;
  }

  /** net/ipv4/tcp_ipv4.c::tcp_v4_send_reset() for a segment this socket refuses. */
  private void tcpSendResetFor(SkBuff seg) {
    SkBuff rst = TcpReset.answering(seg);
    rst.flow = flow;
    rst.connId = connId;
    sendControl(rst);
  }

  /** net/ipv4/tcp_output.c::tcp_send_active_reset(): RST|ACK at snd_nxt. */
  private void tcpSendActiveReset(long now) {
    SkBuff rst = new SkBuff();
    rst.flow = flow;
    rst.connId = connId;
    rst.seq = sndNxt;
    rst.ackSeq = rcvNxt;
    rst.tcpFlags = TcpFlags.RST | TcpFlags.ACK;
    rst.window = windowField(false);
    rst.options = establishedOptions(now);
    rst.tstampNs = now;
    sendControl(rst);
  }

  private void sendControl(SkBuff c) {
    c.truesize = PURE_ACK_TRUESIZE;
    counters.TcpOutSegs++;
    if ((c.tcpFlags & TcpFlags.RST) != 0) counters.TcpOutRsts++;
    segsOut++;
    tsq.charge(c.truesize);
    pending = P_CONTROL;
    pendingSkb = null;
    out.queueXmit(c);
  }

  /** The NET_XMIT_* answer for the skb last handed down. */
  public void xmitResult(long now, int netXmitCode) {
    noteHighWater();
    int kind = pending;
    if (kind == P_NONE) throw new IllegalStateException("xmitResult with nothing pending");
    pending = P_NONE;
    TcpSkb skb = pendingSkb;
    pendingSkb = null;
    boolean dropped = netXmitCode == NetXmit.DROP;
    if (netXmitCode == NetXmit.DROP || netXmitCode == NetXmit.CN) tcpEnterCwr(); // __tcp_transmit_skb()
    switch (kind) {
      case P_WRITE -> {
        if (dropped) {
          writeXmitEnd(now);
        } else {
          tcpEventNewDataSent(now, skb);
          tcpMinshallUpdate(wxMss, skb);
          wxSentPkts += skb.pcount;
          if (wxPushOne) writeXmitEnd(now);
          else writeXmitLoop(now);
        }
      }
      case P_RETRANS_QUEUE -> {
        boolean ok = retransmitDone(skb, dropped);
        if (!ok) {
          retransQueueEnd(now);
        } else {
          if (caState != TcpCaState.TCP_CA_Loss) { counters.TcpExtTCPFastRetrans += skb.pcount; fastRetransCount += skb.pcount; }
          else counters.TcpExtTCPSlowStartRetrans += skb.pcount;
          if (inCwndReduction()) prrOut += skb.pcount;
          if (skb == rtxHead) rqRearm = true;
          retransQueueLoop(now);
        }
      }
      case P_RTO -> {
        boolean ok = retransmitDone(skb, dropped);
        rtoAfterRetransmit(now, ok);
      }
      case P_WAKEUP -> {
        if (!dropped) tcpEventNewDataSent(now, skb);
        tcpProbe0After(now, dropped);
      }
      case P_PROBE -> tcpProbe0After(now, dropped);
      case P_TLP -> {
        boolean ok = retransmitDone(skb, dropped);
        if (ok) {
          tlpHighSeq = sndNxt;
          tlpOutstanding = true;
          counters.TcpExtTCPLossProbes++;
          tlpTimerAt = Long.MAX_VALUE; // icsk_pending = 0: the RTO restarts from now
          armRto(now, rtoNs);
        } else {
          tcpRearmRto(now);
        }
      }
      default -> { }
    }
    runChain(now);
  }

  /**
   * net/ipv4/tcp_output.c::tcp_wfree(): a clone handed down was freed. May come while that
   * clone's transmit is still pending, from a device that frees skbs inside its xmit (tun's
   * skb_orphan()); any work it releases then waits for {@link #xmitResult}.
   */
  public void wfree(long now, int truesize) {
    if (wfreeCredit(now, truesize)) tcpTsqWrite(now);
  }

  /**
   * The first half of tcp_wfree(): the credit comes back; true when TSQ_THROTTLED was set, so the
   * socket must be serviced: at once ({@link #tcpTsqWrite}) or, while the user owns the socket,
   * through TCP_TSQ_DEFERRED at release_sock (net/ipv4/tcp_output.c::tcp_tsq_handler()).
   */
  public boolean wfreeCredit(long now, int truesize) {
    noteHighWater();
    return tsq.wfree(now, truesize);
  }

  /** net/ipv4/tcp_output.c::tcp_tsq_write(): retransmit what is lost, then tcp_write_xmit. */
  public void tcpTsqWrite(long now) {
    noteHighWater();
    if (state == TcpState.TCP_ESTABLISHED || state == TcpState.TCP_FIN_WAIT1
        || state == TcpState.TCP_CLOSING || state == TcpState.TCP_CLOSE_WAIT || state == TcpState.TCP_LAST_ACK) {
      if (lostOut > retransOut && cwnd > packetsInFlight()) chain |= CHAIN_RETRANS;
      chain |= CHAIN_PUSH;
      chainNonagle = nonagle();
      runChain(now);
    }
  }

  /** Runs the timers that are due at 'now'; an early or stale call does nothing. */
  public void onTimer(long now) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("onTimer while a transmit is pending");
    if (memWaitAt <= now) {
      // sk_stream_wait_memory(): the vm_wait sleep is over; the writer tries to allocate again
      memWaitAt = Long.MAX_VALUE;
      if (sockNospace && !state.isFinal()) {
        sockNospace = false;
        out.writeSpace();
      }
      return;
    }
    if (timeWaitAt <= now) {
      timeWaitAt = Long.MAX_VALUE;
      if (state == TcpState.TCP_TIME_WAIT) tcpDone(now);
      return;
    }
    if (delackTimerAt <= now) {
      delackTimerHandler(now);
      return;
    }
    writeTimerHandler(now);
  }

  /** net/ipv4/tcp_timer.c::tcp_delack_timer_handler(), when the delayed ACK timer is due (else nothing). */
  public void delackTimerHandler(long now) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("a timer while a transmit is pending");
    if (delackTimerAt > now) return;
    delackTimerAt = Long.MAX_VALUE;
    if (ackScheduled && !state.isFinal()) {
      if (!pingpong) {
        ackAtoMs = Math.min(ackAtoMs << 1, (int) (rtoNs / 1_000_000L)); // delayed ACK missed: inflate ATO
      } else {
        pingpong = false; // leave pingpong mode and deflate ATO
        ackAtoMs = TCP_ATO_MIN_MS;
      }
      chain |= CHAIN_ACK;
      runChain(now);
    }
  }

  /**
   * net/ipv4/tcp_timer.c::tcp_write_timer_handler(): the due one of the loss probe, retransmit and
   * zero-window probe timers (they share icsk_pending); nothing when none is due.
   */
  public void writeTimerHandler(long now) {
    noteHighWater();
    if (pending != P_NONE) throw new IllegalStateException("a timer while a transmit is pending");
    if (tlpTimerAt <= now) {
      tlpTimerAt = Long.MAX_VALUE;
      tcpSendLossProbe(now);
      runChain(now);
      return;
    }
    if (rtoTimerAt <= now) {
      rtoTimerAt = Long.MAX_VALUE;
      tcpRetransmitTimer(now);
      runChain(now);
      return;
    }
    if (probeTimerAt <= now) {
      probeTimerAt = Long.MAX_VALUE;
      tcpProbeTimer(now);
      runChain(now);
    }
  }

  /** The timers tcp_write_timer() serves (loss probe, RTO, zero-window probe): the earliest. */
  public long writeTimerAt() {
    return Math.min(Math.min(rtoTimerAt, tlpTimerAt), probeTimerAt);
  }

  /** The delayed ACK timer (ICSK_TIME_DACK); Long.MAX_VALUE when not armed. */
  public long delackTimerAt() {
    return delackTimerAt;
  }

  /** Timers that take no socket lock (TIME_WAIT expiry, the tcp_mem vm_wait of a writer): the earliest. */
  public long unlockedTimerAt() {
    return Math.min(timeWaitAt, memWaitAt);
  }

  /** sk->sk_rcvbuf: tcp_rmem[1] (no receive autotuning is modelled on this sender). */
  public long rcvbuf() {
    return cfg.rmem1();
  }

  /** net/ipv4/tcp.c::tcp_get_info(). */
  public TcpInfo info(long now) {
    return new TcpInfo(state, caState, backoff, cwnd, ssthresh, srttUs >> 3, mdevUs >> 2,
        rtoNs / 1000, minRttUs == 0xffffffffL ? 0 : minRttUs, mssCache,
        bytesSent, bytesAcked, bytesRetrans, segsOut, totalRetrans, lostOut, packetsOut, retransOut,
        sackedOut, pacingRate == Long.MAX_VALUE ? -1 : pacingRate, writeQueueBytes(), wmemQueued, tsq.wmemAlloc(),
        sndbuf, sndWnd, totalRto, fastRetransCount,
        chronoNs(now, CHRONO_BUSY) / 1000 + chronoNs(now, CHRONO_RWND_LIMITED) / 1000 + chronoNs(now, CHRONO_SNDBUF_LIMITED) / 1000,
        chronoNs(now, CHRONO_RWND_LIMITED) / 1000, chronoNs(now, CHRONO_SNDBUF_LIMITED) / 1000,
        tsq.throttles(), tsq.throttledNs(now) / 1000, counters.TcpExtTCPBacklogDrop);
  }

  /** net/ipv4/tcp_timer.c::tcp_probe_timer(): a zero window probe or a wakeup of held data. */
  private void tcpProbeTimer(long now) {
    if (packetsOut != 0 || writeHead == null || state.isFinal() || state == TcpState.TCP_SYN_SENT) {
      probesOut = 0;
      return;
    }
    if (probesOut >= cfg.retries2()) {
      out.error(softError != 0 ? softError : Errno.ETIMEDOUT); // tcp_write_err()
      tcpDone(now);
      return;
    }
    tcpWriteWakeup(now);
  }

  /** net/ipv4/tcp_output.c::tcp_write_wakeup(): send what the window allows with PSH, else a probe. */
  private void tcpWriteWakeup(long now) {
    TcpSkb skb = writeHead;
    if (skb != null && Seq.before(skb.seq, wndEnd())) {
      int mss = tcpCurrentMss();
      int segSize = wndEnd() - skb.seq;
      if (Seq.before(pushedSeq, skb.endSeq)) pushedSeq = skb.endSeq;
      if (segSize < skb.endSeq - skb.seq || skb.len > mss) {
        segSize = Math.min(segSize, mss);
        skb.tcpFlags |= TcpFlags.PSH;
        tsoFragment(skb, segSize, mss);
      } else {
        tcpSetSkbTsoSegs(skb, mss);
      }
      skb.tcpFlags |= TcpFlags.PSH;
      transmitSkb(now, skb, P_WAKEUP, false);
      return;
    }
    // tcp_xmit_probe_skb(sk, 0): an ACK at snd_una - 1 that the peer must answer.
    SkBuff c = new SkBuff();
    c.flow = flow;
    c.connId = connId;
    c.seq = sndUna - 1;
    c.ackSeq = rcvNxt;
    c.tcpFlags = TcpFlags.ACK;
    c.window = windowField(false);
    c.options = establishedOptions(now);
    c.tstampNs = now;
    c.truesize = PURE_ACK_TRUESIZE;
    counters.TcpOutSegs++;
    counters.TcpExtTCPWinProbe++; // LINUX_MIB_TCPWINPROBE in tcp_xmit_probe_skb()
    segsOut++;
    tsq.charge(c.truesize);
    pending = P_PROBE;
    pendingSkb = null;
    tcpEventAckSent();
    out.queueXmit(c);
  }

  /** The end of net/ipv4/tcp_output.c::tcp_send_probe0() once the probe's answer is known. */
  private void tcpProbe0After(long now, boolean dropped) {
    if (packetsOut != 0 || writeHead == null) {
      probesOut = 0;
      backoff = 0;
      return;
    }
    probesOut++;
    long timeout;
    if (!dropped) {
      if (backoff < cfg.retries2()) backoff++;
      timeout = tcpProbe0When();
    } else {
      timeout = TCP_RESOURCE_PROBE_INTERVAL_NS;
    }
    probeTimerAt = now + timeout;
  }

  /** include/net/tcp.h::tcp_probe0_base() << icsk_backoff, at most TCP_RTO_MAX. */
  private long tcpProbe0When() {
    long base = Math.max(rtoNs, TCP_RTO_MIN_NS);
    if (backoff >= 20) return TCP_RTO_MAX_NS;
    return Math.min(base << backoff, TCP_RTO_MAX_NS);
  }

  /** How far in the future the RTO of the head skb is, ns (tcp_rto_delta_us()). */
  private long rtoDeltaNs(long now) {
    TcpSkb head = rtxHead;
    if (head == null) return rtoNs;
    return head.txTimeNs + rtoNs - now;
  }

  /** net/ipv4/tcp_output.c::tcp_schedule_loss_probe(): PTO = 2 * srtt (+ RTO_MIN for one packet). */
  private boolean tcpScheduleLossProbe(long now, boolean advancingRto) {
    if ((earlyRetrans != 3 && earlyRetrans != 4) || packetsOut == 0 || !sackOk
        || (caState != TcpCaState.TCP_CA_Open && caState != TcpCaState.TCP_CA_CWR)) {
      return false;
    }
    long timeoutMs;
    if (srttUs != 0) {
      timeoutMs = ((srttUs >> 2) + 999) / 1000; // usecs_to_jiffies(srtt_us >> 2)
      timeoutMs += packetsOut == 1 ? TCP_RTO_MIN_NS / 1_000_000L : 2; // TCP_TIMEOUT_MIN
    } else {
      timeoutMs = TCP_TIMEOUT_INIT_NS / 1_000_000L;
    }
    long rtoDelta = advancingRto ? rtoNs : rtoDeltaNs(now);
    if (rtoDelta > 0) timeoutMs = Math.min(timeoutMs, (rtoDelta + 999_999) / 1_000_000L);
    tlpTimerAt = now + timeoutMs * 1_000_000L;
    rtoTimerAt = Long.MAX_VALUE; // the loss probe takes the retransmit timer's place
    return true;
  }

  /** net/ipv4/tcp_output.c::tcp_send_loss_probe(): retransmit the last segment (new data first when possible). */
  private void tcpSendLossProbe(long now) {
    if (packetsOut == 0 || state.isFinal()) return;
    int mss = tcpCurrentMss();
    TcpSkb head = writeHead;
    if (head != null && tcpSndWndTest(head, mss)) {
      wxTlp = true;
      writeXmit(now, mss, TCP_NAGLE_OFF, true);
      return;
    }
    TcpSkb skb = rtxTail;
    if (skb == null || tlpOutstanding) {
      tcpRearmRto(now);
      return;
    }
    if (skb.pcount > 1 && skb.len > (skb.pcount - 1) * mss) {
      rtxFragment(skb, (skb.pcount - 1) * mss);
      skb = skb.next;
    }
    if (!tcpRetransmitSkb(now, skb, 1, P_TLP)) tcpRearmRto(now);
  }

  /** A loss probe sent new data instead of a retransmission (tcp_send_loss_probe()'s first branch). */
  private boolean wxTlp;

  /** net/ipv4/tcp_output.c::tcp_slow_start_after_idle_check() → tcp_cwnd_restart(). */
  private void slowStartAfterIdleCheck(long now) {
    if (!slowStartAfterIdle || packetsOut != 0) return;
    int delta = jiffies(now) - lsndtime;
    int rtoMs = (int) (rtoNs / 1_000_000L);
    if (delta <= rtoMs) return;
    // tcp_cwnd_restart()
    int restartCwnd = Math.min(cfg.initCwnd(), cwnd);
    int c = cwnd;
    cc.onEvent(this, CaEvent.CA_EVENT_CWND_RESTART, now);
    ssthresh = currentSsthresh();
    while ((delta -= rtoMs) > 0 && c > restartCwnd) c >>= 1;
    cwnd = Math.max(c, restartCwnd);
    sndCwndStamp = jiffies(now);
  }

  // =====================================================================================
  // CcHost
  // =====================================================================================

  @Override public int cwnd() { return cwnd; }
  @Override public void setCwnd(int c) { cwnd = c; }
  @Override public int ssthresh() { return ssthresh; }
  @Override public void setSsthresh(int s) { ssthresh = s; }
  @Override public int cwndCnt() { return cwndCnt; }
  @Override public void setCwndCnt(int c) { cwndCnt = c; }
  @Override public int cwndClamp() { return cwndClamp; }
  @Override public int sndUna() { return sndUna; }
  @Override public int sndNxt() { return sndNxt; }
  @Override public long pacingRate() { return pacingRate; }
  @Override public int gsoMaxSize() { return skGsoMaxSize; }
  @Override public int lsndtime() { return lsndtime; }

  /** include/net/tcp.h::tcp_is_cwnd_limited(). */
  @Override public boolean isCwndLimited() {
    if (isCwndLimited) return true;
    // If in slow start, ensure cwnd grows to twice what was ACKed.
    if (cwnd < ssthresh) return cwnd < 2 * maxPacketsOut;
    return false;
  }

  // =====================================================================================
  // Handshake
  // =====================================================================================

  /** net/ipv4/tcp_output.c::tcp_select_initial_window() for the SYN. */
  private void selectInitialWindow() {
    // tcp_full_space(): tcp_win_from_space(rcvbuf) with the default scaling_ratio (1/2).
    long space = (long) cfg.rmem1() * 128 >> 8;
    int mss = advmss;
    space = space / mss * mss; // rounddown(space, mss)
    rcvWnd = (int) Math.min(space, Integer.MAX_VALUE);
    rcvWscale = 0;
    if (cfg.windowScaling()) {
      long s = Math.max(space, cfg.rmem2());
      s = Math.max(s, cfg.rmemMax());
      int log = 63 - Long.numberOfLeadingZeros(s);
      rcvWscale = Math.max(0, Math.min(TCP_MAX_WSCALE, log - 15));
    }
  }

  /** net/ipv4/tcp_input.c::tcp_rcv_synsent_state_process(). */
  private void rcvSynSent(long now, SkBuff seg) {
    int flags = seg.tcpFlags;
    boolean ackOk = (flags & TcpFlags.ACK) != 0 && seg.ackSeq == sndNxt;
    if ((flags & TcpFlags.ACK) != 0 && !ackOk) return; // would answer with RST; not modelled
    if ((flags & TcpFlags.RST) != 0) {
      if (ackOk) { // tcp_reset() in SYN_SENT: ECONNREFUSED
        out.error(Errno.ECONNREFUSED);
        tcpDone(now);
      }
      return;
    }
    if ((flags & TcpFlags.SYN) == 0 || !ackOk) return; // simultaneous open is not modelled
    TcpOptions opt = seg.options;
    // tcp_parse_options()
    if (opt != null && opt.mss > 0) mssClamp = userMss != 0 && userMss < opt.mss ? userMss : opt.mss;
    boolean wscaleOk = cfg.windowScaling() && opt != null && opt.wscale >= 0;
    sndWscale = wscaleOk ? Math.min(opt.wscale, TCP_MAX_WSCALE) : 0;
    if (!wscaleOk) rcvWscale = 0;
    sackOk = cfg.sack() && opt != null && opt.sackOk;
    tsOk = cfg.timestamps() && opt != null && opt.timestamps;
    int tsEcr = tsOk && opt.tsEcr != 0 ? opt.tsEcr - tsOffset : 0;
    // tcp_ack() on the SYN-ACK: the SYN leaves the retransmit queue, with an RTT sample.
    TcpSkb syn = rtxHead;
    long seqRttUs = -1;
    if ((syn.sacked & TcpSkb.TCPCB_EVER_RETRANS) == 0) seqRttUs = (now - syn.txTimeNs) / 1000;
    else if (tsOk && tsEcr != 0) seqRttUs = Math.max(1, clockMs(now) - Integer.toUnsignedLong(tsEcr)) * 1000;
    rtxUnlinkHead();
    wmemQueued -= syn.truesize();
    packetsOut = retransOut = lostOut = sackedOut = 0;
    bytesAcked += 1; // tcp_snd_una_update() for the SYN
    sndUna = seg.ackSeq;
    retransmits = 0;
    retransStampMs = 0;
    if (seqRttUs >= 0) ackUpdateRtt(seqRttUs, seqRttUs);
    rtoTimerAt = Long.MAX_VALUE;
    tcpUpdatePacingRate();
    rcvNxt = seg.seq + 1;
    sndWnd = seg.window; // the window in a SYN is never scaled
    sndWl1 = seg.seq;
    maxWindow = sndWnd;
    if (tsOk) {
      tsRecent = opt.tsVal;
    } else {
      tcpHeaderLen = 20;
    }
    tcpSyncMss(cfg.mtu());
    // tcp_finish_connect() → tcp_init_transfer()
    setState(TcpState.TCP_ESTABLISHED);
    if (srttUs == 0) {
      // tcp_init_metrics(): RFC 6298 5.7, no RTT sample from the handshake.
      rttvarUs = mdevUs = mdevMaxUs = TCP_TIMEOUT_FALLBACK_NS / 1000;
      rtoNs = TCP_TIMEOUT_FALLBACK_NS;
    }
    // tcp_init_metrics(): ssthresh may have been reduced during the handshake; restore it.
    ssthresh = CongestionControl.TCP_INFINITE_SSTHRESH;
    cwnd = totalRetrans > 1 && undoMarker ? 1 : cfg.initCwnd();
    undoMarker = false;
    if (caState != TcpCaState.TCP_CA_Open) setCaState(TcpCaState.TCP_CA_Open, now);
    highSeq = sndNxt;
    lsndtime = jiffies(now);
    cc.init(this, now);
    if (!sndbufLocked) tcpSndbufExpand(); // tcp_init_buffer_space()
    // tcp_send_ack()
    scheduleAck(now);
    runChain(now);
  }

  // =====================================================================================
  // tcp_sendmsg helpers
  // =====================================================================================

  private int nonagle() {
    return nonagleBits;
  }

  /** Stream offset of sequence number 'seq' (the SYN takes iss, data starts at iss + 1). */
  private long streamOffsetOf(int seq) {
    return Integer.toUnsignedLong(seq - (iss + 1));
  }

  /** include/net/tcp.h::tcp_skb_can_collapse_to(): no EOR, not a FIN. */
  private static boolean canCollapseTo(TcpSkb skb) {
    return !skb.eor && (skb.tcpFlags & TcpFlags.FIN) == 0;
  }

  /** include/net/sock.h::__sk_stream_memory_free() with tcp_stream_memory_free(). */
  private boolean streamMemoryFree(int wake) {
    if (wmemQueued >= sndbuf) return false;
    long notsent = Integer.toUnsignedLong(writeSeq - sndNxt);
    return (notsent << wake) < notsentLowat();
  }

  /** net/ipv4/tcp.c::forced_push(). */
  private boolean forcedPush() {
    return Seq.after(writeSeq, pushedSeq + (maxWindow >>> 1));
  }

  /** net/ipv4/tcp.c::tcp_mark_push(). */
  private void tcpMarkPush(TcpSkb skb) {
    skb.tcpFlags |= TcpFlags.PSH;
    pushedSeq = writeSeq;
  }

  /** wait_for_space in tcp_sendmsg_locked(): set SOCK_NOSPACE, push what was copied. */
  private void waitForSpace(long now, int flags, long copied, int mssNow, int sizeGoal) {
    sockNospace = true;
    if (copied > 0) tcpPush(now, flags & ~MsgFlags.MSG_MORE, mssNow, TCP_NAGLE_PUSH, sizeGoal);
  }

  /** net/ipv4/tcp.c::tcp_push(). */
  private void tcpPush(long now, int flags, int mssNow, int nonagle, int sizeGoal) {
    TcpSkb skb = writeTail;
    if (skb == null) return;
    if ((flags & MsgFlags.MSG_MORE) == 0 || forcedPush()) tcpMarkPush(skb);
    if (tcpShouldAutocork(skb, sizeGoal)) {
      if (!tsq.throttled()) {
        counters.TcpExtTCPAutoCorking++;
        tsq.setThrottledByAutocork();
      }
      // It is possible TX completion already happened before TSQ_THROTTLED was set.
      if (tsq.wmemAlloc() + 1 > skb.truesize()) return;
    }
    if ((flags & MsgFlags.MSG_MORE) != 0) nonagle = TCP_NAGLE_CORK;
    requestPush(now, mssNow, nonagle);
  }

  /** net/ipv4/tcp.c::tcp_should_autocork(); sk_wmem_alloc counts its base reference (+1). */
  private boolean tcpShouldAutocork(TcpSkb skb, int sizeGoal) {
    return skb.len < sizeGoal && cfg.autocorking() && rtxHead != null
        && tsq.wmemAlloc() + 1 > skb.truesize() && canCollapseTo(skb);
  }

  /** __tcp_push_pending_frames() now, or after the pending transmit. */
  private void requestPush(long now, int mssNow, int nonagle) {
    if (writeHead == null) return;
    if (pending != P_NONE || (chain & CHAIN_RETRANS) != 0) {
      chain |= CHAIN_PUSH;
      chainNonagle = nonagle;
      return;
    }
    writeXmit(now, mssNow, nonagle, false);
  }

  /** net/ipv4/tcp_output.c::tcp_send_fin(). */
  private boolean finQueued;

  private void tcpSendFin(long now) {
    TcpSkb tail = writeTail;
    finQueued = true;
    if (tail != null) {
      tail.tcpFlags |= TcpFlags.FIN;
      tail.endSeq++;
      writeSeq++;
    } else {
      TcpSkb skb = new TcpSkb();
      skb.seq = writeSeq;
      skb.endSeq = writeSeq + 1;
      skb.tcpFlags = TcpFlags.FIN;
      skb.streamOffset = streamOffsetOf(writeSeq);
      writeAppend(now, skb);
      wmemQueued += skb.truesize();
      writeSeq++;
    }
    requestPush(now, tcpCurrentMss(), TCP_NAGLE_OFF);
    runChain(now);
  }

  // =====================================================================================
  // MSS, size goal, TSO
  // =====================================================================================

  /** net/ipv4/tcp_output.c::tcp_sync_mss(). */
  private void tcpSyncMss(int pmtu) {
    int mss = pmtu - 20 - 20; // __tcp_mtu_to_mss()
    if (mss > mssClamp) mss = mssClamp;
    if (mss < cfg.minSndMss()) mss = cfg.minSndMss();
    mss -= tcpHeaderLen - 20; // tcp_mtu_to_mss()
    // Not bounded to half the peer's window: 6.18 sends full-MSS segments into a window of one
    // MSS (selftests tcp_rfc5961_ack-out-of-window.pkt); tcp_xmit_size_goal() still bounds skbs.
    mssCache = mss;
  }

  /** include/net/tcp.h::tcp_bound_to_half_wnd(). */
  private int tcpBoundToHalfWnd(int pktsize) {
    int cutoff = maxWindow > TCP_MSS_DEFAULT ? maxWindow >>> 1 : maxWindow;
    if (cutoff != 0 && pktsize > cutoff) return Math.max(cutoff, 68 - tcpHeaderLen);
    return pktsize;
  }

  /** net/ipv4/tcp_output.c::tcp_current_mss(): every segment carries the same options. */
  private int tcpCurrentMss() {
    return mssCache;
  }

  /** net/ipv4/tcp.c::tcp_xmit_size_goal(). */
  private int tcpXmitSizeGoal(int mssNow, boolean largeAllowed) {
    if (!largeAllowed) return mssNow;
    int newSizeGoal = tcpBoundToHalfWnd(skGsoMaxSize);
    int sizeGoal = gsoSegsGoal * mssNow;
    if (newSizeGoal < sizeGoal || newSizeGoal >= sizeGoal + mssNow) {
      gsoSegsGoal = Math.min(newSizeGoal / mssNow, 65535);
      sizeGoal = gsoSegsGoal * mssNow;
    }
    return Math.max(sizeGoal, mssNow);
  }

  /** net/ipv4/tcp_output.c::tcp_tso_autosize() and tcp_tso_segs(). */
  private int tcpTsoSegs(int mssNow) {
    if (skGsoMaxSize == 0) return 1;
    long bytes = pacingRate >>> cfg.pacingShift();
    long r = minRttUs >>> cfg.tsoRttLog();
    if (r < 32) bytes += skGsoMaxSize >>> r;
    bytes = Math.min(bytes, skGsoMaxSize);
    long segs = Math.max(bytes / mssNow, cfg.minTsoSegs());
    return (int) Math.min(segs, 65535);
  }

  /** net/ipv4/tcp_output.c::tcp_set_skb_tso_segs(). */
  private int tcpSetSkbTsoSegs(TcpSkb skb, int mssNow) {
    if (skb.len <= mssNow || skGsoMaxSize == 0) {
      skb.pcount = 1;
      skb.gsoSize = 0;
    } else {
      skb.pcount = (skb.len + mssNow - 1) / mssNow;
      skb.gsoSize = mssNow;
    }
    return skb.pcount;
  }

  /** net/ipv4/tcp_output.c::tcp_update_pacing_rate(). */
  private void tcpUpdatePacingRate() {
    // set sk_pacing_rate to 200 % (slow start) or 120 % (CA) of mss * cwnd / srtt
    long rate = (long) mssCache * ((1_000_000L / 100) << 3);
    if (cwnd < ssthresh / 2) rate *= cfg.pacingSsRatio();
    else rate *= cfg.pacingCaRatio();
    rate *= Math.max(cwnd, packetsOut);
    if (srttUs != 0) rate /= srttUs;
    pacingRate = rate;
  }

  // =====================================================================================
  // tcp_write_xmit
  // =====================================================================================

  /** include/net/tcp.h::tcp_packets_in_flight(). */
  private int packetsInFlight() {
    return packetsOut - (sackedOut + lostOut) + retransOut;
  }

  private int wndEnd() {
    return sndUna + sndWnd;
  }

  /** net/ipv4/tcp_output.c::tcp_write_xmit(): starts the loop (resumed by xmitResult). */
  private void writeXmit(long now, int mssNow, int nonagle, boolean pushOne) {
    wxMss = mssNow;
    wxNonagle = nonagle;
    wxPushOne = pushOne;
    wxSentPkts = 0;
    wxCwndLimited = false;
    wxRwndLimited = false;
    wxMaxSegs = tcpTsoSegs(mssNow);
    wxActive = true;
    writeXmitLoop(now);
  }

  private void writeXmitLoop(long now) {
    int mssNow = wxMss;
    TcpSkb skb;
    // Idle restart when nothing is in flight (checked at transmit, as tcp_event_data_sent() once did).
    if (writeHead != null && packetsOut == 0) slowStartAfterIdleCheck(now);
    while ((skb = writeHead) != null) {
      // tcp_pacing_check(): sk_pacing_status is SK_PACING_NONE for cubic and reno without fq.
      int cwndQuota = tcpCwndTest();
      if (cwndQuota == 0) break;
      cwndQuota = Math.min(cwndQuota, wxMaxSegs);
      int missing = cwndQuota * mssNow - skb.len;
      if (missing > 0) tcpGrowSkb(skb, missing);
      int tsoSegs = tcpSetSkbTsoSegs(skb, mssNow);
      if (!tcpSndWndTest(skb, mssNow)) {
        wxRwndLimited = true;
        break;
      }
      if (tsoSegs == 1) {
        if (!tcpNagleTest(skb, mssNow, skb == writeTail ? wxNonagle : TCP_NAGLE_PUSH)) break;
      } else if (!wxPushOne && tcpTsoShouldDefer(now, skb, wxMaxSegs)) {
        break;
      }
      int limit = mssNow;
      if (tsoSegs > 1) limit = tcpMssSplitPoint(skb, mssNow, cwndQuota, wxNonagle);
      if (skb.len > limit) tsoFragment(skb, limit, mssNow);
      if (tcpSmallQueueCheck(now, skb, 0)) break;
      // An empty skb: a writer is waiting for memory in sendmsg.
      if (skb.endSeq == skb.seq) break;
      transmitSkb(now, skb, P_WRITE, false);
      return; // resumed in xmitResult
    }
    writeXmitEnd(now);
  }

  /** The tail of tcp_write_xmit() after the loop. */
  private void writeXmitEnd(long now) {
    if (!wxActive) return;
    wxActive = false;
    boolean cwndLimited = wxCwndLimited || packetsInFlight() >= cwnd;
    // tcp_write_xmit(): an skb the receive window would not take starts the rwnd-limited chronograph
    if (wxRwndLimited) tcpChronoStart(now, CHRONO_RWND_LIMITED);
    else tcpChronoStop(now, CHRONO_RWND_LIMITED);
    if (wxSentPkts > 0 || cwndLimited) tcpCwndValidate(now, cwndLimited);
    if (wxSentPkts > 0 && inCwndReduction()) prrOut += wxSentPkts;
    boolean tlp = wxTlp;
    wxTlp = false;
    if (tlp) {
      // tcp_send_loss_probe() sent new data: record it, restart the RTO from now.
      if (wxSentPkts > 0) {
        tlpHighSeq = sndNxt;
        tlpOutstanding = true;
        counters.TcpExtTCPLossProbes++;
        tlpTimerAt = Long.MAX_VALUE;
        armRto(now, rtoNs);
      } else {
        tcpRearmRto(now);
      }
    } else if (wxSentPkts > 0) {
      tcpScheduleLossProbe(now, false);
    }
    // tcp_check_probe_timer(): nothing in flight and nothing sent; no ACK will restart us.
    if (wxSentPkts == 0 && packetsOut == 0 && writeHead != null && rtoTimerAt == Long.MAX_VALUE
        && probeTimerAt == Long.MAX_VALUE && tlpTimerAt == Long.MAX_VALUE) {
      probeTimerAt = now + tcpProbe0When();
    }
  }

  /** net/ipv4/tcp_output.c::tcp_cwnd_test(). */
  private int tcpCwndTest() {
    int inFlight = packetsInFlight();
    if (inFlight >= cwnd) return 0;
    // For better scheduling, ensure we have at least 2 GSO packets in flight.
    int halfcwnd = Math.max(cwnd >>> 1, 1);
    return Math.min(halfcwnd, cwnd - inFlight);
  }

  /** net/ipv4/tcp_output.c::tcp_snd_wnd_test(). */
  private boolean tcpSndWndTest(TcpSkb skb, int curMss) {
    int endSeq = skb.endSeq;
    if (skb.len > curMss) endSeq = skb.seq + curMss;
    return !Seq.after(endSeq, wndEnd());
  }

  /** include/net/tcp.h::tcp_minshall_check(). */
  private boolean tcpMinshallCheck() {
    return Seq.after(sndSml, sndUna) && !Seq.after(sndSml, sndNxt);
  }

  /** net/ipv4/tcp_output.c::tcp_nagle_check(): true means hold the partial segment. */
  private boolean tcpNagleCheck(boolean partial, int nonagle) {
    return partial && ((nonagle & TCP_NAGLE_CORK) != 0 || (nonagle == 0 && packetsOut != 0 && tcpMinshallCheck()));
  }

  /** net/ipv4/tcp_output.c::tcp_nagle_test(): true means send now. */
  private boolean tcpNagleTest(TcpSkb skb, int curMss, int nonagle) {
    if ((nonagle & TCP_NAGLE_PUSH) != 0) return true;
    // Don't use the nagle rule for the final FIN.
    if ((skb.tcpFlags & TcpFlags.FIN) != 0) return true;
    return !tcpNagleCheck(skb.len < curMss, nonagle);
  }

  /** net/ipv4/tcp_output.c::tcp_minshall_update(). */
  private void tcpMinshallUpdate(int mssNow, TcpSkb skb) {
    if (skb.len < skb.pcount * mssNow) sndSml = skb.endSeq;
  }

  /** net/ipv4/tcp_output.c::tcp_tso_should_defer(). */
  private boolean tcpTsoShouldDefer(long now, TcpSkb skb, int maxSegs) {
    if (caState.compareTo(TcpCaState.TCP_CA_Recovery) >= 0) return false;
    // Avoid bursty behavior by allowing defer only if the last write was recent (1 ms).
    if (jiffies(now) - lsndtime > 1) return false;
    int inFlight = packetsInFlight();
    long sendWin = Integer.toUnsignedLong(wndEnd() - skb.seq);
    long congWin = (long) (cwnd - inFlight) * mssCache;
    long limit = Math.min(sendWin, congWin);
    // If a full-sized TSO skb can be sent, do it.
    if (limit >= (long) maxSegs * mssCache) return false;
    // Middle in queue won't get any more data, full sendable already?
    if (skb != writeTail && limit >= skb.len) return false;
    int winDivisor = cfg.tsoWinDivisor();
    if (winDivisor != 0) {
      long chunk = Math.min(Integer.toUnsignedLong(sndWnd), (long) cwnd * mssCache);
      chunk /= winDivisor;
      if (limit >= chunk) return false;
    } else if (limit > 3L * mssCache) { // tcp_max_tso_deferred_mss()
      return false;
    }
    TcpSkb head = rtxHead;
    if (head == null) return false;
    // If next ACK is likely to come too late (half srtt), do not defer.
    if (now - head.txTimeNs - 1000L * (srttUs >> 4) < 0) return false;
    if (congWin < sendWin) {
      if (congWin <= skb.len) { wxCwndLimited = true; return true; }
    } else if (sendWin <= skb.len) {
      wxRwndLimited = true;
      return true; // rwnd limited
    }
    // If this packet won't get more data, do not wait.
    if (skb.eor || (skb.tcpFlags & TcpFlags.FIN) != 0) return false;
    return true;
  }

  /** net/ipv4/tcp_output.c::tcp_mss_split_point(). */
  private int tcpMssSplitPoint(TcpSkb skb, int mssNow, int maxSegs, int nonagle) {
    long window = Integer.toUnsignedLong(wndEnd() - skb.seq);
    long maxLen = (long) mssNow * maxSegs;
    if (maxLen <= window && skb != writeTail) return (int) maxLen;
    long needed = Math.min(skb.len, window);
    if (maxLen <= needed) return (int) maxLen;
    long partial = needed % mssNow;
    // If the last segment is not a full MSS, Nagle decides whether it goes in this skb.
    if (tcpNagleCheck(partial != 0, nonagle)) return (int) (needed - partial);
    return (int) needed;
  }

  /** net/ipv4/tcp_output.c::tcp_grow_skb(): pull bytes from the next unsent skb. */
  private void tcpGrowSkb(TcpSkb skb, int amount) {
    TcpSkb next = skb.next;
    if (next == null || !canCollapseTo(skb)) return;
    int nlen = Math.min(amount, next.len);
    if (nlen == 0) return;
    skb.len += nlen;
    skb.endSeq += nlen;
    next.len -= nlen;
    next.seq += nlen;
    next.streamOffset += nlen;
    if (next.len == 0) {
      // In case FIN is set, end_seq follows it.
      skb.endSeq = next.endSeq;
      skb.eor = next.eor;
      skb.tcpFlags |= next.tcpFlags;
      skb.next = next.next;
      if (writeTail == next) writeTail = skb;
      wmemQueued -= SkBuff.truesizeFor(0); // tcp_wmem_free_skb(next)
    }
  }

  /**
   * What tso_fragment() and tcp_fragment() share: 'skb' keeps its first 'len' bytes; a new skb,
   * linked right after it, takes the rest together with PSH and FIN, and is charged to
   * sk_wmem_queued. The caller copies what else its queue needs and fixes the queue's tail.
   */
  private TcpSkb splitAfter(TcpSkb skb, int len) {
    TcpSkb buff = new TcpSkb();
    buff.seq = skb.seq + len;
    buff.endSeq = skb.endSeq;
    buff.len = skb.len - len;
    buff.streamOffset = skb.streamOffset + len;
    buff.tcpFlags = skb.tcpFlags;
    skb.tcpFlags &= ~(TcpFlags.FIN | TcpFlags.PSH);
    skb.len = len;
    skb.endSeq = buff.seq;
    buff.next = skb.next;
    skb.next = buff;
    wmemQueued += SkBuff.truesizeFor(0);
    return buff;
  }

  /** net/ipv4/tcp_output.c::tso_fragment(): split an unsent skb at 'len' bytes. */
  private void tsoFragment(TcpSkb skb, int len, int mssNow) {
    TcpSkb buff = splitAfter(skb, len);
    buff.eor = skb.eor;
    skb.eor = false;
    if (writeTail == skb) writeTail = buff;
    tcpSetSkbTsoSegs(skb, mssNow);
    tcpSetSkbTsoSegs(buff, mssNow);
  }

  /** net/ipv4/tcp_output.c::tcp_small_queue_check(); sk_wmem_alloc counts its base reference. */
  private boolean tcpSmallQueueCheck(long now, TcpSkb skb, int factor) {
    long limit = TsqCredit.limit(skb.truesize(), pacingRate, cfg.pacingShift(), cfg.limitOutputBytes(), factor);
    // Always send skb if rtx queue is empty or has one skb.
    boolean wasThrottled = tsq.throttled();
    if (!tsq.smallQueueCheck(now, limit, rtxHead == null || rtxHead == rtxTail)) return false;
    if (!wasThrottled) counters.tsqThrottled++;
    return true;
  }

  /** net/ipv4/tcp_output.c::tcp_cwnd_validate() (cwnd restart after idle is not modelled). */
  private void tcpCwndValidate(long now, boolean cwndLimited) {
    if (!Seq.before(sndUna, cwndUsageSeq) || cwndLimited || (!isCwndLimited && packetsOut > maxPacketsOut)) {
      isCwndLimited = cwndLimited;
      maxPacketsOut = packetsOut;
      cwndUsageSeq = sndNxt;
    }
    // The network starves, all data is sent and the writer waits for memory: sndbuf limited.
    if (!isCwndLimited() && writeHead == null && sockNospace
        && (state == TcpState.TCP_ESTABLISHED || state == TcpState.TCP_CLOSE_WAIT)) {
      tcpChronoStart(now, CHRONO_SNDBUF_LIMITED);
    }
  }

  /** net/ipv4/tcp_output.c::tcp_event_new_data_sent(). */
  private void tcpEventNewDataSent(long now, TcpSkb skb) {
    int priorPackets = packetsOut;
    sndNxt = skb.endSeq;
    writeUnlinkHead(skb);
    rtxAppend(skb);
    packetsOut += skb.pcount;
    if (priorPackets == 0 || tlpTimerAt != Long.MAX_VALUE) tcpRearmRto(now);
    probeTimerAt = Long.MAX_VALUE;
    chain |= CHAIN_SPACE; // tcp_check_space()
  }

  // =====================================================================================
  // tcp_transmit_skb
  // =====================================================================================

  private static int clockMs(long now) {
    return (int) (now / 1_000_000L);
  }

  private static int jiffies(long now) {
    return (int) (now / 1_000_000L);
  }

  /** Window field for a segment we send (tcp_select_window without receive-side growth). */
  private int windowField(boolean syn) {
    if (syn) return Math.min(rcvWnd, 65535);
    return Math.min(rcvWnd >>> rcvWscale, 65535);
  }

  /** net/ipv4/tcp_output.c::__tcp_transmit_skb(): builds the clone and hands it down. */
  private void transmitSkb(long now, TcpSkb skb, int kind, boolean retrans) {
    boolean syn = (skb.tcpFlags & TcpFlags.SYN) != 0;
    boolean synAck = syn && (skb.tcpFlags & TcpFlags.ACK) != 0;
    SkBuff c = new SkBuff();
    c.flow = flow;
    c.connId = connId;
    c.seq = skb.seq;
    c.ackSeq = syn && !synAck ? 0 : rcvNxt;
    c.tcpFlags = synAck ? TcpFlags.SYN | TcpFlags.ACK : syn ? TcpFlags.SYN : (skb.tcpFlags | TcpFlags.ACK);
    // Force PSH on every GSO packet to expedite the receiver's GRO flush (not on 1-MSS packets).
    // Only the clone's control block carries it: the queued skb keeps its own flags.
    if (!syn && skb.pcount > 1) c.tcpFlags |= TcpFlags.PSH;
    c.window = windowField(syn);
    c.options = synAck ? synAckOptions(now) : syn ? synOptions(now) : establishedOptions(now);
    c.len = skb.len;
    c.payload = skb.len > 0 ? payload.slice(skb.streamOffset, skb.len) : null;
    c.streamOffset = skb.streamOffset;
    c.gsoSize = skb.pcount > 1 ? skb.gsoSize : 0;
    c.gsoSegs = skb.pcount > 1 ? skb.pcount : 1;
    c.tstampNs = now;
    c.retransmit = retrans;
    c.truesize = skb.truesize();
    skb.txTimeNs = now;
    // Statistics as __tcp_transmit_skb() keeps them.
    if (Seq.after(skb.endSeq, sndNxt) || skb.seq == skb.endSeq) counters.TcpOutSegs += c.gsoSegs;
    segsOut += c.gsoSegs;
    if (skb.len > 0) {
      // tcp_event_data_sent()
      if (packetsInFlight() == 0) cc.onEvent(this, CaEvent.CA_EVENT_TX_START, now);
      lsndtime = jiffies(now);
      // A reply within ato of the last received data: interactive (pingpong) mode.
      if (ackAtoMs != 0 && jiffies(now) - ackLrcvtime < ackAtoMs) pingpong = true;
      dataSegsOut += c.gsoSegs;
      bytesSent += skb.len;
    }
    if (!syn) tcpEventAckSent();
    tsq.charge(c.truesize);
    pending = kind;
    pendingSkb = skb;
    out.queueXmit(c);
  }

  /** A pure ACK (net/ipv4/tcp_output.c::__tcp_send_ack()). */
  private void sendAck(long now) {
    sendAck(now, sndNxt);
  }

  /** A pure ACK from 'seq' (snd_nxt, or snd_una - 1 for a zero-window probe). */
  private void sendAck(long now, int seq) {
    SkBuff c = new SkBuff();
    c.flow = flow;
    c.connId = connId;
    c.seq = seq;
    c.ackSeq = rcvNxt;
    c.tcpFlags = TcpFlags.ACK;
    c.window = windowField(false);
    c.options = establishedOptions(now);
    c.tstampNs = now;
    c.truesize = PURE_ACK_TRUESIZE;
    counters.TcpOutSegs++;
    segsOut++;
    tsq.charge(c.truesize);
    pending = P_CONTROL;
    pendingSkb = null;
    tcpEventAckSent();
    out.queueXmit(c);
  }

  /** net/ipv4/tcp_output.c::tcp_synack_options(): MSS, then TS (with SACK_PERM packed) or SACK_PERM, then wscale. */
  private TcpOptions synAckOptions(long now) {
    TcpOptions o = new TcpOptions();
    o.mss = advmss;
    if (tsOk) {
      o.timestamps = true;
      o.tsVal = clockMs(now) + tsOffset;
      o.tsEcr = tsRecent;
    }
    if (synAckWscaleOk) o.wscale = rcvWscale;
    o.sackOk = sackOk;
    return o;
  }

  /** net/ipv4/tcp_output.c::tcp_syn_options(). */
  private TcpOptions synOptions(long now) {
    TcpOptions o = new TcpOptions();
    o.mss = advmss;
    if (cfg.timestamps()) {
      o.timestamps = true;
      o.tsVal = clockMs(now) + tsOffset;
      o.tsEcr = 0;
    }
    if (cfg.windowScaling()) o.wscale = rcvWscale;
    o.sackOk = cfg.sack();
    return o;
  }

  /** net/ipv4/tcp_output.c::tcp_established_options(): TS when negotiated (SACK blocks: none, no data received). */
  private TcpOptions establishedOptions(long now) {
    if (!tsOk) return null;
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = clockMs(now) + tsOffset;
    o.tsEcr = tsRecent;
    return o;
  }

  // =====================================================================================
  // Deferred steps
  // =====================================================================================

  private void scheduleAck(long now) {
    chain |= CHAIN_ACK;
  }

  /** Runs deferred steps in Linux's order until one hands an skb down or none is left. */
  private void runChain(long now) {
    while (pending == P_NONE) {
      if (rqActive) { retransQueueLoop(now); continue; }
      if (wxActive) { writeXmitLoop(now); continue; }
      if ((chain & CHAIN_RETRANS) != 0) {
        chain &= ~CHAIN_RETRANS;
        tcpXmitRetransmitQueue(now);
      } else if ((chain & CHAIN_PUSH) != 0) {
        chain &= ~CHAIN_PUSH;
        if (writeHead != null && !state.isFinal() && state != TcpState.TCP_SYN_SENT) {
          writeXmit(now, tcpCurrentMss(), chainNonagle, false);
        }
      } else if ((chain & CHAIN_SPACE) != 0) {
        chain &= ~CHAIN_SPACE;
        tcpCheckSpace(now);
      } else if ((chain & CHAIN_ACK_CHECK) != 0) {
        chain &= ~CHAIN_ACK_CHECK;
        if (state != TcpState.TCP_CLOSE) tcpAckSndCheck(now);
      } else if ((chain & CHAIN_ACK) != 0) {
        chain &= ~CHAIN_ACK;
        if (state != TcpState.TCP_CLOSE) sendAck(now);
      } else {
        return;
      }
    }
  }

  // =====================================================================================
  // Send buffer
  // =====================================================================================

  /** net/ipv4/tcp_input.c::tcp_check_space() → tcp_new_space(). */
  private void tcpCheckSpace(long now) {
    memSync(); // acknowledged skbs were freed: sk_mem_uncharge
    if (!sockNospace) return;
    if (tcpShouldExpandSndbuf()) tcpSndbufExpand();
    // sk_stream_write_space(): sk_stream_wspace >= sk_stream_min_wspace and memory free.
    if (sndbuf - wmemQueued >= (wmemQueued >> 1) && streamMemoryFree(1)) {
      sockNospace = false;
      out.writeSpace();
    }
    if (!sockNospace) tcpChronoStop(now, CHRONO_SNDBUF_LIMITED);
  }

  /** net/ipv4/tcp_input.c::tcp_should_expand_sndbuf() (no memory pressure modelled). */
  private boolean tcpShouldExpandSndbuf() {
    if (sndbufLocked) return false; // SOCK_SNDBUF_LOCK
    if (memory != null && memory.underPressure()) return false; // tcp_under_memory_pressure()
    return packetsInFlight() < cwnd;
  }

  /** net/ipv4/tcp_input.c::tcp_sndbuf_expand(). */
  private void tcpSndbufExpand() {
    // Worst case is non GSO/TSO: each frame consumes one skb with a power-of-two head.
    int perMss = Math.max(mssClamp, mssCache) + MAX_TCP_HEADER + SHINFO_SIZE;
    perMss = Integer.highestOneBit(perMss - 1) << 1; // roundup_pow_of_two
    perMss += SKBUFF_SIZE;
    long nrSegs = Math.max(TCP_INIT_CWND, cwnd);
    nrSegs = Math.max(nrSegs, reordering + 1);
    // Fast Recovery (RFC 5681 3.2): cubic needs 1.7 factor, rounded to 2.
    long sndmem = 2 * nrSegs * perMss;
    if (sndbuf < sndmem) sndbuf = Math.min(sndmem, cfg.wmem2());
  }

  // =====================================================================================
  // ACK processing
  // =====================================================================================

  /** net/ipv4/tcp_input.c::tcp_ack(). */
  private int tcpAck(long now, SkBuff seg, int tsEcr, boolean sawTstamp) {
    int ack = seg.ackSeq;
    int priorSndUna = sndUna;
    if (Seq.before(ack, priorSndUna)) {
      // RFC 5961 5.2 [Blind Data Injection Attack]: below SND.UNA - MAX.SND.WND, a challenge ACK.
      if (Seq.before(ack, priorSndUna - maxWindow)) {
        tcpSendChallengeAck(now);
        return -1;
      }
      return 0; // old ACK: the segment's data is still processed
    }
    if (Seq.after(ack, sndNxt)) {
      // RFC 5961 5.2 / RFC 793 3.9: an ACK for data not yet sent is discarded with a challenge ACK.
      tcpSendChallengeAck(now);
      return -1;
    }
    int flag = 0;
    if (Seq.after(ack, priorSndUna)) {
      flag |= FLAG_SND_UNA_ADVANCED;
      retransmits = 0;
    }
    int segEnd = seg.seq + seg.len + ((seg.tcpFlags & TcpFlags.FIN) != 0 ? 1 : 0);
    if (seg.seq != segEnd) flag |= FLAG_DATA;
    flag |= tcpAckUpdateWindow(seg, ack);
    if (Seq.after(ack, sndUna)) {
      bytesAcked += Integer.toUnsignedLong(ack - sndUna);
      sndUna = ack;
    }
    probesOut = 0; // something worked
    if (tlpOutstanding && !Seq.before(ack, tlpHighSeq)) tlpOutstanding = false; // tcp_process_tlp_ack(), no cwnd reduction modelled
    if (packetsOut == 0) {
      // no_queue: tcp_ack_probe(): the window opened for the head skb; stop probing.
      TcpSkb head = writeHead;
      if (head != null && !Seq.after(head.endSeq, wndEnd()) && probeTimerAt != Long.MAX_VALUE) {
        backoff = 0;
        probeTimerAt = Long.MAX_VALUE;
      }
      if ((flag & FLAG_SND_UNA_ADVANCED) != 0) {
        rtoTimerAt = Long.MAX_VALUE;
        tlpTimerAt = Long.MAX_VALUE;
      }
      return 1;
    }
    long priorDelivered = delivered;
    long priorLost = lost;
    if (sackOk && seg.options != null && seg.options.sackBlocks != null) {
      flag |= tcpSacktagWriteQueue(now, seg.options.sackBlocks);
    }
    flag |= tcpCleanRtxQueue(now, ack, priorSndUna, tsEcr, sawTstamp, flag);
    boolean rexmit = false;
    if (tcpAckIsDubious(flag)) {
      int numDupack = 0;
      if ((flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DSACKING_ACK)) == 0) numDupack = 1;
      rexmit = tcpFastretransAlert(now, numDupack, flag);
    }
    if ((flag & FLAG_SET_XMIT_TIMER) != 0) {
      // tcp_set_xmit_timer(): a loss probe if one applies, else the RTO.
      if (!tcpScheduleLossProbe(now, true)) tcpRearmRto(now);
    }
    int newlyDelivered = (int) (delivered - priorDelivered);
    tcpCongControl(now, ack, newlyDelivered, (int) (lost - priorLost), flag);
    if (rexmit) chain |= CHAIN_RETRANS; // tcp_xmit_recovery(REXMIT_LOST)
    return 1;
  }

  /** net/ipv4/tcp_input.c::tcp_ack_update_window(). */
  private int tcpAckUpdateWindow(SkBuff seg, int ack) {
    int flag = 0;
    long nwinL = (long) (seg.window & 0xffff) << sndWscale;
    int nwin = (int) Math.min(nwinL, Integer.MAX_VALUE);
    // tcp_may_update_window()
    if (Seq.after(ack, sndUna) || Seq.after(seg.seq, sndWl1) || (seg.seq == sndWl1 && (nwin > sndWnd || nwin == 0))) {
      flag |= FLAG_WIN_UPDATE;
      sndWl1 = seg.seq;
      if (sndWnd != nwin) {
        sndWnd = nwin;
        if (nwin > maxWindow) {
          maxWindow = nwin;
          tcpSyncMss(cfg.mtu());
        }
      }
    }
    return flag;
  }

  /** net/ipv4/tcp_input.c::tcp_clean_rtx_queue(). */
  private int tcpCleanRtxQueue(long now, int ack, int priorSndUna, int tsEcr, boolean sawTstamp, int inFlag) {
    long firstAckt = -1, lastAckt = -1;
    int pktsAcked = 0;
    int flag = 0;
    TcpSkb skb;
    while ((skb = rtxHead) != null) {
      int ackedPcount;
      boolean fullyAcked = true;
      if (Seq.after(skb.endSeq, ack)) {
        if (skb.pcount == 1 || !Seq.after(ack, skb.seq)) break;
        ackedPcount = tcpTsoAcked(skb, ack);
        if (ackedPcount == 0) break;
        fullyAcked = false;
      } else {
        ackedPcount = skb.pcount;
      }
      int sacked = skb.sacked;
      if ((sacked & TcpSkb.TCPCB_RETRANS) != 0) {
        if ((sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) retransOut -= ackedPcount;
        flag |= FLAG_RETRANS_DATA_ACKED;
      } else if ((sacked & TcpSkb.TCPCB_SACKED_ACKED) == 0) {
        lastAckt = skb.txTimeNs;
        if (firstAckt < 0) firstAckt = lastAckt;
        if (!Seq.after(skb.endSeq, highSeq)) flag |= FLAG_ORIG_SACK_ACKED;
      }
      if ((sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) {
        sackedOut -= ackedPcount;
      } else if (sackOk) {
        delivered += ackedPcount; // tcp_count_delivered()
        tcpRackAdvance(now, sacked, skb.endSeq, skb.txTimeNs);
      }
      if ((sacked & TcpSkb.TCPCB_LOST) != 0) lostOut -= ackedPcount;
      packetsOut -= ackedPcount;
      pktsAcked += ackedPcount;
      flag |= (skb.tcpFlags & TcpFlags.SYN) == 0 ? FLAG_DATA_ACKED : FLAG_SYN_ACKED;
      if (!fullyAcked) break;
      rtxUnlinkHead();
      wmemQueued -= skb.truesize();
    }
    if (rtxHead == null) tcpChronoStop(now, CHRONO_BUSY);
    long seqRttUs = -1, caRttUs = -1;
    if (firstAckt >= 0 && (flag & FLAG_RETRANS_DATA_ACKED) == 0) {
      seqRttUs = (now - firstAckt) / 1000;
      caRttUs = (now - lastAckt) / 1000;
    }
    // tcp_ack_update_rtt(): fall back to TS ecr (RTTM) when every acked skb was retransmitted.
    if (seqRttUs < 0 && sawTstamp && tsEcr != 0 && (flag & FLAG_ACKED) != 0) {
      long delta = Integer.toUnsignedLong(clockMs(now) - tsEcr);
      if (delta < Integer.MAX_VALUE / 1000) {
        if (delta == 0) delta = 1;
        seqRttUs = delta * 1000;
        caRttUs = seqRttUs;
      }
    }
    if (seqRttUs >= 0) ackUpdateRtt(seqRttUs, caRttUs);
    if ((flag & FLAG_ACKED) != 0) {
      flag |= FLAG_SET_XMIT_TIMER;
      if (!sackOk) {
        // tcp_remove_reno_sacks()
        if (pktsAcked > 0) {
          delivered += Math.max(pktsAcked - sackedOut, 1);
          if (pktsAcked - 1 >= sackedOut) sackedOut = 0;
          else sackedOut -= pktsAcked - 1;
        }
        tcpLimitRenoSacked();
      }
      if ((flag & FLAG_RETRANS_DATA_ACKED) != 0) flag &= ~FLAG_ORIG_SACK_ACKED;
    }
    cc.pktsAcked(this, pktsAcked, caRttUs, now);
    return flag;
  }

  /** net/ipv4/tcp_input.c::tcp_tso_acked() with tcp_trim_head(). */
  private int tcpTsoAcked(TcpSkb skb, int ack) {
    int before = skb.pcount;
    int trim = ack - skb.seq;
    int mss = skb.gsoSize > 0 ? skb.gsoSize : skb.len;
    skb.seq += trim;
    skb.len -= trim;
    skb.streamOffset += trim;
    wmemQueued -= trim;
    if (skb.len <= mss) { skb.pcount = 1; skb.gsoSize = 0; }
    else skb.pcount = (skb.len + mss - 1) / mss;
    return before - skb.pcount;
  }

  /** net/ipv4/tcp_input.c::tcp_ack_update_rtt() after the sample is chosen. */
  private void ackUpdateRtt(long seqRttUs, long caRttUs) {
    if (caRttUs >= 0 && caRttUs < minRttUs) minRttUs = Math.max(caRttUs, 1); // tcp_update_rtt_min()
    tcpRttEstimator(seqRttUs);
    tcpSetRto();
    backoff = 0; // RFC 6298: only reset backoff on valid RTT measurement
  }

  /** net/ipv4/tcp_input.c::tcp_rtt_estimator(): Jacobson/Karels with Linux's mdev_max. */
  private void tcpRttEstimator(long mrttUs) {
    long m = mrttUs;
    long srtt = srttUs;
    long rtoMinUs = TCP_RTO_MIN_NS / 1000;
    if (srtt != 0) {
      m -= srtt >> 3; // m is now error in rtt est
      srtt += m; // rtt = 7/8 rtt + 1/8 new
      if (m < 0) {
        m = -m; // m is now abs(error)
        m -= mdevUs >> 2; // similar update on mdev
        // Finer gain for mdev when the RTT decreases (Eifel-like).
        if (m > 0) m >>= 3;
      } else {
        m -= mdevUs >> 2;
      }
      mdevUs += m; // mdev = 3/4 mdev + 1/4 new
      if (mdevUs > mdevMaxUs) {
        mdevMaxUs = mdevUs;
        if (mdevMaxUs > rttvarUs) rttvarUs = mdevMaxUs;
      }
      if (Seq.after(sndUna, rttSeq)) {
        if (mdevMaxUs < rttvarUs) rttvarUs -= (rttvarUs - mdevMaxUs) >> 2;
        rttSeq = sndNxt;
        mdevMaxUs = rtoMinUs;
      }
    } else {
      // no previous measure
      srtt = m << 3;
      mdevUs = m << 1; // make sure rto = 3*rtt
      rttvarUs = Math.max(mdevUs, rtoMinUs);
      mdevMaxUs = rttvarUs;
      rttSeq = sndNxt;
    }
    srttUs = Math.max(1, srtt);
  }

  /** net/ipv4/tcp_input.c::tcp_set_rto(): (srtt >> 3) + rttvar, in whole jiffies, at most TCP_RTO_MAX. */
  private void tcpSetRto() {
    long us = (srttUs >> 3) + rttvarUs;
    long jiffies = (us + 999) / 1000; // usecs_to_jiffies() rounds up
    rtoNs = Math.min(jiffies * 1_000_000L, TCP_RTO_MAX_NS);
  }

  /** net/ipv4/tcp_input.c::tcp_ack_is_dubious(). */
  private boolean tcpAckIsDubious(int flag) {
    return (flag & FLAG_NOT_DUP) == 0 || (flag & FLAG_CA_ALERT) != 0 || caState != TcpCaState.TCP_CA_Open;
  }

  /** include/net/tcp.h::tcp_in_cwnd_reduction(). */
  private boolean inCwndReduction() {
    return caState == TcpCaState.TCP_CA_CWR || caState == TcpCaState.TCP_CA_Recovery;
  }

  /**
   * net/ipv4/tcp_input.c::tcp_fastretrans_alert() for a non-SACK (NewReno) sender with RACK
   * enabled (tcp_recovery=1): duplicate ACKs are counted by tcp_add_reno_sack and
   * tcp_newreno_mark_lost marks the head lost. Undo is not modelled. Returns REXMIT_LOST.
   */
  private boolean tcpFastretransAlert(long now, int numDupack, int flag) {
    if (packetsOut == 0 && sackedOut != 0) sackedOut = 0;
    if (sackOk) numDupack = 0; // duplicate ACKs count only without SACK (tcp_add_reno_sack)
    // D. Check state exit conditions. State can be terminated when high_seq is ACKed.
    if (caState == TcpCaState.TCP_CA_Open) {
      retransStampMs = 0;
    } else if (!Seq.before(sndUna, highSeq)) {
      switch (caState) {
        case TCP_CA_CWR -> {
          // CWR is held until something *above* high_seq is ACKed.
          if (sndUna != highSeq) {
            tcpEndCwndReduction(now);
            setCaState(TcpCaState.TCP_CA_Open, now);
          }
        }
        case TCP_CA_Recovery -> {
          if (!sackOk) sackedOut = 0; // tcp_reset_reno_sack()
          if (tcpTryUndoRecovery(now)) return false;
          tcpEndCwndReduction(now);
        }
        default -> { }
      }
    }
    // E. Process state.
    if (sackOk) return sackAlert(now, flag);
    switch (caState) {
      case TCP_CA_Recovery -> {
        if ((flag & FLAG_SND_UNA_ADVANCED) == 0) tcpAddRenoSack(numDupack);
        tcpNewrenoMarkLost((flag & FLAG_SND_UNA_ADVANCED) != 0);
        return true;
      }
      case TCP_CA_Loss -> {
        tcpProcessLoss(now, flag, numDupack);
        if (caState != TcpCaState.TCP_CA_Open) return true;
        // Change state if cwnd is undone or retransmits are lost: fall through to default.
        return defaultAlert(now, numDupack, flag);
      }
      default -> {
        return defaultAlert(now, numDupack, flag);
      }
    }
  }

  /** Part E of tcp_fastretrans_alert() for a SACK connection: RACK finds the losses (tcp_identify_packet_loss()). */
  private boolean sackAlert(long now, int flag) {
    if (caState == TcpCaState.TCP_CA_Recovery) {
      tcpRackMarkLost(now);
      return true;
    }
    if (caState == TcpCaState.TCP_CA_Loss) {
      tcpProcessLoss(now, flag, 0);
      tcpRackMarkLost(now);
      if (caState != TcpCaState.TCP_CA_Open) return true;
    }
    tcpRackMarkLost(now);
    // tcp_time_to_recover(): with RACK, packets marked lost start recovery.
    if (lostOut == 0) {
      tcpTryToOpen(now, flag);
      return false;
    }
    tcpEnterRecovery(now);
    return true;
  }

  /** net/ipv4/tcp_input.c::tcp_sacktag_write_queue() without D-SACK: tags skbs inside the blocks. */
  private int tcpSacktagWriteQueue(long now, int[] blocks) {
    int flag = 0;
    for (int i = 0; i + 1 < blocks.length; i += 2) {
      int start = blocks[i], end = blocks[i + 1];
      // tcp_is_sackblock_valid(): inside (snd_una, snd_nxt]; D-SACK and stale blocks are ignored.
      if (!Seq.after(end, start) || Seq.after(end, sndNxt) || !Seq.after(end, sndUna)) continue;
      if (Seq.before(start, sndUna)) continue;
      for (TcpSkb skb = rtxHead; skb != null; skb = skb.next) {
        if (!Seq.after(skb.endSeq, start)) continue;
        if (!Seq.before(skb.seq, end)) break;
        if ((skb.sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) continue;
        int mss = skb.gsoSize > 0 ? skb.gsoSize : Math.max(skb.len, 1);
        if (Seq.before(skb.seq, start)) {
          // tcp_match_skb_to_sack(): split at the block's start, on an MSS boundary.
          int len = (start - skb.seq) / mss * mss;
          if (len > 0 && len < skb.len) rtxFragment(skb, len);
          continue;
        }
        if (Seq.after(skb.endSeq, end)) {
          int len = (end - skb.seq) / mss * mss;
          if (len <= 0 || len >= skb.len) continue;
          rtxFragment(skb, len);
        }
        tcpSacktagOne(now, skb);
        flag |= FLAG_DATA_SACKED;
      }
    }
    return flag;
  }

  /** net/ipv4/tcp_input.c::tcp_sacktag_one(). */
  private void tcpSacktagOne(long now, TcpSkb skb) {
    int sacked = skb.sacked;
    int pcount = skb.pcount;
    if ((sacked & TcpSkb.TCPCB_LOST) != 0) {
      lostOut -= pcount;
      skb.sacked &= ~TcpSkb.TCPCB_LOST;
    }
    if ((sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) {
      retransOut -= pcount;
      skb.sacked &= ~TcpSkb.TCPCB_SACKED_RETRANS;
    }
    skb.sacked |= TcpSkb.TCPCB_SACKED_ACKED;
    sackedOut += pcount;
    delivered += pcount;
    tcpRackAdvance(now, sacked, skb.endSeq, skb.txTimeNs);
  }

  /** net/ipv4/tcp_recovery.c::tcp_rack_advance(). */
  private void tcpRackAdvance(long now, int sacked, int endSeq, long xmitNs) {
    long rttUs = (now - xmitNs) / 1000;
    // A retransmitted skb's (s)ack may be for the original: only trust it above min_rtt.
    if ((sacked & TcpSkb.TCPCB_RETRANS) != 0 && rttUs < minRttUs) return;
    rackAdvanced = true;
    rackRttUs = rttUs;
    if (xmitNs > rackMstampNs || (xmitNs == rackMstampNs && Seq.after(endSeq, rackEndSeq))) {
      rackMstampNs = xmitNs;
      rackEndSeq = endSeq;
    }
  }

  /**
   * net/ipv4/tcp_recovery.c::tcp_rack_mark_lost() → tcp_rack_detect_loss(): an skb sent before
   * the most recently (s)acked one is lost once rack.rtt + reo_wnd has passed since it was sent.
   * The reordering timer for skbs not yet due is not modelled.
   */
  private void tcpRackMarkLost(long now) {
    if (!rackAdvanced) return;
    rackAdvanced = false;
    for (TcpSkb skb = rtxHead; skb != null; skb = skb.next) {
      int sacked = skb.sacked;
      if ((sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) continue;
      // Skip ones marked lost but not yet retransmitted.
      if ((sacked & TcpSkb.TCPCB_LOST) != 0 && (sacked & TcpSkb.TCPCB_SACKED_RETRANS) == 0) continue;
      boolean sentBefore = rackMstampNs > skb.txTimeNs || (rackMstampNs == skb.txTimeNs && Seq.after(rackEndSeq, skb.endSeq));
      if (!sentBefore) {
        // Linux walks skbs in send order and stops here; the retransmit queue is in that order
        // except for retransmitted skbs, which are skipped instead.
        if ((sacked & TcpSkb.TCPCB_EVER_RETRANS) != 0) continue;
        break;
      }
      if (rackSkbTimeoutUs(now, skb) <= 0) tcpMarkSkbLost(skb);
    }
  }

  private boolean defaultAlert(long now, int numDupack, int flag) {
    if ((flag & FLAG_SND_UNA_ADVANCED) != 0) sackedOut = 0;
    tcpAddRenoSack(numDupack);
    tcpNewrenoMarkLost((flag & FLAG_SND_UNA_ADVANCED) != 0);
    // tcp_time_to_recover(): with RACK, only packets marked lost start recovery.
    if (lostOut == 0) {
      tcpTryToOpen(now, flag);
      return false;
    }
    tcpEnterRecovery(now);
    return true;
  }

  /** net/ipv4/tcp_input.c::tcp_process_loss() with tcp_frto = 0 (F-RTO not modelled). */
  private void tcpProcessLoss(long now, int flag, int numDupack) {
    boolean recovered = !Seq.before(sndUna, highSeq);
    if (recovered) {
      tcpTryUndoRecovery(now);
      return;
    }
    if (Seq.after(sndNxt, highSeq) && numDupack != 0) tcpAddRenoSack(numDupack);
    else if ((flag & FLAG_SND_UNA_ADVANCED) != 0) sackedOut = 0;
  }

  /**
   * net/ipv4/tcp_input.c::tcp_try_undo_recovery() when no undo applies: a Reno sender holds the
   * state until something above high_seq is ACKed (RFC 2582). Returns true when it holds.
   */
  private boolean tcpTryUndoRecovery(long now) {
    if (sndUna == highSeq && !sackOk) {
      if (retransOut == 0 && !anyRetransOnQueue()) retransStampMs = 0;
      return true;
    }
    setCaState(TcpCaState.TCP_CA_Open, now);
    return false;
  }

  private boolean anyRetransOnQueue() {
    for (TcpSkb s = rtxHead; s != null; s = s.next) {
      if ((s.sacked & TcpSkb.TCPCB_EVER_RETRANS) != 0) return true;
    }
    return false;
  }

  /** net/ipv4/tcp_input.c::tcp_add_reno_sack(). */
  private void tcpAddRenoSack(int numDupack) {
    if (numDupack == 0) return;
    int prior = sackedOut;
    sackedOut += numDupack;
    tcpLimitRenoSacked();
    int d = sackedOut - prior;
    if (d > 0) delivered += d;
  }

  /** net/ipv4/tcp_input.c::tcp_limit_reno_sacked(). */
  private void tcpLimitRenoSacked() {
    int holes = Math.max(lostOut, 1);
    holes = Math.min(holes, packetsOut);
    if (sackedOut + holes > packetsOut) sackedOut = packetsOut - holes;
  }

  /** net/ipv4/tcp_recovery.c::tcp_newreno_mark_lost(). */
  private void tcpNewrenoMarkLost(boolean sndUnaAdvanced) {
    boolean inRecovery = caState == TcpCaState.TCP_CA_Recovery;
    boolean beforeRecovery = caState.compareTo(TcpCaState.TCP_CA_Recovery) < 0;
    if ((beforeRecovery && sackedOut >= reordering) || (inRecovery && sndUnaAdvanced)) {
      TcpSkb skb = rtxHead;
      if (skb == null || (skb.sacked & TcpSkb.TCPCB_LOST) != 0) return;
      int mss = skb.gsoSize > 0 ? skb.gsoSize : skb.len;
      if (skb.pcount > 1 && skb.len > mss) rtxFragment(skb, mss);
      tcpMarkSkbLost(skb);
    }
  }

  /** net/ipv4/tcp_input.c::tcp_mark_skb_lost(). */
  private void tcpMarkSkbLost(TcpSkb skb) {
    int sacked = skb.sacked;
    if ((sacked & TcpSkb.TCPCB_SACKED_ACKED) != 0) return;
    if ((sacked & TcpSkb.TCPCB_LOST) != 0) {
      if ((sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) {
        // Account for retransmits that are lost again.
        skb.sacked &= ~TcpSkb.TCPCB_SACKED_RETRANS;
        retransOut -= skb.pcount;
      }
    } else {
      lostOut += skb.pcount;
      skb.sacked |= TcpSkb.TCPCB_LOST;
      lost += skb.pcount;
    }
  }

  /** net/ipv4/tcp_output.c::tcp_fragment() on the retransmit queue: split 'skb' after 'len' bytes. */
  private void rtxFragment(TcpSkb skb, int len) {
    int mss = skb.gsoSize > 0 ? skb.gsoSize : skb.len;
    TcpSkb buff = splitAfter(skb, len);
    buff.sacked = skb.sacked;
    buff.txTimeNs = skb.txTimeNs;
    if (rtxTail == skb) rtxTail = buff;
    int oldPcount = skb.pcount;
    setPcountForMss(skb, mss);
    setPcountForMss(buff, mss);
    int diff = oldPcount - skb.pcount - buff.pcount;
    if (diff != 0) {
      // tcp_adjust_pcount()
      packetsOut -= diff;
      if ((skb.sacked & TcpSkb.TCPCB_SACKED_RETRANS) != 0) retransOut -= diff;
      if ((skb.sacked & TcpSkb.TCPCB_LOST) != 0) lostOut -= diff;
    }
  }

  private static void setPcountForMss(TcpSkb skb, int mss) {
    if (skb.len <= mss) { skb.pcount = 1; skb.gsoSize = 0; }
    else { skb.pcount = (skb.len + mss - 1) / mss; skb.gsoSize = mss; }
  }

  /** net/ipv4/tcp_input.c::tcp_try_to_open() / tcp_try_keep_open(). */
  private void tcpTryToOpen(long now, int flag) {
    if (caState != TcpCaState.TCP_CA_CWR) {
      TcpCaState s = TcpCaState.TCP_CA_Open;
      if (sackedOut + lostOut != 0 || retransOut != 0) s = TcpCaState.TCP_CA_Disorder;
      if (caState != s) {
        setCaState(s, now);
        highSeq = sndNxt;
      }
    }
  }

  /** net/ipv4/tcp_input.c::tcp_init_cwnd_reduction(). */
  private void tcpInitCwndReduction() {
    highSeq = sndNxt;
    cwndCnt = 0;
    priorCwnd = cwnd;
    prrDelivered = 0;
    prrOut = 0;
    ssthresh = cc.ssthresh(this);
  }

  /** net/ipv4/tcp_input.c::tcp_enter_recovery(). */
  private void tcpEnterRecovery(long now) {
    if (sackOk) counters.TcpExtTCPSackRecovery++;
    else counters.TcpExtTCPRenoRecovery++;
    priorSsthresh = 0;
    undoMarker = true; // tcp_init_undo()
    if (!inCwndReduction()) {
      priorSsthresh = currentSsthresh();
      tcpInitCwndReduction();
    }
    setCaState(TcpCaState.TCP_CA_Recovery, now);
  }

  /** include/net/tcp.h::tcp_current_ssthresh(). */
  private int currentSsthresh() {
    if (inCwndReduction()) return ssthresh;
    return Math.max(ssthresh, ((cwnd >> 1) + (cwnd >> 2)));
  }

  /** net/ipv4/tcp_input.c::tcp_enter_cwr(): NET_XMIT_CN / DROP from below. */
  private void tcpEnterCwr() {
    priorSsthresh = 0;
    if (caState.compareTo(TcpCaState.TCP_CA_CWR) < 0) {
      undoMarker = false;
      tcpInitCwndReduction();
      setCaStateNoCc(TcpCaState.TCP_CA_CWR);
    }
  }

  /** net/ipv4/tcp_input.c::tcp_end_cwnd_reduction(). */
  private void tcpEndCwndReduction(long now) {
    // Reset cwnd to ssthresh in CWR or Recovery (unless it's undone).
    if (ssthresh < CongestionControl.TCP_INFINITE_SSTHRESH && (caState == TcpCaState.TCP_CA_CWR || undoMarker)) {
      cwnd = ssthresh;
    }
    cc.onEvent(this, CaEvent.CA_EVENT_COMPLETE_CWR, now);
  }

  /** net/ipv4/tcp_input.c::tcp_cwnd_reduction(): Proportional Rate Reduction (RFC 6937). */
  private void tcpCwndReduction(int newlyAckedSacked, int newlyLost, int flag) {
    int sndcnt;
    int delta = ssthresh - packetsInFlight();
    if (newlyAckedSacked <= 0 || priorCwnd == 0) return;
    prrDelivered += newlyAckedSacked;
    if (delta < 0) {
      long dividend = (long) ssthresh * prrDelivered + priorCwnd - 1;
      sndcnt = (int) (dividend / priorCwnd) - prrOut;
    } else {
      sndcnt = Math.max(prrDelivered - prrOut, newlyAckedSacked);
      if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && newlyLost == 0) sndcnt++;
      sndcnt = Math.min(delta, sndcnt);
    }
    // Force a fast retransmit upon entering fast recovery.
    sndcnt = Math.max(sndcnt, prrOut != 0 ? 0 : 1);
    cwnd = packetsInFlight() + sndcnt;
  }

  /** net/ipv4/tcp_input.c::tcp_cong_control() without a .cong_control hook. */
  private void tcpCongControl(long now, int ack, int ackedSacked, int newlyLost, int flag) {
    if (inCwndReduction()) {
      tcpCwndReduction(ackedSacked, newlyLost, flag);
    } else if (tcpMayRaiseCwnd(flag)) {
      cc.congAvoid(this, ack, ackedSacked, now);
    }
    tcpUpdatePacingRate();
  }

  /** net/ipv4/tcp_input.c::tcp_may_raise_cwnd(). */
  private boolean tcpMayRaiseCwnd(int flag) {
    if (reordering > cfg.reordering()) return (flag & FLAG_FORWARD_PROGRESS) != 0;
    return (flag & FLAG_DATA_ACKED) != 0;
  }

  private void setCaState(TcpCaState s, long now) {
    cc.setState(this, s, now);
    caState = s;
  }

  private void setCaStateNoCc(TcpCaState s) {
    caState = s;
  }

  // =====================================================================================
  // Retransmission
  // =====================================================================================

  /** net/ipv4/tcp_output.c::tcp_xmit_retransmit_queue(): starts the loop. */
  private void tcpXmitRetransmitQueue(long now) {
    if (packetsOut == 0) return;
    rqMaxSegs = tcpTsoSegs(tcpCurrentMss());
    rqRearm = false;
    rqNext = rtxHead;
    rqActive = true;
    retransQueueLoop(now);
  }

  private void retransQueueLoop(long now) {
    TcpSkb skb;
    while ((skb = rqNext) != null) {
      rqNext = skb.next;
      int segs = cwnd - packetsInFlight();
      if (segs <= 0) break;
      segs = Math.min(segs, rqMaxSegs);
      int sacked = skb.sacked;
      if (retransOut >= lostOut) break;
      if ((sacked & TcpSkb.TCPCB_LOST) == 0) continue;
      if ((sacked & (TcpSkb.TCPCB_SACKED_ACKED | TcpSkb.TCPCB_SACKED_RETRANS)) != 0) continue;
      if (tcpSmallQueueCheck(now, skb, 1)) break;
      if (!tcpRetransmitSkb(now, skb, segs, P_RETRANS_QUEUE)) break;
      rqNext = skb.next; // a split may have inserted an skb after this one
      return; // resumed in xmitResult
    }
    retransQueueEnd(now);
  }

  private void retransQueueEnd(long now) {
    if (!rqActive) return;
    rqActive = false;
    rqNext = null;
    if (rqRearm) armRto(now, rtoNs);
  }

  /**
   * net/ipv4/tcp_output.c::__tcp_retransmit_skb() up to the hand-off. Returns false when
   * nothing was handed down (-EAGAIN); then the caller's loop stops.
   */
  private boolean tcpRetransmitSkb(long now, TcpSkb skb, int segs, int kind) {
    // Do not queue more than a quarter above what the queues hold (check_sk_wmem_alloc).
    if (tsq.wmemAlloc() + 1 > Math.min(wmemQueued + (wmemQueued >> 2), sndbuf)) return false;
    if (Seq.before(skb.seq, sndUna)) {
      // tcp_trim_head(): part of it was acknowledged meanwhile.
      if (!Seq.before(sndUna, skb.endSeq)) return false;
      tcpTsoAcked(skb, sndUna);
    }
    int curMss = tcpCurrentMss();
    long availWnd = (long) (wndEnd() - skb.seq);
    if (availWnd <= 0) {
      // A retransmit into a zero window serves as a window probe.
      if (skb.seq != sndUna) return false;
      availWnd = curMss;
    }
    long len = (long) curMss * segs;
    if (len > availWnd) {
      len = availWnd / curMss * curMss;
      if (len == 0) len = availWnd;
    }
    if (skb.len > len) rtxFragment(skb, (int) len);
    setPcountForMss(skb, curMss);
    boolean syn = (skb.tcpFlags & TcpFlags.SYN) != 0;
    counters.TcpRetransSegs += skb.pcount;
    if (syn) counters.TcpExtTCPSynRetrans++;
    totalRetrans += skb.pcount;
    bytesRetrans += skb.len;
    transmitSkb(now, skb, kind, true);
    skb.sacked |= TcpSkb.TCPCB_EVER_RETRANS;
    if (retransStampMs == 0) retransStampMs = clockMs(now);
    return true;
  }

  /** The rest of tcp_retransmit_skb() once the answer is known; true when it went out. */
  private boolean retransmitDone(TcpSkb skb, boolean dropped) {
    if (dropped) {
      counters.TcpExtTCPRetransFail += skb.pcount;
      return false;
    }
    if ((skb.sacked & TcpSkb.TCPCB_SACKED_RETRANS) == 0) retransOut += skb.pcount;
    skb.sacked |= TcpSkb.TCPCB_RETRANS;
    return true;
  }

  /** net/ipv4/tcp_timer.c::tcp_retransmit_timer(). */
  private void tcpRetransmitTimer(long now) {
    if (packetsOut == 0 || rtxHead == null) return;
    if (state.isFinal()) return;
    counters.TcpExtTCPTimeouts++;
    if (tcpWriteTimeout(now)) return;
    tcpEnterLoss(now);
    retransmits++;
    totalRto++;
    if (!tcpRetransmitSkb(now, rtxHead, 1, P_RTO)) {
      // Local congestion: retry soon without backing off.
      armRto(now, TCP_RESOURCE_PROBE_INTERVAL_NS);
    }
  }

  /** The end of tcp_retransmit_timer() once the retransmission's answer is known. */
  private void rtoAfterRetransmit(long now, boolean ok) {
    if (!ok) {
      armRto(now, TCP_RESOURCE_PROBE_INTERVAL_NS);
      return;
    }
    // Exponential backoff, except for a SYN's first tcp_syn_linear_timeouts timeouts, which keep
    // the initial RTO (linear timeouts for thin streams are not modelled).
    if (state != TcpState.TCP_SYN_SENT || totalRto > cfg.synLinearTimeouts()) {
      backoff++;
      rtoNs = Math.min(rtoNs << 1, TCP_RTO_MAX_NS);
    }
    armRto(now, tcpClampRtoToUserTimeout(now));
  }

  /** net/ipv4/tcp_timer.c::tcp_clamp_rto_to_user_timeout(): never wait past TCP_USER_TIMEOUT. */
  private long tcpClampRtoToUserTimeout(long now) {
    if (userTimeoutMs == 0 || retransStampMs == 0) return rtoNs;
    long remainingMs = userTimeoutMs - (clockMs(now) - retransStampMs);
    if (remainingMs <= 0) return 1_000_000L; // the user timeout has passed: fire at the next tick
    return Math.min(rtoNs, remainingMs * 1_000_000L);
  }

  /** net/ipv4/tcp_timer.c::tcp_write_timeout(): true when the connection was given up. */
  private boolean tcpWriteTimeout(long now) {
    boolean expired;
    if (state == TcpState.TCP_SYN_SENT) {
      // max_retransmits = tcp_syn_retries + tcp_syn_linear_timeouts while connecting
      expired = retransmits >= cfg.synRetries() + cfg.synLinearTimeouts();
    } else {
      expired = retransmitsTimedOut(now, cfg.retries2());
    }
    if (expired) {
      // tcp_write_err(): a soft error from ICMP wins over the plain time-out
      out.error(softError != 0 ? softError : Errno.ETIMEDOUT);
      tcpDone(now);
      return true;
    }
    return false;
  }

  /** net/ipv4/tcp_timer.c::retransmits_timed_out() with tcp_model_timeout() and rto_base TCP_RTO_MIN. */
  private boolean retransmitsTimedOut(long now, int boundary) {
    if (retransmits == 0) return false;
    // TCP_USER_TIMEOUT replaces the modelled timeout of tcp_retries2.
    if (userTimeoutMs != 0) return clockMs(now) - retransStampMs - userTimeoutMs >= 0;
    long rtoBaseMs = TCP_RTO_MIN_NS / 1_000_000L;
    int linearBackoffThresh = 63 - Long.numberOfLeadingZeros(TCP_RTO_MAX_NS / TCP_RTO_MIN_NS);
    long timeoutMs;
    if (boundary <= linearBackoffThresh) timeoutMs = ((2L << boundary) - 1) * rtoBaseMs;
    else timeoutMs = ((2L << linearBackoffThresh) - 1) * rtoBaseMs + (boundary - linearBackoffThresh) * (TCP_RTO_MAX_NS / 1_000_000L);
    return clockMs(now) - retransStampMs - timeoutMs >= 0;
  }

  /** net/ipv4/tcp_input.c::tcp_enter_loss(). */
  private void tcpEnterLoss(long now) {
    tcpTimeoutMarkLost(now);
    // Reduce ssthresh if it has not yet been made inside this window.
    if (caState.compareTo(TcpCaState.TCP_CA_Disorder) <= 0 || !Seq.after(highSeq, sndUna)
        || (caState == TcpCaState.TCP_CA_Loss && retransmits == 0)) {
      priorSsthresh = currentSsthresh();
      priorCwnd = cwnd;
      ssthresh = cc.ssthresh(this);
      cc.onEvent(this, CaEvent.CA_EVENT_LOSS, now);
      undoMarker = true; // tcp_init_undo()
    }
    cwnd = packetsInFlight() + 1;
    cwndCnt = 0;
    if (caState.compareTo(TcpCaState.TCP_CA_Disorder) <= 0 && sackedOut >= cfg.reordering()) {
      reordering = Math.min(reordering, cfg.reordering());
    }
    setCaState(TcpCaState.TCP_CA_Loss, now);
    highSeq = sndNxt;
  }

  /** net/ipv4/tcp_input.c::tcp_timeout_mark_lost() for a non-SACK sender. */
  private void tcpTimeoutMarkLost(long now) {
    if (!sackOk) sackedOut = 0; // tcp_reset_reno_sack()
    // Every retransmission in flight is presumed lost with the rest (retrans_out restarts at 0).
    retransOut = 0;
    tlpOutstanding = false;
    for (TcpSkb skb = rtxHead; skb != null; skb = skb.next) skb.sacked &= ~TcpSkb.TCPCB_SACKED_RETRANS;
    TcpSkb head = rtxHead;
    for (TcpSkb skb = head; skb != null; skb = skb.next) {
      if (skb != head && rackSkbTimeoutUs(now, skb) > 0) continue; // recently sent: not lost yet
      tcpMarkSkbLost(skb);
    }
  }

  /**
   * net/ipv4/tcp_recovery.c::tcp_rack_skb_timeout() for a sender that never takes RACK RTT
   * samples (no SACK): rack.rtt_us is 0, so the reordering window alone decides.
   */
  private long rackSkbTimeoutUs(long now, TcpSkb skb) {
    long reoWnd;
    if (caState.compareTo(TcpCaState.TCP_CA_Recovery) >= 0 || sackedOut >= reordering) reoWnd = 0;
    else reoWnd = Math.min(minRttUs == 0xffffffffL ? 0 : minRttUs >> 2, srttUs >> 3);
    return rackRttUs + reoWnd - (now - skb.txTimeNs) / 1000;
  }

  /** net/ipv4/tcp_input.c::tcp_rearm_rto(). */
  private void tcpRearmRto(long now) {
    if (packetsOut == 0) {
      rtoTimerAt = Long.MAX_VALUE;
      tlpTimerAt = Long.MAX_VALUE;
      return;
    }
    long delay = rtoNs;
    if (tlpTimerAt != Long.MAX_VALUE) {
      // Offset the time elapsed since the regular RTO was installed.
      delay = Math.max(rtoDeltaNs(now), 1_000_000L);
      tlpTimerAt = Long.MAX_VALUE;
    }
    armRto(now, delay);
  }

  /** ICSK_TIME_RETRANS in the retransmit timer's slot, which it shares with the loss probe. */
  private void armRto(long now, long delay) {
    rtoTimerAt = now + Math.min(delay, TCP_RTO_MAX_NS);
    tlpTimerAt = Long.MAX_VALUE;
  }

  // =====================================================================================
  // Close, reset, FIN
  // =====================================================================================

  /** net/ipv4/tcp_input.c::tcp_fin(). */
  private void tcpFin(long now) {
    ackScheduled = true; // inet_csk_schedule_ack()
    rcvShutdown = true;
    finReceived = true;
    switch (state) {
      case TCP_SYN_RECV, TCP_ESTABLISHED -> {
        // Move to CLOSE_WAIT; the ACK waits as in interactive (pingpong) mode.
        setState(TcpState.TCP_CLOSE_WAIT);
        pingpong = true;
      }
      case TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK -> { } // a retransmitted FIN
      case TCP_FIN_WAIT1 -> {
        // Simultaneous close: our FIN is not yet ACKed.
        chain |= CHAIN_ACK;
        setState(TcpState.TCP_CLOSING);
      }
      case TCP_FIN_WAIT2 -> {
        chain |= CHAIN_ACK;
        enterTimeWait(now);
      }
      default -> { }
    }
  }

  /** sk->sk_err_soft (see icmpError); 0 when none. */
  private int softError;

  /** tp->tsoffset: added to tcp_clock_ms in TS val; per connection, so one TcpConfig serves a host. */
  private int tsOffset;

  /** Highest sk_wmem_alloc seen between calls (what TSQ bounds), bytes of truesize. */
  private long maxWmemAlloc;
  /** Highest sk_wmem_queued seen between calls (what sk_sndbuf bounds), bytes of truesize. */
  private long maxWmemQueued;

  // ---- host TCP memory (tcp_mem); null: not accounted ----
  /** The host's tcp_memory_allocated and tcp_mem, shared by its sockets; null when not accounted. */
  private TcpMemory memory;
  /** Pages this socket has charged to 'memory' (sk_mem_pages of its send queue); kept in step by memSync. */
  private long memPages;
  /** True while this socket counts in sockets_allocated. */
  private boolean memCounted;
  /** sk_stream_wait_memory()'s vm_wait: when a writer refused by tcp_mem may try again; MAX: none. */
  private long memWaitAt = Long.MAX_VALUE;

  /** net/ipv4/tcp_minisocks.c::tcp_time_wait(). */
  private void enterTimeWait(long now) {
    setState(TcpState.TCP_TIME_WAIT);
    if (memory != null) memRelease();
    rtoTimerAt = Long.MAX_VALUE;
    tlpTimerAt = Long.MAX_VALUE;
    probeTimerAt = Long.MAX_VALUE;
    delackTimerAt = Long.MAX_VALUE;
    timeWaitAt = now + TCP_TIMEWAIT_LEN_NS;
  }

  /**
   * net/ipv4/tcp_ipv4.c::tcp_v4_err() for an ICMP destination-unreachable about this connection
   * (for instance the host-unreachable that arp_error_report() makes when neighbour resolution
   * fails): while connecting it ends the connection with that error (tcp_done_with_error);
   * once connected it is only remembered as sk_err_soft (IP_RECVERR is off by default) and is
   * what the application sees if the connection later times out. The RFC 6069 backoff revert
   * (tcp_ld_RTO_revert) is not modelled.
   */
  public void icmpError(long now, int errno) {
    noteHighWater();
    if (state == TcpState.TCP_SYN_SENT || state == TcpState.TCP_SYN_RECV) {
      out.error(errno);
      tcpDone(now);
    } else if (state != TcpState.TCP_CLOSE && state != TcpState.TCP_LISTEN) {
      softError = errno;
    }
  }

  /**
   * Keeps the high-water marks. Called first in every public method that changes the socket: the
   * state only changes inside those calls, so every state that lasts between calls is seen.
   */
  private void noteHighWater() {
    if (tsq.wmemAlloc() > maxWmemAlloc) maxWmemAlloc = tsq.wmemAlloc();
    if (wmemQueued > maxWmemQueued) maxWmemQueued = wmemQueued;
  }

  /** The highest sk_wmem_alloc so far (truesize of skbs handed below TCP and not yet freed). */
  public long maxWmemAlloc() {
    noteHighWater();
    return maxWmemAlloc;
  }

  /** The highest sk_wmem_queued so far. */
  public long maxWmemQueued() {
    noteHighWater();
    return maxWmemQueued;
  }

  /** sk->sk_err_soft: the last ICMP error seen while connected; 0 when none. */
  public int softError() {
    return softError;
  }

  /** net/ipv4/tcp_input.c::tcp_reset(). */
  private void tcpReset(long now) {
    int err = switch (state) {
      case TCP_SYN_SENT -> Errno.ECONNREFUSED;
      case TCP_CLOSE_WAIT -> Errno.EPIPE;
      default -> Errno.ECONNRESET;
    };
    if (state == TcpState.TCP_ESTABLISHED || state == TcpState.TCP_CLOSE_WAIT) counters.TcpEstabResets++;
    out.error(err);
    tcpDone(now);
  }

  /** net/ipv4/tcp.c::tcp_done(): CLOSE, timers off, queues purged (tcp_write_queue_purge). */
  private void tcpDone(long now) {
    setState(TcpState.TCP_CLOSE);
    rtoTimerAt = Long.MAX_VALUE;
    timeWaitAt = Long.MAX_VALUE;
    probeTimerAt = Long.MAX_VALUE;
    delackTimerAt = Long.MAX_VALUE;
    tlpTimerAt = Long.MAX_VALUE;
    ackScheduled = false;
    writeHead = writeTail = null;
    rtxHead = rtxTail = null;
    tcpChronoStop(now, CHRONO_BUSY); // tcp_write_queue_purge()
    wmemQueued = 0;
    memWaitAt = Long.MAX_VALUE;
    if (memory != null) memRelease();
    packetsOut = retransOut = lostOut = sackedOut = 0;
    chain = 0;
    wxActive = false;
    rqActive = false;
    sndNxt = writeSeq;
  }

  // =====================================================================================
  // tcp_info chronographs
  // =====================================================================================

  /** enum tcp_chrono (include/linux/tcp.h): a higher value takes precedence over a lower one. */
  static final int CHRONO_UNSPEC = 0, CHRONO_BUSY = 1, CHRONO_RWND_LIMITED = 2, CHRONO_SNDBUF_LIMITED = 3;
  /** tp->chrono_type: the chronograph running now (CHRONO_*). */
  private int chronoType = CHRONO_UNSPEC;
  /** tp->chrono_start: when the running chronograph started, ns of virtual time. */
  private long chronoStart;
  /** tp->chrono_stat[]: closed time per chronograph, ns (busy, rwnd limited, sndbuf limited). */
  private long chronoBusyNs, chronoRwndNs, chronoSndbufNs;

  /** net/ipv4/tcp_output.c::tcp_chrono_set(). */
  private void tcpChronoSet(long now, int type) {
    long d = now - chronoStart;
    switch (chronoType) {
      case CHRONO_BUSY -> chronoBusyNs += d;
      case CHRONO_RWND_LIMITED -> chronoRwndNs += d;
      case CHRONO_SNDBUF_LIMITED -> chronoSndbufNs += d;
      default -> { }
    }
    chronoStart = now;
    chronoType = type;
  }

  /** net/ipv4/tcp_output.c::tcp_chrono_start(): a more interesting condition takes over. */
  private void tcpChronoStart(long now, int type) {
    if (type > chronoType) tcpChronoSet(now, type);
  }

  /** net/ipv4/tcp_output.c::tcp_chrono_stop(): back to busy while data is queued, else unspec. */
  private void tcpChronoStop(long now, int type) {
    if (writeHead == null && rtxHead == null) tcpChronoSet(now, CHRONO_UNSPEC);
    else if (type == chronoType) tcpChronoSet(now, CHRONO_BUSY);
  }

  /** Time in chronograph 'type' so far, ns, with the running one counted up to 'now'. */
  private long chronoNs(long now, int type) {
    long t = switch (type) {
      case CHRONO_BUSY -> chronoBusyNs;
      case CHRONO_RWND_LIMITED -> chronoRwndNs;
      default -> chronoSndbufNs;
    };
    return type == chronoType ? t + now - chronoStart : t;
  }

  /** net/ipv4/tcp.c::tcp_set_state(). */
  private void setState(TcpState to) {
    TcpState from = state;
    if (from == to) return;
    state = to;
    out.stateChange(from, to);
  }

  // =====================================================================================
  // Queues
  // =====================================================================================

  /** include/net/tcp.h::tcp_add_write_queue_tail(): the first skb of an empty queue starts the busy chronograph. */
  private void writeAppend(long now, TcpSkb skb) {
    skb.next = null;
    if (writeTail == null) {
      writeHead = skb;
      tcpChronoStart(now, CHRONO_BUSY);
    } else {
      writeTail.next = skb;
    }
    writeTail = skb;
  }

  private void writeUnlinkHead(TcpSkb skb) {
    writeHead = skb.next;
    if (writeHead == null) writeTail = null;
    skb.next = null;
  }

  private void rtxAppend(TcpSkb skb) {
    skb.next = null;
    if (rtxTail == null) rtxHead = skb;
    else rtxTail.next = skb;
    rtxTail = skb;
  }

  private void rtxUnlinkHead() {
    TcpSkb h = rtxHead;
    rtxHead = h.next;
    if (rtxHead == null) rtxTail = null;
    h.next = null;
  }
}
