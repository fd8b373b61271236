package io.sendpath.actors.fault;

import io.sendpath.nic.core.Tso;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A test double for a broken driver, between the device queue and the NIC: for each skb the
 * {@link SkbTamper} decides to pass it on or to swallow it — taken off the ring's books (the device
 * queue gets its completion) but never freed, so its destructor (tcp_wfree) never runs: a leaked
 * skb. Only tests install it; it exists so the run's invariants can be shown to catch a leak.
 */
public final class DeviceTamperActor extends SimActor<NetDeviceOps.Command> {

  /** True to leak this skb. */
  public interface SkbTamper {
    boolean leak(long now, SkBuff skb);
  }

  private final ActorRef<NetDeviceOps.Command> nic;
  private final ActorRef<DevQueueOps.Command>[] devQueue;
  private final SkbTamper tamper;

  /** devQueue[0] is read at each leak (the device queue is spawned after this actor). */
  public static Behavior<NetDeviceOps.Command> create(VirtualClock clock, ActorRef<NetDeviceOps.Command> nic,
      ActorRef<DevQueueOps.Command>[] devQueue, SkbTamper tamper) {
    return Behaviors.setup(ctx -> new DeviceTamperActor(ctx, clock, nic, devQueue, tamper));
  }

  private DeviceTamperActor(ActorContext<NetDeviceOps.Command> ctx, VirtualClock clock, ActorRef<NetDeviceOps.Command> nic,
      ActorRef<DevQueueOps.Command>[] devQueue, SkbTamper tamper) {
    super(ctx, clock);
    this.nic = nic;
    this.devQueue = devQueue;
    this.tamper = tamper;
  }

  @Override
  protected Receive<NetDeviceOps.Command> handlers() {
    return newHandlers()
        .onMessage(NetDeviceOps.NdoStartXmit.class, this::onXmit)
        .onAnyMessage(this::onOther)
        .build();
  }

  private Behavior<NetDeviceOps.Command> onXmit(NetDeviceOps.NdoStartXmit msg) {
    SkBuff skb = msg.skb();
    if (tamper.leak(clock.now(), skb)) {
      skb.destructor = null; // never freed: tcp_wfree will not run
      clock.tell(devQueue[0], new DevQueueOps.TxCompleted(1, 1, Tso.wireBytes(skb)));
      return this;
    }
    clock.tell(nic, msg);
    return this;
  }

  private Behavior<NetDeviceOps.Command> onOther(NetDeviceOps.Command msg) {
    if (msg instanceof SimActor.Uncounted) nic.tell(msg);
    else clock.tell(nic, msg);
    return this;
  }
}
