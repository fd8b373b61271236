package io.sendpath.tcp;

/**
 * TCP Small Queues as a byte-credit stage between one connection and IP: sk_wmem_alloc (the
 * truesize of clones handed below TCP and not yet freed) against the limit of
 * net/ipv4/tcp_output.c::tcp_small_queue_check(), the TSQ_THROTTLED bit, and tcp_wfree() giving
 * the credit back. Plain Java, no allocation; the connection asks {@link #smallQueueCheck} before
 * each transmit of data and calls {@link #wfree} on TX completion.
 *
 * <pre>
 *   tcp_write_xmit ──smallQueueCheck──► throttled? stop, TSQ_THROTTLED
 *        │ charge(truesize)                       ▲
 *        ▼                                        │ wfree(truesize): credit back; a throttled
 *   ip_queue_xmit … NIC TX completion ────────────┘ socket is serviced (tcp_tsq_handler)
 * </pre>
 *
 * sk_wmem_alloc in Linux counts one base reference besides the skbs; {@link #wmemAlloc} leaves
 * it out, so every comparison Linux makes against the refcount adds 1 here.
 */
final class TsqCredit {
  /** sk_wmem_alloc less its base reference: truesize of clones handed down and not yet freed. >= 0. */
  private long wmemAlloc;
  /** TSQ_THROTTLED in sk_tsq_flags: tcp_wfree must restart tcp_write_xmit (set by TSQ and by autocork). */
  private boolean throttled;
  /** How often tcp_small_queue_check() set TSQ_THROTTLED (a set bit is not counted again). */
  private long throttles;
  /** Virtual time the current small-queue throttle began; -1 when none is running. */
  private long throttledSince = -1;
  /** Time spent throttled by tcp_small_queue_check(), ns, closed throttles only. */
  private long throttledNs;

  /**
   * The limit of tcp_small_queue_check(): max(2 × truesize, pacing_rate >> sk_pacing_shift), at
   * most tcp_limit_output_bytes, shifted left by 'factor' (1 for retransmits: twice the room).
   */
  static long limit(int skbTruesize, long pacingRate, int pacingShift, long limitOutputBytes, int factor) {
    long limit = Math.max(2L * skbTruesize, pacingRate >>> pacingShift);
    limit = Math.min(limit, limitOutputBytes);
    return limit << factor;
  }

  /**
   * net/ipv4/tcp_output.c::tcp_small_queue_check(): true when the skb must wait for TX completions
   * (TSQ_THROTTLED is then set). An skb always goes when the retransmit queue is empty or holds a
   * single skb ('rtxEmptyOrSingle', tcp_rtx_queue_empty_or_single_skb()): no completion is then
   * needed to call the socket back.
   */
  boolean smallQueueCheck(long now, long limit, boolean rtxEmptyOrSingle) {
    if (wmemAlloc + 1 <= limit) return false;
    if (rtxEmptyOrSingle) return false;
    if (!throttled) throttles++;
    if (throttledSince < 0) throttledSince = now;
    throttled = true;
    return true;
  }

  /** An skb of 'truesize' is handed below TCP (skb_set_owner_w in __tcp_transmit_skb). */
  void charge(int truesize) {
    wmemAlloc += truesize;
  }

  /**
   * net/ipv4/tcp_output.c::tcp_wfree(): the credit of a freed clone comes back. Returns true when
   * TSQ_THROTTLED was set: the caller must service the socket (tcp_tsq_handler), at once or, when
   * the user owns the socket, through TCP_TSQ_DEFERRED at release.
   */
  boolean wfree(long now, int truesize) {
    wmemAlloc -= truesize;
    if (!throttled) return false;
    throttled = false;
    endThrottle(now);
    return true;
  }

  /** Sets TSQ_THROTTLED without counting a throttle (net/ipv4/tcp.c::tcp_push() autocorking). */
  void setThrottledByAutocork() {
    throttled = true;
  }

  /** The connection is gone (tcp_done): no completion will service it any more. */
  void clearThrottled(long now) {
    throttled = false;
    endThrottle(now);
  }

  private void endThrottle(long now) {
    if (throttledSince >= 0) {
      throttledNs += now - throttledSince;
      throttledSince = -1;
    }
  }

  boolean throttled() {
    return throttled;
  }

  long wmemAlloc() {
    return wmemAlloc;
  }

  long throttles() {
    return throttles;
  }

  /** Time throttled by tcp_small_queue_check() so far, ns, counting a throttle still running. */
  long throttledNs(long now) {
    return throttledNs + (throttledSince >= 0 ? now - throttledSince : 0);
  }
}
