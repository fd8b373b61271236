package io.sendpath.protocol.wire;

/**
 * Receives a copy of every frame put on a wire, with its virtual departure time (the time its
 * first bit leaves the sending NIC). The pcap writer is one; a test's collector is another.
 * Called from the wire's actor; implementations must not block on anything simulated.
 */
public interface FrameSink extends AutoCloseable {
  /** frame[0..len) is a whole Ethernet frame without FCS. */
  void frame(long timeNs, byte[] frame, int len);

  @Override
  default void close() {}
}
