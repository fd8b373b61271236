package io.sendpath.actors;

import io.sendpath.neigh.NeighTable;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NeighOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.protocol.wire.ArpPacket;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The neighbour layer of one host (neigh_output / neigh_resolve_output, arp_rcv) around a
 * {@link NeighTable}. An skb for a resolved neighbour goes straight to dev_queue_xmit and its
 * NET_XMIT answer goes back to TCP from the device queue; an skb that waits in the unresolved
 * queue (or is dropped there) is answered NET_XMIT_SUCCESS at once, as neigh_resolve_output
 * returns 0 once __neigh_event_send has queued or freed it.
 */
public final class NeighbourActor extends SimActor<NeighOps.Command> implements NeighTable.Output {

  private record Tick(long at) implements NeighOps.Command {}

  /** Names the host's IP layer, which hears about unreachable neighbours (arp_error_report). Sent once before the run. */
  public record AttachIp(ActorRef<AfOps.Command> ip) implements NeighOps.Command, SimActor.Uncounted {}

  /** Where arp_error_report() sends its ICMP host-unreachable; null until attached (then errors are only counted). */
  private ActorRef<AfOps.Command> ip;

  private final NeighTable core;
  private final ActorRef<DevQueueOps.Command> devQueue;
  private final Wakeup<NeighOps.Command> wakeup;
  /** The skb being output right now and who waits for its answer; cleared after each call. */
  private SkBuff current;
  private ActorRef<NetXmit> currentReplyTo;
  private boolean currentForwarded;

  public static Behavior<NeighOps.Command> create(VirtualClock clock, ActorRef<DevQueueOps.Command> devQueue,
      Function<NeighTable.Output, NeighTable> coreFactory, java.util.function.Consumer<NeighbourActor> onCreate) {
    return Behaviors.setup(ctx -> {
      NeighbourActor actor = new NeighbourActor(ctx, clock, devQueue, coreFactory);
      onCreate.accept(actor);
      return actor;
    });
  }

  private NeighbourActor(ActorContext<NeighOps.Command> ctx, VirtualClock clock, ActorRef<DevQueueOps.Command> devQueue,
      Function<NeighTable.Output, NeighTable> coreFactory) {
    super(ctx, clock);
    this.devQueue = devQueue;
    this.core = coreFactory.apply(this);
    this.wakeup = new Wakeup<>(clock, ctx.getSelf(), Tick::new);
  }

  public NeighTable core() {
    return core;
  }

  @Override
  protected Receive<NeighOps.Command> handlers() {
    return newHandlers()
        .onMessage(NeighOps.NeighOutput.class, this::onOutput)
        .onMessage(NeighOps.ArpRcv.class, this::onArpRcv)
        .onMessage(Tick.class, this::onTick)
        .onMessage(AttachIp.class, this::onAttachIp)
        .build();
  }

  private Behavior<NeighOps.Command> onOutput(NeighOps.NeighOutput msg) {
    current = msg.skb();
    currentReplyTo = msg.replyTo();
    currentForwarded = false;
    core.output(clock.now(), msg.skb(), msg.nextHop());
    if (!currentForwarded && currentReplyTo != null) clock.tell(currentReplyTo, new NetXmit(NetXmit.SUCCESS, msg.skb().seq));
    current = null;
    currentReplyTo = null;
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  private Behavior<NeighOps.Command> onArpRcv(NeighOps.ArpRcv msg) {
    ArpPacket arp = ArpPacket.decode(msg.body(), 0);
    if (arp != null) core.arpRcv(clock.now(), arp);
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  private Behavior<NeighOps.Command> onAttachIp(AttachIp msg) {
    ip = msg.ip();
    return this;
  }

  private Behavior<NeighOps.Command> onTick(Tick msg) {
    wakeup.fired(msg.at());
    long now = clock.now();
    if (core.nextTimerAt() <= now) core.onTimer(now);
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  // ---- NeighTable.Output: the core's effects ----

  @Override
  public void xmit(SkBuff skb) {
    ActorRef<NetXmit> replyTo = null;
    if (skb == current) {
      currentForwarded = true;
      replyTo = currentReplyTo;
    }
    clock.tell(devQueue, new DevQueueOps.DevQueueXmit(skb, replyTo));
  }

  @Override
  public void drop(SkBuff skb, int reason) {
    skb.free();
    // net/ipv4/arp.c::arp_error_report() → ipv4_link_failure() → icmp_send(ICMP_HOST_UNREACH) to
    // the skb's own source, this host, whose TCP then sees EHOSTUNREACH (tcp_v4_err).
    int errno = NeighTable.errnoOf(reason);
    if (errno != 0 && ip != null && skb.protocol == SkBuff.ETH_P_IP && skb.flow != null)
      clock.tell(ip, new IpActor.IcmpUnreach(skb.flow, errno));
  }
}
