package io.sendpath.nic.core;

/**
 * One NIC's settings.
 *
 * @param mac                 station address, low 48 bits
 * @param rateBps             line rate, bit/s (10 Gbit/s = 10_000_000_000L)
 * @param txRingSize          TX descriptors (ethtool -G tx); the device queue is told the same number
 * @param tso                 NETIF_F_TSO (ethtool -K tso)
 * @param txChecksumOffload   NETIF_F_HW_CSUM / IP_CSUM (ethtool -K tx); without it TSO is turned off,
 *                            as net/core/dev.c::netdev_fix_features() does
 * @param rxChecksum          NETIF_F_RXCSUM (ethtool -K rx): verify IPv4/TCP checksums of received
 *                            frames and count rx_csum_err; frames are passed up either way
 * @param mtu                 IPv4 MTU (ip link set mtu); larger packets are dropped (tx_dropped)
 * @param completionDelayNs   extra time from a skb's last bit leaving to its TX completion
 */
public record NicConfig(long mac, long rateBps, int txRingSize, boolean tso, boolean txChecksumOffload,
                        boolean rxChecksum, int mtu, long completionDelayNs) {

  /** ixgbe's default ring (IXGBE_DEFAULT_TXD). */
  public static final int DEFAULT_TX_RING = 512;
  public static final long RATE_10G = 10_000_000_000L;

  public NicConfig {
    if (mac < 0 || mac > 0xFFFF_FFFF_FFFFL) throw new IllegalArgumentException("MAC must fit in 48 bits: " + Long.toHexString(mac));
    if (rateBps <= 0) throw new IllegalArgumentException("rateBps must be positive, got " + rateBps);
    if (txRingSize < 1) throw new IllegalArgumentException("txRingSize must be at least 1, got " + txRingSize);
    if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("mtu must be in 68..65535, got " + mtu);
    if (completionDelayNs < 0) throw new IllegalArgumentException("completionDelayNs must be >= 0, got " + completionDelayNs);
  }

  /** 10 Gbit/s, 512 descriptors, TSO and checksum offload on, RX checksum check off, MTU 1500, no completion delay. */
  public static NicConfig defaults(long mac) {
    return new NicConfig(mac, RATE_10G, DEFAULT_TX_RING, true, true, false, 1500, 0);
  }

  /** TSO as the device really has it: off when checksum offload is off (netdev_fix_features()). */
  public boolean tsoEffective() {
    return tso && txChecksumOffload;
  }

  public NicConfig withRate(long bps) {
    return new NicConfig(mac, bps, txRingSize, tso, txChecksumOffload, rxChecksum, mtu, completionDelayNs);
  }

  public NicConfig withTxRingSize(int n) {
    return new NicConfig(mac, rateBps, n, tso, txChecksumOffload, rxChecksum, mtu, completionDelayNs);
  }

  public NicConfig withOffloads(boolean tsoOn, boolean txCsumOn, boolean rxCsumOn) {
    return new NicConfig(mac, rateBps, txRingSize, tsoOn, txCsumOn, rxCsumOn, mtu, completionDelayNs);
  }

  public NicConfig withMtu(int m) {
    return new NicConfig(mac, rateBps, txRingSize, tso, txChecksumOffload, rxChecksum, m, completionDelayNs);
  }

  public NicConfig withCompletionDelayNs(long ns) {
    return new NicConfig(mac, rateBps, txRingSize, tso, txChecksumOffload, rxChecksum, mtu, ns);
  }
}
