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
 * The far end of one direction of the cable, wrapped (DESIGN §5): the WireActor delivers each
 * frame here instead of to the receiving NIC, and the {@link WireFaults} core decides whether it
 * arrives, when, how often and with which bytes. The pcap therefore shows every frame as the
 * sending NIC put it on the wire, as a capture on the sender would.
 *
 * <pre>
 *   NicActor ──Transmit──► WireActor ──WireRx──► WireFaultActor ──WireRx (now / later / twice / never)──► NicActor
 * </pre>
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
    this.out = (frame, delayNs) -> {
      if (delayNs <= 0) clock.tell(farNic, new NetDeviceOps.WireRx(frame));
      else clock.scheduleAfter(delayNs, farNic, new NetDeviceOps.WireRx(frame));
    };
  }

  @Override
  protected Receive<NetDeviceOps.Command> handlers() {
    return newHandlers().onMessage(NetDeviceOps.WireRx.class, this::onWireRx).build();
  }

  private Behavior<NetDeviceOps.Command> onWireRx(NetDeviceOps.WireRx msg) {
    long now = clock.now();
    byte[] frame = msg.frame();
    if (tamper != null) {
      frame = tamper.tamper(now, frame);
      if (frame == null) return this;
    }
    if (faults != null) faults.onFrame(now, frame, out);
    else out.deliver(frame, 0);
    return this;
  }
}
