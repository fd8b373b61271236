package io.sendpath.nic;

import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.ops.WireOps;
import io.sendpath.protocol.wire.FrameSink;
import io.sendpath.protocol.wire.FrameTrain;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One direction of a point-to-point cable. A Transmit (the frame train of one skb) arrives at its
 * first frame's departure instant; the wire shows every frame to its sink (a pcap, a test) stamped
 * with that frame's own departure, and delivers the frames to the far NIC when their last bits
 * have crossed: departure + serialization + propagation. Frames never overtake each other:
 * departures are in order and both delays are per frame constant-plus-monotone. Faults on the
 * wire are wrappers around this boundary (DESIGN §5).
 *
 * <p>Delivery ({@link Delivery}): {@code NAPI_BURST} hands a train over as one WireRx at the
 * instant the last frame's last bit arrives, the moment a NAPI poll after interrupt coalescing
 * would see the burst; {@code PER_FRAME} hands each frame over on its own at its own arrival (a
 * receiver without GRO, and what the wire did before trains existed).
 *
 * <p>The sink sees frames stamped up to one train ahead of the clock; a sink shared by both
 * directions must therefore reorder them (TimeOrderedFrameSink).
 */
public final class WireActor extends SimActor<WireOps.Command> {

  /** How arrived frames are handed to the far NIC. */
  public enum Delivery {
    /** One WireRx per frame, at the frame's own arrival. */
    PER_FRAME,
    /** One WireRx per train, at the arrival of its last frame (interrupt coalescing, one NAPI poll). */
    NAPI_BURST
  }

  /** Frames and bytes carried, from outside the simulation. */
  public record GetStats(ActorRef<Stats> replyTo) implements WireOps.Command, SimActor.Uncounted {}

  public record Stats(long frames, long bytes) {}

  /** The receiving NIC. */
  private final ActorRef<NetDeviceOps.Command> farNic;
  /** One-way propagation delay, ns; >= 0 (5 ns per metre of fibre or copper). */
  private final long propagationNs;
  /** Sees every frame at its departure time; null for none. */
  private final FrameSink sink;
  private final Delivery delivery;
  /** The receiving host's clock: this wire's own, or another domain of its ClockGroup. */
  private final VirtualClock farClock;
  /** Frames carried; counts each frame of a train. */
  private long frames;
  /** Bytes of the frames carried (as handed to the MAC, without FCS). */
  private long bytes;

  /** A wire that delivers frame by frame (PER_FRAME). */
  public static Behavior<WireOps.Command> create(VirtualClock clock, ActorRef<NetDeviceOps.Command> farNic, long propagationNs, FrameSink sink) {
    return create(clock, clock, farNic, propagationNs, sink, Delivery.PER_FRAME);
  }

  /** A wire within one clock domain. */
  public static Behavior<WireOps.Command> create(VirtualClock clock, ActorRef<NetDeviceOps.Command> farNic, long propagationNs,
      FrameSink sink, Delivery delivery) {
    return create(clock, clock, farNic, propagationNs, sink, delivery);
  }

  /** A wire between two clock domains: farClock is the receiving host's (the frames cross with scheduleFrom). */
  public static Behavior<WireOps.Command> create(VirtualClock clock, VirtualClock farClock, ActorRef<NetDeviceOps.Command> farNic,
      long propagationNs, FrameSink sink, Delivery delivery) {
    if (propagationNs < 0) throw new IllegalArgumentException("propagation delay must be >= 0, got " + propagationNs);
    if (delivery == null) throw new IllegalArgumentException("delivery mode is required");
    return Behaviors.setup(ctx -> new WireActor(ctx, clock, farClock, farNic, propagationNs, sink, delivery));
  }

  private WireActor(ActorContext<WireOps.Command> context, VirtualClock clock, VirtualClock farClock, ActorRef<NetDeviceOps.Command> farNic,
      long propagationNs, FrameSink sink, Delivery delivery) {
    super(context, clock);
    this.farClock = farClock;
    this.farNic = farNic;
    this.propagationNs = propagationNs;
    this.sink = sink;
    this.delivery = delivery;
  }

  @Override
  protected Receive<WireOps.Command> handlers() {
    return newHandlers()
        .onMessage(WireOps.Transmit.class, this::onTransmit)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<WireOps.Command> onTransmit(WireOps.Transmit msg) {
    FrameTrain train = msg.train();
    long[] depart = msg.departNs();
    long[] serialization = msg.serializationNs();
    int n = train.size();
    frames += n;
    bytes += train.bytes();
    if (sink != null) {
      // a capture needs the bytes now, on this host's thread
      byte[][] f = train.frames();
      for (int i = 0; i < n; i++) sink.frame(depart[i], f[i], f[i].length);
    }
    if (delivery == Delivery.NAPI_BURST) {
      // the train's bytes are built (if not yet) by the far host, when it takes them in
      long[] arrival = new long[n];
      for (int i = 0; i < n; i++) arrival[i] = depart[i] + serialization[i] + propagationNs;
      farClock.scheduleFrom(clock, arrival[n - 1], farNic, new NetDeviceOps.WireRx(train, arrival));
    } else {
      byte[][] f = train.frames();
      for (int i = 0; i < n; i++) {
        long arrival = depart[i] + serialization[i] + propagationNs;
        farClock.scheduleFrom(clock, arrival, farNic, new NetDeviceOps.WireRx(f[i], arrival));
      }
    }
    return this;
  }

  private Behavior<WireOps.Command> onGetStats(GetStats msg) {
    msg.replyTo().tell(new Stats(frames, bytes));
    return this;
  }
}
