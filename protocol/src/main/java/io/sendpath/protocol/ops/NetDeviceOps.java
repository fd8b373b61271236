package io.sendpath.protocol.ops;

import io.sendpath.protocol.SkBuff;

/** Stands in for struct net_device_ops: the driver. The NicActor takes these. */
public interface NetDeviceOps {
  interface Command {}

  /** ndo_start_xmit(): place the skb on the TX ring. The device queue never sends more than the ring holds. */
  record NdoStartXmit(SkBuff skb) implements Command {}

  /** A frame arrives from the wire at the RX side of this NIC (last bit received). */
  record WireRx(byte[] frame) implements Command {}
}
