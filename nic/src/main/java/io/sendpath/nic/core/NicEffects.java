package io.sendpath.nic.core;

import io.sendpath.protocol.wire.FrameTrain;

/** What the NIC core asks its shell to do. Tests collect these into lists. */
public interface NicEffects {
  /**
   * Put one skb's frames on the wire as one train: frame i's first bit leaves at departNs[i] and
   * its last serializationNs[i] later. Frames of one skb are back to back (nothing else leaves in
   * between); a single-frame skb is a train of one. The train and arrays are the shell's to keep;
   * the train's bytes may not be built yet ({@link FrameTrain}).
   */
  void transmit(FrameTrain train, long[] departNs, long[] serializationNs);

  /** Call {@link NicCore#txCompletionIrq} at atNs (one call per distinct completion instant). */
  void armTxCompletion(long atNs);

  /** netdev_tx_completed_queue(): tell the device queue descriptors and bytes came free. */
  void txCompleted(int descriptors, int skbs, long bytes);

  /**
   * netif_receive_skb_list(): hand the frames of one NAPI poll that passed the RX filter up the
   * stack, in arrival order (frames.length >= 1). The array is the shell's to keep.
   */
  void receive(byte[][] frames);
}
