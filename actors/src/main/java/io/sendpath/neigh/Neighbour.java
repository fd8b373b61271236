package io.sendpath.neigh;

import io.sendpath.protocol.SkBuff;
import java.util.ArrayDeque;

/**
 * One neighbour entry (struct neighbour): an IPv4 next hop, its MAC, its NUD state and timers,
 * and the skbs waiting for resolution. Read-only outside {@link NeighTable}.
 */
public final class Neighbour {
  /** primary_key: the next hop's IPv4 address, host order. */
  final int ip;
  /** ha: the hardware address in the low 48 bits; meaningful only while state is NUD_VALID. */
  long ha;
  /** nud_state: one of the NeighTable.NUD_* bits (NUD_NONE = 0). */
  int state;
  /** Last time the state or address changed (neigh->updated), ns; guards locktime. */
  long updated;
  /** Last time the resolve path sent through this entry (neigh->used), ns. */
  long used;
  /** Last reachability confirmation (neigh->confirmed), ns: a unicast ARP reply or neigh_confirm(). */
  long confirmed;
  /** Probes sent in the current INCOMPLETE or PROBE episode (neigh->probes); INCOMPLETE starts at ucast_solicit. */
  int probes;
  /** arp_queue: skbs waiting for resolution, oldest first; null until first needed. Sum of truesize <= unres_qlen_bytes except for a single oversized skb. */
  ArrayDeque<SkBuff> arpQueue;
  /** arp_queue_len_bytes: sum of truesize over arpQueue. */
  long arpQueueLenBytes;
  /** When the entry's timer fires, ns; Long.MAX_VALUE when no timer is armed. */
  long timerAt = Long.MAX_VALUE;
  /** Position in the table's timer heap, -1 when not in it. */
  int heapIndex = -1;

  Neighbour(int ip) {
    this.ip = ip;
  }

  public int ip() {
    return ip;
  }

  public long ha() {
    return ha;
  }

  public int state() {
    return state;
  }

  public long confirmed() {
    return confirmed;
  }

  public long updated() {
    return updated;
  }

  public int probes() {
    return probes;
  }

  /** Skbs waiting for resolution. */
  public int queueLen() {
    return arpQueue == null ? 0 : arpQueue.size();
  }

  public long queueBytes() {
    return arpQueueLenBytes;
  }

  /** The armed timer's expiry in ns, or Long.MAX_VALUE. */
  public long timerAt() {
    return timerAt;
  }

  @Override
  public String toString() {
    return io.sendpath.protocol.FlowKey.ip(ip) + " " + NeighTable.stateName(state) + " lladdr " + Long.toHexString(ha);
  }
}
