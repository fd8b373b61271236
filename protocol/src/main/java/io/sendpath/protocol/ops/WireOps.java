package io.sendpath.protocol.ops;

/** The cable between two NICs, one direction. The WireActor takes these. */
public interface WireOps {
  interface Command {}

  /**
   * A frame whose first bit leaves the NIC now; its last bit leaves serializationNs later. The
   * wire delivers it to the far NIC after that plus its propagation delay.
   */
  record Transmit(byte[] frame, long serializationNs) implements Command {}
}
