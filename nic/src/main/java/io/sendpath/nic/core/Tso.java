package io.sendpath.nic.core;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.wire.ArpPacket;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.protocol.wire.FrameTrain;

/**
 * TCP segmentation offload: cuts a GSO skb into MSS-sized frames the way the hardware and
 * net/ipv4/tcp_offload.c::tcp_gso_segment() do. Segment i carries sequence seq + i × gsoSize,
 * the skb's ack, window and options unchanged, IP ID ipId + i (net/ipv4/af_inet.c::
 * inet_gso_segment() increments it per segment), its own IP total length and both checksums.
 * FIN and PSH stay only on the last segment, CWR only on the first. Software GSO (the device
 * queue's fallback when the NIC lacks TSO) produces the same bytes, so there is one
 * implementation.
 */
public final class Tso {
  private Tso() {}

  /** Flags cleared on every segment but the last (tcp_gso_segment(): th->fin = th->psh = 0). */
  private static final int LAST_ONLY = TcpFlags.FIN | TcpFlags.PSH;
  /** Flags cleared on every segment but the first (tcp_gso_segment(): th->cwr &= ecn_cwr_mask, 0 without AccECN). */
  private static final int FIRST_ONLY = TcpFlags.CWR;

  /** True when skb is more than one segment (skb_is_gso() with payload past gso_size). */
  public static boolean isGso(SkBuff skb) {
    return skb.protocol == SkBuff.ETH_P_IP && skb.gsoSize > 0 && skb.len > skb.gsoSize;
  }

  /**
   * Frames skb becomes: DIV_ROUND_UP(len, gso_size) for a GSO skb (the count tcp_gso_segment()
   * trusts, whatever gso_segs says), else 1.
   */
  public static int segments(SkBuff skb) {
    return isGso(skb) ? (skb.len + skb.gsoSize - 1) / skb.gsoSize : 1;
  }

  /** Payload bytes of segment i of skb. */
  public static int segmentLength(SkBuff skb, int i) {
    if (!isGso(skb)) return skb.len;
    return Math.min(skb.gsoSize, skb.len - i * skb.gsoSize);
  }

  /**
   * Ethernet bytes of all of skb's frames without padding or FCS: what tx_bytes counts and what
   * the driver reports to BQL (ixgbe's bytecount: skb->len + (gso_segs - 1) × header length).
   */
  public static long wireBytes(SkBuff skb) {
    if (skb.protocol == SkBuff.ETH_P_ARP) return FrameCodec.ETH_HLEN + (skb.arp == null ? 0 : skb.arp.length);
    int headers = FrameCodec.tcpFrameLength(skb.options, 0);
    return (long) segments(skb) * headers + skb.len;
  }

  /** Largest IPv4 packet among skb's frames; compared with the MTU. */
  public static int largestIpPacket(SkBuff skb) {
    if (skb.protocol == SkBuff.ETH_P_ARP) return 0;
    return FrameCodec.tcpFrameLength(skb.options, segmentLength(skb, 0)) - FrameCodec.ETH_HLEN;
  }

  /** Bytes of frame i of skb as {@link #segment} builds it (padded to ETH_ZLEN, no FCS). */
  public static int frameLength(SkBuff skb, int i) {
    if (skb.protocol == SkBuff.ETH_P_ARP) return FrameCodec.padded(FrameCodec.ETH_HLEN + ArpPacket.LENGTH);
    return FrameCodec.padded(FrameCodec.tcpFrameLength(skb.options, segmentLength(skb, i)));
  }

  /**
   * skb's frames as a train for the wire. A TCP skb carrying payload becomes a lazy train: its
   * frames are built from skb when first needed (on the receiving host's thread, as a rule), so
   * skb must not change after it is sent (the NIC only frees it). Anything else is built now.
   */
  public static FrameTrain train(SkBuff skb) {
    if (skb.protocol != SkBuff.ETH_P_IP || skb.len == 0) return FrameTrain.of(segment(skb));
    int n = segments(skb);
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) lengths[i] = frameLength(skb, i);
    return new SkbTrain(skb, lengths);
  }

  /** The lazy train of one payload-carrying skb. */
  private static final class SkbTrain extends FrameTrain.Lazy {
    /** What the frames are built from; null once they are. */
    private SkBuff skb;

    SkbTrain(SkBuff skb, int[] lengths) {
      super(lengths);
      this.skb = skb;
    }

    @Override
    protected byte[][] build() {
      return segment(skb);
    }

    @Override
    protected void built() {
      skb = null;
    }
  }

  /** The frames of skb, in wire order: one for an ARP or single-segment skb. */
  public static byte[][] segment(SkBuff skb) {
    if (!isGso(skb)) return new byte[][] {FrameCodec.encode(skb)};
    int n = segments(skb);
    byte[][] frames = new byte[n][];
    int mss = skb.gsoSize;
    for (int i = 0; i < n; i++) {
      int flags = skb.tcpFlags;
      if (i != n - 1) flags &= ~LAST_ONLY;
      if (i != 0) flags &= ~FIRST_ONLY;
      int off = i * mss;
      frames[i] = FrameCodec.encodeTcpSegment(skb, skb.seq + off, flags, (skb.ipId + i) & 0xffff,
          skb.streamOffset + off, Math.min(mss, skb.len - off));
    }
    return frames;
  }
}
