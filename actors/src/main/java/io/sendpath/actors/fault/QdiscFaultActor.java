package io.sendpath.actors.fault;

import io.sendpath.fault.Effect;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultLog;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * dev_queue_xmit() wrapped (DESIGN §5): between the neighbour layer and the device queue, a
 * qdisc-drop fault answers an skb the way a qdisc that refuses it does
 * (net/core/dev.c::__dev_xmit_skb() returning the enqueue verdict): NET_XMIT_DROP after freeing it
 * (kfree_skb runs tcp_wfree), or NET_XMIT_CN with 'answer = cn', which lets the skb through and
 * tells TCP it met congestion (TCP enters CWR either way, tcp_enter_cwr()). Every other skb, and
 * every skb outside the fault's window, passes untouched with its own answer.
 */
public final class QdiscFaultActor extends SimActor<DevQueueOps.Command> {

  private final ActorRef<DevQueueOps.Command> devQueue;
  private final Fault[] faults;
  private final SplittableRandom[] random;
  private final FaultLog log;

  public static Behavior<DevQueueOps.Command> create(VirtualClock clock, ActorRef<DevQueueOps.Command> devQueue,
      List<Fault> faults, long seed, FaultLog log) {
    return Behaviors.setup(ctx -> new QdiscFaultActor(ctx, clock, devQueue, faults, seed, log));
  }

  private QdiscFaultActor(ActorContext<DevQueueOps.Command> ctx, VirtualClock clock, ActorRef<DevQueueOps.Command> devQueue,
      List<Fault> faults, long seed, FaultLog log) {
    super(ctx, clock);
    this.devQueue = devQueue;
    this.faults = faults.toArray(new Fault[0]);
    this.random = new SplittableRandom[this.faults.length];
    for (int i = 0; i < this.faults.length; i++) random[i] = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 31L * (this.faults[i].id() + 1));
    this.log = log;
  }

  @Override
  protected Receive<DevQueueOps.Command> handlers() {
    return newHandlers()
        .onMessage(DevQueueOps.DevQueueXmit.class, this::onXmit)
        .onMessage(DevQueueOps.TxCompleted.class, this::onOther)
        .build();
  }

  private Behavior<DevQueueOps.Command> onXmit(DevQueueOps.DevQueueXmit msg) {
    long now = clock.now();
    SkBuff skb = msg.skb();
    for (int i = 0; i < faults.length; i++) {
      Fault f = faults[i];
      if (!f.activeAt(now) || !f.appliesTo(skb.connId) || random[i].nextDouble() >= f.probability()) continue;
      int seq = skb.seq;
      if (f.answerCn()) {
        log.count(f.id(), Effect.SKB_CN, now);
        clock.tell(devQueue, new DevQueueOps.DevQueueXmit(skb, null));
        if (msg.replyTo() != null) clock.tell(msg.replyTo(), new NetXmit(NetXmit.CN, seq));
      } else {
        log.count(f.id(), Effect.SKB_DROPPED, now);
        skb.free();
        if (msg.replyTo() != null) clock.tell(msg.replyTo(), new NetXmit(NetXmit.DROP, seq));
      }
      return this;
    }
    clock.tell(devQueue, msg);
    return this;
  }

  private Behavior<DevQueueOps.Command> onOther(DevQueueOps.Command msg) {
    clock.tell(devQueue, msg);
    return this;
  }
}
