package io.sendpath.peer.core;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.Seq;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import java.util.Arrays;

/**
 * One passive TCP endpoint of the peer host, receiving side (struct tcp_sock plus its
 * inet_connection_sock ack state). Created by {@link PeerListener} when a SYN arrives; it answers
 * with a SYN-ACK, receives and checks data, ACKs it with Linux 6.18's rules, and closes after the
 * sender does.
 *
 * <p>Pure: no clock, no threads. Every method that depends on time takes {@code now} in ns of
 * virtual time; jiffies are {@code now / 1 ms} (HZ=1000), the TCP timestamp clock is ms too.
 *
 * <p>Memory: one instance per connection, up to a million of them, so state is primitive fields;
 * the SACK table and the out-of-order queue are allocated on first use. The out-of-order queue
 * keeps sequence ranges and their truesize, never bytes (bytes are checked on arrival).
 *
 * <p>Simplifications against Linux (also in the report): skbs in the receive queue are charged
 * their own truesize (no tcp_try_coalesce / truesize_adjust); overlapping out-of-order segments
 * are merged into ranges (the DSACK names the first overlap only); tcp_rcv_space_adjust ignores
 * the unread-queue correction; ECN is answered in the SYN-ACK only; PAWS has no
 * tcp_disordered_ack exception and out-of-window ACKs are not rate limited.
 */
public final class PeerSock {

  // ---- constants, HZ = 1000 (jiffies are ms) ----
  /** include/net/tcp.h TCP_ATO_MIN = HZ/25. */
  static final int TCP_ATO_MIN = 40;
  /** include/net/tcp.h TCP_DELACK_MIN = HZ/25. */
  static final int TCP_DELACK_MIN = 40;
  /** include/net/tcp.h TCP_DELACK_MAX = HZ/5 (icsk_delack_max default). */
  static final int TCP_DELACK_MAX = 200;
  /** include/net/tcp.h TCP_RTO_MIN = HZ/5, in microseconds. */
  static final long TCP_RTO_MIN_US = 200_000;
  /** include/net/tcp.h TCP_RTO_MAX = 120 s, in ms. */
  static final long TCP_RTO_MAX_MS = 120_000;
  /** include/net/tcp.h TCP_TIMEOUT_INIT = 1 s, in ms. */
  static final long TCP_TIMEOUT_INIT_MS = 1_000;
  /** include/net/tcp.h TCP_MAX_QUICKACKS. */
  static final int TCP_MAX_QUICKACKS = 16;
  /** include/net/tcp.h TCP_MSS_DEFAULT (RFC 1122 default MSS). */
  static final int TCP_MSS_DEFAULT = 536;
  /** include/net/tcp.h TCP_MIN_MSS. */
  static final int TCP_MIN_MSS = 88;
  /** include/net/tcp.h TCP_RMEM_TO_WIN_SCALE: scaling_ratio is a fraction of 256. */
  static final int TCP_RMEM_TO_WIN_SCALE = 8;
  /** include/net/tcp.h TCP_DEFAULT_SCALING_RATIO: 50% of truesize is payload until measured. */
  static final int TCP_DEFAULT_SCALING_RATIO = 1 << (TCP_RMEM_TO_WIN_SCALE - 1);
  /** include/net/tcp.h TCP_MAX_WSCALE (RFC 7323). */
  static final int TCP_MAX_WSCALE = 14;
  /** include/net/tcp.h TCP_NUM_SACKS. */
  static final int TCP_NUM_SACKS = 4;
  /** include/net/tcp.h TCP_SACK_BLOCKS_EXPECTED: past this many blocks a compressed ACK is flushed. */
  static final int TCP_SACK_BLOCKS_EXPECTED = 2;
  /** include/net/tcp.h TCP_FASTRETRANS_THRESH: dup ACKs sent at once before SACK compression. */
  static final int TCP_FASTRETRANS_THRESH = 3;
  /** include/net/tcp.h TCPOLEN_TSTAMP_ALIGNED. */
  static final int TCPOLEN_TSTAMP_ALIGNED = 12;
  /** include/net/sock.h SOCK_MIN_RCVBUF / 2: 2 * TCP_SKB_MIN_TRUESIZE (2048 + 256) / 2. */
  static final int SOCK_MIN_RCVBUF_HALF = 2304;

  // include/net/inet_connection_sock.h enum inet_csk_ack_state_t
  static final int ICSK_ACK_SCHED = 1, ICSK_ACK_TIMER = 2, ICSK_ACK_PUSHED = 4, ICSK_ACK_PUSHED2 = 8,
      ICSK_ACK_NOW = 16, ICSK_ACK_NOMEM = 32;

  static final long NONE = Long.MAX_VALUE;
  private static final long NS_PER_MS = 1_000_000L;

  // ---- identity ----
  /** Statistics id (the sender's connId when its SYN carried one). */
  final long connId;
  /** The flow as the peer sends it: saddr = peer, daddr = sender. */
  final FlowKey flow;
  /** Expected bytes of the sender's stream (stream offset 0 = byte at irs + 1). */
  final Payload expected;
  final PeerConfig config;
  final PeerCounters counters;
  PeerState state;

  // ---- send side (only SYN and FIN are ever sent) ----
  /** Our initial sequence number; the SYN-ACK carries it. */
  final int iss;
  /** Next sequence number we send: iss+1 after the SYN-ACK, +1 more after our FIN. */
  int sndNxt;
  /** Oldest unacknowledged sequence number we sent; sndUna == sndNxt when all is acked. */
  int sndUna;

  // ---- receive sequence space ----
  /** The sender's initial sequence number (from its SYN). */
  int irs;
  /** Next sequence number expected; everything before it arrived (including a FIN). */
  int rcvNxt;
  /** rcv_nxt when the window was last advertised: the window's left edge (rcv_wup). */
  int rcvWup;
  /** Last advertised window in bytes (unscaled); its right edge rcvWup + rcvWnd never moves left. */
  int rcvWnd;
  /** Sequence number the application has read up to (copied_seq), FIN included once read. */
  int copiedSeq;
  /** Stream offset of rcvNxt: in-order data bytes received (tcpi_bytes_received); never counts the FIN. */
  long bytesReceived;
  /** Bytes the application read (each byte once, in order). */
  long bytesDelivered;
  /** A FIN has been received in order (RCV_SHUTDOWN); rcvNxt is past it. */
  boolean finReceived;
  /** The application has read up to and including the FIN (it saw EOF). */
  boolean eofRead;

  // ---- options negotiated from the SYN ----
  boolean tstampOk, sackOk, wscaleOk;
  /** Our window scale (rcv_wscale); 0 unless the SYN offered wscale. */
  int rcvWscale;
  /** The sender's window scale, -1 when not offered. */
  int sndWscale;
  /** MSS the sender announced (rx_opt.mss_clamp); 536 when absent. */
  int mssClamp;
  /** Our advertised MSS: mtu - 40, minus 12 once ESTABLISHED with timestamps (tcp_rcv_state_process). */
  int advmss;
  /** TCP header length of a data segment from the sender: 20, +12 with timestamps (tcp_header_len). */
  int tcpHeaderLen;

  // ---- receive buffer and window (tcp_select_window and friends) ----
  /** sk_rcvbuf in bytes of truesize; grows by DRS autotuning up to tcp_rmem[2]. */
  int rcvbuf;
  /** sk_rmem_alloc: truesize of unread in-order skbs plus the out-of-order queue. */
  long rmemAlloc;
  /** Truesize of the unread part of the receive queue (part of rmemAlloc). */
  long rcvQueueTruesize;
  /** Payload/truesize ratio in 1/256 (scaling_ratio); measured in tcp_measure_rcv_mss. */
  int scalingRatio = TCP_DEFAULT_SCALING_RATIO;
  /** Largest window we may ever advertise (window_clamp). */
  int windowClamp;
  /** Slow-start-like cap on the advertised window (rcv_ssthresh) <= windowClamp. */
  int rcvSsthresh;

  // ---- delayed ACK engine (icsk_ack) ----
  /** ICSK_ACK_* bits. SCHED means an ACK is owed. */
  int ackPending;
  /** ACKs left to send at once (icsk_ack.quick), <= TCP_MAX_QUICKACKS. */
  int quick;
  /** Delayed-ACK timeout estimate in jiffies (icsk_ack.ato); 0 until the first data segment. */
  int ato;
  /** Jiffies of the last data segment (icsk_ack.lrcvtime). */
  long lrcvtime;
  /** Interactive mode (icsk_ack.pingpong): entered on FIN; delays ACKs up to 200 ms. */
  boolean pingpong;
  /** Jiffies when the delayed-ACK timer fires; meaningful while ICSK_ACK_TIMER is set. */
  long delackTimeout;
  /** Our estimate of the sender's MSS (icsk_ack.rcv_mss); drives the "two segments" rule. */
  int rcvMss;
  /** Length of the last small segment seen, to confirm a smaller MSS (icsk_ack.last_seg_size). */
  int lastSegSize;

  // ---- SACK compression (tcp_sock compressed_ack*) ----
  /** ACKs withheld while out-of-order data keeps arriving. */
  int compressedAck;
  int compressedAckRcvNxt;
  /** Dup ACKs sent at once since rcvNxt last moved; after 3 they are compressed. */
  int dupAckCounter;
  /** Virtual time (ns) the compressed-ACK hrtimer fires; NONE when not armed. */
  long compressedAckAt = NONE;

  // ---- RTT estimates ----
  /** Smoothed RTT from the handshake, us << 3 (srtt_us); 0 = none. */
  long srttUs;
  /** rttvar_us and mdev_us (tcp_rtt_estimator). */
  long rttvarUs, mdevUs;
  /** Retransmission timeout in ms (icsk_rto); TCP_TIMEOUT_INIT until an RTT is measured. */
  long rtoMs = TCP_TIMEOUT_INIT_MS;
  /** Receiver RTT estimate, us << 3 (rcv_rtt_est.rtt_us); 0 = none. */
  long rcvRttUs;
  /** rcv_rtt_est.seq: the window edge whose arrival ends a measurement. */
  int rcvRttSeq;
  /** rcv_rtt_est.time in us; Long.MIN_VALUE = no measurement started. */
  long rcvRttTimeUs = Long.MIN_VALUE;
  /** Last TS echo used for a receiver RTT sample (rcv_rtt_last_tsecr). */
  int rcvRttLastTsecr;
  /** DRS state (rcvq_space): bytes read in the last RTT, where it started and when. */
  int rcvqSpace;
  int rcvqSeq;
  long rcvqTimeUs;

  // ---- timestamps (rx_opt) ----
  /** Our TS clock offset (tsoffset): TS val = now_ms + tsOffset. */
  final int tsOffset;
  /** Value to echo (ts_recent). */
  int tsRecent;
  /** ts_recent has been stored at least once (ts_recent_stamp != 0). */
  boolean tsRecentSet;

  // ---- SACK state ----
  /** SACK blocks [start0, end0, ...], most recent first; null until needed. numSacks <= 4. */
  int[] sacks;
  int numSacks;
  /** A DSACK block is pending for the next ACK (rx_opt.dsack with duplicate_sack[0]). */
  boolean dsack;
  int dsackStart, dsackEnd;

  // ---- out-of-order queue: sorted, disjoint, non-adjacent ranges [start, end) with their truesize ----
  /** Triplets (start, end, truesize); null until the first out-of-order segment. */
  int[] ofo;
  /** Number of ranges in ofo. */
  int ofoCount;
  /** A FIN sits at the end of the out-of-order range ending at ofoFinEnd. */
  boolean ofoFin;
  int ofoFinEnd;

  // ---- retransmission of our SYN-ACK / FIN ----
  /** Virtual time (ns) the SYN-ACK or FIN retransmission fires; NONE when not armed. */
  long rtxAt = NONE;
  /** Retransmissions so far of the SYN-ACK or the FIN. */
  int rtxCount;
  /** When the first SYN-ACK left (ns), for the handshake RTT sample. */
  long synackSentNs;
  /** Whether the sender's SYN carried ECE+CWR and we answered with ECE. */
  boolean ecnOk;

  // ---- application ----
  /** The application reads everything at once when true; when false the receive queue fills. */
  boolean reading;
  /** The application closes when it reads EOF. */
  boolean closeOnEof;
  /**
   * Read rate of the application in bytes per second; 0 = it reads everything as soon as it
   * arrives. A rate-limited reader reads at most {@link #READ_CHUNK} bytes per read() and then
   * sleeps for as long as those bytes take at its rate.
   */
  long readRateBytesPerSec;
  /** When a rate-limited reader reads next (it sleeps until then); NONE while it waits for data. */
  long readAt = NONE;

  /** Buffer size of the rate-limited reader's read() calls. */
  static final int READ_CHUNK = 64 * 1024;

  // ---- timer heap bookkeeping (owned by PeerListener) ----
  /** Time of this socket's live entry in the listener's timer heap; NONE when it has none. */
  long heapAt = NONE;
  /** Still counted in the listener's SYN_RECV total. */
  boolean countedSynRecv = true;

  // ---- per-connection statistics ----
  long segsIn, dataSegsIn, dupSegs, ofoSegs, acksSent, delayedAcks, quickAcks;
  long firstByteNs = -1, lastByteNs = -1;
  long payloadErrors;
  /** First stream offset found wrong; -1 when every byte matched. */
  long firstMismatchOffset = -1;
  /** Data bytes that could not be checked (segment without frame bytes or payload source). */
  long uncheckedBytes;

  PeerSock(long connId, FlowKey flow, Payload expected, PeerConfig config, PeerCounters counters,
      int iss, int tsOffset) {
    this.connId = connId;
    this.flow = flow;
    this.expected = expected;
    this.config = config;
    this.counters = counters;
    this.iss = iss;
    this.tsOffset = tsOffset;
    this.reading = config.reading;
    this.closeOnEof = config.closeOnEof;
    this.state = PeerState.SYN_RECV;
  }

  // =====================================================================================
  // Handshake
  // =====================================================================================

  /**
   * A SYN for a new connection: negotiate options and send the SYN-ACK.
   * net/ipv4/tcp_input.c::tcp_conn_request() → tcp_openreq_init_rwin() → tcp_v4_send_synack().
   */
  void onSyn(long now, SkBuff syn, PeerOutput out) {
    TcpOptions o = syn.options;
    irs = syn.seq;
    rcvNxt = irs + 1;
    rcvWup = rcvNxt;
    copiedSeq = rcvNxt;
    sndNxt = iss + 1;
    sndUna = iss;
    mssClamp = o != null && o.mss > 0 ? o.mss : TCP_MSS_DEFAULT;
    tstampOk = config.tcpTimestamps && o != null && o.timestamps;
    sackOk = config.tcpSack && o != null && o.sackOk;
    wscaleOk = config.tcpWindowScaling && o != null && o.wscale >= 0;
    sndWscale = wscaleOk ? o.wscale : -1;
    ecnOk = config.tcpEcn != 0 && (syn.tcpFlags & (TcpFlags.ECE | TcpFlags.CWR)) == (TcpFlags.ECE | TcpFlags.CWR);
    if (tstampOk) {
      tsRecent = o.tsVal;
      tsRecentSet = true;
    }
    advmss = config.mtu - 40;
    tcpHeaderLen = 20 + (tstampOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
    rcvbuf = config.tcpRmem1;
    openreqInitRwin();
    synackSentNs = now;
    sendSynack(now, out);
    rtxAt = now + TCP_TIMEOUT_INIT_MS * NS_PER_MS;
  }

  /**
   * net/ipv4/tcp_minisocks.c::tcp_openreq_init_rwin() with
   * net/ipv4/tcp_output.c::tcp_select_initial_window(): the SYN-ACK window is tcp_full_space()
   * (the listener's rcvbuf at the default 50% ratio) rounded down to the MSS less timestamps,
   * and the scale is chosen for max(tcp_rmem[2], rmem_max).
   */
  private void openreqInitRwin() {
    int fullSpace = winFromSpace(rcvbuf);
    int mss = advmss - (tstampOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
    long clamp = 65535L << TCP_MAX_WSCALE;
    long space = Math.min(clamp, fullSpace);
    if (space > mss) space = space / mss * mss;
    rcvWnd = (int) space;
    rcvWscale = 0;
    if (wscaleOk) {
      long s = Math.max(space, config.tcpRmem2);
      s = Math.max(s, config.rmemMax);
      s = Math.min(s, clamp);
      int ilog2 = 63 - Long.numberOfLeadingZeros(s);
      rcvWscale = Math.max(0, Math.min(ilog2 - 15, TCP_MAX_WSCALE));
    }
    windowClamp = (int) Math.min(65535L << rcvWscale, clamp);
    // tcp_create_openreq_child(): rcv_ssthresh and rcv_wnd start at the offered window.
    rcvSsthresh = rcvWnd;
  }

  private void sendSynack(long now, PeerOutput out) {
    SkBuff skb = newSkb(iss, TcpFlags.SYN | TcpFlags.ACK | (ecnOk ? TcpFlags.ECE : 0));
    // RFC 7323: the window in a SYN-ACK is never scaled.
    skb.window = Math.min(rcvWnd, 65535);
    TcpOptions opt = new TcpOptions();
    opt.mss = advmss;
    opt.sackOk = sackOk;
    if (tstampOk) {
      opt.timestamps = true;
      opt.tsVal = tsVal(now);
      opt.tsEcr = tsRecent;
    }
    if (wscaleOk) opt.wscale = rcvWscale;
    skb.options = opt;
    counters.TcpOutSegs++;
    out.xmit(skb);
  }

  /**
   * The ACK completing the handshake was accepted: net/ipv4/tcp_input.c::tcp_rcv_state_process()
   * case TCP_SYN_RECV (RTT sample, tcp_init_transfer → tcp_init_buffer_space, advmss less
   * timestamps, tcp_initialize_rcv_mss).
   */
  private void establish(long now, PeerOutput out) {
    // tcp_synack_rtt_meas(): only a SYN-ACK that was never retransmitted gives a clean sample;
    // otherwise tcp_ack_update_rtt() falls back to the timestamp echo.
    long rttUs = -1;
    if (rtxCount == 0) rttUs = (now - synackSentNs) / 1000;
    else if (tstampOk && rcvTsecrSeen != 0) rttUs = tsRttUs(now, rcvTsecrSeen);
    if (rttUs >= 0) rttEstimator(rttUs);
    rtxAt = NONE;
    rtxCount = 0;
    sndUna = sndNxt;
    initBufferSpace(now);
    if (tstampOk) advmss -= TCPOLEN_TSTAMP_ALIGNED;
    initializeRcvMss();
    // tcp_create_openreq_child(): icsk_ack.lrcvtime starts at the handshake.
    lrcvtime = jiffies(now);
    setState(PeerState.ESTABLISHED, out);
  }

  /** net/ipv4/tcp_input.c::tcp_init_buffer_space(). */
  private void initBufferSpace(long now) {
    rcvqTimeUs = now / 1000;
    rcvqSeq = copiedSeq;
    int maxwin = winFromSpace(rcvbuf);
    if (windowClamp >= maxwin) {
      windowClamp = maxwin;
      if (config.tcpAppWin != 0 && maxwin > 4 * advmss)
        windowClamp = Math.max(maxwin - (maxwin >> config.tcpAppWin), 4 * advmss);
    }
    // Force reservation of one segment.
    if (config.tcpAppWin != 0 && windowClamp > 2 * advmss && windowClamp + advmss > maxwin)
      windowClamp = Math.max(2 * advmss, maxwin - advmss);
    rcvSsthresh = Math.min(rcvSsthresh, windowClamp);
    rcvqSpace = Math.min(Math.min(rcvSsthresh, rcvWnd), 10 * advmss);
  }

  /** net/ipv4/tcp_input.c::tcp_initialize_rcv_mss(). */
  private void initializeRcvMss() {
    int mssCache = Math.min(mssClamp, config.mtu - 40) - (tstampOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
    int hint = Math.min(advmss, mssCache);
    hint = Math.min(hint, rcvWnd / 2);
    hint = Math.min(hint, TCP_MSS_DEFAULT);
    hint = Math.max(hint, TCP_MIN_MSS);
    rcvMss = hint;
  }

  /** net/ipv4/tcp_input.c::tcp_rtt_estimator() for the first sample, then tcp_set_rto(). */
  private void rttEstimator(long mUs) {
    if (srttUs == 0) {
      srttUs = Math.max(1, mUs << 3);
      mdevUs = mUs << 1;
      rttvarUs = Math.max(mdevUs, TCP_RTO_MIN_US);
    } else {
      long m = mUs - (srttUs >> 3);
      srttUs += m;
      if (m < 0) {
        m = -m - (mdevUs >> 2);
        if (m > 0) m >>= 3;
      } else {
        m -= (mdevUs >> 2);
      }
      mdevUs += m;
      if (mdevUs > rttvarUs) rttvarUs = mdevUs;
      srttUs = Math.max(1, srttUs);
    }
    // __tcp_set_rto(): usecs_to_jiffies(srtt/8 + rttvar), bounded by TCP_RTO_MAX.
    rtoMs = Math.min(usToJiffiesUp((srttUs >> 3) + rttvarUs), TCP_RTO_MAX_MS);
  }

  // =====================================================================================
  // Segment arrival
  // =====================================================================================

  /** TS echo of the segment being processed (rx_opt.rcv_tsecr), 0 when absent. */
  private int rcvTsecrSeen;

  /**
   * One segment from the sender for this connection. net/ipv4/tcp_ipv4.c::tcp_v4_rcv() →
   * tcp_check_req() (SYN_RECV) or tcp_rcv_established() / tcp_rcv_state_process(), followed by
   * the application's read when it is reading (tcp_recvmsg()).
   */
  void onSegment(long now, SkBuff seg, PeerListener.Scratch scratch, PeerOutput out) {
    // include/net/tcp.h tcp_segs_in(): a GRO skb counts as the segments it was made of.
    segsIn += Math.max(1, seg.gsoSegs);
    TcpOptions o = seg.options;
    boolean sawTstamp = tstampOk && o != null && o.timestamps;
    int rcvTsval = sawTstamp ? o.tsVal : 0;
    rcvTsecrSeen = sawTstamp ? o.tsEcr : 0;
    int flags = seg.tcpFlags;

    if (state == PeerState.SYN_RECV) {
      if (!checkReq(now, seg, flags, sawTstamp, rcvTsval, out)) return;
      // The handshake ACK may carry data: fall through to the established path.
    }
    if (state == PeerState.CLOSED) return;

    // tcp_validate_incoming(): RFC 7323 PAWS first.
    if (sawTstamp && tsRecentSet && (tsRecent - rcvTsval) > 1 && (flags & TcpFlags.RST) == 0) {
      counters.TcpExtPAWSEstab++;
      sendDupAck(now, seg, out);
      return;
    }
    // tcp_sequence(): anything wholly left of the window or beyond its right edge.
    int endSeq = seg.endSeq();
    if (Seq.before(endSeq, rcvWup) || Seq.after(seg.seq, rcvNxt + receiveWindow())) {
      if ((flags & TcpFlags.RST) == 0) {
        if (seg.len > 0) dupSegs++;
        checkPayload(seg, scratch, out);
        sendDupAck(now, seg, out);
      } else if (resetCheck(seg)) {
        reset(out);
      }
      return;
    }
    // RFC 5961 3.2: an RST exactly at rcv_nxt resets, any other in-window RST is challenged.
    if ((flags & TcpFlags.RST) != 0) {
      if (seg.seq == rcvNxt || resetCheck(seg)) reset(out);
      else challengeAck(now, out);
      return;
    }
    // RFC 5961 4.2: a SYN on a synchronized connection gets a challenge ACK.
    if ((flags & TcpFlags.SYN) != 0) {
      counters.TcpExtTCPSYNChallenge++;
      challengeAck(now, out);
      return;
    }
    if ((flags & TcpFlags.ACK) == 0) return;

    // tcp_ack(): only our FIN can be acknowledged.
    if (Seq.after(seg.ackSeq, sndUna) && !Seq.after(seg.ackSeq, sndNxt)) {
      sndUna = seg.ackSeq;
      if (state == PeerState.LAST_ACK && sndUna == sndNxt) {
        // tcp_rcv_state_process() case TCP_LAST_ACK: tcp_done().
        rtxAt = NONE;
        setState(PeerState.CLOSED, out);
        return;
      }
    }
    // tcp_replace_ts_recent(): take the newest TS of a segment that starts at or before rcv_wup.
    if (sawTstamp && !Seq.after(seg.seq, rcvWup) && (!tsRecentSet || (tsRecent - rcvTsval) <= 0)) {
      tsRecent = rcvTsval;
      tsRecentSet = true;
    }
    if (sawTstamp && rcvTsecrSeen != 0) rcvRttMeasureTs(now, seg);

    if (seg.len > 0 || (flags & TcpFlags.FIN) != 0) {
      // tcp_rcv_state_process(): after our peer's FIN only retransmissions are looked at.
      if (state != PeerState.ESTABLISHED) {
        if (!Seq.before(seg.seq, rcvNxt)) {
          ackSndCheck(now, out);
          return;
        }
        if (seg.len > 0 && Seq.after(seg.seq + seg.len, rcvNxt - 1)) {
          reset(out);
          return;
        }
      }
      dataQueue(now, seg, scratch, out);
    }
    ackSndCheck(now, out);
    // The reader wakes only when something was queued (sk_data_ready).
    if (reading && rcvNxt != copiedSeq) appRead(now, out);
  }

  /** The application's turn to read after data arrived (sk_data_ready), at once or at its rate. */
  private void appRead(long now, PeerOutput out) {
    if (readRateBytesPerSec == 0) {
      recvmsg(now, out);
    } else if (readAt == NONE) {
      readChunk(now, out);
    }
    // else the reader sleeps; its timer reads next
  }

  /** One read() of at most READ_CHUNK bytes by the rate-limited reader, then sleep for its duration. */
  private void readChunk(long now, PeerOutput out) {
    int before = copiedSeq;
    recvmsg(now, out, READ_CHUNK);
    long n = copiedSeq - before;
    if (n > 0 && state != PeerState.CLOSED) readAt = now + Math.max(1, n * 1_000_000_000L / readRateBytesPerSec);
  }

  /** Sets the application's read rate (bytes/s; 0 = read at once); a reader with queued data starts at once. */
  public void setReadRate(long now, long bytesPerSec, PeerOutput out) {
    if (bytesPerSec < 0) throw new IllegalArgumentException("read rate must not be negative: " + bytesPerSec);
    readRateBytesPerSec = bytesPerSec;
    if (bytesPerSec == 0) readAt = NONE;
    if (reading && state != PeerState.CLOSED && state != PeerState.SYN_RECV && rcvNxt != copiedSeq) appRead(now, out);
  }

  /**
   * net/ipv4/tcp_minisocks.c::tcp_check_req(), much reduced: a retransmitted SYN gets the
   * SYN-ACK again, an RST ends the request, an ACK of our SYN establishes. Returns true when the
   * segment should continue down the established path.
   */
  private boolean checkReq(long now, SkBuff seg, int flags, boolean sawTstamp, int rcvTsval, PeerOutput out) {
    if ((flags & TcpFlags.RST) != 0) {
      if (seg.seq == rcvNxt) {
        counters.TcpAttemptFails++;
        rtxAt = NONE;
        setState(PeerState.CLOSED, out);
      }
      return false;
    }
    if ((flags & TcpFlags.SYN) != 0) {
      if (seg.seq == irs && (flags & TcpFlags.ACK) == 0) {
        // inet_rtx_syn_ack(): answer the retransmitted SYN with the SYN-ACK again.
        rtxCount++;
        counters.TcpRetransSegs++;
        counters.TcpExtTCPSynRetrans++;
        sendSynack(now, out);
      }
      return false;
    }
    if ((flags & TcpFlags.ACK) == 0) return false;
    if (seg.ackSeq != iss + 1) {
      // The listener answers a wrong ACK with a reset (tcp_v4_send_reset()).
      PeerListener.sendReset(seg, counters, out);
      return false;
    }
    if (sawTstamp && !Seq.after(seg.seq, rcvNxt)) {
      tsRecent = rcvTsval;
      tsRecentSet = true;
    }
    establish(now, out);
    return true;
  }

  /** net/ipv4/tcp_input.c::tcp_reset_check(): RST at rcv_nxt - 1 after the sender's FIN. */
  private boolean resetCheck(SkBuff seg) {
    return seg.seq == rcvNxt - 1 && (state == PeerState.CLOSE_WAIT || state == PeerState.LAST_ACK);
  }

  /** net/ipv4/tcp_input.c::tcp_reset() then tcp_done(). */
  private void reset(PeerOutput out) {
    if (state == PeerState.ESTABLISHED || state == PeerState.CLOSE_WAIT) counters.TcpEstabResets++;
    rtxAt = NONE;
    compressedAckAt = NONE;
    ackPending = 0;
    setState(PeerState.CLOSED, out);
  }

  /** net/ipv4/tcp_output.c::tcp_send_challenge_ack() (no rate limit modelled). */
  private void challengeAck(long now, PeerOutput out) {
    counters.TcpExtTCPChallengeACK++;
    sendAck(now, out);
  }

  /** net/ipv4/tcp_input.c::tcp_send_dupack(). */
  private void sendDupAck(long now, SkBuff seg, PeerOutput out) {
    int endSeq = seg.endSeq();
    if (endSeq != seg.seq && Seq.before(seg.seq, rcvNxt)) {
      counters.TcpExtDelayedACKLost++;
      enterQuickackMode(TCP_MAX_QUICKACKS);
      if (sackOk && config.tcpDsack) {
        int end = Seq.after(endSeq, rcvNxt) ? rcvNxt : endSeq;
        dsackSet(seg.seq, end);
      }
    }
    sendAck(now, out);
  }

  // =====================================================================================
  // Data path: net/ipv4/tcp_input.c::tcp_data_queue() and friends
  // =====================================================================================

  private void dataQueue(long now, SkBuff seg, PeerListener.Scratch scratch, PeerOutput out) {
    int seq = seg.seq;
    int endSeq = seg.endSeq();
    if (seq == endSeq) return;
    dataSegsIn += Math.max(1, seg.gsoSegs);
    checkPayload(seg, scratch, out);
    if (seg.len > 0) {
      if (firstByteNs < 0) firstByteNs = now;
      lastByteNs = now;
    }
    if (seq == rcvNxt) {
      if (receiveWindow() == 0) {
        counters.TcpExtTCPZeroWindowDrop++;
        outOfWindow();
        return;
      }
      queueAndOut(now, seg, out);
      return;
    }
    if (!Seq.after(endSeq, rcvNxt)) {
      // A pure retransmission: DSACK it and ACK at once.
      dupSegs++;
      dsackSet(seq, endSeq);
      outOfWindow();
      return;
    }
    if (!Seq.before(seq, rcvNxt + receiveWindow())) {
      outOfWindow();
      return;
    }
    if (Seq.before(seq, rcvNxt)) {
      // Partial packet: seq < rcv_nxt < end_seq.
      dsackSet(seq, rcvNxt);
      if (receiveWindow() == 0) {
        counters.TcpExtTCPZeroWindowDrop++;
        outOfWindow();
        return;
      }
      queueAndOut(now, seg, out);
      return;
    }
    dataQueueOfo(now, seg);
  }

  /** tcp_data_queue() out_of_window: quick ACK mode and an ACK owed. */
  private void outOfWindow() {
    enterQuickackMode(TCP_MAX_QUICKACKS);
    ackPending |= ICSK_ACK_SCHED;
  }

  /** tcp_data_queue() queue_and_out: the segment starts at or before rcv_nxt. */
  private void queueAndOut(long now, SkBuff seg, PeerOutput out) {
    int truesize = truesizeOf(seg);
    if (seg.len > 0 && !tryRmemSchedule(truesize)) {
      ackPending |= ICSK_ACK_NOMEM | ICSK_ACK_NOW | ICSK_ACK_SCHED;
      if (rcvNxt != copiedSeq) {
        counters.TcpExtTCPRcvQDrop++;
        return;
      }
      // sk_forced_mem_schedule(): an empty receive queue always takes the segment.
    }
    boolean fin = (seg.tcpFlags & TcpFlags.FIN) != 0;
    int dataEnd = seg.seq + seg.len;
    if (Seq.after(dataEnd, rcvNxt)) bytesReceived += dataEnd - rcvNxt;
    rcvNxt = seg.endSeq();
    rmemAlloc += truesize;
    rcvQueueTruesize += truesize;
    if (seg.len > 0) eventDataRecv(now, seg, truesize);
    if (fin) tcpFin();
    if (ofoCount > 0) {
      ofoQueue();
      // RFC 5681 4.2: ACK at once when a hole is filled.
      if (ofoCount == 0) ackPending |= ICSK_ACK_NOW;
    }
    if (numSacks > 0) sackRemove();
  }

  /** net/ipv4/tcp_input.c::tcp_ofo_queue(): move ranges that now join rcv_nxt. */
  private void ofoQueue() {
    while (ofoCount > 0 && !Seq.after(ofo[0], rcvNxt)) {
      int end = ofo[1], ts = ofo[2];
      removeOfo(0);
      rmemAlloc -= ts;
      if (!Seq.after(end, rcvNxt)) {
        counters.TcpExtTCPOFODrop++;
        continue;
      }
      boolean fin = ofoFin && end == ofoFinEnd;
      int dataEnd = fin ? end - 1 : end;
      if (Seq.after(dataEnd, rcvNxt)) bytesReceived += dataEnd - rcvNxt;
      rcvNxt = end;
      rmemAlloc += ts;
      rcvQueueTruesize += ts;
      if (fin) {
        ofoFin = false;
        tcpFin();
      }
    }
  }

  /** net/ipv4/tcp_input.c::tcp_data_queue_ofo(). */
  private void dataQueueOfo(long now, SkBuff seg) {
    int truesize = truesizeOf(seg);
    if (!tryRmemSchedule(truesize)) {
      counters.TcpExtTCPOFODrop++;
      return;
    }
    counters.TcpExtTCPOFOQueue++;
    ofoSegs++;
    ackPending |= ICSK_ACK_SCHED;
    int seq = seg.seq, end = seg.endSeq();
    if ((seg.tcpFlags & TcpFlags.FIN) != 0) {
      ofoFin = true;
      ofoFinEnd = end;
    }
    if (ofoCount == 0) {
      if (sackOk) {
        if (sacks == null) sacks = new int[2 * TCP_NUM_SACKS];
        numSacks = 1;
        sacks[0] = seq;
        sacks[1] = end;
      }
      insertOfo(0, seq, end, truesize);
    } else {
      if (!addOfo(seq, end, truesize)) return; // wholly duplicate: DSACKed and dropped
      if (sackOk) sackNewOfoSkb(now, seq, end);
    }
    if (sackOk) growWindow(seg, truesize);
  }

  /**
   * Merges [seq, end) into the out-of-order ranges. Returns false (and sets a DSACK) when every
   * byte was already queued; a partial overlap DSACKs the first overlap and merges.
   */
  private boolean addOfo(int seq, int end, int truesize) {
    int i = 0;
    while (i < ofoCount && Seq.before(ofo[3 * i + 1], seq)) i++;
    // ranges before i end strictly before seq; range i (if any) ends at or after seq.
    if (i < ofoCount && !Seq.after(ofo[3 * i], seq) && !Seq.before(ofo[3 * i + 1], end)
        && ofo[3 * i + 1] != seq) {
      counters.TcpExtTCPOFOMerge++;
      dsackSet(seq, end);
      return false;
    }
    if (i < ofoCount && Seq.before(ofo[3 * i], end) && Seq.after(ofo[3 * i + 1], seq)) {
      counters.TcpExtTCPOFOMerge++;
      dsackSet(Seq.max(seq, ofo[3 * i]), Seq.min(end, ofo[3 * i + 1]));
    }
    int newStart = seq, newEnd = end;
    long ts = truesize;
    int j = i;
    // Absorb every range that touches or overlaps [seq, end).
    while (j < ofoCount && !Seq.after(ofo[3 * j], newEnd)) {
      newStart = Seq.min(newStart, ofo[3 * j]);
      newEnd = Seq.max(newEnd, ofo[3 * j + 1]);
      ts += ofo[3 * j + 2];
      j++;
    }
    int absorbed = j - i;
    if (absorbed == 0) {
      insertOfo(i, newStart, newEnd, truesize);
    } else {
      ofo[3 * i] = newStart;
      ofo[3 * i + 1] = newEnd;
      ofo[3 * i + 2] = (int) Math.min(Integer.MAX_VALUE, ts);
      for (int k = 1; k < absorbed; k++) removeOfo(i + 1);
      rmemAlloc += truesize;
    }
    return true;
  }

  private void insertOfo(int i, int start, int end, int truesize) {
    if (ofo == null) ofo = new int[3 * 4];
    if (3 * (ofoCount + 1) > ofo.length) ofo = Arrays.copyOf(ofo, ofo.length * 2);
    System.arraycopy(ofo, 3 * i, ofo, 3 * i + 3, 3 * (ofoCount - i));
    ofo[3 * i] = start;
    ofo[3 * i + 1] = end;
    ofo[3 * i + 2] = truesize;
    ofoCount++;
    rmemAlloc += truesize;
  }

  private void removeOfo(int i) {
    System.arraycopy(ofo, 3 * i + 3, ofo, 3 * i, 3 * (ofoCount - i - 1));
    ofoCount--;
  }

  /** net/ipv4/tcp_input.c::tcp_fin(): EOF, CLOSE_WAIT, pingpong; the ofo queue is purged. */
  private void tcpFin() {
    ackPending |= ICSK_ACK_SCHED;
    finReceived = true;
    if (state == PeerState.ESTABLISHED) {
      stateAfterFin = true;
      pingpong = true;
    }
    for (int i = 0; i < ofoCount; i++) rmemAlloc -= ofo[3 * i + 2];
    ofoCount = 0;
    ofoFin = false;
    numSacks = 0;
  }

  /** Set by tcpFin() so that the state change is reported with the output at hand. */
  private boolean stateAfterFin;

  /**
   * net/ipv4/tcp_input.c::tcp_try_rmem_schedule() / tcp_prune_queue() / tcp_clamp_window(),
   * without global memory pressure: an overfull socket first grows sk_rcvbuf towards
   * tcp_rmem[2], then drops its out-of-order queue.
   */
  private boolean tryRmemSchedule(int truesize) {
    if (rmemAlloc <= rcvbuf) return true;
    // tcp_clamp_window()
    quick = 0;
    if (rcvbuf < config.tcpRmem2) rcvbuf = (int) Math.min(rmemAlloc, config.tcpRmem2);
    if (rmemAlloc > rcvbuf) rcvSsthresh = Math.min(windowClamp, 2 * advmss);
    if (rmemAlloc <= rcvbuf) return true;
    // tcp_prune_ofo_queue(): drop from the far end.
    while (ofoCount > 0 && rmemAlloc > rcvbuf) {
      rmemAlloc -= ofo[3 * (ofoCount - 1) + 2];
      if (ofoFin && ofo[3 * (ofoCount - 1) + 1] == ofoFinEnd) ofoFin = false;
      ofoCount--;
      counters.TcpExtTCPOFODrop++;
    }
    if (ofoCount == 0) numSacks = 0;
    if (rmemAlloc <= rcvbuf) return true;
    counters.TcpExtTCPRcvPruned++;
    return false;
  }

  /** net/ipv4/tcp_input.c::tcp_event_data_recv(): schedule an ACK and adapt ato. */
  private void eventDataRecv(long now, SkBuff seg, int truesize) {
    ackPending |= ICSK_ACK_SCHED;
    measureRcvMss(seg, truesize);
    rcvRttMeasure(now);
    long nowJ = jiffies(now);
    if (ato == 0) {
      // The first data segment initialises the delayed-ACK engine.
      incrQuickack(TCP_MAX_QUICKACKS);
      ato = TCP_ATO_MIN;
    } else {
      long m = nowJ - lrcvtime;
      if (m <= TCP_ATO_MIN / 2) {
        ato = (ato >> 1) + TCP_ATO_MIN / 2;
      } else if (m < ato) {
        ato = (int) ((ato >> 1) + m);
        if (ato > rtoMs) ato = (int) rtoMs;
      } else if (m > rtoMs) {
        incrQuickack(TCP_MAX_QUICKACKS);
      }
    }
    lrcvtime = nowJ;
    if (seg.len >= 128) growWindow(seg, truesize);
  }

  /** net/ipv4/tcp_input.c::tcp_measure_rcv_mss(), with the 6.x scaling_ratio update. */
  private void measureRcvMss(SkBuff seg, int truesize) {
    int lss = lastSegSize;
    lastSegSize = 0;
    int len = seg.gsoSize > 0 ? seg.gsoSize : seg.len;
    if (len >= rcvMss) {
      if (len != rcvMss) {
        long val = ((long) seg.len << TCP_RMEM_TO_WIN_SCALE) / truesize;
        int old = scalingRatio;
        scalingRatio = val > 0 ? (int) Math.min(val, 255) : 1;
        if (old != scalingRatio) {
          setWindowClamp(winFromSpace(rcvbuf));
          if (windowClamp < rcvqSpace) rcvqSpace = windowClamp;
        }
      }
      rcvMss = Math.min(len, advmss);
      if ((seg.tcpFlags & TcpFlags.PSH) != 0) ackPending |= ICSK_ACK_PUSHED;
    } else {
      int hlen = 20 + (seg.options == null ? 0 : seg.options.length());
      len += hlen;
      int remnant = seg.tcpFlags & (TcpFlags.FIN | TcpFlags.URG | TcpFlags.SYN | TcpFlags.PSH);
      if (len >= TCP_MSS_DEFAULT + 20 || (len >= TCP_MIN_MSS + 20 && remnant == 0)) {
        len -= tcpHeaderLen;
        lastSegSize = len;
        if (len == lss) {
          rcvMss = len;
          return;
        }
      }
      if ((ackPending & ICSK_ACK_PUSHED) != 0) ackPending |= ICSK_ACK_PUSHED2;
      ackPending |= ICSK_ACK_PUSHED;
    }
  }

  /** net/ipv4/tcp.c::tcp_set_window_clamp() for a clamp computed by the stack. */
  private void setWindowClamp(int val) {
    int newClamp = Math.max(val, SOCK_MIN_RCVBUF_HALF);
    if (newClamp == windowClamp) return;
    int old = windowClamp;
    windowClamp = newClamp;
    if (newClamp < old) rcvSsthresh = Math.min(rcvSsthresh, newClamp);
    else rcvSsthresh = Math.max(Math.min(rcvWnd, newClamp), rcvSsthresh);
  }

  /** net/ipv4/tcp_input.c::tcp_grow_window() with __tcp_grow_window(); no truesize_adjust. */
  private void growWindow(SkBuff seg, int truesize) {
    long room = Math.min((long) windowClamp, tcpSpace()) - rcvSsthresh;
    if (room <= 0) return;
    int incr;
    if (winFromSpace(truesize) <= seg.len) {
      incr = 2 * advmss;
    } else {
      incr = 0;
      int ts = winFromSpace(truesize) >> 1;
      int window = winFromSpace(config.tcpRmem2) >> 1;
      while (rcvSsthresh <= window) {
        if (ts <= seg.len) {
          incr = 2 * rcvMss;
          break;
        }
        ts >>= 1;
        window >>= 1;
      }
    }
    if (incr != 0) {
      incr = Math.max(incr, 2 * seg.len);
      rcvSsthresh += (int) Math.min(room, incr);
      quick |= 1;
    }
  }

  /** net/ipv4/tcp_input.c::tcp_incr_quickack(). */
  private void incrQuickack(int maxQuickacks) {
    int quickacks = rcvWnd / (2 * rcvMss);
    if (quickacks == 0) quickacks = 2;
    quickacks = Math.min(quickacks, maxQuickacks);
    if (quickacks > quick) quick = quickacks;
  }

  /** net/ipv4/tcp_input.c::tcp_enter_quickack_mode(). */
  private void enterQuickackMode(int maxQuickacks) {
    incrQuickack(maxQuickacks);
    pingpong = false;
    ato = TCP_ATO_MIN;
  }

  private boolean inQuickackMode() {
    return quick != 0 && !pingpong;
  }

  // ---- receiver RTT and buffer autotuning (DRS) ----

  /** net/ipv4/tcp_input.c::tcp_rcv_rtt_measure(): one window's worth of data per sample. */
  private void rcvRttMeasure(long now) {
    long nowUs = now / 1000;
    if (rcvRttTimeUs != Long.MIN_VALUE) {
      if (Seq.before(rcvNxt, rcvRttSeq)) return;
      long delta = nowUs - rcvRttTimeUs;
      if (delta == 0) delta = 1;
      rcvRttUpdate(delta, true);
    }
    rcvRttSeq = rcvNxt + rcvWnd;
    rcvRttTimeUs = nowUs;
  }

  /** net/ipv4/tcp_input.c::tcp_rcv_rtt_measure_ts(). */
  private void rcvRttMeasureTs(long now, SkBuff seg) {
    if (rcvTsecrSeen == rcvRttLastTsecr) return;
    rcvRttLastTsecr = rcvTsecrSeen;
    if (seg.endSeq() - seg.seq >= rcvMss) {
      long us = tsRttUs(now, rcvTsecrSeen);
      if (us >= 0) rcvRttUpdate(us, false);
    }
  }

  /** net/ipv4/tcp_input.c::tcp_rtt_tsopt_us(): ms-granular TS delta, at least 1 ms. */
  private long tsRttUs(long now, int tsecr) {
    int delta = tsVal(now) - tsecr;
    if (delta < 0 || delta >= Integer.MAX_VALUE / 1000) return -1;
    if (delta == 0) delta = 1;
    return delta * 1000L;
  }

  /** net/ipv4/tcp_input.c::tcp_rcv_rtt_update(). */
  private void rcvRttUpdate(long sampleUs, boolean winDep) {
    long old = rcvRttUs;
    long m = sampleUs << 3;
    if (old == 0 || m < old) rcvRttUs = m;
    else if (!winDep) rcvRttUs = old - (old >> 3) + sampleUs;
  }

  /**
   * net/ipv4/tcp_input.c::tcp_rcv_space_adjust() and tcp_rcvbuf_grow() (6.18): once per
   * receiver RTT, if the application read more than last time, grow sk_rcvbuf so the window can
   * double. Simplified: the bytes still unread are not subtracted.
   */
  private void rcvSpaceAdjust(long now) {
    long nowUs = now / 1000;
    long time = nowUs - rcvqTimeUs;
    if (rcvRttUs == 0 || time < (rcvRttUs >> 3)) return;
    int copied = copiedSeq - rcvqSeq;
    if (copied > rcvqSpace) rcvbufGrow(copied);
    rcvqSeq = copiedSeq;
    rcvqTimeUs = nowUs;
  }

  private void rcvbufGrow(int newval) {
    int oldval = rcvqSpace;
    rcvqSpace = newval;
    if (!config.tcpModerateRcvbuf || oldval <= 0) return;
    long rcvwin = (long) newval << 1;
    long grow = rcvwin * (newval - oldval) / oldval;
    rcvwin += grow << 1;
    if (ofoCount > 0) rcvwin += ofo[3 * (ofoCount - 1) + 1] - rcvNxt;
    long buf = Math.min((rcvwin << TCP_RMEM_TO_WIN_SCALE) / scalingRatio, config.tcpRmem2);
    if (buf > rcvbuf) {
      rcvbuf = (int) buf;
      windowClamp = winFromSpace(rcvbuf);
    }
  }

  // =====================================================================================
  // The application: tcp_recvmsg(), close()
  // =====================================================================================

  /** tcp_recvmsg_locked(): read everything queued, then tcp_rcv_space_adjust and tcp_cleanup_rbuf. */
  void recvmsg(long now, PeerOutput out) {
    recvmsg(now, out, Integer.MAX_VALUE);
  }

  /**
   * tcp_recvmsg() with a buffer of 'max' bytes. A read that leaves data queued frees the queue's
   * truesize in proportion to what it took (Linux frees whole skbs as they are consumed; the
   * receive queue here keeps only its total) and does not see the FIN behind the data.
   */
  void recvmsg(long now, PeerOutput out, int max) {
    int queued = rcvNxt - copiedSeq;
    boolean finPending = finReceived && !eofRead;
    int data = queued - (finPending ? 1 : 0);
    if (data > max) {
      copiedSeq += max;
      long freed = rcvQueueTruesize * max / data;
      rmemAlloc -= freed;
      rcvQueueTruesize -= freed;
      bytesDelivered += max;
      out.delivered(connId, max);
      rcvSpaceAdjust(now);
      cleanupRbuf(now, max, out);
      return;
    }
    boolean finQueued = finReceived && !eofRead;
    int copied = queued - (finQueued ? 1 : 0);
    copiedSeq = rcvNxt;
    rmemAlloc -= rcvQueueTruesize;
    rcvQueueTruesize = 0;
    if (copied > 0) {
      bytesDelivered += copied;
      out.delivered(connId, copied);
    }
    rcvSpaceAdjust(now);
    cleanupRbuf(now, copied, out);
    if (finQueued) {
      eofRead = true;
      if (closeOnEof) close(now, out);
    }
  }

  /** net/ipv4/tcp.c::__tcp_cleanup_rbuf(): ACK after a read that drained a lot or opened the window. */
  private void cleanupRbuf(long now, int copied, PeerOutput out) {
    if (state == PeerState.CLOSED) return;
    boolean timeToAck = false;
    if ((ackPending & ICSK_ACK_SCHED) != 0) {
      if (rcvNxt - rcvWup > rcvMss
          || (copied > 0
              && ((ackPending & ICSK_ACK_PUSHED2) != 0 || ((ackPending & ICSK_ACK_PUSHED) != 0 && !pingpong))
              && rmemAlloc == 0)) {
        timeToAck = true;
      }
    }
    if (copied > 0 && !timeToAck && !finReceived) {
      int rcvWindowNow = receiveWindow();
      if (2L * rcvWindowNow <= windowClamp) {
        int newWindow = selectWindowRaw();
        if (newWindow != 0 && newWindow >= 2L * rcvWindowNow) timeToAck = true;
      }
    }
    if (timeToAck) sendAck(now, out);
  }

  /**
   * The peer application calls close() (tcp_close → tcp_send_fin): in CLOSE_WAIT our FIN goes
   * out with the ACK of everything received, and the socket waits in LAST_ACK. Does nothing in
   * other states (the peer closes only after the sender's FIN).
   */
  public void close(long now, PeerOutput out) {
    if (state != PeerState.CLOSE_WAIT) return;
    setState(PeerState.LAST_ACK, out);
    sendFin(now, out);
    sndNxt++;
    rtxAt = now + rtoMs * NS_PER_MS;
  }

  private void sendFin(long now, PeerOutput out) {
    SkBuff skb = newSkb(sndNxt, TcpFlags.FIN | TcpFlags.ACK);
    fillAck(now, skb);
    counters.TcpOutSegs++;
    acksSent++;
    eventAckSent();
    out.xmit(skb);
  }

  /**
   * Switches the application between reading everything at once and not reading at all. When it
   * starts reading again, it reads what is queued now (which may send a window update).
   */
  public void setReading(long now, boolean on, PeerOutput out) {
    reading = on;
    if (on && state != PeerState.CLOSED && state != PeerState.SYN_RECV && rcvNxt != copiedSeq) appRead(now, out);
  }

  /**
   * The peer application aborts the connection (close() with SO_LINGER 0, or unread data):
   * net/ipv4/tcp.c::tcp_disconnect() sends an RST from snd_nxt acknowledging rcv_nxt
   * (tcp_send_active_reset()), then the socket is CLOSED (tcp_done()). Nothing happens in
   * SYN_RECV or CLOSED. Added for the peer-reset fault.
   */
  public void abort(long now, PeerOutput out) {
    if (state == PeerState.CLOSED || state == PeerState.SYN_RECV) return;
    if (state == PeerState.ESTABLISHED || state == PeerState.CLOSE_WAIT) counters.TcpEstabResets++;
    SkBuff rst = newSkb(sndNxt, TcpFlags.RST | TcpFlags.ACK);
    counters.TcpOutRsts++;
    counters.TcpOutSegs++;
    out.xmit(rst);
    rtxAt = NONE;
    compressedAckAt = NONE;
    ackPending = 0;
    setState(PeerState.CLOSED, out);
  }

  public void setCloseOnEof(boolean on) {
    closeOnEof = on;
  }

  // =====================================================================================
  // ACK decisions and transmission
  // =====================================================================================

  /** net/ipv4/tcp_input.c::tcp_ack_snd_check() → __tcp_ack_snd_check(sk, 1). */
  private void ackSndCheck(long now, PeerOutput out) {
    if (stateAfterFin) {
      stateAfterFin = false;
      setState(PeerState.CLOSE_WAIT, out);
    }
    if ((ackPending & ICSK_ACK_SCHED) == 0) return;
    boolean quickMode = inQuickackMode();
    // More than one full segment unacknowledged and the right edge can advance (sk_rcvlowat 1).
    if ((rcvNxt - rcvWup > rcvMss && (rcvNxt == copiedSeq || selectWindowRaw() >= rcvWnd))
        || quickMode
        || (ackPending & ICSK_ACK_NOW) != 0) {
      if (quickMode) quickAcks++;
      sendAck(now, out);
      return;
    }
    if (ofoCount == 0) {
      sendDelayedAck(now, out);
      return;
    }
    if (!sackOk || compressedAck >= config.tcpCompSackNr) {
      sendAck(now, out);
      return;
    }
    if (compressedAckRcvNxt != rcvNxt) {
      compressedAckRcvNxt = rcvNxt;
      dupAckCounter = 0;
    }
    if (dupAckCounter < TCP_FASTRETRANS_THRESH) {
      dupAckCounter++;
      sendAck(now, out);
      return;
    }
    compressedAck++;
    if (compressedAckAt != NONE) return;
    // Compressed-ACK timer: 5% of the RTT, at most tcp_comp_sack_delay_ns.
    long rtt = rcvRttUs;
    if (srttUs != 0 && srttUs < rtt) rtt = srttUs;
    long delay = Math.min(config.tcpCompSackDelayNs, rtt * (1000 >> 3) / 20);
    compressedAckAt = now + delay;
  }

  /** net/ipv4/tcp_output.c::tcp_send_delayed_ack(). */
  private void sendDelayedAck(long now, PeerOutput out) {
    int a = ato;
    if (a > TCP_DELACK_MIN) {
      int maxAto = 1000 / 2;
      if (pingpong || (ackPending & ICSK_ACK_PUSHED) != 0) maxAto = TCP_DELACK_MAX;
      if (srttUs != 0) {
        int rtt = (int) Math.max(usToJiffiesUp(srttUs >> 3), TCP_DELACK_MIN);
        if (rtt < maxAto) maxAto = rtt;
      }
      a = Math.min(a, maxAto);
    }
    a = Math.min(a, TCP_DELACK_MAX);
    long nowJ = jiffies(now);
    long timeout = nowJ + a;
    if ((ackPending & ICSK_ACK_TIMER) != 0) {
      // If the delayed-ACK timer is about to fire, ACK now.
      if (delackTimeout <= nowJ + (a >> 2)) {
        sendAck(now, out);
        return;
      }
      if (timeout >= delackTimeout) timeout = delackTimeout;
    }
    ackPending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
    delackTimeout = timeout;
  }

  /** net/ipv4/tcp_output.c::tcp_send_ack(): a bare ACK with window, TS and SACK blocks. */
  private void sendAck(long now, PeerOutput out) {
    if (state == PeerState.CLOSED) return;
    SkBuff skb = newSkb(sndNxt, TcpFlags.ACK);
    fillAck(now, skb);
    counters.TcpOutSegs++;
    acksSent++;
    eventAckSent();
    out.xmit(skb);
  }

  /** Window (tcp_select_window) and options (tcp_established_options) of a non-SYN segment. */
  private void fillAck(long now, SkBuff skb) {
    skb.window = selectWindow();
    TcpOptions opt = null;
    if (tstampOk) {
      opt = new TcpOptions();
      opt.timestamps = true;
      opt.tsVal = tsVal(now);
      opt.tsEcr = tsRecent;
    }
    int eff = sackOk ? numSacks + (dsack ? 1 : 0) : 0;
    if (eff > 0) {
      // MAX_TCP_OPTION_SPACE (40) less timestamps, 4 bytes of SACK header, 8 per block.
      int remaining = 40 - (tstampOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
      int n = Math.min(eff, (remaining - 4) / 8);
      int[] blocks = new int[2 * n];
      int k = 0;
      if (dsack) {
        blocks[k++] = dsackStart;
        blocks[k++] = dsackEnd;
      }
      for (int i = 0; k < 2 * n; i++) {
        blocks[k++] = sacks[2 * i];
        blocks[k++] = sacks[2 * i + 1];
      }
      if (opt == null) opt = new TcpOptions();
      opt.sackBlocks = blocks;
    }
    dsack = false;
    skb.options = opt;
  }

  /** net/ipv4/tcp_output.c::tcp_event_ack_sent(): ACK state is reset by any ACK we send. */
  private void eventAckSent() {
    if (compressedAck != 0) {
      counters.TcpExtTCPACKCompressed += compressedAck;
      compressedAck = 0;
      compressedAckAt = NONE;
    }
    // tcp_dec_quickack_mode()
    if (quick != 0) {
      int pkts = (ackPending & ICSK_ACK_SCHED) != 0 ? 1 : 0;
      if (pkts >= quick) {
        quick = 0;
        ato = TCP_ATO_MIN;
      } else {
        quick -= pkts;
      }
    }
    // inet_csk_clear_xmit_timer(ICSK_TIME_DACK)
    ackPending = 0;
  }

  /**
   * net/ipv4/tcp_output.c::tcp_select_window(): the window field of an outgoing segment. Never
   * shrinks the right edge; records rcv_wnd / rcv_wup.
   */
  private int selectWindow() {
    int oldWin = rcvWnd;
    if ((ackPending & ICSK_ACK_NOMEM) != 0) {
      rcvWnd = 0;
      rcvWup = rcvNxt;
      return 0;
    }
    int curWin = receiveWindow();
    int newWin = selectWindowRaw();
    if (newWin < curWin) {
      if (newWin == 0) counters.TcpExtTCPWantZeroWindowAdv++;
      int unit = 1 << rcvWscale;
      newWin = (curWin + unit - 1) & -unit;
    }
    rcvWnd = newWin;
    rcvWup = rcvNxt;
    long w = Math.min(newWin, 65535L << rcvWscale);
    int field = (int) (w >> rcvWscale);
    if (field == 0) {
      if (oldWin != 0) counters.TcpExtTCPToZeroWindowAdv++;
    } else if (oldWin == 0) {
      counters.TcpExtTCPFromZeroWindowAdv++;
    }
    return field;
  }

  /** net/ipv4/tcp_output.c::__tcp_select_window() (tcp_shrink_window = 0). */
  int selectWindowRaw() {
    int mss = rcvMss;
    int freeSpace = tcpSpace();
    int allowedSpace = winFromSpace(rcvbuf);
    int fullSpace = Math.min(windowClamp, allowedSpace);
    if (mss > fullSpace) {
      mss = fullSpace;
      if (mss <= 0) return 0;
    }
    if (freeSpace < (fullSpace >> 1)) {
      quick = 0;
      freeSpace &= -(1 << rcvWscale);
      if (freeSpace < (allowedSpace >> 4) || freeSpace < mss) return 0;
    }
    if (freeSpace > rcvSsthresh) freeSpace = rcvSsthresh;
    int window;
    if (rcvWscale != 0) {
      int unit = 1 << rcvWscale;
      window = (freeSpace + unit - 1) & -unit;
    } else {
      window = rcvWnd;
      if (window <= freeSpace - mss || window > freeSpace) window = freeSpace / mss * mss;
      else if (mss == fullSpace && freeSpace > window + (fullSpace >> 1)) window = freeSpace;
    }
    return window;
  }

  /** include/net/tcp.h tcp_receive_window(): what is left of the last advertised window. */
  int receiveWindow() {
    int win = rcvWup + rcvWnd - rcvNxt;
    return Math.max(win, 0);
  }

  /** include/net/tcp.h tcp_space(): window worth of the free receive buffer. */
  private int tcpSpace() {
    return winFromSpace((int) Math.max(Integer.MIN_VALUE, rcvbuf - rmemAlloc));
  }

  /** include/net/tcp.h tcp_win_from_space(). */
  private int winFromSpace(int space) {
    return (int) (((long) space * scalingRatio) >> TCP_RMEM_TO_WIN_SCALE);
  }

  // ---- SACK bookkeeping (net/ipv4/tcp_input.c) ----

  /** tcp_dsack_set(). */
  private void dsackSet(int seq, int endSeq) {
    if (!sackOk || !config.tcpDsack) return;
    if (Seq.before(seq, rcvNxt)) counters.TcpExtTCPDSACKOldSent++;
    else counters.TcpExtTCPDSACKOfoSent++;
    dsack = true;
    dsackStart = seq;
    dsackEnd = endSeq;
  }

  /** tcp_sack_extend(): grow block i when [seq, end) touches it. */
  private boolean sackExtend(int i, int seq, int end) {
    int s = sacks[2 * i], e = sacks[2 * i + 1];
    if (!Seq.after(seq, e) && !Seq.after(s, end)) {
      if (Seq.before(seq, s)) sacks[2 * i] = seq;
      if (Seq.after(end, e)) sacks[2 * i + 1] = end;
      return true;
    }
    return false;
  }

  /** tcp_sack_new_ofo_skb(): the newest block goes first. */
  private void sackNewOfoSkb(long now, int seq, int end) {
    if (sacks == null) sacks = new int[2 * TCP_NUM_SACKS];
    int cur = numSacks;
    if (cur == 0) {
      sacks[0] = seq;
      sacks[1] = end;
      numSacks = 1;
      return;
    }
    for (int i = 0; i < cur; i++) {
      if (sackExtend(i, seq, end)) {
        if (i >= TCP_SACK_BLOCKS_EXPECTED) sackCompressFlush();
        for (; i > 0; i--) swapSack(i, i - 1);
        if (cur > 1) sackMaybeCoalesce();
        return;
      }
    }
    if (cur >= TCP_SACK_BLOCKS_EXPECTED) sackCompressFlush();
    int i = cur;
    if (i >= TCP_NUM_SACKS) {
      i--;
      numSacks--;
    }
    for (; i > 0; i--) {
      sacks[2 * i] = sacks[2 * i - 2];
      sacks[2 * i + 1] = sacks[2 * i - 1];
    }
    sacks[0] = seq;
    sacks[1] = end;
    numSacks++;
  }

  /**
   * tcp_sack_compress_send_ack(): more blocks than expected flush a pending compressed ACK.
   * The ACK itself goes out from the caller's ack check (tcp_ack_snd_check), which sees it owed.
   */
  private void sackCompressFlush() {
    if (compressedAck == 0) return;
    compressedAckAt = NONE;
    counters.TcpExtTCPACKCompressed += compressedAck - 1;
    compressedAck = 0;
    ackPending |= ICSK_ACK_NOW;
  }

  private void swapSack(int a, int b) {
    int s = sacks[2 * a], e = sacks[2 * a + 1];
    sacks[2 * a] = sacks[2 * b];
    sacks[2 * a + 1] = sacks[2 * b + 1];
    sacks[2 * b] = s;
    sacks[2 * b + 1] = e;
  }

  /** tcp_sack_maybe_coalesce(): merge blocks that the first one now touches. */
  private void sackMaybeCoalesce() {
    int i = 1;
    while (i < numSacks) {
      if (sackExtend(0, sacks[2 * i], sacks[2 * i + 1])) {
        for (int k = i; k + 1 < numSacks; k++) {
          sacks[2 * k] = sacks[2 * k + 2];
          sacks[2 * k + 1] = sacks[2 * k + 3];
        }
        numSacks--;
      } else {
        i++;
      }
    }
  }

  /** tcp_sack_remove(): drop blocks that rcv_nxt has passed. */
  private void sackRemove() {
    if (ofoCount == 0) {
      numSacks = 0;
      return;
    }
    int k = 0;
    for (int i = 0; i < numSacks; i++) {
      if (!Seq.before(rcvNxt, sacks[2 * i])) continue;
      sacks[2 * k] = sacks[2 * i];
      sacks[2 * k + 1] = sacks[2 * i + 1];
      k++;
    }
    numSacks = k;
  }

  // =====================================================================================
  // Timers
  // =====================================================================================

  /** Earliest pending timer of this socket in ns, or Long.MAX_VALUE. */
  long nextTimerAt() {
    long t = rtxAt;
    if (readAt < t) t = readAt;
    if (compressedAckAt < t) t = compressedAckAt;
    if ((ackPending & ICSK_ACK_TIMER) != 0) {
      long d = delackTimeout * NS_PER_MS;
      if (d < t) t = d;
    }
    return t;
  }

  /** Runs every timer of this socket that is due at {@code now}; others stay armed. */
  void onTimer(long now, PeerOutput out) {
    if (state == PeerState.CLOSED) return;
    if (compressedAckAt != NONE && compressedAckAt <= now) {
      // tcp_compressed_ack_kick(): one ACK stands for the compressed ones.
      compressedAckAt = NONE;
      if (compressedAck != 0) {
        compressedAck--;
        sendAck(now, out);
      }
    }
    if ((ackPending & ICSK_ACK_TIMER) != 0 && delackTimeout <= jiffies(now)) delackTimer(now, out);
    if (rtxAt != NONE && rtxAt <= now) retransmitTimer(now, out);
    if (readAt != NONE && readAt <= now && state != PeerState.CLOSED) {
      // the rate-limited reader wakes: it reads again if data waits, else it waits for data
      readAt = NONE;
      if (reading && rcvNxt != copiedSeq) readChunk(now, out);
    }
  }

  /** net/ipv4/tcp_timer.c::tcp_delack_timer_handler(). */
  private void delackTimer(long now, PeerOutput out) {
    ackPending &= ~ICSK_ACK_TIMER;
    if ((ackPending & ICSK_ACK_SCHED) == 0) return;
    if (!pingpong) {
      ato = (int) Math.min((long) ato << 1, rtoMs);
    } else {
      pingpong = false;
      ato = TCP_ATO_MIN;
    }
    sendAck(now, out);
    delayedAcks++;
    counters.TcpExtDelayedACKs++;
  }

  /** SYN-ACK (inet_csk_reqsk_queue / reqsk_timer_handler) or FIN (tcp_retransmit_timer) retransmission. */
  private void retransmitTimer(long now, PeerOutput out) {
    if (state == PeerState.SYN_RECV) {
      if (rtxCount >= config.tcpSynackRetries) {
        rtxAt = NONE;
        setState(PeerState.CLOSED, out);
        return;
      }
      rtxCount++;
      counters.TcpRetransSegs++;
      counters.TcpExtTCPSynRetrans++;
      sendSynack(now, out);
      rtxAt = now + (TCP_TIMEOUT_INIT_MS << rtxCount) * NS_PER_MS;
    } else if (state == PeerState.LAST_ACK && sndUna != sndNxt) {
      if (rtxCount >= config.tcpRetries2) {
        rtxAt = NONE;
        setState(PeerState.CLOSED, out);
        return;
      }
      rtxCount++;
      counters.TcpRetransSegs++;
      counters.TcpExtTCPTimeouts++;
      SkBuff skb = newSkb(sndNxt - 1, TcpFlags.FIN | TcpFlags.ACK);
      fillAck(now, skb);
      skb.retransmit = true;
      counters.TcpOutSegs++;
      acksSent++;
      eventAckSent();
      out.xmit(skb);
      long rto = Math.min(rtoMs << Math.min(rtxCount, 20), TCP_RTO_MAX_MS);
      rtxAt = now + rto * NS_PER_MS;
    } else {
      rtxAt = NONE;
    }
  }

  // =====================================================================================
  // Payload check
  // =====================================================================================

  /**
   * Compares every data byte of the segment with the expected payload at its stream offset
   * (seq - (irs + 1), extended beyond 2^32 through bytesReceived). A mismatch is recorded and
   * reported, never ignored.
   */
  private void checkPayload(SkBuff seg, PeerListener.Scratch scratch, PeerOutput out) {
    int len = seg.len;
    if (len <= 0) return;
    long offset = bytesReceived + (seg.seq - rcvNxt);
    if (finReceived) offset += 1; // rcv_nxt is one past the FIN
    if (offset < 0) {
      uncheckedBytes += len;
      return;
    }
    byte[] got;
    int gotOff;
    if (seg.data != null && seg.groFrames != null) {
      checkGroPayload(seg, offset, scratch, out);
      return;
    }
    if (seg.data != null) {
      got = seg.data;
      gotOff = seg.dataOff;
    } else if (seg.payload != null) {
      if (seg.payload.equals(expected) && seg.streamOffset == offset) return; // same bytes by construction
      got = scratch.got(len);
      gotOff = 0;
      seg.payload.copyTo(seg.streamOffset, got, 0, len);
    } else {
      uncheckedBytes += len;
      return;
    }
    int mismatch = mismatch(offset, got, gotOff, len, scratch);
    if (mismatch >= 0) payloadError(offset + mismatch, out);
  }

  /**
   * The payload check of a GRO skb: the first frame holds gsoSize bytes at dataOff, each frame of
   * seg.groFrames the next gsoSize (the last the rest) at the same offset. One error per skb at
   * most, as for any other skb.
   */
  private void checkGroPayload(SkBuff seg, long offset, PeerListener.Scratch scratch, PeerOutput out) {
    int part = seg.gsoSize;
    int left = seg.len;
    int n = Math.min(part, left);
    int mismatch = mismatch(offset, seg.data, seg.dataOff, n, scratch);
    long at = offset + n;
    left -= n;
    byte[][] frames = seg.groFrames;
    for (int k = 0; mismatch < 0 && k < frames.length && left > 0; k++) {
      n = Math.min(part, left);
      mismatch = mismatch(at, frames[k], seg.dataOff, n, scratch);
      if (mismatch >= 0) mismatch += (int) (at - offset);
      at += n;
      left -= n;
    }
    if (mismatch >= 0) payloadError(offset + mismatch, out);
  }

  /** Index of the first of len bytes at got[gotOff..] that differs from the expected stream at offset, or -1. */
  private int mismatch(long offset, byte[] got, int gotOff, int len, PeerListener.Scratch scratch) {
    if (expected instanceof Payload.Generated generated) {
      return generated.mismatch(offset, got, gotOff, len); // compared in place, nothing copied
    }
    byte[] want = scratch.want(len);
    expected.copyTo(offset, want, 0, len);
    return Arrays.mismatch(want, 0, len, got, gotOff, gotOff + len);
  }

  private void payloadError(long bad, PeerOutput out) {
    payloadErrors++;
    if (firstMismatchOffset < 0 || bad < firstMismatchOffset) firstMismatchOffset = bad;
    out.payloadError(connId, bad);
  }

  // =====================================================================================
  // Helpers
  // =====================================================================================

  private SkBuff newSkb(int seq, int flags) {
    SkBuff skb = new SkBuff();
    skb.flow = flow;
    skb.seq = seq;
    skb.ackSeq = rcvNxt;
    skb.tcpFlags = flags;
    skb.truesize = SkBuff.truesizeFor(0);
    skb.connId = connId;
    return skb;
  }

  private static int truesizeOf(SkBuff seg) {
    return seg.truesize > 0 ? seg.truesize : SkBuff.truesizeFor(seg.len);
  }

  /** TS val: ms clock plus this connection's offset (tcp_clock_ts + ts_off). */
  int tsVal(long now) {
    return (int) (now / NS_PER_MS) + tsOffset;
  }

  static long jiffies(long now) {
    return now / NS_PER_MS;
  }

  /** usecs_to_jiffies() at HZ=1000, rounding up. */
  private static long usToJiffiesUp(long us) {
    return (us + 999) / 1000;
  }

  private void setState(PeerState to, PeerOutput out) {
    PeerState from = state;
    if (from == to) return;
    state = to;
    out.stateChange(this, from, to);
  }

  // =====================================================================================
  // Read-only view (ss -ti, tcp_info)
  // =====================================================================================

  public long connId() { return connId; }
  public FlowKey flow() { return flow; }
  public PeerState state() { return state; }
  public int iss() { return iss; }
  public int irs() { return irs; }
  public int rcvNxt() { return rcvNxt; }
  public int rcvWnd() { return rcvWnd; }
  public int rcvWscale() { return rcvWscale; }
  public int rcvMss() { return rcvMss; }
  public int rcvSsthresh() { return rcvSsthresh; }
  public int windowClamp() { return windowClamp; }
  public int rcvbuf() { return rcvbuf; }
  public long rmemAlloc() { return rmemAlloc; }
  public int ato() { return ato; }
  public int quick() { return quick; }
  public boolean pingpong() { return pingpong; }
  public long rtoMs() { return rtoMs; }
  public long srttUs() { return srttUs >> 3; }
  public long rcvRttUs() { return rcvRttUs >> 3; }
  public int tsOffset() { return tsOffset; }
  public boolean reading() { return reading; }
  public long readRateBytesPerSec() { return readRateBytesPerSec; }
  public int outOfOrderRanges() { return ofoCount; }
  /** In-order bytes received (tcpi_bytes_received). */
  public long bytesReceived() { return bytesReceived; }
  /** Bytes the application read. */
  public long bytesDelivered() { return bytesDelivered; }
  public long segsIn() { return segsIn; }
  public long dataSegsIn() { return dataSegsIn; }
  public long dupSegs() { return dupSegs; }
  public long ofoSegs() { return ofoSegs; }
  public long acksSent() { return acksSent; }
  /** ACKs sent by the delayed-ACK timer (TcpExtDelayedACKs for this socket). */
  public long delayedAcks() { return delayedAcks; }
  /** ACKs sent at once because of quickack mode. */
  public long quickAcks() { return quickAcks; }
  public long firstByteNs() { return firstByteNs; }
  public long lastByteNs() { return lastByteNs; }
  public long payloadErrors() { return payloadErrors; }
  /** Lowest stream offset found wrong, or -1. */
  public long firstMismatchOffset() { return firstMismatchOffset; }
  public long uncheckedBytes() { return uncheckedBytes; }
  public boolean eofRead() { return eofRead; }
}
