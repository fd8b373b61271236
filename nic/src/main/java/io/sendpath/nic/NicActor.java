package io.sendpath.nic;

import io.sendpath.nic.core.NicConfig;
import io.sendpath.nic.core.NicCore;
import io.sendpath.nic.core.NicCounters;
import io.sendpath.nic.core.NicEffects;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.ops.WireOps;
import io.sendpath.protocol.wire.FrameTrain;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The driver (struct net_device_ops) as an actor around {@link NicCore}.
 *
 * <pre>
 *  DeviceQueueActor ──NdoStartXmit──► NicActor ──Transmit (one train per skb, at its first departure)──► WireActor
 *         ▲                             │  ▲
 *         └──TxCompleted (at completion)┘  └──WireRx (a burst or one frame, from the far WireActor)
 *                                       │
 *                                       └──► rx handler (one call per NAPI poll, e.g. clock.tell(ip, new IpListRcv(frames)))
 * </pre>
 *
 * The frames of an skb are built when it is posted and handed to the clock as one train for its
 * first departure instant, addressed straight to the wire: one calendar event per skb, and the NIC
 * is not woken per departure (the bytes cannot change meanwhile; see {@link NicCore}). At a completion instant the
 * NIC frees the skbs (their destructors run, e.g. tcp_wfree) and sends one TxCompleted.
 *
 * <p>The RX handler is a plain {@code Consumer<byte[]>} so the NIC does not depend on the IP
 * layer's message type; it runs on this actor's thread and must only send (through the clock).
 * The wire and the device queue are usually spawned after the NIC, so they are attached by
 * {@link AttachWire} / {@link AttachDevQueue}; until a wire is attached every skb is dropped as
 * tx_carrier_errors.
 */
public final class NicActor extends SimActor<NetDeviceOps.Command> {

  /** Connects the TX side to a wire (netif_carrier_on). Sent once before the run. */
  public record AttachWire(ActorRef<WireOps.Command> wire) implements NetDeviceOps.Command, SimActor.Uncounted {}

  /** Names the device queue that gets TxCompleted. Sent once before the run. */
  public record AttachDevQueue(ActorRef<DevQueueOps.Command> devQueue) implements NetDeviceOps.Command, SimActor.Uncounted {}

  /** Snapshot of the counters, from outside the simulation. */
  public record GetCounters(ActorRef<NicCounters> replyTo) implements NetDeviceOps.Command, SimActor.Uncounted {}

  /** Fault hook (DESIGN §5): netif_carrier_on / netif_carrier_off, as when the cable is pulled or put back. */
  public record SetCarrier(boolean on) implements NetDeviceOps.Command {}

  /** Fault hook: the TX ring stalls (no completion is reaped) while on; reaping resumes when it ends. */
  public record SetTxStall(boolean on) implements NetDeviceOps.Command {}

  /** Fault hook: delay from last bit out to TX completion for skbs posted from now on (0: normal). */
  public record SetCompletionDelay(long ns) implements NetDeviceOps.Command {}

  /**
   * Where the frames of one NAPI poll go up (netif_receive_skb_list): called on this actor's
   * thread, once per WireRx with the frames that passed the RX filter, in arrival order.
   */
  @FunctionalInterface
  public interface RxHandler {
    void netifReceive(byte[][] frames);
  }

  /** The TX completion interrupt, scheduled for each distinct completion instant. */
  private enum TxCompletionIrq implements NetDeviceOps.Command { INSTANCE }

  private final NicCore core;
  private final RxHandler rxHandler;
  private final Effects effects = new Effects();
  /** The TX side of the cable; null until attached. */
  private ActorRef<WireOps.Command> wire;
  /** True while a TX-ring-stall fault holds completions back; a completion interrupt then waits. */
  private boolean txStalled;
  /** Who hears about completions; null until attached (completions are then only freed). */
  private ActorRef<DevQueueOps.Command> devQueue;

  /**
   * @param rxHandler receives the frames of each poll that pass the RX filter; null drops them
   *                  (counted as rx_packets all the same, as a device with no protocol handler would)
   */
  public static Behavior<NetDeviceOps.Command> createBatched(VirtualClock clock, NicConfig config, RxHandler rxHandler) {
    return Behaviors.setup(ctx -> new NicActor(ctx, clock, config, rxHandler));
  }

  /** As {@link #createBatched} with a handler that takes the frames of each poll one by one, in order. */
  public static Behavior<NetDeviceOps.Command> create(VirtualClock clock, NicConfig config, Consumer<byte[]> perFrame) {
    RxHandler handler = perFrame == null ? null : frames -> {
      for (byte[] f : frames) perFrame.accept(f);
    };
    return createBatched(clock, config, handler);
  }

  private NicActor(ActorContext<NetDeviceOps.Command> context, VirtualClock clock, NicConfig config, RxHandler rxHandler) {
    super(context, clock);
    this.core = new NicCore(config);
    this.rxHandler = rxHandler;
    core.setCarrier(false);
  }

  @Override
  protected Receive<NetDeviceOps.Command> handlers() {
    return newHandlers()
        .onMessage(NetDeviceOps.NdoStartXmit.class, this::onStartXmit)
        .onMessage(TxCompletionIrq.class, this::onTxCompletion)
        .onMessage(NetDeviceOps.WireRx.class, this::onWireRx)
        .onMessage(AttachWire.class, this::onAttachWire)
        .onMessage(AttachDevQueue.class, this::onAttachDevQueue)
        .onMessage(GetCounters.class, this::onGetCounters)
        .onMessage(SetCarrier.class, this::onSetCarrier)
        .onMessage(SetTxStall.class, this::onSetTxStall)
        .onMessage(SetCompletionDelay.class, this::onSetCompletionDelay)
        .build();
  }

  private Behavior<NetDeviceOps.Command> onStartXmit(NetDeviceOps.NdoStartXmit msg) {
    core.ndoStartXmit(clock.now(), msg.skb(), effects);
    return this;
  }

  private Behavior<NetDeviceOps.Command> onTxCompletion(TxCompletionIrq msg) {
    if (txStalled) return this; // reaped when the stall ends
    core.txCompletionIrq(clock.now(), effects);
    return this;
  }

  private Behavior<NetDeviceOps.Command> onWireRx(NetDeviceOps.WireRx msg) {
    core.rx(clock.now(), msg.frames(), effects);
    return this;
  }

  private Behavior<NetDeviceOps.Command> onAttachWire(AttachWire msg) {
    wire = msg.wire();
    core.setCarrier(wire != null);
    return this;
  }

  private Behavior<NetDeviceOps.Command> onSetCarrier(SetCarrier msg) {
    core.setCarrier(msg.on() && wire != null);
    return this;
  }

  private Behavior<NetDeviceOps.Command> onSetTxStall(SetTxStall msg) {
    txStalled = msg.on();
    if (!txStalled) core.txCompletionIrq(clock.now(), effects);
    return this;
  }

  private Behavior<NetDeviceOps.Command> onSetCompletionDelay(SetCompletionDelay msg) {
    core.setCompletionDelayNs(msg.ns());
    return this;
  }

  private Behavior<NetDeviceOps.Command> onAttachDevQueue(AttachDevQueue msg) {
    devQueue = msg.devQueue();
    return this;
  }

  private Behavior<NetDeviceOps.Command> onGetCounters(GetCounters msg) {
    msg.replyTo().tell(core.counters().copy());
    return this;
  }

  private final class Effects implements NicEffects {
    @Override
    public void transmit(FrameTrain train, long[] departNs, long[] serializationNs) {
      WireOps.Transmit tx = new WireOps.Transmit(train, departNs, serializationNs);
      if (departNs[0] <= clock.now()) clock.tell(wire, tx);
      else clock.schedule(departNs[0], wire, tx);
    }

    @Override
    public void armTxCompletion(long atNs) {
      clock.schedule(atNs, getContext().getSelf(), TxCompletionIrq.INSTANCE);
    }

    @Override
    public void txCompleted(int descriptors, int skbs, long bytes) {
      if (devQueue != null) clock.tell(devQueue, new DevQueueOps.TxCompleted(descriptors, skbs, bytes));
    }

    @Override
    public void receive(byte[][] frames) {
      if (rxHandler != null) rxHandler.netifReceive(frames);
    }
  }
}
