package io.sendpath.protocol.ops;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.wire.FrameTrain;

/** Stands in for struct net_device_ops: the driver. The NicActor takes these. */
public interface NetDeviceOps {
  interface Command {}

  /** ndo_start_xmit(): place the skb on the TX ring. The device queue never sends more than the ring holds. */
  record NdoStartXmit(SkBuff skb) implements Command {}

  /**
   * Frames that arrived from the wire at the RX side of this NIC, in arrival order: frame i's last
   * bit was received at arrivalNs[i] (non-decreasing, none later than the delivery instant). A
   * burst handed over together is what one NAPI poll sees after interrupt coalescing; a single
   * frame is a batch of one. The arrays have the same length (at least 1) and are not changed
   * after sending.
   */
  record WireRx(FrameTrain train, long[] arrivalNs) implements Command {
    /** Frames that already exist. */
    public WireRx(byte[][] frames, long[] arrivalNs) {
      this(FrameTrain.of(frames), arrivalNs);
    }

    /** One frame whose last bit arrived at arrivalNs. */
    public WireRx(byte[] frame, long arrivalNs) {
      this(new byte[][] {frame}, new long[] {arrivalNs});
    }

    /** The frames' bytes, built now if the train is lazy (on the receiving host's thread). */
    public byte[][] frames() {
      return train.frames();
    }
  }
}
