package io.sendpath.protocol.wire;

import java.util.Arrays;

/**
 * The frames of one skb on the wire, back to back (a TSO burst, or a train of one), as a NIC
 * hands them to the cable.
 *
 * <p>A train's frame count and lengths are known when it is sent; its bytes may be built later,
 * by whoever first asks for them ({@link #frames()}): the far NIC when the train arrives, a fault
 * that edits a frame, or a pcap at departure. The bytes are the same whenever and on whichever
 * thread they are built, since a lazy train builds them from a snapshot that nothing changes after
 * the NIC sent it. This lets the receiving host's thread build the sender's frames (encoding,
 * payload copy, checksums), which is a quarter of the sender host's work otherwise; the run is the
 * same frame for frame.
 *
 * <p>Safe to pass between threads when the hand-off itself orders memory (the clock group's
 * barrier does): {@link #frames()} builds at most once and publishes the result.
 */
public abstract class FrameTrain {

  /** Frames in the train (at least 1). */
  public abstract int size();

  /** Bytes of frame i as handed to the MAC (padded to ETH_ZLEN, no FCS); known without building it. */
  public abstract int length(int i);

  /** The frames, in wire order; built on the first call, the same array after. Do not change it. */
  public abstract byte[][] frames();

  /** A train of frames that already exist. */
  public static FrameTrain of(byte[]... frames) {
    if (frames.length == 0) throw new IllegalArgumentException("a train needs at least one frame");
    return new Built(frames);
  }

  /** Total bytes of the train's frames. */
  public long bytes() {
    long b = 0;
    for (int i = 0, n = size(); i < n; i++) b += length(i);
    return b;
  }

  private static final class Built extends FrameTrain {
    private final byte[][] frames;

    Built(byte[][] frames) {
      this.frames = frames;
    }

    @Override
    public int size() {
      return frames.length;
    }

    @Override
    public int length(int i) {
      return frames[i].length;
    }

    @Override
    public byte[][] frames() {
      return frames;
    }
  }

  /**
   * A train whose frames are built on first use by {@link #build()}; a subclass holds what they are
   * built from, which must not change after the train is sent. The lengths are given up front and
   * checked against the built frames.
   */
  public abstract static class Lazy extends FrameTrain {
    private final int[] lengths;
    /** Null until built; then the frames, which never change. */
    private volatile byte[][] built;

    protected Lazy(int[] lengths) {
      if (lengths.length == 0) throw new IllegalArgumentException("a train needs at least one frame");
      this.lengths = lengths;
    }

    /** Builds the frames; called at most once. */
    protected abstract byte[][] build();

    /** Lets go of what the frames were built from, once they are. */
    protected void built() {}

    @Override
    public final int size() {
      return lengths.length;
    }

    @Override
    public final int length(int i) {
      return lengths[i];
    }

    @Override
    public final byte[][] frames() {
      byte[][] f = built;
      if (f != null) return f;
      synchronized (this) {
        if (built == null) {
          f = build();
          if (f.length != lengths.length)
            throw new IllegalStateException("train built " + f.length + " frames, announced " + lengths.length);
          for (int i = 0; i < f.length; i++)
            if (f[i].length != lengths[i])
              throw new IllegalStateException("frame " + i + " built with " + f[i].length + " bytes, announced "
                  + lengths[i] + " (" + Arrays.toString(lengths) + ")");
          built = f;
          built();
        }
        return built;
      }
    }
  }
}
