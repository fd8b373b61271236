package io.sendpath.nic.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A NIC's counters, under the names `ip -s link` (struct rtnl_link_stats64) and `ethtool -S`
 * (mlx5/ixgbe spellings) print. All only grow.
 */
public final class NicCounters {
  /** Frames put on the wire. */
  public long txPackets;
  /** Bytes of those frames, Ethernet header included, padding and FCS not. */
  public long txBytes;
  /** skbs dropped by the driver: ring overrun, over MTU, no wire attached. */
  public long txDropped;
  /** Dropped for want of a wire (no carrier). Also counted in txDropped. */
  public long txCarrierErrors;
  /** skbs taken from the device queue (ndo_start_xmit calls), dropped or not. */
  public long txSkbs;
  /** GSO skbs cut by TSO (ethtool tx_tso_packets) and their payload bytes (tx_tso_bytes). */
  public long txTsoPackets, txTsoBytes;
  /** GSO skbs that reached a NIC without TSO and were segmented by the driver (software GSO). */
  public long txSwGso;
  /** Frames whose checksums the NIC filled in (ethtool tx_csum_partial). */
  public long txCsumPartial;
  /** skbs whose TX completion ran (destructor called). */
  public long txCompletions;
  /** Frames passed up the stack. */
  public long rxPackets;
  /** Bytes of those frames, as received (padding included). */
  public long rxBytes;
  /** Frames for another station (rtnl rx_otherhost_dropped). */
  public long rxOtherhostDropped;
  /** Frames too short for an Ethernet header (rx_length_errors). */
  public long rxLengthErrors;
  /** Frames whose IPv4 or TCP checksum failed the RX check (ethtool rx_csum_err); still passed up. */
  public long rxCsumErrors;

  public NicCounters copy() {
    NicCounters c = new NicCounters();
    c.txPackets = txPackets; c.txBytes = txBytes; c.txDropped = txDropped; c.txCarrierErrors = txCarrierErrors;
    c.txSkbs = txSkbs; c.txTsoPackets = txTsoPackets; c.txTsoBytes = txTsoBytes; c.txSwGso = txSwGso;
    c.txCsumPartial = txCsumPartial; c.txCompletions = txCompletions;
    c.rxPackets = rxPackets; c.rxBytes = rxBytes; c.rxOtherhostDropped = rxOtherhostDropped;
    c.rxLengthErrors = rxLengthErrors; c.rxCsumErrors = rxCsumErrors;
    return c;
  }

  /** Name → value, with the kernel's and ethtool's spellings. */
  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("tx_packets", txPackets);
    m.put("tx_bytes", txBytes);
    m.put("tx_dropped", txDropped);
    m.put("tx_carrier_errors", txCarrierErrors);
    m.put("tx_skbs", txSkbs);
    m.put("tx_tso_packets", txTsoPackets);
    m.put("tx_tso_bytes", txTsoBytes);
    m.put("tx_sw_gso", txSwGso);
    m.put("tx_csum_partial", txCsumPartial);
    m.put("tx_completions", txCompletions);
    m.put("rx_packets", rxPackets);
    m.put("rx_bytes", rxBytes);
    m.put("rx_otherhost_dropped", rxOtherhostDropped);
    m.put("rx_length_errors", rxLengthErrors);
    m.put("rx_csum_err", rxCsumErrors);
    return m;
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
