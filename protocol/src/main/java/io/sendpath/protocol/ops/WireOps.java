package io.sendpath.protocol.ops;

import io.sendpath.protocol.wire.FrameTrain;

/** The cable between two NICs, one direction. The WireActor takes these. */
public interface WireOps {
  interface Command {}

  /**
   * The frames of one skb, back to back on the line (a TSO burst; a single-frame skb is a train of
   * one), sent to the wire at the first frame's departure. Frame i's first bit leaves at
   * departNs[i] and its last bit serializationNs[i] later; departures are non-decreasing and no
   * other frame leaves this NIC between them. The wire shows each frame to its sink at its own
   * departure and delivers it to the far NIC after its serialization plus the propagation delay.
   * The three arrays have the same length (at least 1) and are not changed after sending.
   */
  record Transmit(FrameTrain train, long[] departNs, long[] serializationNs) implements Command {
    /** A train of frames that already exist. */
    public Transmit(byte[][] frames, long[] departNs, long[] serializationNs) {
      this(FrameTrain.of(frames), departNs, serializationNs);
    }

    /** A train of one frame. */
    public Transmit(byte[] frame, long departNs, long serializationNs) {
      this(new byte[][] {frame}, new long[] {departNs}, new long[] {serializationNs});
    }

    /** The frames' bytes (built now if the train is lazy). */
    public byte[][] frames() {
      return train.frames();
    }
  }
}
