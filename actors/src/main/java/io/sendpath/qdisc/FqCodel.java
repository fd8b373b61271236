package io.sendpath.qdisc;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.NetXmit;

/**
 * fq_codel (net/sched/sch_fq_codel.c with include/net/codel.h and include/net/codel_impl.h):
 * skbs are hashed into 'flows' buckets, each a FIFO with its own CoDel state; buckets that just
 * became active sit on new_flows and are served before old_flows, in deficit round robin with a
 * quantum of bytes. CoDel drops at the head of a bucket once its sojourn time has stayed above
 * target for an interval; a full qdisc (limit packets or memory_limit bytes of truesize) drops a
 * batch from the head of the fattest bucket.
 *
 * <pre>
 *  enqueue ── fq_codel_classify (seeded 4-tuple hash, reciprocal_scale) ── bucket FIFO tail
 *               └─ bucket idle ⇒ new_flows tail, deficit = quantum, new_flow_count++
 *               └─ qlen > limit or memory_usage > memory_limit ⇒ fq_codel_drop (fattest bucket)
 *  dequeue ── new_flows head, else old_flows head ── deficit <= 0 ⇒ += quantum, to old_flows tail
 *               └─ codel_dequeue (head drops while dropping) ── empty ⇒ to old_flows (from new,
 *                  when old is not empty) or off the lists
 * </pre>
 *
 * <p>Times: CoDel keeps its clock in 1024-ns units in a u32 (codel_time_t, CODEL_SHIFT = 10), and
 * so does this class, with the kernel's wrapping comparisons; 'now' (ns) is shifted at each call.
 * So target 5 ms is 4882 units and interval 100 ms is 97656, exactly as in Linux.
 *
 * <p>Memory: the skbs held are bounded by 'limit' + 1 (one arrives before the limit check drops)
 * and by memory_limit bytes of truesize (plus one skb); their links and stamps live in preallocated
 * int arrays (a free list of packet slots), so enqueue and dequeue allocate nothing.
 *
 * <p>Not modelled: tc filters and skb->priority classification (fq_codel_classify() without a
 * filter, which is the default), per-class dumps, changing parameters on a live qdisc.
 */
public final class FqCodel implements Qdisc {
  /** fq_codel_init(): sch->limit = 10*1024 packets. */
  public static final int DEFAULT_LIMIT = 10 * 1024;
  /** fq_codel_init(): flows_cnt = 1024. */
  public static final int DEFAULT_FLOWS = 1024;
  /** fq_codel_init(): memory_limit = 32 MiB of skb truesize. */
  public static final int DEFAULT_MEMORY_LIMIT = 32 << 20;
  /** fq_codel_init(): drop_batch_size = 64. */
  public static final int DEFAULT_DROP_BATCH_SIZE = 64;
  /** codel_params_init(): target MS2TIME(5). */
  public static final long DEFAULT_TARGET_NS = 5_000_000L;
  /** codel_params_init(): interval MS2TIME(100). */
  public static final long DEFAULT_INTERVAL_NS = 100_000_000L;
  /** include/net/codel.h CODEL_SHIFT: codel_time_t counts 1024-ns units. */
  public static final int CODEL_SHIFT = 10;
  /** include/net/codel.h CODEL_DISABLED_THRESHOLD (INT_MAX): ce_threshold off. */
  public static final int CODEL_DISABLED_THRESHOLD = Integer.MAX_VALUE;
  /** include/net/codel.h REC_INV_SQRT_SHIFT: rec_inv_sqrt is a u16, the top half of a Q0.32. */
  static final int REC_INV_SQRT_SHIFT = 16;
  /** include/uapi/linux/in.h IPPROTO_TCP, hashed with the ports. */
  static final int IPPROTO_TCP = 6;
  /** Which list a bucket is on (list_empty(&flow->flowchain) for NONE). */
  private static final byte NONE = 0, NEW = 1, OLD = 2;

  // ---- parameters (fq_codel_sched_data, codel_params) ----
  /** sch->limit: packets, >= 1; q->q.qlen (requeued and peeked skbs included) is held at or under it. */
  private final int limit;
  /** flows_cnt: buckets, 1..65536. */
  private final int flowsCnt;
  /** quantum: DRR bytes per round, >= 256; psched_mtu() (MTU + Ethernet header) by default. */
  private final int quantum;
  /** drop_batch_size: most packets one fq_codel_drop() removes, >= 1. */
  private final int dropBatchSize;
  /** memory_limit: bytes of truesize held, at most 2^31. */
  private final long memoryLimit;
  /** cparams.target, codel_time_t units. */
  private final int target;
  /** cparams.interval, codel_time_t units. */
  private final int interval;
  /** cparams.ce_threshold, codel_time_t units; CODEL_DISABLED_THRESHOLD when off. */
  private final int ceThreshold;
  /** cparams.mtu: a bucket is never dropped from while the qdisc backlog is at or under this, bytes. */
  private final int mtu;
  /** cparams.ecn: mark ECT skbs CE instead of dropping them. */
  private final boolean ecn;
  /** Seed of the flow hash (the run seed); fixes each 4-tuple's bucket for the run. */
  private final long hashSeed;

  // ---- packet slots: one per held skb, linked per bucket ----
  /** The skb in a slot; null when the slot is free. Length limit + 1. */
  private final SkBuff[] pktSkb;
  /** Next slot in the same bucket (or in the free list), -1 at the end. */
  private final int[] pktNext;
  /** codel_set_enqueue_time(): enqueue time, codel_time_t. */
  private final int[] pktTime;
  /** qdisc_pkt_len() at enqueue, bytes. */
  private final int[] pktLen;
  /** get_codel_cb(skb)->mem_usage: the skb's truesize at enqueue. */
  private final int[] pktMem;
  /** Head of the free slot list, -1 when every slot is taken. */
  private int freeSlot;

  // ---- buckets (struct fq_codel_flow, backlogs[]) ----
  /** First and last slot of each bucket's FIFO; -1 when empty (head == -1 iff tail == -1). */
  private final int[] flowHead, flowTail;
  /** DRR deficit, bytes; may go negative by up to one skb's qdisc_pkt_len. */
  private final int[] deficit;
  /** q->backlogs[]: qdisc_pkt_len bytes in each bucket, >= 0; they sum to the bytes in the slots. */
  private final long[] backlogs;
  /** new_flows / old_flows links (flowchain): next and previous bucket on the same list, -1 at the ends. */
  private final int[] chainNext, chainPrev;
  /** The list each bucket is on: NONE, NEW or OLD. */
  private final byte[] onList;
  /** Heads and tails of new_flows and old_flows, -1 when empty. */
  private int newHead = -1, newTail = -1, oldHead = -1, oldTail = -1;
  /** Buckets on new_flows and old_flows (xstats new_flows_len, old_flows_len). */
  private int newFlowsLen, oldFlowsLen;

  // ---- struct codel_vars, one per bucket ----
  /** Drops since the dropping state was entered (u32). */
  private final int[] count;
  /** count when the dropping state was last entered (u32). */
  private final int[] lastcount;
  /** In the dropping state. */
  private final boolean[] dropping;
  /** 1/sqrt(count) as a u16 Q0.16. */
  private final int[] recInvSqrt;
  /** When sojourn went (or will have gone) above target for an interval; 0 when below. codel_time_t. */
  private final int[] firstAboveTime;
  /** Time of the next drop while dropping, or of the last one. codel_time_t. */
  private final int[] dropNext;
  /** Sojourn time of the last skb dequeued from the bucket. codel_time_t. */
  private final int[] ldelay;

  // ---- struct codel_stats and fq_codel counters ----
  /** Largest qdisc_pkt_len dequeued (xstats maxpacket). */
  private int maxpacket;
  /** Packets and bytes CoDel dropped in the current dequeue (cstats.drop_count / drop_len); 0 between dequeues. */
  private int dropCount;
  private long dropLen;
  /** Packets CoDel dropped at dequeue over the run (sum of every drop_count). */
  private long codelDrops;
  /** ECT skbs marked CE instead of dropped (ecn_mark) and marked for ce_threshold (ce_mark). */
  private long ecnMark, ceMark;
  /** Truesize bytes held in the buckets (memory_usage). */
  private long memoryUsage;
  /** Packets dropped by fq_codel_drop() (drop_overlimit), and those of them with memory over the limit (drop_overmemory). */
  private long dropOverlimit, dropOvermemory;
  /** Times a bucket joined new_flows (new_flow_count). */
  private long newFlowCount;
  private final QdiscStats stats = new QdiscStats();

  /** The skb a peek() took out (qdisc_peek_dequeued's sch->gso_skb); counted in qlen/backlog while held. */
  private SkBuff peeked;
  /** Latest virtual time seen, ns; used by the time-less peek(). */
  private long lastNow;

  // ---- scratch of one codel_dequeue step ----
  /** Enqueue time and length of the skb dequeue_func() returned last. */
  private int lastTime, lastLen;

  /** `tc qdisc add dev eth0 root fq_codel` on a device of this MTU: the 6.18 defaults, quantum = MTU + ETH_HLEN. */
  public FqCodel(int deviceMtu, long hashSeed) {
    this(DEFAULT_LIMIT, DEFAULT_FLOWS, deviceMtu + ETH_HLEN, DEFAULT_TARGET_NS, DEFAULT_INTERVAL_NS,
        DEFAULT_MEMORY_LIMIT, DEFAULT_DROP_BATCH_SIZE, true, -1, deviceMtu + ETH_HLEN, hashSeed);
  }

  /**
   * Every fq_codel parameter, as `tc qdisc ... fq_codel limit L flows F quantum Q target T
   * interval I memory_limit M drop_batch B [no]ecn ce_threshold C` sets them
   * (fq_codel_change(): quantum at least 256, drop_batch at least 1, memory_limit at most 2^31).
   * 'ceThresholdNs' < 0 leaves ce_threshold off; 'mtu' is psched_mtu() of the device (bytes).
   */
  public FqCodel(int limit, int flows, int quantum, long targetNs, long intervalNs, long memoryLimit,
      int dropBatchSize, boolean ecn, long ceThresholdNs, int mtu, long hashSeed) {
    if (limit < 1) throw new IllegalArgumentException("fq_codel limit must be at least 1, got " + limit);
    if (flows < 1 || flows > 65536) throw new IllegalArgumentException("fq_codel flows must be in 1..65536, got " + flows);
    if (targetNs < 0 || intervalNs <= 0) throw new IllegalArgumentException("fq_codel target/interval must be positive");
    this.limit = limit;
    this.flowsCnt = flows;
    this.quantum = Math.max(256, quantum);
    this.dropBatchSize = Math.max(1, dropBatchSize);
    this.memoryLimit = Math.min(1L << 31, memoryLimit);
    this.target = (int) (targetNs >> CODEL_SHIFT);
    this.interval = (int) (intervalNs >> CODEL_SHIFT);
    this.ceThreshold = ceThresholdNs < 0 ? CODEL_DISABLED_THRESHOLD : (int) (ceThresholdNs >> CODEL_SHIFT);
    this.ecn = ecn;
    this.mtu = mtu;
    this.hashSeed = hashSeed;
    int slots = limit + 1;
    pktSkb = new SkBuff[slots];
    pktNext = new int[slots];
    pktTime = new int[slots];
    pktLen = new int[slots];
    pktMem = new int[slots];
    for (int i = 0; i < slots; i++) pktNext[i] = i + 1 < slots ? i + 1 : -1;
    freeSlot = 0;
    flowHead = new int[flows];
    flowTail = new int[flows];
    deficit = new int[flows];
    backlogs = new long[flows];
    chainNext = new int[flows];
    chainPrev = new int[flows];
    onList = new byte[flows];
    count = new int[flows];
    lastcount = new int[flows];
    dropping = new boolean[flows];
    recInvSqrt = new int[flows];
    firstAboveTime = new int[flows];
    dropNext = new int[flows];
    ldelay = new int[flows];
    java.util.Arrays.fill(flowHead, -1);
    java.util.Arrays.fill(flowTail, -1);
    java.util.Arrays.fill(chainNext, -1);
    java.util.Arrays.fill(chainPrev, -1);
  }

  // ---- classification ----

  /**
   * fq_codel_classify() without filters → fq_codel_hash(): reciprocal_scale(skb_get_hash(skb), flows).
   * Returns the bucket, 0..flows-1 (the kernel's idx - 1).
   */
  public int classify(SkBuff skb) {
    return reciprocalScale(skbGetHash(skb, hashSeed), flowsCnt);
  }

  /**
   * skb_get_hash() for this model: a seeded, well-mixed hash of (saddr, daddr, sport, dport,
   * IPPROTO_TCP), both directions alike (net/core/flow_dissector.c::__flow_hash_consistentify()
   * orders the addresses and ports), never 0. An ARP skb has no flow: it hashes its ethertype
   * alone, so every ARP skb shares one bucket. (Linux's own hash of a locally generated TCP skb is
   * the socket's random sk_txhash, skb_set_hash_from_sk(); a seeded hash of the 4-tuple spreads
   * flows the same way but does not change on sk_rethink_txhash().)
   */
  static int skbGetHash(SkBuff skb, long seed) {
    FlowKey f = skb.flow;
    long h;
    if (f == null || skb.protocol != SkBuff.ETH_P_IP) {
      h = mix64(seed ^ (0x9E3779B97F4A7C15L * skb.protocol));
    } else {
      long a = f.saddr() & 0xFFFF_FFFFL, b = f.daddr() & 0xFFFF_FFFFL;
      int pa = f.sport(), pb = f.dport();
      if (a > b || (a == b && pa > pb)) {
        long t = a; a = b; b = t;
        int u = pa; pa = pb; pb = u;
      }
      h = mix64(seed ^ ((a << 32) | b));
      h = mix64(h ^ (((long) IPPROTO_TCP << 32) | ((long) pa << 16) | pb));
    }
    int hash = (int) (h >>> 32);
    return hash == 0 ? 1 : hash;
  }

  /** SplitMix64's finaliser (Stafford variant 13): every input bit reaches every output bit. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** include/linux/math.h::reciprocal_scale(): u32 val scaled into [0, epRo). */
  static int reciprocalScale(int val, int epRo) {
    return (int) (((val & 0xFFFF_FFFFL) * (epRo & 0xFFFF_FFFFL)) >>> 32);
  }

  // ---- enqueue ----

  @Override
  public int enqueue(SkBuff skb) {
    return enqueue(lastNow, skb);
  }

  /**
   * fq_codel_enqueue(): stamp, append to the bucket, put an idle bucket on new_flows; over limit
   * or memory_limit, fq_codel_drop() a batch from the fattest bucket and answer NET_XMIT_CN when
   * that was the arriving skb's own bucket, NET_XMIT_SUCCESS otherwise (the arriving skb itself
   * is at its bucket's tail and is dropped only when the batch empties the bucket).
   */
  @Override
  public int enqueue(long now, SkBuff skb) {
    lastNow = now;
    int idx = classify(skb);
    int len = Qdisc.pktLen(skb);
    int slot = freeSlot;
    if (slot < 0) throw new IllegalStateException("fq_codel: more than limit + 1 skbs held (qlen " + stats.qlen + ")");
    freeSlot = pktNext[slot];
    pktSkb[slot] = skb;
    pktNext[slot] = -1;
    pktTime[slot] = codelTime(now);
    pktLen[slot] = len;
    pktMem[slot] = skb.truesize;
    // flow_queue_add()
    if (flowHead[idx] < 0) flowHead[idx] = slot;
    else pktNext[flowTail[idx]] = slot;
    flowTail[idx] = slot;
    backlogs[idx] += len;
    stats.backlog += len;
    if (onList[idx] == NONE) {
      listAddTail(idx, NEW);
      newFlowCount++;
      deficit[idx] = quantum;
    }
    memoryUsage += skb.truesize;
    boolean memoryLimited = memoryUsage > memoryLimit;
    if (++stats.qlen <= limit && !memoryLimited) {
      stats.notePeak();
      return NetXmit.SUCCESS;
    }
    // over the limit: the peak is noted after the drop (qlen <= limit again), as the FIFOs never show limit + 1
    int prevQlen = stats.qlen;
    int hit = fqCodelDrop(dropBatchSize);
    int dropped = prevQlen - stats.qlen;
    dropOverlimit += dropped;
    if (memoryLimited) dropOvermemory += dropped;
    stats.notePeak();
    // qdisc_tree_reduce_backlog() informs parents only; a root qdisc has none.
    return hit == idx ? NetXmit.CN : NetXmit.SUCCESS;
  }

  /**
   * fq_codel_drop(): find the bucket with the largest backlog (a linear scan, as Linux does) and
   * drop from its head until half of that backlog is gone or 'maxPackets' skbs are. Returns the bucket.
   */
  private int fqCodelDrop(int maxPackets) {
    long maxBacklog = 0;
    int idx = 0;
    for (int i = 0; i < flowsCnt; i++) {
      if (backlogs[i] > maxBacklog) {
        maxBacklog = backlogs[i];
        idx = i;
      }
    }
    long threshold = maxBacklog >> 1;
    long len = 0, mem = 0;
    int n = 0;
    do {
      int slot = flowHead[idx];
      SkBuff skb = unlinkHead(idx, slot);
      len += pktLen[slot];
      mem += pktMem[slot];
      freeSlot(slot);
      skb.free(); // __qdisc_drop → kfree_skb
    } while (++n < maxPackets && len < threshold && flowHead[idx] >= 0);
    backlogs[idx] -= len;
    memoryUsage -= mem;
    stats.drops += n;
    stats.backlog -= len;
    stats.qlen -= n;
    return idx;
  }

  // ---- dequeue ----

  @Override
  public SkBuff dequeue() {
    return dequeue(lastNow);
  }

  /** qdisc_dequeue_peeked(): a peeked skb first; else fq_codel_dequeue(). */
  @Override
  public SkBuff dequeue(long now) {
    lastNow = now;
    SkBuff skb = peeked;
    if (skb != null) {
      peeked = null;
      stats.qlen--;
      stats.backlog -= Qdisc.pktLen(skb);
      return skb;
    }
    return fqCodelDequeue(now);
  }

  @Override
  public SkBuff peek() {
    return peek(lastNow);
  }

  /**
   * ->peek = qdisc_peek_dequeued(): fq_codel cannot look at its next skb without running DRR and
   * CoDel, so peek dequeues it (counted as sent, CoDel drops included) and holds it, still in
   * qlen and backlog, until the next dequeue returns it.
   */
  @Override
  public SkBuff peek(long now) {
    lastNow = now;
    if (peeked == null) {
      SkBuff skb = fqCodelDequeue(now);
      if (skb != null) {
        peeked = skb;
        stats.qlen++;
        stats.backlog += Qdisc.pktLen(skb);
      }
    }
    return peeked;
  }

  /** fq_codel_dequeue(): DRR over new_flows then old_flows, codel_dequeue() on the chosen bucket. */
  private SkBuff fqCodelDequeue(long nowNs) {
    int now = codelTime(nowNs);
    while (true) {
      int idx;
      boolean fromNew;
      if (newHead >= 0) {
        idx = newHead;
        fromNew = true;
      } else if (oldHead >= 0) {
        idx = oldHead;
        fromNew = false;
      } else {
        return null;
      }
      if (deficit[idx] <= 0) {
        deficit[idx] += quantum;
        listMoveTail(idx, OLD);
        continue;
      }
      SkBuff skb = codelDequeue(idx, now);
      if (skb == null) {
        // force a pass through old_flows so that new flows cannot starve old ones
        if (fromNew && oldHead >= 0) listMoveTail(idx, OLD);
        else listDel(idx);
        continue;
      }
      // qdisc_bstats_update()
      stats.bytes += lastLen;
      stats.packets++;
      deficit[idx] -= lastLen;
      // qdisc_tree_reduce_backlog(drop_count, drop_len) tells parents; a root has none, and its own
      // qlen and backlog fell in dequeue_func() already.
      codelDrops += dropCount;
      dropCount = 0;
      dropLen = 0;
      return skb;
    }
  }

  /**
   * include/net/codel_impl.h::codel_dequeue() on one bucket: take the head; while dropping and
   * the next drop is due, drop it (count++, Newton step, next drop at drop_next +
   * interval/sqrt(count)) and take the next; when not dropping and the sojourn time has stayed
   * above target for an interval, drop once and enter the dropping state, resuming the previous
   * drop rate if that state ended less than 16 intervals ago.
   */
  private SkBuff codelDequeue(int idx, int now) {
    SkBuff skb = dequeueFunc(idx);
    if (skb == null) {
      dropping[idx] = false;
      return null;
    }
    boolean drop = codelShouldDrop(skb, idx, now);
    if (dropping[idx]) {
      if (!drop) {
        dropping[idx] = false; // sojourn below target: leave the dropping state
      } else if (now - dropNext[idx] >= 0) {
        while (dropping[idx] && now - dropNext[idx] >= 0) {
          count[idx]++;
          codelNewtonStep(idx);
          if (ecn && inetEcnSetCe(skb)) {
            ecnMark++;
            dropNext[idx] = codelControlLaw(dropNext[idx], interval, recInvSqrt[idx]);
            return markCe(skb, idx);
          }
          dropLen += lastLen;
          dropFunc(skb);
          dropCount++;
          skb = dequeueFunc(idx);
          if (!codelShouldDrop(skb, idx, now)) dropping[idx] = false;
          else dropNext[idx] = codelControlLaw(dropNext[idx], interval, recInvSqrt[idx]);
        }
      }
    } else if (drop) {
      if (ecn && inetEcnSetCe(skb)) {
        ecnMark++;
      } else {
        dropLen += lastLen;
        dropFunc(skb);
        dropCount++;
        skb = dequeueFunc(idx);
        codelShouldDrop(skb, idx, now);
      }
      dropping[idx] = true;
      int delta = count[idx] - lastcount[idx];
      if (Integer.compareUnsigned(delta, 1) > 0 && 16 * interval - (now - dropNext[idx]) > 0) {
        count[idx] = delta;
        codelNewtonStep(idx);
      } else {
        count[idx] = 1;
        recInvSqrt[idx] = 0xFFFF; // ~0U >> REC_INV_SQRT_SHIFT
      }
      lastcount[idx] = count[idx];
      dropNext[idx] = codelControlLaw(now, interval, recInvSqrt[idx]);
    }
    return markCe(skb, idx);
  }

  /** The end of codel_dequeue(): CE-mark an ECT skb whose sojourn exceeded ce_threshold. */
  private SkBuff markCe(SkBuff skb, int idx) {
    if (skb != null && ldelay[idx] - ceThreshold > 0 && inetEcnSetCe(skb)) ceMark++;
    return skb;
  }

  /**
   * codel_should_drop(): records ldelay and maxpacket; false (and first_above_time cleared) when
   * the sojourn is under target or the whole qdisc holds at most one MTU; otherwise true once
   * the sojourn has been above target for an interval.
   */
  private boolean codelShouldDrop(SkBuff skb, int idx, int now) {
    if (skb == null) {
      firstAboveTime[idx] = 0;
      return false;
    }
    ldelay[idx] = now - lastTime;
    if (lastLen > maxpacket) maxpacket = lastLen;
    if (target - ldelay[idx] > 0 || stats.backlog <= mtu) {
      firstAboveTime[idx] = 0;
      return false;
    }
    if (firstAboveTime[idx] == 0) {
      firstAboveTime[idx] = now + interval;
      return false;
    }
    return now - firstAboveTime[idx] > 0;
  }

  /**
   * codel_Newton_step(): rec_inv_sqrt ← rec_inv_sqrt / 2 × (3 − count × rec_inv_sqrt²), in the
   * kernel's fixed point (Q0.32 intermediate, u64 arithmetic that wraps as Java's long does).
   */
  private void codelNewtonStep(int idx) {
    long invsqrt = ((long) recInvSqrt[idx] << REC_INV_SQRT_SHIFT) & 0xFFFF_FFFFL;
    long invsqrt2 = (invsqrt * invsqrt) >>> 32;
    long val = (3L << 32) - ((count[idx] & 0xFFFF_FFFFL) * invsqrt2);
    val >>>= 2;
    val = (val * invsqrt) >>> (32 - 2 + 1);
    recInvSqrt[idx] = (int) (val >>> REC_INV_SQRT_SHIFT) & 0xFFFF;
  }

  /** codel_control_law(): t + interval / sqrt(count), via rec_inv_sqrt. */
  static int codelControlLaw(int t, int interval, int recInvSqrt) {
    return t + reciprocalScale(interval, recInvSqrt << REC_INV_SQRT_SHIFT);
  }

  /**
   * include/net/inet_ecn.h::INET_ECN_set_ce() for IPv4: an ECT(0)/ECT(1) skb becomes CE and the
   * answer is true; CE stays CE (true); Not-ECT and non-IP skbs are left alone (false).
   */
  static boolean inetEcnSetCe(SkBuff skb) {
    if (skb.protocol != SkBuff.ETH_P_IP) return false;
    int ecnBits = skb.tos & 3;
    if (ecnBits == 0) return false;
    skb.tos |= 3;
    return true;
  }

  /** dequeue_func(): the bucket's head skb out of the qdisc (backlogs, memory, qlen, backlog fall). */
  private SkBuff dequeueFunc(int idx) {
    int slot = flowHead[idx];
    if (slot < 0) return null;
    SkBuff skb = unlinkHead(idx, slot);
    int len = pktLen[slot];
    backlogs[idx] -= len;
    memoryUsage -= pktMem[slot];
    stats.qlen--;
    stats.backlog -= len;
    lastTime = pktTime[slot];
    lastLen = len;
    freeSlot(slot);
    return skb;
  }

  /** drop_func(): kfree_skb and count the drop. */
  private void dropFunc(SkBuff skb) {
    skb.free();
    stats.drops++;
  }

  private SkBuff unlinkHead(int idx, int slot) {
    SkBuff skb = pktSkb[slot];
    int next = pktNext[slot];
    flowHead[idx] = next;
    if (next < 0) flowTail[idx] = -1;
    return skb;
  }

  private void freeSlot(int slot) {
    pktSkb[slot] = null;
    pktNext[slot] = freeSlot;
    freeSlot = slot;
  }

  private static int codelTime(long nowNs) {
    return (int) (nowNs >>> CODEL_SHIFT);
  }

  // ---- new_flows / old_flows ----

  private void listAddTail(int idx, byte list) {
    int tail = list == NEW ? newTail : oldTail;
    chainPrev[idx] = tail;
    chainNext[idx] = -1;
    if (tail >= 0) chainNext[tail] = idx;
    if (list == NEW) {
      if (newHead < 0) newHead = idx;
      newTail = idx;
      newFlowsLen++;
    } else {
      if (oldHead < 0) oldHead = idx;
      oldTail = idx;
      oldFlowsLen++;
    }
    onList[idx] = list;
  }

  /** list_del_init(&flow->flowchain). */
  private void listDel(int idx) {
    int prev = chainPrev[idx], next = chainNext[idx];
    if (onList[idx] == NEW) {
      if (prev >= 0) chainNext[prev] = next; else newHead = next;
      if (next >= 0) chainPrev[next] = prev; else newTail = prev;
      newFlowsLen--;
    } else {
      if (prev >= 0) chainNext[prev] = next; else oldHead = next;
      if (next >= 0) chainPrev[next] = prev; else oldTail = prev;
      oldFlowsLen--;
    }
    chainPrev[idx] = -1;
    chainNext[idx] = -1;
    onList[idx] = NONE;
  }

  /** list_move_tail(&flow->flowchain, list). */
  private void listMoveTail(int idx, byte list) {
    listDel(idx);
    listAddTail(idx, list);
  }

  // ---- Qdisc ----

  @Override
  public QdiscStats stats() {
    return stats;
  }

  /** fq_codel_init(): TCQ_F_CAN_BYPASS when limit >= 1 (always here). */
  @Override
  public boolean canBypass() {
    return true;
  }

  @Override
  public String kind() {
    return "fq_codel";
  }

  // ---- tc -s qdisc xstats (struct tc_fq_codel_qd_stats) ----

  public int maxpacket() { return maxpacket; }
  public long dropOverlimit() { return dropOverlimit; }
  public long dropOvermemory() { return dropOvermemory; }
  public long newFlowCount() { return newFlowCount; }
  public long ecnMark() { return ecnMark; }
  public long ceMark() { return ceMark; }
  /** memory_usage: truesize bytes held in the buckets. */
  public long memoryUsage() { return memoryUsage; }
  public int newFlowsLen() { return newFlowsLen; }
  public int oldFlowsLen() { return oldFlowsLen; }
  /** Packets CoDel dropped at dequeue (not a tc field: "dropped" less drop_overlimit). */
  public long codelDrops() { return codelDrops + dropCount; }

  public int limit() { return limit; }
  public int flows() { return flowsCnt; }
  public int quantum() { return quantum; }
  public long memoryLimit() { return memoryLimit; }
  public int dropBatchSize() { return dropBatchSize; }

  // ---- one bucket, for tests and `tc -s class show` style inspection ----

  /** q->backlogs[idx]: bytes in one bucket. */
  public long flowBacklog(int idx) { return backlogs[idx]; }
  /** Skbs in one bucket (a walk; not for the hot path). */
  public int flowQlen(int idx) {
    int n = 0;
    for (int s = flowHead[idx]; s >= 0; s = pktNext[s]) n++;
    return n;
  }
  public int flowDeficit(int idx) { return deficit[idx]; }
  /** codel_vars of one bucket. */
  public int codelCount(int idx) { return count[idx]; }
  public boolean codelDropping(int idx) { return dropping[idx]; }
  /** drop_next, codel_time_t units. */
  public int codelDropNext(int idx) { return dropNext[idx]; }
  public int codelRecInvSqrt(int idx) { return recInvSqrt[idx]; }

  /** The xstats lines of `tc -s qdisc show` for fq_codel. */
  public String xstats() {
    return "maxpacket " + maxpacket + " drop_overlimit " + dropOverlimit + " new_flow_count " + newFlowCount
        + " ecn_mark " + ecnMark + "\n new_flows_len " + newFlowsLen + " old_flows_len " + oldFlowsLen;
  }
}
