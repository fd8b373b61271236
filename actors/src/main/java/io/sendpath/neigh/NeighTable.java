package io.sendpath.neigh;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.wire.ArpPacket;
import java.util.ArrayDeque;
import java.util.Random;

/**
 * The IPv4 neighbour table of one device (arp_tbl; net/core/neighbour.c with the ARP parts of
 * net/ipv4/arp.c): resolves next hops to MAC addresses, holds skbs while resolving, and runs the
 * NUD state machine with its timers.
 *
 * <pre>
 *  NONE/FAILED ──output──► INCOMPLETE ──reply──► REACHABLE ──reachable_time──► STALE
 *                             │ 3 broadcast probes,                             │ output
 *                             ▼ 1 s apart                                       ▼
 *                           FAILED (queue dropped, EHOSTUNREACH)   REACHABLE ◄─confirm── DELAY
 *                                                                  ▲          (5 s)     │ no confirm
 *                                                                  └──reply── PROBE ◄───┘
 *                                                                  3 unicast probes, then FAILED
 * </pre>
 *
 * <p>Time is virtual ns. Timers are per entry (neigh->timer); the caller asks {@link #nextTimerAt()}
 * and calls {@link #onTimer(long)} then. Settings come from the neigh.* sysctls; locktime (1 s),
 * mcast_reprobes (0) and app_solicit (0) are arp_tbl's fixed defaults. Not modelled: garbage
 * collection of unused entries (gc_stale_time, gc_thresh*), proxy ARP, arp_accept / arp_ignore /
 * arp_announce other than their defaults, gratuitous ARP handling.
 */
public final class NeighTable {

  /** Effects of the table. */
  public interface Output {
    /** A frame ready for the device queue: a resolved skb (dstMac/srcMac filled) or an ARP skb (ETH_P_ARP). */
    void xmit(SkBuff skb);

    /** The table dropped 'skb' for 'reason' (DROP_NEIGH_*); the caller frees it and reports {@link #errnoOf}. */
    void drop(SkBuff skb, int reason);
  }

  // include/uapi/linux/neighbour.h
  public static final int NUD_NONE = 0x00, NUD_INCOMPLETE = 0x01, NUD_REACHABLE = 0x02, NUD_STALE = 0x04,
      NUD_DELAY = 0x08, NUD_PROBE = 0x10, NUD_FAILED = 0x20, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80;
  // include/net/neighbour.h
  public static final int NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
  public static final int NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
  public static final int NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

  /** SKB_DROP_REASON_NEIGH_QUEUEFULL: pushed out of the unresolved queue (no error reported). */
  public static final int DROP_NEIGH_QUEUEFULL = 1;
  /** SKB_DROP_REASON_NEIGH_FAILED: resolution failed; arp_error_report() makes the socket see EHOSTUNREACH. */
  public static final int DROP_NEIGH_FAILED = 2;
  /** include/uapi/asm-generic/errno.h. */
  public static final int EHOSTUNREACH = 113;

  /** {@link #output} answers: handed to xmit, held in the unresolved queue, or dropped. */
  public static final int NEIGH_XMIT = 0, NEIGH_QUEUED = 1, NEIGH_DROPPED = 2;

  private static final long NS_PER_MS = 1_000_000L;
  /** HZ / 100: the floor on retrans_time and on any rearmed neighbour timer. */
  private static final long MIN_TIMER_NS = 10 * NS_PER_MS;
  /** net/ipv4/arp.c arp_tbl NEIGH_VAR_LOCKTIME = 1 * HZ: back-to-back replies keep the first address. */
  public static final long LOCKTIME_NS = 1_000_000_000L;
  /** net/core/neighbour.c::neigh_periodic_work(): reachable_time is re-drawn every 300 s. */
  private static final long REACH_RAND_INTERVAL_NS = 300_000_000_000L;
  /** Bytes of an ARP skb's frame: Ethernet header plus ARP body. */
  private static final int ARP_FRAME_LEN = 14 + ArpPacket.LENGTH;

  private final Output out;
  private final Random random;
  /** This device's IPv4 address (the only local address; arp_announce 0 picks it). */
  private final int ourIp;
  /** This device's MAC, low 48 bits. */
  private final long ourMac;

  /** neigh.unres_qlen_bytes: bound on each entry's queued truesize. */
  private final long unresQlenBytes;
  /** neigh.mcast_solicit: broadcast probes in INCOMPLETE. */
  private final int mcastProbes;
  /** neigh.ucast_solicit: unicast probes in PROBE. */
  private final int ucastProbes;
  /** neigh.retrans_time_ms in ns, at least 10 ms when used. */
  private final long retransNs;
  /** neigh.base_reachable_time_ms in ms. */
  private final long baseReachableMs;
  /** neigh.delay_first_probe_time in ns. */
  private final long delayProbeNs;
  /** parms->reachable_time: base × [0.5, 1.5), drawn from 'random'. */
  private long reachableNs;
  /** tbl->last_rand: when reachableNs was last drawn. */
  private long lastRand;

  // ---- entries: open addressing ip → Neighbour, insert only (no GC) ----
  private int[] keys = new int[16];
  private Neighbour[] entries = new Neighbour[16];
  private int size;

  // ---- timers: binary min-heap on Neighbour.timerAt ----
  private Neighbour[] heap = new Neighbour[16];
  private int heapSize;

  // ---- statistics (/proc/net/stat/arp_cache names) ----
  private long allocs, lookups, hits, resFailed, unresolvedDiscards, arpRequests, arpReplies;

  public NeighTable(long now, int ourIp, long ourMac, Sysctls sysctls, Random random, Output out) {
    this.out = out;
    this.random = random;
    this.ourIp = ourIp;
    this.ourMac = ourMac;
    this.unresQlenBytes = sysctls.getLong("neigh.unres_qlen_bytes");
    this.mcastProbes = sysctls.getInt("neigh.mcast_solicit");
    this.ucastProbes = sysctls.getInt("neigh.ucast_solicit");
    this.retransNs = sysctls.getLong("neigh.retrans_time_ms") * NS_PER_MS;
    this.baseReachableMs = sysctls.getLong("neigh.base_reachable_time_ms");
    this.delayProbeNs = sysctls.getLong("neigh.delay_first_probe_time") * 1_000_000_000L;
    this.reachableNs = randReachTime();
    this.lastRand = now;
  }

  /** net/core/neighbour.c::neigh_rand_reach_time(): uniform in [base/2, 3·base/2) ms, as ns. */
  private long randReachTime() {
    if (baseReachableMs <= 0) return 0;
    long ms = (long) (random.nextDouble() * baseReachableMs) + (baseReachableMs >> 1);
    return ms * NS_PER_MS;
  }

  private long reachableTime(long now) {
    if (now - lastRand > REACH_RAND_INTERVAL_NS) {
      lastRand = now;
      reachableNs = randReachTime();
    }
    return reachableNs;
  }

  /** The SKB_DROP_REASON → error the sending socket sees: EHOSTUNREACH for a failed resolution, 0 otherwise. */
  public static int errnoOf(int reason) {
    return reason == DROP_NEIGH_FAILED ? EHOSTUNREACH : 0;
  }

  public static String stateName(int state) {
    switch (state) {
      case NUD_NONE: return "NONE";
      case NUD_INCOMPLETE: return "INCOMPLETE";
      case NUD_REACHABLE: return "REACHABLE";
      case NUD_STALE: return "STALE";
      case NUD_DELAY: return "DELAY";
      case NUD_PROBE: return "PROBE";
      case NUD_FAILED: return "FAILED";
      case NUD_NOARP: return "NOARP";
      case NUD_PERMANENT: return "PERMANENT";
      default: return "0x" + Integer.toHexString(state);
    }
  }

  // =====================================================================================
  // Output path
  // =====================================================================================

  /**
   * net/core/neighbour.c::neigh_output(): a connected entry sends at once with its cached
   * header; otherwise neigh_resolve_output() → neigh_event_send() may start resolution and
   * queue the skb. Returns NEIGH_XMIT, NEIGH_QUEUED (answer SUCCESS upward, as Linux does) or
   * NEIGH_DROPPED (already reported through {@link Output#drop}).
   */
  public int output(long now, SkBuff skb, int nextHop) {
    Neighbour n = lookupOrCreate(now, nextHop);
    if ((n.state & NUD_CONNECTED) != 0) {
      hhOutput(n, skb);
      return NEIGH_XMIT;
    }
    return resolveOutput(now, n, skb);
  }

  private void hhOutput(Neighbour n, SkBuff skb) {
    skb.dstMac = n.ha;
    skb.srcMac = ourMac;
    out.xmit(skb);
  }

  /** neigh_resolve_output(). */
  private int resolveOutput(long now, Neighbour n, SkBuff skb) {
    int rc = eventSend(now, n, skb);
    if (rc == NEIGH_XMIT) hhOutput(n, skb);
    return rc;
  }

  /** include/net/neighbour.h::neigh_event_send() and net/core/neighbour.c::__neigh_event_send(). */
  private int eventSend(long now, Neighbour n, SkBuff skb) {
    n.used = now;
    if ((n.state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) != 0) return NEIGH_XMIT;
    boolean immediateProbe = false;
    if ((n.state & (NUD_STALE | NUD_INCOMPLETE)) == 0) {
      // NONE or FAILED: start resolving
      if (mcastProbes > 0) {
        n.probes = ucastProbes;
        setState(n, NUD_INCOMPLETE, now);
        immediateProbe = true;
        addTimer(n, now + Math.max(retransNs, MIN_TIMER_NS));
      } else {
        setState(n, NUD_FAILED, now);
        out.drop(skb, DROP_NEIGH_FAILED);
        return NEIGH_DROPPED;
      }
    } else if (n.state == NUD_STALE) {
      setState(n, NUD_DELAY, now);
      addTimer(n, now + delayProbeNs);
    }
    int rc = NEIGH_XMIT;
    if (n.state == NUD_INCOMPLETE) {
      if (skb != null) {
        if (n.arpQueue == null) n.arpQueue = new ArrayDeque<>();
        // drop the oldest until the new skb fits unres_qlen_bytes
        while (n.arpQueueLenBytes + skb.truesize > unresQlenBytes) {
          SkBuff old = n.arpQueue.pollFirst();
          if (old == null) break;
          n.arpQueueLenBytes -= old.truesize;
          unresolvedDiscards++;
          out.drop(old, DROP_NEIGH_QUEUEFULL);
        }
        n.arpQueue.addLast(skb);
        n.arpQueueLenBytes += skb.truesize;
      }
      rc = NEIGH_QUEUED;
    }
    if (immediateProbe) probe(n);
    return rc;
  }

  /** net/core/neighbour.c::neigh_probe() → net/ipv4/arp.c::arp_solicit(). */
  private void probe(Neighbour n) {
    // arp_solicit(): while probes < ucast_solicit the address is known: unicast; else broadcast
    boolean unicast = n.probes - ucastProbes < 0;
    sendArp(ArpPacket.ARPOP_REQUEST, unicast ? n.ha : ArpPacket.BROADCAST, n.ip, 0);
    arpRequests++;
    n.probes++;
  }

  /** net/ipv4/arp.c::arp_create() + arp_xmit(): an ARP skb to the device queue. */
  private void sendArp(int op, long dstMac, int targetIp, long targetMac) {
    ArpPacket arp = new ArpPacket(op, ourMac, ourIp, targetMac, targetIp);
    SkBuff skb = new SkBuff();
    skb.protocol = SkBuff.ETH_P_ARP;
    skb.arp = arp.encode();
    skb.len = ArpPacket.LENGTH;
    skb.dstMac = dstMac;
    skb.srcMac = ourMac;
    skb.df = false;
    skb.truesize = SkBuff.truesizeFor(ARP_FRAME_LEN);
    out.xmit(skb);
  }

  // =====================================================================================
  // Confirmation and ARP input
  // =====================================================================================

  /**
   * include/net/neighbour.h::neigh_confirm(): the upper layer saw forward progress toward 'ip'
   * (TCP's dst_confirm on a new ACK). Only the confirmation time moves; the timer acts on it.
   */
  public void confirm(long now, int ip) {
    Neighbour n = lookup(ip);
    if (n != null) n.confirmed = now;
  }

  /** arpRcv for a frame addressed to us (PACKET_HOST), broadcast when its target MAC says so. */
  public void arpRcv(long now, ArpPacket arp) {
    arpRcv(now, arp, arp.op() == ArpPacket.ARPOP_REPLY && arp.targetMac() != ArpPacket.BROADCAST);
  }

  /**
   * net/ipv4/arp.c::arp_process() for a received ARP body; 'packetHost' says the frame was
   * unicast to our MAC (only such replies prove reachability).
   */
  public void arpRcv(long now, ArpPacket arp, boolean packetHost) {
    int op = arp.op();
    if (op != ArpPacket.ARPOP_REQUEST && op != ArpPacket.ARPOP_REPLY) return;
    int sip = arp.senderIp();
    int tip = arp.targetIp();
    long sha = arp.senderMac();
    if (isMulticast(tip) || (tip >>> 24) == 127) return;
    if (sip == 0) {
      // duplicate address detection probe: answer if it asks for us, learn nothing
      if (op == ArpPacket.ARPOP_REQUEST && tip == ourIp) {
        sendArp(ArpPacket.ARPOP_REPLY, sha, sip, sha);
        arpReplies++;
      }
      return;
    }
    if (op == ArpPacket.ARPOP_REQUEST && tip == ourIp) {
      // neigh_event_ns(): create or refresh the sender's entry as STALE, then reply unicast
      Neighbour n = lookupOrCreate(now, sip);
      update(now, n, sha, NUD_STALE, true);
      sendArp(ArpPacket.ARPOP_REPLY, sha, sip, sha);
      arpReplies++;
      return;
    }
    // update an existing entry only (arp_accept = 0 creates none from unsolicited ARP)
    Neighbour n = lookup(sip);
    if (n == null) return;
    boolean override = now - n.updated > LOCKTIME_NS;
    int state = op == ArpPacket.ARPOP_REPLY && packetHost ? NUD_REACHABLE : NUD_STALE;
    update(now, n, sha, state, override);
  }

  /** net/core/neighbour.c::__neigh_update() for a supplied link-layer address, without admin flags. */
  private void update(long now, Neighbour n, long lladdr, int newState, boolean override) {
    int old = n.state;
    if ((old & (NUD_NOARP | NUD_PERMANENT)) != 0) return;
    boolean sameAddr = (old & NUD_VALID) != 0 && lladdr == n.ha;
    if ((newState & NUD_CONNECTED) != 0) n.confirmed = now;
    if ((old & NUD_VALID) != 0) {
      if (!sameAddr && !override) return;
      if (sameAddr && newState == NUD_STALE) newState = old;
    }
    if (newState != old || !sameAddr) n.updated = now;
    if (newState != old) {
      delTimer(n);
      if (newState == NUD_PROBE) n.probes = 0;
      if ((newState & NUD_IN_TIMER) != 0)
        addTimer(n, now + (newState == NUD_REACHABLE ? reachableTime(now) : 0));
      n.state = newState;
    }
    if (!sameAddr) {
      n.ha = lladdr;
      if ((newState & NUD_CONNECTED) == 0) n.confirmed = now - 2 * baseReachableMs * NS_PER_MS;
    }
    if (newState == old) return;
    if ((old & NUD_VALID) == 0) {
      // resolved: send what waited, oldest first, through the entry's output
      ArrayDeque<SkBuff> q = n.arpQueue;
      while (q != null && (n.state & NUD_VALID) != 0 && !q.isEmpty()) {
        SkBuff skb = q.pollFirst();
        n.arpQueueLenBytes -= skb.truesize;
        if ((n.state & NUD_CONNECTED) != 0) hhOutput(n, skb);
        else resolveOutput(now, n, skb);
      }
      if (q != null) {
        // __skb_queue_purge(): only reached with skbs left if the entry lost validity meanwhile
        while (!q.isEmpty()) out.drop(q.pollFirst(), DROP_NEIGH_FAILED);
      }
      n.arpQueueLenBytes = 0;
    }
  }

  // =====================================================================================
  // Timers
  // =====================================================================================

  /** The earliest armed entry timer in ns, or Long.MAX_VALUE when none. */
  public long nextTimerAt() {
    return heapSize == 0 ? Long.MAX_VALUE : heap[0].timerAt;
  }

  /** Runs every entry timer due at or before 'now', in expiry order (ties by arming order of the heap). */
  public void onTimer(long now) {
    while (heapSize > 0 && heap[0].timerAt <= now) {
      Neighbour n = heap[0];
      delTimer(n);
      timerHandler(now, n);
    }
  }

  private int maxProbes(Neighbour n) {
    // neigh_max_probes(): ucast + app + (PROBE ? mcast_reprobes (0) : mcast_solicit)
    return ucastProbes + (n.state == NUD_PROBE ? 0 : mcastProbes);
  }

  /** net/core/neighbour.c::neigh_timer_handler(). */
  private void timerHandler(long now, Neighbour n) {
    int state = n.state;
    if ((state & NUD_IN_TIMER) == 0) return;
    long next = now + 1_000_000_000L;
    if (state == NUD_REACHABLE) {
      long reach = reachableTime(now);
      if (now <= n.confirmed + reach) {
        next = n.confirmed + reach;
      } else if (now <= n.used + delayProbeNs) {
        setState(n, NUD_DELAY, now);
        next = now + delayProbeNs;
      } else {
        setState(n, NUD_STALE, now);
      }
    } else if (state == NUD_DELAY) {
      if (now <= n.confirmed + delayProbeNs) {
        setState(n, NUD_REACHABLE, now);
        next = n.confirmed + reachableTime(now);
      } else {
        setState(n, NUD_PROBE, now);
        n.probes = 0;
        next = now + Math.max(retransNs, MIN_TIMER_NS);
      }
    } else {
      // INCOMPLETE or PROBE
      next = now + Math.max(retransNs, MIN_TIMER_NS);
    }
    if ((n.state & (NUD_INCOMPLETE | NUD_PROBE)) != 0 && n.probes >= maxProbes(n)) {
      setState(n, NUD_FAILED, now);
      invalidate(now, n);
      return;
    }
    if ((n.state & NUD_IN_TIMER) != 0) {
      if (next < now + MIN_TIMER_NS) next = now + MIN_TIMER_NS;
      addTimer(n, next);
    }
    if ((n.state & (NUD_INCOMPLETE | NUD_PROBE)) != 0) probe(n);
  }

  /** net/core/neighbour.c::neigh_invalidate(): a FAILED entry drops its queue, each skb reported unreachable. */
  private void invalidate(long now, Neighbour n) {
    if (n.state != NUD_FAILED) return;
    resFailed++;
    n.updated = now;
    ArrayDeque<SkBuff> q = n.arpQueue;
    if (q != null) while (!q.isEmpty()) out.drop(q.pollFirst(), DROP_NEIGH_FAILED);
    n.arpQueueLenBytes = 0;
  }

  private void setState(Neighbour n, int state, long now) {
    n.state = state;
    n.updated = now;
  }

  // ---- the timer heap ----

  private void addTimer(Neighbour n, long at) {
    if (n.heapIndex >= 0) delTimer(n);
    n.timerAt = at;
    if (heapSize == heap.length) heap = java.util.Arrays.copyOf(heap, heapSize * 2);
    heap[heapSize] = n;
    n.heapIndex = heapSize++;
    siftUp(n.heapIndex);
  }

  private void delTimer(Neighbour n) {
    int i = n.heapIndex;
    if (i < 0) return;
    n.heapIndex = -1;
    n.timerAt = Long.MAX_VALUE;
    heapSize--;
    if (i == heapSize) {
      heap[i] = null;
      return;
    }
    Neighbour last = heap[heapSize];
    heap[heapSize] = null;
    heap[i] = last;
    last.heapIndex = i;
    siftDown(i);
    siftUp(last.heapIndex);
  }

  private boolean before(Neighbour a, Neighbour b) {
    return a.timerAt < b.timerAt || (a.timerAt == b.timerAt && a.ip < b.ip);
  }

  private void siftUp(int i) {
    Neighbour n = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Neighbour p = heap[parent];
      if (!before(n, p)) break;
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = n;
    n.heapIndex = i;
  }

  private void siftDown(int i) {
    Neighbour n = heap[i];
    while (true) {
      int c = 2 * i + 1;
      if (c >= heapSize) break;
      if (c + 1 < heapSize && before(heap[c + 1], heap[c])) c++;
      if (!before(heap[c], n)) break;
      heap[i] = heap[c];
      heap[i].heapIndex = i;
      i = c;
    }
    heap[i] = n;
    n.heapIndex = i;
  }

  // =====================================================================================
  // Entries
  // =====================================================================================

  private static boolean isMulticast(int ip) {
    return (ip >>> 28) == 0xE;
  }

  /** include/net/ip.h::ip_eth_mc_map(): 01:00:5e plus the low 23 bits of the group. */
  static long ipEthMcMap(int ip) {
    return 0x01005E000000L | (ip & 0x7FFFFF);
  }

  /** __neigh_lookup() without creation; null when there is no entry. */
  public Neighbour lookup(int ip) {
    int mask = keys.length - 1;
    for (int i = slot(ip, mask); ; i = (i + 1) & mask) {
      Neighbour n = entries[i];
      if (n == null) return null;
      if (keys[i] == ip) return n;
    }
  }

  /** __neigh_lookup_noref() then neigh_create() with arp_constructor() deciding NOARP addresses. */
  private Neighbour lookupOrCreate(long now, int ip) {
    lookups++;
    Neighbour n = lookup(ip);
    if (n != null) {
      hits++;
      return n;
    }
    n = new Neighbour(ip);
    n.updated = now;
    n.used = now;
    n.confirmed = now - 2 * baseReachableMs * NS_PER_MS;
    if (isMulticast(ip)) {
      n.state = NUD_NOARP;
      n.ha = ipEthMcMap(ip);
    } else if (ip == -1) {
      n.state = NUD_NOARP;
      n.ha = ArpPacket.BROADCAST;
    }
    insert(ip, n);
    allocs++;
    return n;
  }

  /** `ip neigh replace ip lladdr mac nud noarp|permanent`: a static entry that never probes. */
  public Neighbour addStatic(long now, int ip, long mac, int state) {
    if (state != NUD_NOARP && state != NUD_PERMANENT)
      throw new IllegalArgumentException("a static entry is NOARP or PERMANENT, got " + stateName(state));
    Neighbour n = lookupOrCreate(now, ip);
    delTimer(n);
    n.state = state;
    n.ha = mac;
    n.updated = now;
    ArrayDeque<SkBuff> q = n.arpQueue;
    while (q != null && !q.isEmpty()) {
      SkBuff skb = q.pollFirst();
      n.arpQueueLenBytes -= skb.truesize;
      hhOutput(n, skb);
    }
    return n;
  }

  private static int slot(int ip, int mask) {
    int h = ip * 0x9E3779B9;
    return (h ^ (h >>> 15)) & mask;
  }

  private void insert(int ip, Neighbour n) {
    if ((size + 1) * 2 > keys.length) {
      int[] ok = keys;
      Neighbour[] oe = entries;
      keys = new int[ok.length * 2];
      entries = new Neighbour[ok.length * 2];
      size = 0;
      for (int i = 0; i < ok.length; i++) if (oe[i] != null) insert(ok[i], oe[i]);
    }
    int mask = keys.length - 1;
    int i = slot(ip, mask);
    while (entries[i] != null) i = (i + 1) & mask;
    keys[i] = ip;
    entries[i] = n;
    size++;
  }

  // ---- statistics ----

  /** Entries in the table ("entries"). */
  public int size() {
    return size;
  }

  public long allocs() {
    return allocs;
  }

  public long lookups() {
    return lookups;
  }

  public long hits() {
    return hits;
  }

  /** "res_failed": resolutions that ended in FAILED. */
  public long resFailed() {
    return resFailed;
  }

  /** "unresolved_discards": skbs pushed out of an unresolved queue. */
  public long unresolvedDiscards() {
    return unresolvedDiscards;
  }

  /** ARP requests (probes) sent. */
  public long arpRequests() {
    return arpRequests;
  }

  /** ARP replies sent. */
  public long arpReplies() {
    return arpReplies;
  }

  /** parms->reachable_time currently in force, ns. */
  public long reachableTimeNs() {
    return reachableNs;
  }
}
