package io.sendpath.nic.core;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.wire.Checksum;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.protocol.wire.FrameTrain;

/**
 * The NIC, without Pekko: a driver's ndo_start_xmit (TSO, checksum offload, the TX ring and line
 * rate), its TX completion interrupt (free skbs, then netdev_tx_completed_queue), and the RX filter.
 *
 * <p>Frames are built when the skb is posted, not when they depart: the skb belongs to the NIC
 * from then on and its payload is a pure function, so the bytes cannot differ, and the shell can
 * hand the skb's whole frame train to the clock once (one calendar event per skb, at its first
 * frame's departure) instead of waking the NIC at every departure. Memory held that way is bounded by the ring (ring size × one GSO skb).
 *
 * <p>Hand-off answers: every skb given to {@link #ndoStartXmit} is freed exactly once and its
 * descriptor returned exactly once through {@link NicEffects#txCompleted}: at its completion
 * time when sent, at once when dropped (ring overrun, over MTU, no wire), so the device queue's
 * ring and BQL accounting always balance.
 */
public final class NicCore {
  /** include/linux/netdevice.h NETDEV_TX_OK: the driver took the skb (sent or dropped and freed). */
  public static final int NETDEV_TX_OK = 0x00;

  private final NicConfig config;
  private final boolean tso;
  private final TxRing ring;
  private final NicCounters counters = new NicCounters();
  /** Completion instant most recently armed; completions at one instant share one interrupt. */
  private long armedNs = Long.MIN_VALUE;
  /** False while no wire is attached: skbs are dropped as tx_carrier_errors. */
  private boolean carrier = true;

  public NicCore(NicConfig config) {
    this.config = config;
    this.tso = config.tsoEffective();
    this.ring = new TxRing(config.txRingSize(), config.rateBps(), config.completionDelayNs());
  }

  public NicConfig config() {
    return config;
  }

  public NicCounters counters() {
    return counters;
  }

  public TxRing ring() {
    return ring;
  }

  /** netif_carrier_on / off: without carrier every skb is dropped. */
  public void setCarrier(boolean on) {
    carrier = on;
  }

  /** Slow-completion fault hook: delay from last bit out to TX completion for skbs posted from now on. */
  public void setCompletionDelayNs(long ns) {
    ring.setCompletionDelayNs(ns);
  }

  /**
   * ndo_start_xmit(): cut skb into frames (TSO, or one frame), give each its slot on the line,
   * emit them, and post skb on the ring to complete after its last frame.
   */
  public int ndoStartXmit(long now, SkBuff skb, NicEffects fx) {
    counters.txSkbs++;
    long bql = Tso.wireBytes(skb);
    if (!carrier) {
      counters.txCarrierErrors++;
      return drop(skb, bql, fx);
    }
    if (ring.full() || Tso.largestIpPacket(skb) > config.mtu()) return drop(skb, bql, fx);

    boolean gso = Tso.isGso(skb);
    FrameTrain train = Tso.train(skb);
    if (gso) {
      if (tso) {
        counters.txTsoPackets++;
        counters.txTsoBytes += skb.len;
      } else {
        counters.txSwGso++; // net/core/dev.c::validate_xmit_skb() would have done this in software
      }
    }
    // One train per skb: its frames are back to back on the line, so they leave as one message.
    int n = train.size();
    long[] depart = new long[n];
    long[] serialization = new long[n];
    for (int i = 0; i < n; i++) {
      depart[i] = ring.depart(now, train.length(i));
      serialization[i] = ring.lastSerializationNs();
    }
    fx.transmit(train, depart, serialization);
    int tcpFrames = skb.protocol == SkBuff.ETH_P_IP ? n : 0;
    counters.txPackets += n;
    counters.txBytes += bql;
    if (config.txChecksumOffload()) counters.txCsumPartial += tcpFrames;

    long done = ring.post(skb, bql);
    if (done != armedNs) {
      armedNs = done;
      fx.armTxCompletion(done);
    }
    return NETDEV_TX_OK;
  }

  private int drop(SkBuff skb, long bql, NicEffects fx) {
    counters.txDropped++;
    skb.free();
    fx.txCompleted(1, 1, bql);
    return NETDEV_TX_OK;
  }

  /**
   * The TX completion interrupt at now (the driver's clean_tx_irq): frees every skb whose
   * completion time has come, in ring order, then reports them in one txCompleted.
   */
  public void txCompletionIrq(long now, NicEffects fx) {
    int n = 0;
    long bytes = 0;
    while (ring.used() > 0 && ring.headCompletionNs() <= now) {
      bytes += ring.headBytes();
      ring.popHead().free();
      n++;
    }
    if (n == 0) return;
    counters.txCompletions += n;
    fx.txCompleted(n, n, bytes);
  }

  /**
   * The NAPI poll after frames arrived (their last bits are in): drop each frame unless addressed
   * to us or broadcast (net/ethernet/eth.c::eth_type_trans() PACKET_OTHERHOST), check checksums
   * when RX checksum offload is on, and pass the survivors up together, in arrival order
   * (netif_receive_skb_list). Nothing goes up when every frame was dropped.
   */
  public void rx(long now, byte[][] frames, NicEffects fx) {
    int n = frames.length;
    byte[][] up = frames;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      byte[] frame = frames[i];
      if (!accept(frame)) {
        if (up == frames) up = java.util.Arrays.copyOf(frames, n); // survivors compacted into a copy
        continue;
      }
      up[kept++] = frame;
    }
    if (kept == 0) return;
    fx.receive(kept == n ? up : java.util.Arrays.copyOf(up, kept));
  }

  /** The RX filter and counters of one frame; true when it goes up. */
  private boolean accept(byte[] frame) {
    if (frame.length < FrameCodec.ETH_HLEN) {
      counters.rxLengthErrors++;
      return false;
    }
    long dst = FrameCodec.dstMac(frame);
    if (dst != config.mac() && dst != FrameCodec.BROADCAST) {
      counters.rxOtherhostDropped++;
      return false;
    }
    if (config.rxChecksum() && !checksumsGood(frame)) counters.rxCsumErrors++;
    counters.rxPackets++;
    counters.rxBytes += frame.length;
    return true;
  }

  /** Hardware RX checksum check of an IPv4/TCP frame; other frames pass. */
  private static boolean checksumsGood(byte[] f) {
    if (FrameCodec.get16(f, 12) != SkBuff.ETH_P_IP || f.length < FrameCodec.TCP_OFF) return true;
    int ip = FrameCodec.IP_OFF;
    int ipHlen = (f[ip] & 0x0f) * 4;
    int totLen = FrameCodec.get16(f, ip + 2);
    if (ipHlen < 20 || totLen < ipHlen || ip + totLen > f.length) return false;
    if (!Checksum.verifies(0, f, ip, ipHlen)) return false;
    if ((f[ip + 9] & 0xff) != Checksum.IPPROTO_TCP) return true;
    int tcpLen = totLen - ipHlen;
    long pseudo = Checksum.pseudoHeader(FrameCodec.get32(f, ip + 12), FrameCodec.get32(f, ip + 16), Checksum.IPPROTO_TCP, tcpLen);
    return Checksum.verifies(pseudo, f, ip + ipHlen, tcpLen);
  }
}
