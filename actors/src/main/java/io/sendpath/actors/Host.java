package io.sendpath.actors;

import io.sendpath.actors.fault.DeviceTamperActor;
import io.sendpath.actors.fault.FaultWiring;
import io.sendpath.actors.fault.QdiscFaultActor;
import io.sendpath.actors.fault.WireFaultActor;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.ip.Fib;
import io.sendpath.neigh.NeighTable;
import io.sendpath.nic.NicActor;
import io.sendpath.nic.WireActor;
import io.sendpath.nic.core.NicConfig;
import io.sendpath.nic.core.NicCounters;
import io.sendpath.peer.core.PeerConfig;
import io.sendpath.peer.core.PeerListener;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NeighOps;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.wire.FrameSink;
import io.sendpath.qdisc.FqCodel;
import io.sendpath.qdisc.NetdevQueue;
import io.sendpath.qdisc.Pfifo;
import io.sendpath.qdisc.PfifoFast;
import io.sendpath.qdisc.Qdisc;
import io.sendpath.qdisc.QdiscStats;
import io.sendpath.sim.VirtualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * One emulated host's stack below the sockets: IP (or, on the far end, the peer's IP and TCP),
 * the neighbour table, one device TX queue and the NIC, wired in the order Linux calls them:
 * <pre>
 *   ip_queue_xmit → neigh_output → dev_queue_xmit → ndo_start_xmit → wire
 *   wire → NIC RX → ip_rcv → (tcp_v4_rcv | arp_rcv)
 * </pre>
 * Every actor here is spawned before the clock starts; those whose state is read at the end
 * report themselves through the 'ready' latch ({@link #ACTORS_REPORTING} per host). A host's
 * actors live in its {@link Domain}: one clock and one single-thread dispatcher per host, so the
 * hosts of a run can run side by side under a {@link io.sendpath.sim.ClockGroup}.
 */
public final class Host {

  /** Actors per host that count down the world's ready latch once their setup has run. */
  public static final int ACTORS_REPORTING = 3;

  /**
   * Where a host's actors live: the clock they report to and the Props (dispatcher) they are
   * spawned with. Two hosts may share one (a one-domain run).
   */
  public record Domain(VirtualClock clock, Props props) {}

  /**
   * The link both NICs sit on, and the NICs' settings. gro: the receiving NICs coalesce (one NAPI
   * poll per burst, delivered when its last frame has arrived) and the peer merges segments
   * (ethtool -K gro on, Linux's default); off delivers and processes frame by frame.
   */
  public record Link(long rateBps, long delayNs, int mtu, int txRing, boolean tso, boolean txCsumOffload, boolean gro) {
    /** A link with GRO on. */
    public Link(long rateBps, long delayNs, int mtu, int txRing, boolean tso, boolean txCsumOffload) {
      this(rateBps, delayNs, mtu, txRing, tso, txCsumOffload, true);
    }
  }

  private final String name;
  private final int addr;
  private final long mac;
  private final Fib fib;
  private ActorRef<NetDeviceOps.Command> nic;
  private ActorRef<DevQueueOps.Command> devQueue;
  private ActorRef<NeighOps.Command> neigh;
  private ActorRef<AfOps.Command> top;
  private volatile NeighbourActor neighActor;
  private volatile DeviceQueueActor devQueueActor;
  private volatile IpActor ipActor;
  private ActorSystem<?> system;
  /** The clock and dispatcher of every actor of this host (and of the wire leaving it). */
  private final Domain domain;

  private Host(String name, int addr, long mac, Fib fib, Domain domain) {
    this.domain = domain;
    this.name = name;
    this.addr = addr;
    this.mac = mac;
    this.fib = fib;
  }

  public String name() { return name; }
  public int addr() { return addr; }
  public long mac() { return mac; }
  /** ipv4_specific: where sockets of this host hand their skbs. */
  public ActorRef<AfOps.Command> ip() { return top; }
  public ActorRef<NetDeviceOps.Command> nic() { return nic; }
  public Domain domain() { return domain; }

  /** A host with sockets: IP on top of the shared lower layers. */
  public static Host sender(ActorContext<?> ctx, Domain domain, String name, int addr, long mac, Sysctls sysctls,
      Link link, long seed, CountDownLatch ready, FaultWiring faults) {
    VirtualClock clock = domain.clock();
    Host h = lower(ctx, domain, name, addr, mac, sysctls, link, seed, ready, faults);
    h.top = ctx.spawn(IpActor.create(clock, h.fib, sysctls, seed, h.neigh, a -> { h.ipActor = a; ready.countDown(); }), name + "-ip", domain.props());
    h.neigh.tell(new NeighbourActor.AttachIp(h.top));
    return h;
  }

  /** The far end: the peer's IP and TCP in one actor on top of the same lower layers. */
  public static Host peer(ActorContext<?> ctx, Domain domain, String name, int addr, long mac, Sysctls sysctls,
      Link link, long seed, RunMonitor monitor, BiFunction<FlowKey, Long, Payload> expected,
      java.util.function.ToLongFunction<FlowKey> connOf, CountDownLatch ready, Consumer<PeerActor> onPeer, FaultWiring faults) {
    VirtualClock clock = domain.clock();
    Host h = lower(ctx, domain, name, addr, mac, sysctls, link, seed, ready, faults);
    PeerConfig pcfg = PeerConfig.builder().sysctls(sysctls).mtu(link.mtu()).seed(seed).build();
    h.top = ctx.spawn(PeerActor.create(clock, h.fib, sysctls, seed, h.neigh, monitor, connOf,
        out -> new PeerListener(addr, -1, 4096, flow -> expected.apply(flow, seed), pcfg, out), onPeer, link.gro()), name + "-tcp", domain.props());
    return h;
  }

  private static Host lower(ActorContext<?> ctx, Domain domain, String name, int addr, long mac, Sysctls sysctls,
      Link link, long seed, CountDownLatch ready, FaultWiring faults) {
    VirtualClock clock = domain.clock();
    Props props = domain.props();
    Fib fib = new Fib();
    routes(fib, addr, true);
    Host h = new Host(name, addr, mac, fib, domain);
    h.system = ctx.getSystem();
    NicConfig nicCfg = new NicConfig(mac, link.rateBps(), link.txRing(), link.tso(), link.txCsumOffload(), false, link.mtu(), 0);
    @SuppressWarnings("unchecked")
    ActorRef<AfOps.Command>[] up = new ActorRef[1];
    // One message up per NAPI poll (netif_receive_skb_list → ip_list_rcv).
    h.nic = ctx.spawn(NicActor.createBatched(clock, nicCfg, frames -> clock.tell(up[0], new AfOps.IpListRcv(frames))), name + "-nic", props);
    // A test double for a broken driver sits between the device queue and the NIC (tests only).
    ActorRef<NetDeviceOps.Command> driver = h.nic;
    @SuppressWarnings("unchecked")
    ActorRef<DevQueueOps.Command>[] devQueueRef = new ActorRef[1];
    if ("sender".equals(name) && faults.senderDevice() != null)
      driver = ctx.spawn(DeviceTamperActor.create(clock, h.nic, devQueueRef, faults.senderDevice()), name + "-driver-double", props);
    h.devQueue = ctx.spawn(DeviceQueueActor.create(clock, driver,
        out -> new NetdevQueue(clock.now(), qdiscFor(sysctls, link.mtu(), seed ^ mac), link.txRing(), out), a -> { h.devQueueActor = a; ready.countDown(); }), name + "-devq", props);
    h.nic.tell(new NicActor.AttachDevQueue(h.devQueue));
    devQueueRef[0] = h.devQueue;
    // qdisc-drop faults wrap dev_queue_xmit between the neighbour layer and the device queue.
    ActorRef<DevQueueOps.Command> xmitEntry = h.devQueue;
    if (faults.plan().has(FaultKind.QDISC_DROP, name))
      xmitEntry = ctx.spawn(QdiscFaultActor.create(clock, h.devQueue, faults.plan().of(FaultKind.QDISC_DROP, name), seed, faults.log()), name + "-qdisc-fault", props);
    Random neighRandom = new Random(seed ^ mac);
    h.neigh = ctx.spawn(NeighbourActor.create(clock, xmitEntry,
        out -> new NeighTable(clock.now(), addr, mac, sysctls, neighRandom, out), a -> { h.neighActor = a; ready.countDown(); }), name + "-neigh", props);
    // The receive path goes to whatever sits on top (IpActor or PeerActor), known once it is spawned.
    h.upHolder = up;
    return h;
  }

  private ActorRef<AfOps.Command>[] upHolder;

  /**
   * The routes of a host on the shared /24 (up), or none (the route-remove fault): the subnet
   * route and a default route through .254 standing for the rest of the world.
   */
  public static void routes(Fib fib, int addr, boolean up) {
    if (up) {
      fib.addRoute(addr & 0xFFFFFF00, 24, 0, 1, addr, 0);
      fib.addRoute(0, 0, (addr & 0xFFFFFF00) | 254, 1, addr, 0);
    } else {
      fib.removeRoute(addr & 0xFFFFFF00, 24);
      fib.removeRoute(0, 0);
    }
  }

  /**
   * The root qdisc named by net.core.default_qdisc: the FIFOs limited by txqueuelen (1000);
   * fq_codel with its own defaults (limit 10240, quantum = MTU + 14), its flow hash seeded by
   * 'hashSeed' (net/sched/sch_api.c: the default qdisc is created as if by `tc qdisc add ... root`).
   */
  static Qdisc qdiscFor(Sysctls sysctls, int mtu, long hashSeed) {
    int txqueuelen = 1000;
    return switch (sysctls.get("default_qdisc")) {
      case "pfifo" -> new Pfifo(txqueuelen);
      case "fq_codel" -> new FqCodel(mtu, hashSeed);
      default -> new PfifoFast(txqueuelen);
    };
  }

  /**
   * Plugs a cable between two hosts' NICs, one WireActor per direction. Call once, before the clock
   * starts. Each wire lives in its sending host's domain and delivers into the receiving host's
   * (wire faults sit at the receiving end, in its domain). 'sink' is called by both wires, from
   * both domains' threads when they differ: it must be thread-safe.
   */
  public static void connect(ActorContext<?> ctx, Host a, Host b, Link link, FrameSink sink, FaultWiring faults) {
    a.upHolder[0] = a.top;
    b.upHolder[0] = b.top;
    // Wire faults wrap the far end of each direction (a is the sender, b the peer).
    ActorRef<NetDeviceOps.Command> toB = wireEnd(ctx, b, faults, Fault.Direction.TO_PEER, a.name + "-to-" + b.name);
    ActorRef<NetDeviceOps.Command> toA = wireEnd(ctx, a, faults, Fault.Direction.TO_SENDER, b.name + "-to-" + a.name);
    // With GRO a burst reaches the far host as one NAPI poll when its last frame is in; without,
    // frame by frame at each one's arrival.
    WireActor.Delivery delivery = link.gro() ? WireActor.Delivery.NAPI_BURST : WireActor.Delivery.PER_FRAME;
    ActorRef<io.sendpath.protocol.ops.WireOps.Command> ab = ctx.spawn(WireActor.create(a.domain.clock(), b.domain.clock(), toB,
        link.delayNs(), sink, delivery), a.name + "-to-" + b.name, a.domain.props());
    ActorRef<io.sendpath.protocol.ops.WireOps.Command> ba = ctx.spawn(WireActor.create(b.domain.clock(), a.domain.clock(), toA,
        link.delayNs(), sink, delivery), b.name + "-to-" + a.name, b.domain.props());
    a.nic.tell(new NicActor.AttachWire(ab));
    b.nic.tell(new NicActor.AttachWire(ba));
  }

  /** The receiving NIC of one direction, or a WireFaultActor in front of it when faults act there. */
  private static ActorRef<NetDeviceOps.Command> wireEnd(ActorContext<?> ctx, Host to, FaultWiring faults,
      Fault.Direction d, String name) {
    io.sendpath.fault.WireFaults wf = faults.wireFaults(d);
    WireFaultActor.FrameTamper tamper = faults.tamper(d);
    if (wf == null && tamper == null) return to.nic;
    return ctx.spawn(WireFaultActor.create(to.domain.clock(), to.nic, wf, tamper), name + "-faults", to.domain.props());
  }

  /** NIC counters, asked once the clock has stopped. */
  public NicCounters nicCounters() {
    try {
      return AskPattern.<NetDeviceOps.Command, NicCounters>ask(nic, NicActor.GetCounters::new, Duration.ofSeconds(30),
          system.scheduler()).toCompletableFuture().get();
    } catch (Exception e) {
      throw new IllegalStateException("NIC counters of " + name + " not available", e);
    }
  }

  public long nicFramesOut() {
    return nicCounters().asMap().getOrDefault("tx_packets", 0L);
  }

  /** Adds this host's counters (qdisc, neighbour, IP, NIC) under their tc / nstat / ethtool names. */
  public void addCounters(String prefix, Map<String, Long> into) {
    NetdevQueue q = devQueueActor.core();
    QdiscStats st = q.qdisc().stats();
    into.put(prefix + "qdisc.sent_bytes", st.bytes);
    into.put(prefix + "qdisc.sent_pkt", st.packets);
    into.put(prefix + "qdisc.dropped", st.drops);
    into.put(prefix + "qdisc.overlimits", st.overlimits);
    into.put(prefix + "qdisc.requeues", st.requeues);
    into.put(prefix + "qdisc.backlog", st.backlog);
    into.put(prefix + "qdisc.qlen", (long) st.qlen);
    into.put(prefix + "qdisc.max_backlog", st.maxBacklog);
    into.put(prefix + "qdisc.max_qlen", (long) st.maxQlen);
    if (q.qdisc() instanceof FqCodel fq) {
      // tc -s qdisc: fq_codel's xstats (struct tc_fq_codel_qd_stats)
      into.put(prefix + "qdisc.maxpacket", (long) fq.maxpacket());
      into.put(prefix + "qdisc.drop_overlimit", fq.dropOverlimit());
      into.put(prefix + "qdisc.drop_overmemory", fq.dropOvermemory());
      into.put(prefix + "qdisc.new_flow_count", fq.newFlowCount());
      into.put(prefix + "qdisc.ecn_mark", fq.ecnMark());
      into.put(prefix + "qdisc.ce_mark", fq.ceMark());
      into.put(prefix + "qdisc.memory_used", fq.memoryUsage());
      into.put(prefix + "qdisc.new_flows_len", (long) fq.newFlowsLen());
      into.put(prefix + "qdisc.old_flows_len", (long) fq.oldFlowsLen());
      into.put(prefix + "qdisc.codel_drops", fq.codelDrops());
    }
    into.put(prefix + "dev.drv_stops", q.drvStops());
    into.put(prefix + "dev.bql_stops", q.bqlStops());
    NeighTable n = neighActor.core();
    into.put(prefix + "neigh.unresolved_discards", n.unresolvedDiscards());
    into.put(prefix + "neigh.res_failed", n.resFailed());
    into.put(prefix + "neigh.arp_requests", n.arpRequests());
    into.put(prefix + "neigh.arp_replies", n.arpReplies());
    if (ipActor != null) {
      into.put(prefix + "IpOutRequests", ipActor.output().ipOutRequests());
      into.put(prefix + "IpOutNoRoutes", ipActor.output().ipOutNoRoutes() + ipActor.outNoRoutesAtConnect());
      into.put(prefix + "IcmpOutDestUnreachs", ipActor.icmpHostUnreachToSelf());
      into.put(prefix + "IcmpInDestUnreachs", ipActor.icmpHostUnreachToSelf());
      into.put(prefix + "IpInCsumErrors", ipActor.rxDropsChecksum());
      into.put(prefix + "IpRxNoSocket", ipActor.rxDropsNoSocket());
    }
    nicCounters().asMap().forEach((k, v) -> into.put(prefix + "nic." + k, v));
  }
}
