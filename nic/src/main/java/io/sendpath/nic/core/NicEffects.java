package io.sendpath.nic.core;

/** What the NIC core asks its shell to do. Tests collect these into lists. */
public interface NicEffects {
  /** Put frame on the wire: its first bit leaves at departNs and the last serializationNs later. */
  void transmit(long departNs, byte[] frame, long serializationNs);

  /** Call {@link NicCore#txCompletionIrq} at atNs (one call per distinct completion instant). */
  void armTxCompletion(long atNs);

  /** netdev_tx_completed_queue(): tell the device queue descriptors and bytes came free. */
  void txCompleted(int descriptors, int skbs, long bytes);

  /** netif_receive_skb(): hand a received frame up the stack. */
  void receive(byte[] frame);
}
