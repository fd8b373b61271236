package io.sendpath.qdisc;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.NetXmit;

/**
 * pfifo (net/sched/sch_fifo.c): one FIFO limited in packets, by default dev->tx_queue_len
 * (fifo_init()). pfifo_enqueue() compares q->q.qlen, which includes skbs the device queue
 * requeued, with the limit, and answers NET_XMIT_DROP through qdisc_drop() when it is reached.
 */
public final class Pfifo implements Qdisc {
  /** Queued skbs; capacity == limit, so produce() never fails before the qlen check does. */
  private final SkbRing queue;
  /** sch->limit in packets, > 0. */
  private final int limit;
  private final QdiscStats stats = new QdiscStats();

  public Pfifo(int limit) {
    if (limit <= 0) throw new IllegalArgumentException("pfifo limit must be positive, got " + limit);
    this.limit = limit;
    this.queue = new SkbRing(limit);
  }

  @Override
  public int enqueue(SkBuff skb) {
    if (stats.qlen < limit && queue.produce(skb)) {
      stats.qlen++;
      stats.backlog += Qdisc.pktLen(skb);
      return NetXmit.SUCCESS;
    }
    stats.drops++;
    skb.free();
    return NetXmit.DROP;
  }

  @Override
  public SkBuff dequeue() {
    SkBuff skb = queue.consume();
    if (skb != null) {
      int len = Qdisc.pktLen(skb);
      stats.qlen--;
      stats.backlog -= len;
      stats.bytes += len;
      stats.packets++;
    }
    return skb;
  }

  @Override
  public SkBuff peek() {
    return queue.peek();
  }

  public int limit() {
    return limit;
  }

  @Override
  public QdiscStats stats() {
    return stats;
  }

  /** fifo_init(): pfifo may bypass when its limit is at least one packet. */
  @Override
  public boolean canBypass() {
    return true;
  }

  @Override
  public String kind() {
    return "pfifo";
  }
}
