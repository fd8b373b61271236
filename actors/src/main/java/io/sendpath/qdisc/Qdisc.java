package io.sendpath.qdisc;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.wire.ArpPacket;

/**
 * A queueing discipline (struct Qdisc_ops): the bounded queue between dev_queue_xmit() and the
 * driver. enqueue answers with a NET_XMIT code ({@link io.sendpath.protocol.ops.NetXmit}); an skb
 * the qdisc drops is freed there ({@link SkBuff#free()}, qdisc_drop → kfree_skb) and counted in
 * {@link QdiscStats#drops}, so the caller never touches it again.
 *
 * <p>{@link #qlen()} and {@link #backlog()} are q->q.qlen and the backlog as `tc` shows them: they
 * include skbs the device queue requeued (q->gso_skb), which the device queue accounts in
 * {@link #stats()} itself.
 */
public interface Qdisc {
  /** ETH_HLEN (include/uapi/linux/if_ether.h). */
  int ETH_HLEN = 14;
  /** IPv4 and TCP header sizes without options. */
  int IP_HLEN = 20, TCP_HLEN = 20;

  /** ->enqueue(): NET_XMIT_SUCCESS, or NET_XMIT_DROP / NET_XMIT_CN after freeing and counting a drop. */
  int enqueue(SkBuff skb);

  /** ->dequeue(): the next skb to send, or null; counts it in bytes/packets. */
  SkBuff dequeue();

  /**
   * ->enqueue() at virtual time 'now' (ns). Qdiscs that keep time (fq_codel stamps each skb for
   * CoDel's sojourn time) override this; the FIFOs ignore the time.
   */
  default int enqueue(long now, SkBuff skb) {
    return enqueue(skb);
  }

  /** ->dequeue() at virtual time 'now' (ns); the FIFOs ignore the time. */
  default SkBuff dequeue(long now) {
    return dequeue();
  }

  /** ->peek(): the skb dequeue() would return, left in place; null when empty. */
  SkBuff peek();

  /** ->peek() at virtual time 'now' (ns), for qdiscs whose peek dequeues (qdisc_peek_dequeued). */
  default SkBuff peek(long now) {
    return peek();
  }

  /** q->q.qlen: skbs held, requeued ones included. */
  default int qlen() {
    return stats().qlen;
  }

  /** Backlog in qdisc_pkt_len bytes, requeued ones included. */
  default long backlog() {
    return stats().backlog;
  }

  QdiscStats stats();

  /** TCQ_F_CAN_BYPASS: an skb arriving at an empty qdisc may go straight to the driver. */
  boolean canBypass();

  /** The `tc` kind: "pfifo_fast", "pfifo", "fq_codel". */
  String kind();

  /**
   * net/core/dev.c::qdisc_pkt_len_init(): bytes the qdisc charges for an skb, its Ethernet header
   * included; a GSO skb counts its headers once per segment, as the wire will carry them.
   */
  static int pktLen(SkBuff skb) {
    if (skb.protocol == SkBuff.ETH_P_ARP) return ETH_HLEN + ArpPacket.LENGTH;
    int hdr = ETH_HLEN + IP_HLEN + TCP_HLEN + (skb.options == null ? 0 : skb.options.length());
    int segs = skb.gsoSegs > 1 ? skb.gsoSegs : 1;
    return skb.len + hdr * segs;
  }
}
