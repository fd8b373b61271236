package io.sendpath.peer.core;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.Arrays;

/**
 * Generic receive offload for TCP over IPv4 within one NAPI poll: consecutive in-order segments of
 * one flow are merged into one skb before the stack sees them, as
 * net/core/gro.c::dev_gro_receive() → net/ipv4/af_inet.c::inet_gro_receive() →
 * net/ipv4/tcp_offload.c::tcp4_gro_receive() / tcp_gro_receive() do.
 *
 * <p>Input is a decoded, checksum-verified segment (the caller drops a frame with a bad checksum
 * before it gets here: Linux's GRO would not merge it either, and tcp_v4_rcv drops it). A segment
 * is held, merged into a held skb of its flow, or passed up at once (GRO_NORMAL); at the end of
 * the poll {@link #flush} (napi_gro_flush from napi_complete_done) passes up everything held.
 *
 * <p>A segment is merged into the held skb of its flow (same addresses, ports, MACs) only when
 * every one of these holds (tcp_gro_receive(), inet_gro_flush()): no CWR on it; its TCP flags
 * other than CWR/FIN/PSH, its window, header length and options bytes (so its TSval), and its ACK
 * number equal the held skb's; TTL, TOS (ECN included) and DF equal, and its IP ID is the held
 * one's plus the count merged so far (or, decided at the second segment, fixed with DF); its
 * payload is not longer than the held skb's gso_size and starts where the held skb ends; the IP
 * total length matches the frame (no padding: a padded pure ACK never merges); and the merged IP
 * packet stays under gro_max_size (65536). A mismatch passes the held skb up first and the segment
 * then starts a new held skb of its own (or goes up at once, below).
 *
 * <p>A segment with no payload, or with URG, PSH, RST, SYN or FIN, is never held: with a held skb
 * of its flow it is merged when it matches (PSH and FIN are kept on the merged skb) and the result
 * goes up at once; URG/RST/SYN differ from the held flags and so flush the held skb before
 * themselves. A segment shorter than gso_size is merged and ends the skb.
 *
 * <p>Held skbs sit in GRO_HASH_BUCKETS = 8 buckets by flow hash, at most MAX_GRO_SKBS = 8 per
 * bucket; a ninth flow flushes the bucket's oldest (gro_flush_oldest()). The flush at the end of
 * the poll goes bucket by bucket, oldest first, as napi_gro_flush() does. Order within a flow is
 * always kept.
 *
 * <p>A merged skb (napi_gro_complete → tcp_gro_complete) carries the first segment's headers, the
 * flags FIN/PSH of the last, len = all payload, gsoSize = the first segment's length, gsoSegs =
 * segments merged, and the payload of segments 2..n in {@link SkBuff#groFrames}. Its truesize is
 * the sum of the segments' less SKB_HEAD_TRUESIZE for each merged one (skb_gro_receive() keeps
 * their data and frees their struct sk_buff). A held skb that stayed alone goes up unchanged.
 *
 * <p>Pure: no clock, no Pekko. One instance per receiving NAPI context (host).
 */
public final class TcpGro {

  /** Where a finished skb goes (gro_normal_one → netif_receive_skb_list → ip_list_rcv). */
  public interface Out {
    void netifReceive(SkBuff skb);
  }

  /** net/core/gro.c MAX_GRO_SKBS: held skbs per hash bucket. */
  public static final int MAX_GRO_SKBS = 8;
  /** include/linux/netdevice.h GRO_HASH_BUCKETS. */
  public static final int GRO_HASH_BUCKETS = 8;
  /** include/linux/netdevice.h GRO_LEGACY_MAX_SIZE: the default gro_max_size of a device. */
  public static final int GRO_MAX_SIZE = 65536;
  /** SKB_DATA_ALIGN(sizeof(struct sk_buff)) on x86_64: what a merged segment's own skb keeps. */
  public static final int SKB_HEAD_TRUESIZE = 256;

  private static final int FLUSH_FLAGS = TcpFlags.URG | TcpFlags.PSH | TcpFlags.RST | TcpFlags.SYN | TcpFlags.FIN;
  private static final int MERGE_MASK = ~(TcpFlags.CWR | TcpFlags.FIN | TcpFlags.PSH) & 0xff;

  /** One held skb (struct napi_gro_cb of a list entry). */
  private static final class Held {
    /** The first segment; becomes the merged skb. */
    SkBuff skb;
    /** Frames of segments 2..count; count - 1 in use. */
    byte[][] frames = new byte[16][];
    /** Segments merged (NAPI_GRO_CB(p)->count), >= 1. */
    int count;
    /** gso_size: payload length of the first segment, > 0. */
    int mss;
    /** IP packet length so far (p->len): the first frame's IP total length plus later payloads. */
    int ipLen;
    /** Truesize so far. */
    int truesize;
    /** IP ID of the first segment. */
    int firstIpId;
    /** The flow keeps a fixed IP ID (decided at the second segment, DF set): NAPI_GRO_CB(p)->ip_fixedid. */
    boolean fixedId;
  }

  /** buckets[b][0..bucketCount[b]) held skbs of bucket b, oldest first. */
  private final Held[][] buckets = new Held[GRO_HASH_BUCKETS][MAX_GRO_SKBS];
  private final int[] bucketCount = new int[GRO_HASH_BUCKETS];
  /** Recycled Held entries (at most GRO_HASH_BUCKETS × MAX_GRO_SKBS ever exist). */
  private final Held[] pool = new Held[GRO_HASH_BUCKETS * MAX_GRO_SKBS];
  private int pooled;
  /** Skbs held right now, over all buckets. */
  private int held;

  // ---- counters ----
  /** Segments given to {@link #receive}. */
  private long segmentsIn;
  /** Skbs passed up (merged, single held, or at once). */
  private long skbsOut;
  /** Segments merged into a held skb (GRO_MERGED). */
  private long merged;

  /** Segments given to {@link #receive} so far. */
  public long segmentsIn() { return segmentsIn; }
  /** Skbs passed up so far. */
  public long skbsOut() { return skbsOut; }
  /** Segments merged into an earlier one so far. */
  public long merged() { return merged; }
  /** Skbs held now (0 after {@link #flush}). */
  public int held() { return held; }

  /**
   * napi_gro_receive(): one decoded TCP/IPv4 segment, checksums verified, seg.data the frame it
   * came in (payload at dataOff). Passes up, through out, whatever this segment finishes.
   */
  public void receive(SkBuff seg, Out out) {
    segmentsIn++;
    byte[] f = seg.data;
    int bucket = bucketOf(seg.flow);
    int len = seg.len;
    int flags = seg.tcpFlags;
    // inet_gro_receive(): a header with options, or a total length other than what arrived
    // (Ethernet padding), is never merged (NAPI_GRO_CB(skb)->flush).
    int ipTotLen = FrameCodec.get16(f, FrameCodec.IP_OFF + 2);
    boolean selfFlush = (f[FrameCodec.IP_OFF] & 0xff) != 0x45 || FrameCodec.ETH_HLEN + ipTotLen != f.length;
    // gro_flush_final for the segment itself when it cannot start a held skb (mss = 1 when no merge).
    boolean finalFlush = selfFlush || (flags & FLUSH_FLAGS) != 0;

    int at = lookup(bucket, seg);
    if (at >= 0) {
      Held p = buckets[bucket][at];
      boolean flush = selfFlush || !mergeable(p, seg, ipTotLen);
      if (!flush) {
        if (p.ipLen + len >= GRO_MAX_SIZE) flush = true; // skb_gro_receive(): -E2BIG
      }
      if (!flush) {
        merge(p, seg);
        // out_check_final: a segment shorter than gso_size, or flagged, ends the skb.
        if (len < p.mss || (flags & FLUSH_FLAGS) != 0) complete(bucket, at, out);
        return;
      }
      complete(bucket, at, out);
    }
    if (len == 0 || finalFlush) {
      up(seg, out); // GRO_NORMAL
      return;
    }
    hold(bucket, seg, ipTotLen, out);
  }

  /** napi_gro_flush(): passes up every held skb, bucket by bucket, oldest first. */
  public void flush(Out out) {
    for (int b = 0; b < GRO_HASH_BUCKETS; b++) {
      while (bucketCount[b] > 0) complete(b, 0, out);
    }
  }

  /** tcp_gro_receive() and inet_gro_flush(): may seg join p? (Caller checked the flow.) */
  private static boolean mergeable(Held p, SkBuff seg, int ipTotLen) {
    SkBuff first = p.skb;
    int flags = seg.tcpFlags;
    if ((flags & TcpFlags.CWR) != 0) return false;
    if (((flags ^ first.tcpFlags) & MERGE_MASK) != 0) return false;
    if (seg.window != first.window || seg.ackSeq != first.ackSeq) return false;
    // The TCP header past its first 20 bytes: the data offset (same header length) and options.
    int optFrom = FrameCodec.TCP_OFF + FrameCodec.TCP_HLEN;
    if (seg.dataOff != first.dataOff
        || !Arrays.equals(seg.data, optFrom, seg.dataOff, first.data, optFrom, first.dataOff)) return false;
    // inet_gro_flush(): all IP fields but length and checksum match; the ID increments or is fixed.
    if (seg.ttl != first.ttl || seg.tos != first.tos || seg.df != first.df) return false;
    int idOffset = (seg.ipId - p.firstIpId) & 0xffff;
    if (p.count == 1 && seg.df && idOffset == 0) p.fixedId = true;
    if (p.fixedId && seg.df) {
      if (idOffset != 0) return false;
    } else if (idOffset != (p.count & 0xffff)) {
      return false;
    }
    // A payload longer than gso_size (or none at all: len - 1 wraps) does not merge.
    if (seg.len == 0 || seg.len > p.mss) return false;
    return seg.seq == first.seq + (p.ipLen - ipHeaderAndTcp(first));
  }

  /** IP and TCP header bytes of the first segment of a held skb (its IP total length less its payload). */
  private static int ipHeaderAndTcp(SkBuff first) {
    return first.dataOff - FrameCodec.IP_OFF;
  }

  private void merge(Held p, SkBuff seg) {
    int n = p.count - 1;
    if (n == p.frames.length) p.frames = Arrays.copyOf(p.frames, 2 * n);
    p.frames[n] = seg.data;
    p.count++;
    p.ipLen += seg.len;
    p.truesize += seg.truesize - SKB_HEAD_TRUESIZE;
    // tcp_gro_receive(): the merged header takes the last segment's FIN and PSH.
    p.skb.tcpFlags |= seg.tcpFlags & (TcpFlags.FIN | TcpFlags.PSH);
    merged++;
  }

  /** Holds seg as the start of a new skb; a full bucket first passes up its oldest (gro_flush_oldest()). */
  private void hold(int bucket, SkBuff seg, int ipTotLen, Out out) {
    if (bucketCount[bucket] == MAX_GRO_SKBS) complete(bucket, 0, out);
    Held h = pooled > 0 ? pool[--pooled] : new Held();
    h.skb = seg;
    h.count = 1;
    h.mss = seg.len;
    h.ipLen = ipTotLen;
    h.truesize = seg.truesize;
    h.firstIpId = seg.ipId;
    h.fixedId = false;
    buckets[bucket][bucketCount[bucket]++] = h;
    held++;
  }

  /** napi_gro_complete(): removes entry 'at' of bucket b and passes its skb up. */
  private void complete(int b, int at, Out out) {
    Held p = buckets[b][at];
    int n = --bucketCount[b];
    System.arraycopy(buckets[b], at + 1, buckets[b], at, n - at);
    buckets[b][n] = null;
    held--;
    SkBuff skb = p.skb;
    if (p.count > 1) {
      // tcp_gro_complete(): gso_segs = count; gso_size stays the first segment's length.
      skb.len = p.ipLen - ipHeaderAndTcp(skb);
      skb.gsoSize = p.mss;
      skb.gsoSegs = p.count;
      skb.truesize = p.truesize;
      skb.groFrames = Arrays.copyOf(p.frames, p.count - 1);
      Arrays.fill(p.frames, 0, p.count - 1, null);
    }
    p.skb = null;
    pool[pooled++] = p;
    up(skb, out);
  }

  private void up(SkBuff skb, Out out) {
    skbsOut++;
    out.netifReceive(skb);
  }

  /** Index of the held skb of seg's flow in its bucket, or -1 (gro_list_prepare + tcp_gro_lookup). */
  private int lookup(int bucket, SkBuff seg) {
    Held[] list = buckets[bucket];
    for (int i = bucketCount[bucket] - 1; i >= 0; i--) {
      SkBuff p = list[i].skb;
      if (p.flow.equals(seg.flow) && p.dstMac == seg.dstMac && p.srcMac == seg.srcMac) return i;
    }
    return -1;
  }

  /** Stands in for skb_get_hash_raw() (the NIC's RSS hash of the 4-tuple), low bits: the bucket. */
  static int bucketOf(FlowKey f) {
    long z = ((long) f.saddr() << 32 | (f.daddr() & 0xffffffffL)) * 0x9E3779B97F4A7C15L + ((long) f.sport() << 16 | f.dport());
    z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
    return (int) (z ^ (z >>> 29)) & (GRO_HASH_BUCKETS - 1);
  }
}
