package io.sendpath.actors.fault;

import io.sendpath.fault.WireFaults;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The far end of one direction of the cable, wrapped (DESIGN §5): the WireActor delivers frames
 * here instead of to the receiving NIC, and the {@link WireFaults} core decides for each frame
 * whether it arrives, when, how often and with which bytes. The pcap therefore shows every frame
 * as the sending NIC put it on the wire, as a capture on the sender would.
 *
 * <pre>
 *   NicActor ──Transmit──► WireActor ──WireRx──► WireFaultActor ──WireRx (now / later / twice / never)──► NicActor
 * </pre>
 *
 * <p>Trains: a WireRx may carry a burst (NAPI delivery at its last frame's arrival). Each frame
 * is still judged on its own, in train order and at its own arrival time, so every fault draws
 * from its generator exactly as it would frame by frame. A frame that keeps an arrival time no
 * later than the train's (no delay, or a duplicate) stays in the train, which goes on as one
 * WireRx ordered by arrival time; a frame delayed past the train's arrival leaves it and is
 * delivered on its own at its new time.
 */
public final class WireFaultActor extends SimActor<NetDeviceOps.Command> {

  /** Rewrites a frame, or returns null to lose it: a test double standing for a broken component. */
  public interface FrameTamper {
    byte[] tamper(long now, byte[] frame);
  }

  private final ActorRef<NetDeviceOps.Command> farNic;
  /** The plan's faults for this direction; null when only a tamper is installed. */
  private final WireFaults faults;
  /** A test double's frame rewriting, applied before the faults; null in real runs. */
  private final FrameTamper tamper;
  private final WireFaults.Out out;
  /** Frames of the train being judged that stay in it, with their arrival times; count in use. */
  private byte[][] keptFrames = new byte[8][];
  private long[] keptAt = new long[8];
  private int kept;
  /** Arrival time of the frame being judged, and the train's delivery instant (now). */
  private long frameAt, trainAt;

  public static Behavior<NetDeviceOps.Command> create(VirtualClock clock, ActorRef<NetDeviceOps.Command> farNic,
      WireFaults faults, FrameTamper tamper) {
    return Behaviors.setup(ctx -> new WireFaultActor(ctx, clock, farNic, faults, tamper));
  }

  private WireFaultActor(ActorContext<NetDeviceOps.Command> ctx, VirtualClock clock, ActorRef<NetDeviceOps.Command> farNic,
      WireFaults faults, FrameTamper tamper) {
    super(ctx, clock);
    this.farNic = farNic;
    this.faults = faults;
    this.tamper = tamper;
    this.out = this::deliver;
  }

  @Override
  protected Receive<NetDeviceOps.Command> handlers() {
    return newHandlers().onMessage(NetDeviceOps.WireRx.class, this::onWireRx).build();
  }

  private Behavior<NetDeviceOps.Command> onWireRx(NetDeviceOps.WireRx msg) {
    trainAt = clock.now();
    byte[][] frames = msg.frames();
    long[] arrival = msg.arrivalNs();
    kept = 0;
    for (int i = 0; i < frames.length; i++) {
      frameAt = arrival[i];
      byte[] frame = frames[i];
      if (tamper != null) {
        frame = tamper.tamper(frameAt, frame);
        if (frame == null) continue;
      }
      if (faults != null) faults.onFrame(frameAt, frame, out);
      else deliver(frame, 0);
    }
    if (kept == 0) return this;
    byte[][] train = java.util.Arrays.copyOf(keptFrames, kept);
    long[] at = java.util.Arrays.copyOf(keptAt, kept);
    java.util.Arrays.fill(keptFrames, 0, kept, null);
    kept = 0;
    clock.tell(farNic, new NetDeviceOps.WireRx(train, at));
    return this;
  }

  /** WireFaults.Out: the frame judged now arrives 'delayNs' after its own arrival. */
  private void deliver(byte[] frame, long delayNs) {
    long at = frameAt + Math.max(0, delayNs);
    if (at > trainAt) {
      clock.schedule(at, farNic, new NetDeviceOps.WireRx(frame, at));
      return;
    }
    if (kept == keptFrames.length) {
      keptFrames = java.util.Arrays.copyOf(keptFrames, 2 * kept);
      keptAt = java.util.Arrays.copyOf(keptAt, 2 * kept);
    }
    // insertion by arrival time, after any frame with the same time (stable)
    int i = kept;
    while (i > 0 && keptAt[i - 1] > at) {
      keptFrames[i] = keptFrames[i - 1];
      keptAt[i] = keptAt[i - 1];
      i--;
    }
    keptFrames[i] = frame;
    keptAt[i] = at;
    kept++;
  }
}
