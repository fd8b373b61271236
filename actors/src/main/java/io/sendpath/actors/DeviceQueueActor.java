package io.sendpath.actors;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.qdisc.NetdevQueue;
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
public final class DeviceQueueActor extends SimActor<DevQueueOps.Command> implements NetdevQueue.Output {

  /** __netif_schedule(): run the qdisc again at this instant (NET_TX softirq). */
  private enum NetTxAction implements DevQueueOps.Command { INSTANCE }

  private boolean scheduled;

  private final NetdevQueue core;
  private final ActorRef<NetDeviceOps.Command> nic;

  public static Behavior<DevQueueOps.Command> create(VirtualClock clock, ActorRef<NetDeviceOps.Command> nic,
      Function<NetdevQueue.Output, NetdevQueue> coreFactory, java.util.function.Consumer<DeviceQueueActor> onCreate) {
    return Behaviors.setup(ctx -> {
      DeviceQueueActor actor = new DeviceQueueActor(ctx, clock, nic, coreFactory);
      onCreate.accept(actor);
      return actor;
    });
  }

  private DeviceQueueActor(ActorContext<DevQueueOps.Command> ctx, VirtualClock clock, ActorRef<NetDeviceOps.Command> nic,
      Function<NetdevQueue.Output, NetdevQueue> coreFactory) {
    super(ctx, clock);
    this.nic = nic;
    this.core = coreFactory.apply(this);
  }

  public NetdevQueue core() {
    return core;
  }

  @Override
  protected Receive<DevQueueOps.Command> handlers() {
    return newHandlers()
        .onMessage(DevQueueOps.DevQueueXmit.class, this::onXmit)
        .onMessage(DevQueueOps.TxCompleted.class, this::onTxCompleted)
        .onMessage(NetTxAction.class, this::onNetTxAction)
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

  private Behavior<DevQueueOps.Command> onNetTxAction(NetTxAction msg) {
    scheduled = false;
    core.run(clock.now());
    return this;
  }

  /**
   * ndo_start_xmit(): the NIC never gets more skbs than its ring holds, because this core counts
   * the ring's free descriptors and stops the queue at zero; so the answer is always NETDEV_TX_OK.
   */
  @Override
  public int startXmit(SkBuff skb) {
    clock.tell(nic, new NetDeviceOps.NdoStartXmit(skb));
    return NetdevQueue.NETDEV_TX_OK;
  }

  @Override
  public void netifSchedule() {
    if (!scheduled) {
      scheduled = true;
      clock.tell(getContext().getSelf(), NetTxAction.INSTANCE);
    }
  }
}
