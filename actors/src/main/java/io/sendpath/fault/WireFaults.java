package io.sendpath.fault;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * The faults of one direction of the cable, as a pure decision maker: every frame that reaches
 * the far end of the wire is shown to {@link #onFrame}, which delivers it (possibly changed,
 * later, or twice) through {@link Out}, or not at all. Like netem, in this order: link down,
 * ARP filter (neighbour failure), loss, burst loss, corruption, zero-window rewrite,
 * duplication, delay with jitter, reordering. Each fault draws from its own seeded generator,
 * and only for frames it applies to while it is active, so one fault's decisions do not depend
 * on whether another fault is in the plan.
 */
public final class WireFaults {

  /** Where surviving frames go. */
  public interface Out {
    /** Hand 'frame' to the receiving NIC 'delayNs' from now (0: at once). */
    void deliver(byte[] frame, long delayNs);
  }

  private final Fault[] faults;
  private final SplittableRandom[] random;
  /** One Gilbert-Elliott state per fault (null for other kinds). */
  private final GilbertElliott[] ge;
  private final FaultLog log;
  /** Connection number of a frame (-1 for ARP and frames of no connection). */
  private final ToLongFunction<byte[]> connOf;
  /** True when some fault names connections, so frames must be attributed. */
  private final boolean filtersByConnection;

  public WireFaults(List<Fault> faults, Fault.Direction direction, long seed, FaultLog log, ToLongFunction<byte[]> connOf) {
    this.faults = faults.toArray(new Fault[0]);
    this.random = new SplittableRandom[this.faults.length];
    this.ge = new GilbertElliott[this.faults.length];
    this.log = log;
    this.connOf = connOf;
    boolean filters = false;
    for (int i = 0; i < this.faults.length; i++) {
      Fault f = this.faults[i];
      random[i] = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + (f.id() + 1) * 0xBF58476D1CE4E5B9L + direction.ordinal());
      if (f.kind() == FaultKind.BURST_LOSS) ge[i] = new GilbertElliott(f.geP(), f.geR(), f.geLossGood(), f.geLossBad(), random[i]);
      filters |= f.connections().length > 0;
    }
    this.filtersByConnection = filters;
  }

  /** One frame whose last bit reached the far end of the cable at 'now'. */
  public void onFrame(long now, byte[] frame, Out out) {
    long conn = filtersByConnection ? connOf.applyAsLong(frame) : -1;
    long delay = 0;
    boolean duplicate = false;
    for (int i = 0; i < faults.length; i++) {
      Fault f = faults[i];
      if (!f.activeAt(now)) continue;
      if (f.connections().length > 0 && !f.appliesTo(conn)) continue;
      switch (f.kind()) {
        case LINK_DOWN -> {
          log.count(f.id(), Effect.FRAME_DROPPED, now);
          return;
        }
        case NEIGH_FAIL -> {
          if (FrameEdit.isArp(frame)) {
            log.count(f.id(), Effect.ARP_DROPPED, now);
            return;
          }
        }
        case LOSS -> {
          if (random[i].nextDouble() < f.probability()) {
            log.count(f.id(), Effect.FRAME_DROPPED, now);
            return;
          }
        }
        case BURST_LOSS -> {
          if (ge[i].lose()) {
            log.count(f.id(), Effect.FRAME_DROPPED, now);
            return;
          }
        }
        case CORRUPT -> {
          if (FrameEdit.isTcp(frame) && random[i].nextDouble() < f.probability()) {
            frame = FrameEdit.corrupt(frame, random[i]);
            log.count(f.id(), Effect.FRAME_CORRUPTED, now);
          }
        }
        case PEER_ZERO_WINDOW -> {
          if (FrameEdit.isTcp(frame) && FrameEdit.hasOpenWindow(frame)) {
            frame = FrameEdit.zeroWindow(frame);
            log.count(f.id(), Effect.WINDOW_ZEROED, now);
          }
        }
        case DUPLICATE -> {
          if (random[i].nextDouble() < f.probability()) {
            duplicate = true;
            log.count(f.id(), Effect.FRAME_DUPLICATED, now);
          }
        }
        case DELAY -> {
          delay += f.delayNs() + (f.jitterNs() > 0 ? random[i].nextLong(f.jitterNs()) : 0);
          log.count(f.id(), Effect.FRAME_DELAYED, now);
        }
        case REORDER -> {
          if (random[i].nextDouble() < f.probability()) {
            delay += f.delayNs();
            log.count(f.id(), Effect.FRAME_REORDERED, now);
          }
        }
        default -> { }
      }
    }
    out.deliver(frame, delay);
    if (duplicate) out.deliver(frame.clone(), delay);
  }
}
