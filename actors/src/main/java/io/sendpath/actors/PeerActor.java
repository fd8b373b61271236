package io.sendpath.actors;

import io.sendpath.ip.Fib;
import io.sendpath.ip.IpSock;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Sysctls;
import java.util.HashMap;
import java.util.Map;
import io.sendpath.ip.Ipv4Output;
import io.sendpath.peer.core.PeerListener;
import io.sendpath.peer.core.PeerOutput;
import io.sendpath.peer.core.PeerSock;
import io.sendpath.peer.core.PeerState;
import io.sendpath.peer.core.TcpGro;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.NeighOps;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The far-end host's IP and TCP: every received frame is decoded and its checksums verified
 * (a bad one is dropped and counted, as the receiver's stack would), ARP goes to the peer's
 * neighbour layer, TCP segments to the {@link PeerListener}, which checks every byte against the
 * payload function and ACKs as Linux does. Its ACKs go down the peer's own neighbour layer,
 * device queue and NIC.
 *
 * <p>The frames of one NAPI poll come as one {@link AfOps.IpListRcv}. With GRO on
 * ({@code ethtool -K gro on}, the default) their TCP segments go through {@link TcpGro} first,
 * which merges in-order segments of a flow into one skb; what it holds at the end of the batch is
 * flushed, then the socket timer is armed once. With GRO off each segment goes up as it is.
 */
public final class PeerActor extends SimActor<AfOps.Command> implements PeerOutput, Ipv4Output.Output {

  private record Tick(long at) implements AfOps.Command {}

  /** Fault hook (DESIGN §5): the peer application stops (false) or resumes (true) reading; flow null = every connection. */
  public record SetReading(FlowKey senderView, boolean on) implements AfOps.Command {}

  /**
   * The peer application reads connection c at rateOfConn(c) bytes per second (0: everything at
   * once), on the sockets open now and on every later one. Sent at setup for slow readers.
   */
  public record SetReadRates(java.util.function.LongUnaryOperator rateOfConn) implements AfOps.Command {}

  /** Fault hook: the peer application aborts a connection (RST); flow null = every connection. */
  public record Abort(FlowKey senderView) implements AfOps.Command {}

  /** Fault hook: change the peer host's FIB (route-remove fault on the peer). */
  public record FibChange(java.util.function.Consumer<Fib> change) implements AfOps.Command {}

  private final Fib fib;

  private final PeerListener core;
  private final Ipv4Output output;
  /** inet_sock of each peer connection (route cache, IP ID), by flow as the peer sends it. */
  private final Map<FlowKey, IpSock> ipSocks = new HashMap<>();
  private final long seed;
  private final ActorRef<NeighOps.Command> neigh;
  private final RunMonitor monitor;
  private final Wakeup<AfOps.Command> wakeup;
  /** Connection number of a flow as the sender sends it (the run's numbering), -1 when unknown. */
  private final java.util.function.ToLongFunction<FlowKey> connOf;
  private long rxChecksumErrors, rxOther;
  /** GRO of this host's NAPI context; null when GRO is off. */
  private final TcpGro gro;
  /** Segments (GRO skbs or single ones) go up to TCP here. */
  private final TcpGro.Out tcpRcv = this::tcpV4Rcv;

  public static Behavior<AfOps.Command> create(VirtualClock clock, Fib fib, Sysctls sysctls, long seed,
      ActorRef<NeighOps.Command> neigh, RunMonitor monitor, java.util.function.ToLongFunction<FlowKey> connOf,
      Function<PeerOutput, PeerListener> coreFactory, java.util.function.Consumer<PeerActor> onCreate) {
    return create(clock, fib, sysctls, seed, neigh, monitor, connOf, coreFactory, onCreate, true);
  }

  /** As above; gro false passes every segment up as it came (ethtool -K gro off). */
  public static Behavior<AfOps.Command> create(VirtualClock clock, Fib fib, Sysctls sysctls, long seed,
      ActorRef<NeighOps.Command> neigh, RunMonitor monitor, java.util.function.ToLongFunction<FlowKey> connOf,
      Function<PeerOutput, PeerListener> coreFactory, java.util.function.Consumer<PeerActor> onCreate, boolean gro) {
    return Behaviors.setup(ctx -> {
      PeerActor actor = new PeerActor(ctx, clock, fib, sysctls, seed, neigh, monitor, connOf, coreFactory, gro);
      onCreate.accept(actor);
      return actor;
    });
  }

  private PeerActor(ActorContext<AfOps.Command> ctx, VirtualClock clock, Fib fib, Sysctls sysctls, long seed,
      ActorRef<NeighOps.Command> neigh, RunMonitor monitor, java.util.function.ToLongFunction<FlowKey> connOf,
      Function<PeerOutput, PeerListener> coreFactory, boolean gro) {
    super(ctx, clock);
    this.gro = gro ? new TcpGro() : null;
    this.connOf = connOf;
    this.fib = fib;
    this.output = new Ipv4Output(fib, sysctls, this);
    this.seed = seed;
    this.neigh = neigh;
    this.monitor = monitor;
    this.core = coreFactory.apply(this);
    this.wakeup = new Wakeup<>(clock, ctx.getSelf(), Tick::new);
  }

  public PeerListener core() {
    return core;
  }

  @Override
  protected Receive<AfOps.Command> handlers() {
    return newHandlers()
        .onMessage(AfOps.IpRcv.class, this::onIpRcv)
        .onMessage(AfOps.IpListRcv.class, this::onIpListRcv)
        .onMessage(Tick.class, this::onTick)
        .onMessage(SetReading.class, this::onSetReading)
        .onMessage(SetReadRates.class, this::onSetReadRates)
        .onMessage(Abort.class, this::onAbort)
        .onMessage(FibChange.class, this::onFibChange)
        .build();
  }

  private Behavior<AfOps.Command> onIpRcv(AfOps.IpRcv msg) {
    ipRcv(msg.frame());
    if (gro != null) gro.flush(tcpRcv);
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  /**
   * One NAPI poll's frames: each is decoded and checked in arrival order; TCP segments go through
   * GRO (napi_gro_receive), whatever it still holds is flushed at the end of the batch
   * (napi_complete_done → napi_gro_flush), and the socket timer is armed once.
   */
  private Behavior<AfOps.Command> onIpListRcv(AfOps.IpListRcv msg) {
    byte[][] frames = msg.frames();
    for (byte[] frame : frames) ipRcv(frame);
    if (gro != null) gro.flush(tcpRcv);
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  /** ip_rcv of one frame: verify, then ARP to the neighbour layer, TCP to GRO or straight up. */
  private void ipRcv(byte[] frame) {
    Decoded d = FrameCodec.decode(frame);
    if (!d.ok()) {
      rxChecksumErrors++;
    } else if (d.arp() != null) {
      clock.tell(neigh, new NeighOps.ArpRcv(d.arp().encode()));
    } else if (d.skb() != null) {
      if (gro != null) gro.receive(d.skb(), tcpRcv);
      else tcpV4Rcv(d.skb());
    } else {
      rxOther++;
    }
  }

  /** tcp_v4_rcv(): a segment (possibly a GRO skb of several) reaches the socket layer. */
  private void tcpV4Rcv(SkBuff seg) {
    seg.connId = connOf.applyAsLong(seg.flow);
    core.onSegment(clock.now(), seg);
  }

  /** This host's GRO, or null when GRO is off. */
  public TcpGro gro() {
    return gro;
  }

  private Behavior<AfOps.Command> onTick(Tick msg) {
    wakeup.fired(msg.at());
    long now = clock.now();
    if (core.nextTimerAt() <= now) core.onTimer(now);
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  private Behavior<AfOps.Command> onSetReading(SetReading msg) {
    long now = clock.now();
    for (FlowKey f : targets(msg.senderView())) core.setReading(now, f, msg.on());
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  private Behavior<AfOps.Command> onSetReadRates(SetReadRates msg) {
    core.setReadRates(clock.now(), msg.rateOfConn());
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  private Behavior<AfOps.Command> onAbort(Abort msg) {
    long now = clock.now();
    for (FlowKey f : targets(msg.senderView())) core.abort(now, f);
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  private Behavior<AfOps.Command> onFibChange(FibChange msg) {
    msg.change().accept(fib);
    return this;
  }

  /** The flow named, or every live connection's flow (sender's view), in connection order. */
  private java.util.List<FlowKey> targets(FlowKey senderView) {
    if (senderView != null) return java.util.List.of(senderView);
    java.util.List<PeerSock> socks = new java.util.ArrayList<>(core.sockets());
    socks.sort(java.util.Comparator.comparingLong(PeerSock::connId));
    java.util.List<FlowKey> flows = new java.util.ArrayList<>(socks.size());
    for (PeerSock s : socks) flows.add(s.flow().reverse());
    return flows;
  }

  public long rxChecksumErrors() { return rxChecksumErrors; }

  // ---- PeerOutput ----

  @Override
  public void xmit(SkBuff skb) {
    IpSock sock = ipSocks.get(skb.flow);
    if (sock == null) {
      sock = output.newSock(IpActor.initialIpId(~seed, ipSocks.size()));
      ipSocks.put(skb.flow, sock);
    }
    output.queueXmit(clock.now(), sock, skb);
  }

  @Override
  public void neighOutput(SkBuff skb, int nextHop) {
    clock.tell(neigh, new NeighOps.NeighOutput(skb, nextHop, null));
  }

  public Ipv4Output output() {
    return output;
  }

  @Override
  public void delivered(long connId, long bytes) {
    monitor.delivered(connId, bytes);
  }

  @Override
  public void payloadError(long connId, long streamOffset) {
    monitor.payloadError(connId, streamOffset);
  }

  @Override
  public void stateChange(PeerSock sock, PeerState from, PeerState to) {
    if (to == PeerState.CLOSED && from != PeerState.CLOSED) monitor.peerClosed(sock.connId());
  }
}
