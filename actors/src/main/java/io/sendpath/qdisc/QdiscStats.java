package io.sendpath.qdisc;

/**
 * A qdisc's counters under the names `tc -s qdisc` prints (struct gnet_stats_basic_sync bytes /
 * packets and struct gnet_stats_queue qlen / backlog / drops / requeues / overlimits).
 * Mutable and owned by one qdisc; read it for reports, write it only from the qdisc and its
 * device queue.
 */
public final class QdiscStats {
  /** "Sent N bytes": qdisc_pkt_len of every skb that left the qdisc toward the driver (or bypassed it). */
  public long bytes;
  /** "Sent ... N pkt": skbs that left the qdisc, a GSO skb counting as one. */
  public long packets;
  /** "dropped": skbs dropped by the qdisc (each freed once). */
  public long drops;
  /** "overlimits": times a shaper held back a packet; pfifo and pfifo_fast never count it. */
  public long overlimits;
  /** "requeues": skbs the driver refused (or the stopped queue held back) and that went back to q->gso_skb. */
  public long requeues;
  /** "backlog Nb": qdisc_pkt_len bytes held, requeued skbs included. Always >= 0. */
  public long backlog;
  /** "backlog ... Np" / q->q.qlen: skbs held, requeued skbs included. Always >= 0. */
  public int qlen;
  /** Highest backlog ever held, bytes (not a tc field: the peak of "backlog Nb" over the run). */
  public long maxBacklog;
  /** Highest qlen ever held, skbs. */
  public int maxQlen;

  /** Records the current backlog and qlen as peaks when they are. */
  public void notePeak() {
    if (backlog > maxBacklog) maxBacklog = backlog;
    if (qlen > maxQlen) maxQlen = qlen;
  }

  @Override
  public String toString() {
    return "Sent " + bytes + " bytes " + packets + " pkt (dropped " + drops + ", overlimits " + overlimits
        + " requeues " + requeues + ") backlog " + backlog + "b " + qlen + "p requeues " + requeues;
  }
}
