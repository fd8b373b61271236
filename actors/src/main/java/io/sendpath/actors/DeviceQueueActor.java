package io.sendpath.actors;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.qdisc.NetdevQueue;
import io.sendpath.qdisc.NetdevQueueOutput;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One TX queue of a device (dev_queue_xmit → qdisc → __qdisc_run → ndo_start_xmit) around a
 * {@link NetdevQueue}. The NET_XMIT answer of the enqueue goes back to whoever waits for it (TCP);
 * the driver's completions wake the queue and run the qdisc again.
 */
public final class DeviceQueueActor extends SimActor<DevQueueOps.Command> implements NetdevQueueOutput {

  private final NetdevQueue core;
  private final ActorRef<NetDeviceOps.Command> nic;

  public static Behavior<DevQueueOps.Command> create(VirtualClock clock, ActorRef<NetDeviceOps.Command> nic,
      Function<NetdevQueueOutput, NetdevQueue> coreFactory, java.util.function.Consumer<DeviceQueueActor> onCreate) {
    return Behaviors.setup(ctx -> {
      DeviceQueueActor actor = new DeviceQueueActor(ctx, clock, nic, coreFactory);
      onCreate.accept(actor);
      return actor;
    });
  }

  private DeviceQueueActor(ActorContext<DevQueueOps.Command> ctx, VirtualClock clock, ActorRef<NetDeviceOps.Command> nic,
      Function<NetdevQueueOutput, NetdevQueue> coreFactory) {
    super(ctx, clock);
    this.nic = nic;
    this.core = coreFactory.apply(this);
  }

  public NetdevQueue core() {
    return core;
  }

  @Override
  protected Receive<DevQueueOps.Command> handlers() {
    return newReceiveBuilder()
        .onMessage(DevQueueOps.DevQueueXmit.class, this::onXmit)
        .onMessage(DevQueueOps.TxCompleted.class, this::onTxCompleted)
        .build();
  }

  private Behavior<DevQueueOps.Command> onXmit(DevQueueOps.DevQueueXmit msg) {
    long now = clock.now();
    int seq = msg.skb().seq;
    int code = core.xmit(now, msg.skb());
    if (msg.replyTo() != null) clock.tell(msg.replyTo(), new NetXmit(code, seq));
    core.run(now);
    return this;
  }

  private Behavior<DevQueueOps.Command> onTxCompleted(DevQueueOps.TxCompleted msg) {
    long now = clock.now();
    core.txCompleted(now, msg.descriptors(), msg.skbs(), msg.bytes());
    core.run(now);
    return this;
  }

  @Override
  public void startXmit(SkBuff skb) {
    clock.tell(nic, new NetDeviceOps.NdoStartXmit(skb));
  }
}
