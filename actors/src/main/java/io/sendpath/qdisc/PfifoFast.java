package io.sendpath.qdisc;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.NetXmit;

/**
 * The default qdisc, pfifo_fast (net/sched/sch_generic.c): three FIFO bands, band 0 served first.
 * The band comes from skb->priority through prio2band; each band is a ring of dev->tx_queue_len
 * slots (pfifo_fast_init() sizes every skb_array to tx_queue_len), so up to 3 × txqueuelen skbs
 * can wait in total. A full band answers NET_XMIT_DROP (pfifo_fast_enqueue() → qdisc_drop()).
 *
 * <p>skb->priority is sk->sk_priority, which setsockopt(IP_TOS) sets to rt_tos2priority(tos); this
 * model has no SO_PRIORITY, so the priority is derived from the skb's TOS the same way.
 */
public final class PfifoFast implements Qdisc {
  /** include/uapi/linux/pkt_sched.h TC_PRIO_* values. */
  public static final int TC_PRIO_BESTEFFORT = 0, TC_PRIO_FILLER = 1, TC_PRIO_BULK = 2,
      TC_PRIO_INTERACTIVE_BULK = 4, TC_PRIO_INTERACTIVE = 6, TC_PRIO_CONTROL = 7, TC_PRIO_MAX = 15;
  public static final int PFIFO_FAST_BANDS = 3;

  /** net/sched/sch_generic.c prio2band: priority → band (0 is served first). */
  private static final int[] PRIO2BAND = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};

  /** net/ipv4/route.c ip_tos2prio, indexed by IPTOS_TOS(tos) >> 1 (ECN_OR_COST(x) = x). */
  private static final int[] IP_TOS2PRIO = {
      TC_PRIO_BESTEFFORT, TC_PRIO_BESTEFFORT, TC_PRIO_BESTEFFORT, TC_PRIO_BESTEFFORT,
      TC_PRIO_BULK, TC_PRIO_BULK, TC_PRIO_BULK, TC_PRIO_BULK,
      TC_PRIO_INTERACTIVE, TC_PRIO_INTERACTIVE, TC_PRIO_INTERACTIVE, TC_PRIO_INTERACTIVE,
      TC_PRIO_INTERACTIVE_BULK, TC_PRIO_INTERACTIVE_BULK, TC_PRIO_INTERACTIVE_BULK, TC_PRIO_INTERACTIVE_BULK};

  /** One ring per band, each of capacity txqueuelen. */
  private final SkbRing[] bands = new SkbRing[PFIFO_FAST_BANDS];
  private final QdiscStats stats = new QdiscStats();

  /** pfifo_fast_init(): txqueuelen must be positive (Linux rejects 0 with EINVAL). */
  public PfifoFast(int txQueueLen) {
    for (int b = 0; b < PFIFO_FAST_BANDS; b++) bands[b] = new SkbRing(txQueueLen);
  }

  /** include/net/route.h::rt_tos2priority(): IPTOS_TOS_MASK (0x1E) bits of tos, ECN bits ignored. */
  public static int rtTos2Priority(int tos) {
    return IP_TOS2PRIO[(tos & 0x1E) >> 1];
  }

  /** The band pfifo_fast_enqueue() picks for an skb. */
  public static int band(SkBuff skb) {
    return PRIO2BAND[rtTos2Priority(skb.tos) & TC_PRIO_MAX];
  }

  @Override
  public int enqueue(SkBuff skb) {
    SkbRing ring = bands[band(skb)];
    int len = Qdisc.pktLen(skb);
    if (!ring.produce(skb)) {
      // qdisc_drop(): count and free (SKB_DROP_REASON_QDISC_OVERLIMIT)
      stats.drops++;
      skb.free();
      return NetXmit.DROP;
    }
    stats.qlen++;
    stats.backlog += len;
    return NetXmit.SUCCESS;
  }

  @Override
  public SkBuff dequeue() {
    for (int b = 0; b < PFIFO_FAST_BANDS; b++) {
      SkBuff skb = bands[b].consume();
      if (skb != null) {
        int len = Qdisc.pktLen(skb);
        stats.qlen--;
        stats.backlog -= len;
        stats.bytes += len;
        stats.packets++;
        return skb;
      }
    }
    return null;
  }

  @Override
  public SkBuff peek() {
    for (int b = 0; b < PFIFO_FAST_BANDS; b++) {
      SkBuff skb = bands[b].peek();
      if (skb != null) return skb;
    }
    return null;
  }

  /** Skbs waiting in one band. */
  public int bandQlen(int band) {
    return bands[band].size();
  }

  @Override
  public QdiscStats stats() {
    return stats;
  }

  /** pfifo_fast_init() sets TCQ_F_CAN_BYPASS. */
  @Override
  public boolean canBypass() {
    return true;
  }

  @Override
  public String kind() {
    return "pfifo_fast";
  }
}
