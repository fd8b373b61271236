package io.sendpath.actors.fault;

import io.sendpath.actors.IpActor;
import io.sendpath.actors.PeerActor;
import io.sendpath.fault.Effect;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultLog;
import io.sendpath.ip.Fib;
import io.sendpath.nic.NicActor;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Opens and closes the windows of a plan's faults on the virtual clock and, for the faults that
 * change a layer's state rather than single frames, tells that layer through its fault hook:
 * carrier off and on (link-down), TX ring stall, slow TX completion, routes removed and restored,
 * the peer application stopping to read or aborting. Every window logs a timeline line.
 * Per-frame and per-skb faults (loss, qdisc drops, ...) need no message: their wrappers test the
 * window arithmetically. Overlapping windows of the same kind on the same host act once: the state
 * changes when the first opens and reverts when the last closes.
 *
 * <p>With one clock domain per host a director runs in each domain and reaches only its own
 * host's layers ({@link #create(VirtualClock, FaultLog, Targets, Set)}): a message to another
 * host's layer at the fault's instant would cross domains without the wire's delay. Each keeps the
 * windows of the faults that act on its host on its own calendar (a link-down acts on both, so
 * both directors keep it and each switches its own NIC's carrier); the timeline and action counts
 * are written by the director of the fault's own host only, so they read as with one director.
 */
public final class FaultDirector extends SimActor<FaultDirector.Command> {

  public interface Command {}

  /** Window 'k' of fault 'faultId' opens (open) or closes. */
  public record Window(int faultId, long k, boolean open) implements Command {}

  /** The layers the director can reach. */
  public record Targets(
      ActorRef<NetDeviceOps.Command> senderNic,
      ActorRef<NetDeviceOps.Command> peerNic,
      ActorRef<AfOps.Command> senderIp,
      ActorRef<AfOps.Command> peer,
      /** Connection number → its flow as the sender sends it. */
      LongFunction<FlowKey> flowOf,
      /** Removes (false) or restores (true) a host's routes: (fib, up). */
      BiConsumer<Fib, Boolean> senderRoutes,
      BiConsumer<Fib, Boolean> peerRoutes,
      /** The sender host's TCP memory (tcp_mem); the mem-pressure fault lowers its limits. */
      io.sendpath.tcp.TcpMemory senderTcpMemory) {}

  /** Both hosts: the director of a run with one clock domain. */
  public static final Set<String> ALL_HOSTS = Set.of("sender", "peer");

  private final FaultLog log;
  private final Targets targets;
  /** The hosts whose layers this director reaches ("sender", "peer"); targets of other hosts are not used. */
  private final Set<String> hosts;
  /** Open windows per (kind, host): the state change happens on 0 → 1 and reverts on 1 → 0. */
  private final int[] open = new int[FaultKind.values().length * 2];

  /** The director of the clock domain of 'hosts': it reaches only their layers. */
  public static Behavior<Command> create(VirtualClock clock, FaultLog log, Targets targets, Set<String> hosts) {
    return Behaviors.setup(ctx -> new FaultDirector(ctx, clock, log, targets, hosts));
  }

  private FaultDirector(ActorContext<Command> ctx, VirtualClock clock, FaultLog log, Targets targets, Set<String> hosts) {
    super(ctx, clock);
    this.log = log;
    this.targets = targets;
    this.hosts = hosts;
  }

  /** Puts the first window of every fault acting on 'hosts' on the calendar of their domain's director. */
  public static void scheduleAll(VirtualClock clock, FaultLog log, ActorRef<Command> director, Set<String> hosts) {
    for (Fault f : log.plan().faults())
      if (actsOn(f, hosts)) clock.schedule(f.atNs(), director, new Window(f.id(), 0, true));
  }

  /** The host whose layer a fault changes: the peer's application for peer faults, the sender's tcp_mem, else its host. */
  static String hostOf(Fault f) {
    return switch (f.kind()) {
      case PEER_STOP_READING, PEER_RESET -> "peer";
      case MEM_PRESSURE -> "sender";
      default -> f.host();
    };
  }

  /** Whether a director of 'hosts' keeps the fault's windows: it acts there (a link-down acts on both hosts). */
  static boolean actsOn(Fault f, Set<String> hosts) {
    return hosts.contains(hostOf(f)) || f.kind() == FaultKind.LINK_DOWN && (hosts.contains("sender") || hosts.contains("peer"));
  }

  /** Whether this director writes the fault's timeline and counts its actions (one director per fault does). */
  private boolean logs(Fault f) {
    return hosts.contains(hostOf(f));
  }

  @Override
  protected Receive<Command> handlers() {
    return newHandlers().onMessage(Window.class, this::onWindow).build();
  }

  private Behavior<Command> onWindow(Window w) {
    long now = clock.now();
    Fault f = log.plan().faults().get(w.faultId());
    if (w.open()) {
      long end = f.windowEnd(now);
      if (logs(f)) log.event(now, f.id(), "window opens" + (end == Fault.FOREVER ? " (until the end of the run)" : " until " + end + " ns"));
      if (end != Fault.FOREVER) clock.schedule(end, getContext().getSelf(), new Window(f.id(), w.k(), false));
      int slot = slot(f);
      if (open[slot]++ == 0) apply(f, true, now);
      else if (f.kind() == FaultKind.PEER_RESET || f.kind() == FaultKind.SLOW_TX_COMPLETION) apply(f, true, now);
    } else {
      if (logs(f)) log.event(now, f.id(), "window closes");
      int slot = slot(f);
      if (--open[slot] == 0) apply(f, false, now);
      long next = f.windowStart(w.k() + 1);
      if (next >= 0) clock.schedule(next, getContext().getSelf(), new Window(f.id(), w.k() + 1, true));
    }
    return this;
  }

  private static int slot(Fault f) {
    return f.kind().ordinal() * 2 + (f.host().equals("peer") ? 1 : 0);
  }

  /** The state change of a fault's window opening (on) or closing. */
  private void apply(Fault f, boolean on, long now) {
    ActorRef<NetDeviceOps.Command> nic = f.host().equals("peer") ? targets.peerNic() : targets.senderNic();
    switch (f.kind()) {
      case LINK_DOWN -> {
        if (hosts.contains("sender")) clock.tell(targets.senderNic(), new NicActor.SetCarrier(!on));
        if (hosts.contains("peer")) clock.tell(targets.peerNic(), new NicActor.SetCarrier(!on));
        action(f, now, on ? "netif_carrier_off on both NICs" : "netif_carrier_on on both NICs");
      }
      case TX_RING_STALL -> {
        clock.tell(nic, new NicActor.SetTxStall(on));
        action(f, now, on ? "TX ring of the " + f.host() + " NIC stops completing" : "TX ring of the " + f.host() + " NIC completes again");
      }
      case SLOW_TX_COMPLETION -> {
        clock.tell(nic, new NicActor.SetCompletionDelay(on ? f.delayNs() : 0));
        action(f, now, on ? "TX completions of the " + f.host() + " NIC come " + f.delayNs() + " ns late" : "TX completions on time again");
      }
      case ROUTE_REMOVE -> {
        boolean up = !on;
        if (f.host().equals("peer")) {
          BiConsumer<Fib, Boolean> r = targets.peerRoutes();
          clock.tell(targets.peer(), new PeerActor.FibChange(fib -> r.accept(fib, up)));
        } else {
          BiConsumer<Fib, Boolean> r = targets.senderRoutes();
          clock.tell(targets.senderIp(), new IpActor.FibChange(fib -> r.accept(fib, up)));
        }
        action(f, now, on ? "routes of the " + f.host() + " removed" : "routes of the " + f.host() + " restored");
      }
      case PEER_STOP_READING -> {
        forEachTarget(f, flow -> clock.tell(targets.peer(), new PeerActor.SetReading(flow, !on)));
        action(f, now, on ? "peer application stops reading" : "peer application reads again");
      }
      case MEM_PRESSURE -> {
        long[] t = f.tcpMem();
        if (on) targets.senderTcpMemory().setLimits(t[0], t[1], t[2]);
        else targets.senderTcpMemory().restoreLimits();
        action(f, now, on ? "tcp_mem of the sender lowered to " + t[0] + " " + t[1] + " " + t[2] + " pages"
            : "tcp_mem of the sender restored");
      }
      case PEER_RESET -> {
        if (on) {
          forEachTarget(f, flow -> clock.tell(targets.peer(), new PeerActor.Abort(flow)));
          action(f, now, "peer application aborts: RST");
        }
      }
      default -> { }
    }
  }

  private void action(Fault f, long now, String what) {
    if (!logs(f)) return;
    log.count(f.id(), Effect.ACTION, now);
    log.event(now, f.id(), what);
  }

  /** The fault's connections as flows, or one null (every connection) when it names none. */
  private void forEachTarget(Fault f, java.util.function.Consumer<FlowKey> each) {
    if (f.connections().length == 0) {
      each.accept(null);
      return;
    }
    for (long c : f.connections()) each.accept(targets.flowOf().apply(c));
  }
}
