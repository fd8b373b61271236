package io.sendpath.qdisc;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.NetXmit;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One TX queue of a device (struct netdev_queue) with its root qdisc, BQL state and the driver's
 * view of its TX ring. It runs the path from dev_queue_xmit() to ndo_start_xmit():
 *
 * <pre>
 *  xmit(skb) ── __dev_xmit_skb ──┬─ empty qdisc, TCQ_F_CAN_BYPASS ─► sch_direct_xmit ─┐
 *                                └─ qdisc->enqueue ─► __qdisc_run ──► qdisc_restart ─┤
 *                                                       (quota dev_tx_weight)        ▼
 *                           dequeue_skb (q->gso_skb first, bulk up to dql_avail) ─► startXmit ─► driver
 *  txCompleted(...) ── netdev_tx_completed_queue (BQL) + driver wake ─► __qdisc_run
 * </pre>
 *
 * <p>The queue is stopped by the driver when its ring is full (DRV_XOFF, one descriptor per skb,
 * tracked here as {@link #ringFree()}) and by BQL when the bytes in flight exceed the limit
 * (STACK_XOFF). Both are lifted by {@link #txCompleted}. Single-queue devices set
 * TCQ_F_ONETXQUEUE, so a stopped queue is not dequeued at all (dequeue_skb()).
 *
 * <p>BQL counts {@link Qdisc#pktLen} bytes per skb (wire bytes, as drivers such as ixgbe report
 * GSO skbs); the NIC must complete the same byte counts ({@link #bqlBytes}).
 */
public final class NetdevQueue {

  /** The driver side (ndo_start_xmit) and the softirq scheduler (__netif_schedule). */
  public interface Output {
    /** ndo_start_xmit(): NETDEV_TX_OK (the driver owns the skb now) or NETDEV_TX_BUSY (refused, skb still ours). */
    int startXmit(SkBuff skb);

    /** __netif_schedule(): call {@link #run} again soon (same instant); the quota ran out or a requeue happened. */
    void netifSchedule();
  }

  /** include/linux/netdevice.h enum netdev_tx. */
  public static final int NETDEV_TX_OK = 0x00, NETDEV_TX_BUSY = 0x10;
  /** net/core/dev.c dev_tx_weight = dev_weight (64) × dev_weight_tx_bias (1): packets per __qdisc_run. */
  public static final int DEV_TX_WEIGHT = 64;

  private final Qdisc qdisc;
  private final Output out;
  /** BQL state (struct netdev_queue dql). */
  private final Dql dql;
  /** q->gso_skb: skbs requeued after the driver refused them; sent before anything in the qdisc. Bounded by what was dequeued in one bulk. */
  private final ArrayDeque<SkBuff> gsoSkb = new ArrayDeque<>();
  /** Reused list for one bulk dequeue (try_bulk_dequeue_skb); empty between calls. */
  private final ArrayList<SkBuff> bulk = new ArrayList<>();
  /** TX descriptors in the driver's ring. */
  private final int ringSize;
  /** Free descriptors, 0..ringSize; each skb handed to the driver takes one until completed. */
  private int ringFree;
  /** Free descriptors needed before the driver wakes a ring-stopped queue, 1..ringSize. */
  private int wakeThreshold = 1;
  /** __QUEUE_STATE_DRV_XOFF: the driver stopped the queue (ring full). */
  private boolean drvXoff;
  /** __QUEUE_STATE_STACK_XOFF: BQL stopped the queue (dql_avail < 0). */
  private boolean stackXoff;
  /** Packets per __qdisc_run (dev_tx_weight), > 0. */
  private int quota = DEV_TX_WEIGHT;
  /** The driver calls netdev_tx_sent_queue / netdev_tx_completed_queue (BQL); many virtual drivers do not. */
  private boolean bqlEnabled = true;

  /** Skbs and bytes the driver accepted (netdev_queue tx_packets / tx_bytes). */
  private long txPackets, txBytes;
  /** Times the driver stopped the queue for a full ring, and woke it. */
  private long drvStops, drvWakes;
  /** Times BQL stopped the queue. */
  private long bqlStops;
  /** __netif_schedule calls made because the quota ran out. */
  private long quotaReschedules;

  public NetdevQueue(long now, Qdisc qdisc, int ringSize, Output out) {
    if (ringSize <= 0) throw new IllegalArgumentException("TX ring size must be positive, got " + ringSize);
    this.qdisc = qdisc;
    this.out = out;
    this.ringSize = ringSize;
    this.ringFree = ringSize;
    this.dql = new Dql(now);
  }

  /** BQL byte count the driver must report for this skb in {@link #txCompleted}. */
  public static int bqlBytes(SkBuff skb) {
    return Qdisc.pktLen(skb);
  }

  /** netif_xmit_frozen_or_stopped(). */
  public boolean stopped() {
    return drvXoff || stackXoff;
  }

  /**
   * net/core/dev.c::__dev_queue_xmit() → __dev_xmit_skb(): bypass an empty qdisc that allows it,
   * else enqueue and run the qdisc. Answers NET_XMIT_SUCCESS, or the qdisc's drop / congestion
   * answer (the skb has then been freed and counted by the qdisc).
   */
  public int xmit(long now, SkBuff skb) {
    if (qdisc.canBypass() && qdisc.qlen() == 0) {
      // qdisc_bstats_update(): a bypassed skb counts as sent by the qdisc.
      QdiscStats st = qdisc.stats();
      st.bytes += Qdisc.pktLen(skb);
      st.packets++;
      bulk.add(skb);
      if (schDirectXmit(now) && qdisc.qlen() > 0) qdiscRun(now);
      return NetXmit.SUCCESS;
    }
    int rc = qdisc.enqueue(now, skb);
    qdisc.stats().notePeak();
    qdiscRun(now);
    return rc;
  }

  /** net/sched/sch_generic.c::__qdisc_run(): send until the qdisc is empty, the queue stops, or the quota is spent. */
  public void run(long now) {
    qdiscRun(now);
  }

  private void qdiscRun(long now) {
    int left = quota;
    while (true) {
      // qdisc_restart(): dequeue_skb then sch_direct_xmit
      int packets = dequeueSkb(now);
      if (packets == 0) return;
      boolean more = schDirectXmit(now);
      if (!more) return;
      left -= packets;
      if (left <= 0) {
        quotaReschedules++;
        out.netifSchedule();
        return;
      }
    }
  }

  /**
   * net/sched/sch_generic.c::dequeue_skb(): a requeued skb first (one, if the queue is not
   * stopped), else nothing while stopped (TCQ_F_ONETXQUEUE), else one skb from the qdisc plus,
   * by try_bulk_dequeue_skb(), more while the BQL budget lasts. Fills {@link #bulk}; returns the
   * number of skbs taken.
   */
  private int dequeueSkb(long now) {
    if (!gsoSkb.isEmpty()) {
      if (stopped()) return 0;
      SkBuff skb = gsoSkb.pollFirst();
      QdiscStats st = qdisc.stats();
      st.qlen--;
      st.backlog -= Qdisc.pktLen(skb);
      bulk.add(skb);
      return 1;
    }
    if (stopped()) return 0;
    SkBuff skb = qdisc.dequeue(now);
    if (skb == null) return 0;
    bulk.add(skb);
    // qdisc_avail_bulklimit() = dql_avail(); GSO skbs count their whole length
    int byteLimit = (bqlEnabled ? dql.avail() : 0) - Qdisc.pktLen(skb);
    while (byteLimit > 0) {
      SkBuff next = qdisc.dequeue(now);
      if (next == null) break;
      byteLimit -= Qdisc.pktLen(next);
      bulk.add(next);
    }
    return bulk.size();
  }

  /**
   * net/sched/sch_generic.c::sch_direct_xmit() and net/core/dev.c::dev_hard_start_xmit() over
   * {@link #bulk}: hand skbs to the driver until it refuses one or stops the queue with skbs
   * left; the rest are requeued (dev_requeue_skb). Returns false when the queue is frozen or
   * stopped ("back off"), true when more may be sent.
   */
  private boolean schDirectXmit(long now) {
    int n = bulk.size();
    int i = 0;
    boolean busy = stopped();
    while (!busy && i < n) {
      SkBuff skb = bulk.get(i);
      int bytes = Qdisc.pktLen(skb);
      int rc = out.startXmit(skb);
      if (rc != NETDEV_TX_OK) {
        busy = true;
        break;
      }
      i++;
      txPackets++;
      txBytes += bytes;
      ringFree--;
      netdevTxSentQueue(bytes);
      // the driver's own check after filling a descriptor: no room for another skb
      if (ringFree == 0) netifTxStopQueue();
      // dev_hard_start_xmit(): netif_tx_queue_stopped(txq) with skbs left ⇒ NETDEV_TX_BUSY
      if (drvXoff && i < n) busy = true;
    }
    if (busy) {
      for (int k = i; k < n; k++) devRequeueSkb(bulk.get(k));
      bulk.clear();
      if (i < n) out.netifSchedule();
      return false;
    }
    bulk.clear();
    return true;
  }

  /** net/sched/sch_generic.c::__dev_requeue_skb(): back to q->gso_skb, still counted in the qdisc. */
  private void devRequeueSkb(SkBuff skb) {
    gsoSkb.addLast(skb);
    QdiscStats st = qdisc.stats();
    st.requeues++;
    st.backlog += Qdisc.pktLen(skb);
    st.qlen++;
    st.notePeak();
  }

  /** include/linux/netdevice.h::netdev_tx_sent_queue(): BQL accounting; stop the stack when over the limit. */
  private void netdevTxSentQueue(int bytes) {
    if (!bqlEnabled) return;
    dql.queued(bytes);
    if (dql.avail() >= 0) return;
    if (!stackXoff) bqlStops++;
    stackXoff = true;
  }

  /** netif_tx_stop_queue(): DRV_XOFF. */
  private void netifTxStopQueue() {
    if (!drvXoff) drvStops++;
    drvXoff = true;
  }

  /**
   * The driver's TX completion: 'descriptors' ring slots holding 'skbs' skbs of 'bytes' BQL bytes
   * were reclaimed. netdev_tx_completed_queue() runs dql_completed() and clears STACK_XOFF when
   * BQL has room; the driver wakes a ring-stopped queue once wakeThreshold descriptors are free
   * (netif_tx_wake_queue). A woken queue is run at once.
   */
  public void txCompleted(long now, int descriptors, int skbs, long bytes) {
    if (descriptors < 0 || ringFree + descriptors > ringSize)
      throw new IllegalStateException("txCompleted: " + descriptors + " descriptors but only "
          + (ringSize - ringFree) + " in use");
    if (bytes < 0 || bytes > 0xFFFF_FFFFL) throw new IllegalArgumentException("txCompleted: bad byte count " + bytes);
    ringFree += descriptors;
    boolean schedule = false;
    if (bytes != 0 && bqlEnabled) {
      dql.completed(now, (int) bytes);
      if (dql.avail() >= 0 && stackXoff) {
        stackXoff = false;
        schedule = true;
      }
    }
    if (drvXoff && ringFree >= wakeThreshold) {
      drvXoff = false;
      drvWakes++;
      schedule = true;
    }
    if (schedule && !stopped()) qdiscRun(now);
  }

  // ---- configuration ----

  /** Free descriptors the driver wants before waking a ring-stopped queue (e.g. ixgbe's TX_WAKE_THRESHOLD). */
  public NetdevQueue wakeThreshold(int descriptors) {
    if (descriptors < 1 || descriptors > ringSize)
      throw new IllegalArgumentException("wake threshold must be in 1.." + ringSize + ", got " + descriptors);
    wakeThreshold = descriptors;
    return this;
  }

  /** Whether the driver does BQL; without it qdisc_avail_bulklimit() is 0 and nothing stops for bytes. Set before the first xmit. */
  public NetdevQueue bql(boolean enabled) {
    bqlEnabled = enabled;
    return this;
  }

  /** net.core.dev_weight × dev_weight_tx_bias: packets per qdisc run. */
  public NetdevQueue quota(int packets) {
    if (packets <= 0) throw new IllegalArgumentException("quota must be positive, got " + packets);
    quota = packets;
    return this;
  }

  // ---- state and counters ----

  public Qdisc qdisc() {
    return qdisc;
  }

  public Dql dql() {
    return dql;
  }

  public int ringFree() {
    return ringFree;
  }

  public int ringSize() {
    return ringSize;
  }

  /** __QUEUE_STATE_DRV_XOFF. */
  public boolean drvXoff() {
    return drvXoff;
  }

  /** __QUEUE_STATE_STACK_XOFF. */
  public boolean stackXoff() {
    return stackXoff;
  }

  public long txPackets() {
    return txPackets;
  }

  public long txBytes() {
    return txBytes;
  }

  public long drvStops() {
    return drvStops;
  }

  public long drvWakes() {
    return drvWakes;
  }

  public long bqlStops() {
    return bqlStops;
  }

  public long quotaReschedules() {
    return quotaReschedules;
  }

  /** Skbs held in q->gso_skb after a refusal. */
  public int requeued() {
    return gsoSkb.size();
  }
}
