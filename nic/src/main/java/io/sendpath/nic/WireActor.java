package io.sendpath.nic;

import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.ops.WireOps;
import io.sendpath.protocol.wire.FrameSink;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One direction of a point-to-point cable. A Transmit arrives at the frame's departure instant;
 * the wire shows the frame to its sink (a pcap, a test) stamped with that instant, and delivers
 * it to the far NIC when its last bit has crossed: departure + serialization + propagation.
 * Frames never overtake each other: departures are in order and both delays are per frame
 * constant-plus-monotone. Faults on the wire are wrappers around this boundary (DESIGN §5).
 */
public final class WireActor extends SimActor<WireOps.Command> {

  /** Frames and bytes carried, from outside the simulation. */
  public record GetStats(ActorRef<Stats> replyTo) implements WireOps.Command, SimActor.Uncounted {}

  public record Stats(long frames, long bytes) {}

  /** The receiving NIC. */
  private final ActorRef<NetDeviceOps.Command> farNic;
  /** One-way propagation delay, ns; >= 0 (5 ns per metre of fibre or copper). */
  private final long propagationNs;
  /** Sees every frame at its departure time; null for none. */
  private final FrameSink sink;
  /** The receiving host's clock: this wire's own, or another domain of its ClockGroup. */
  private final VirtualClock farClock;
  private long frames;
  private long bytes;

  public static Behavior<WireOps.Command> create(VirtualClock clock, ActorRef<NetDeviceOps.Command> farNic, long propagationNs, FrameSink sink) {
    return create(clock, clock, farNic, propagationNs, sink);
  }

  /** A wire between two clock domains: farClock is the receiving host's (the frame crosses with scheduleFrom). */
  public static Behavior<WireOps.Command> create(VirtualClock clock, VirtualClock farClock, ActorRef<NetDeviceOps.Command> farNic, long propagationNs, FrameSink sink) {
    if (propagationNs < 0) throw new IllegalArgumentException("propagation delay must be >= 0, got " + propagationNs);
    return Behaviors.setup(ctx -> new WireActor(ctx, clock, farClock, farNic, propagationNs, sink));
  }

  private WireActor(ActorContext<WireOps.Command> context, VirtualClock clock, VirtualClock farClock, ActorRef<NetDeviceOps.Command> farNic, long propagationNs, FrameSink sink) {
    super(context, clock);
    this.farClock = farClock;
    this.farNic = farNic;
    this.propagationNs = propagationNs;
    this.sink = sink;
  }

  @Override
  protected Receive<WireOps.Command> handlers() {
    return newHandlers()
        .onMessage(WireOps.Transmit.class, this::onTransmit)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<WireOps.Command> onTransmit(WireOps.Transmit msg) {
    long now = clock.now();
    byte[] frame = msg.frame();
    frames++;
    bytes += frame.length;
    if (sink != null) sink.frame(now, frame, frame.length);
    farClock.scheduleFrom(clock, now + msg.serializationNs() + propagationNs, farNic, new NetDeviceOps.WireRx(frame));
    return this;
  }

  private Behavior<WireOps.Command> onGetStats(GetStats msg) {
    msg.replyTo().tell(new Stats(frames, bytes));
    return this;
  }
}
