package io.sendpath.actors.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sendpath.actors.DeviceQueueActor;
import io.sendpath.actors.Host;
import io.sendpath.actors.IpActor;
import io.sendpath.actors.PeerActor;
import io.sendpath.actors.RunMonitor;
import io.sendpath.actors.TcpConnectionActor;
import io.sendpath.actors.TcpProt;
import io.sendpath.actors.fault.FaultDirector;
import io.sendpath.actors.fault.FaultWiring;
import io.sendpath.actors.stream.LoadGenerator;
import io.sendpath.actors.stream.TcpSocketException;
import io.sendpath.nic.NicActor;
import io.sendpath.fault.FaultLog;
import io.sendpath.fault.FrameEdit;
import java.util.function.UnaryOperator;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.wire.FrameSink;
import io.sendpath.protocol.wire.TimeOrderedFrameSink;
import io.sendpath.sim.ClockGroup;
import io.sendpath.sim.VirtualClock;
import io.sendpath.tcp.TcpConfig;
import io.sendpath.tcp.TcpCounters;
import io.sendpath.tcp.TcpInfo;
import io.sendpath.tcp.TcpMemory;
import io.sendpath.tcp.TcpSock;
import io.sendpath.tcp.TcpState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs one experiment: a sender host with N connections to one peer host over one link, each
 * connection writing its bytes through a Pekko Streams {@code TcpSink} and closing; virtual time
 * runs until every connection has finished (or the horizon). Then it collects tcp_info-style
 * statistics and host counters and checks the run's invariants.
 *
 * <pre>
 *  sender host 10.0.0.1                                   peer host 10.0.0.2
 *  LoadGenerator: Source ─► TcpSink, one stream per conn  PeerActor (PeerListener: every conn;
 *        │ SendMsg, Close             ▲ SendResult, ...        some read at a limited rate)
 *  TcpConnectionActor ×N
 *        │ tcp_sendmsg            ▲ tcp_v4_rcv                 │ ACKs          ▲ ip_rcv
 *        ▼                        │                            ▼               │
 *  IpActor (ip_queue_xmit / ip_rcv, FIB, inet hash)      (peer IP output)      │
 *        ▼                        ▲                            ▼               │
 *  NeighbourActor (ARP)           │                       NeighbourActor       │
 *        ▼                        │                            ▼               │
 *  DeviceQueueActor (pfifo_fast, BQL)                     DeviceQueueActor     │
 *        ▼                        │                            ▼               │
 *  NicActor (ring, TSO, csum) ─ WireActor ──────────────► NicActor ────────────┘
 *             ▲ ◄──────────────── WireActor ◄──────────────────┘
 * </pre>
 *
 * <p>Each host is a clock domain of a {@link ClockGroup} (DESIGN §2): its own calendar and its own
 * one-thread dispatcher ({@link #dispatcherOf}). The hosts meet only on the wire, whose
 * propagation delay is the group's lookahead, so they run side by side, window by window, and the
 * frames are the same with any number of worker threads ('threads': how many domains run at
 * once). With no propagation delay there is no lookahead: both hosts share one domain, on one
 * thread, and the run says so.
 */
public final class Simulation {
  private Simulation() {}

  public static final int SENDER_IP = FlowKey.parseIp("10.0.0.1");
  public static final int PEER_IP = FlowKey.parseIp("10.0.0.2");
  public static final long SENDER_MAC = 0x02_00_00_00_00_01L;
  public static final long PEER_MAC = 0x02_00_00_00_00_02L;
  /** Connections are numbered i = 0..N-1; connection i uses these ports. */
  static final int FIRST_SPORT = 10000, PORTS_PER_DPORT = 50000, FIRST_DPORT = 5001;

  public static FlowKey flowOf(long i) {
    return new FlowKey(SENDER_IP, PEER_IP, FIRST_SPORT + (int) (i % PORTS_PER_DPORT), FIRST_DPORT + (int) (i / PORTS_PER_DPORT));
  }

  /** Connection number of a flow seen from the peer (saddr = peer), or -1 when it is not one of ours. */
  public static long connOfPeerFlow(FlowKey peerView) {
    int sport = peerView.dport(), dport = peerView.sport();
    if (sport < FIRST_SPORT || sport >= FIRST_SPORT + PORTS_PER_DPORT || dport < FIRST_DPORT) return -1;
    return (long) (dport - FIRST_DPORT) * PORTS_PER_DPORT + (sport - FIRST_SPORT);
  }

  /** Connection number of a TCP frame on the wire in either direction, or -1 (ARP, strangers). */
  public static long connOfFrame(byte[] frame) {
    if (!FrameEdit.isTcp(frame)) return -1;
    int sp = FrameEdit.sport(frame), dp = FrameEdit.dport(frame);
    long c = connOfPeerFlow(new FlowKey(PEER_IP, SENDER_IP, dp, sp)); // sender → peer
    return c >= 0 ? c : connOfPeerFlow(new FlowKey(PEER_IP, SENDER_IP, sp, dp));
  }

  /** Connection number of a flow as the sender sends it, or -1. */
  public static long connOfSenderFlow(FlowKey senderView) {
    return connOfPeerFlow(senderView.reverse());
  }

  /** Runs cfg; frames go to sink when it is not null. Blocks the calling thread until the run ends. */
  public static RunResult run(RunConfig cfg, FrameSink sink, ProgressListener progress) {
    return run(cfg, sink, progress, UnaryOperator.identity());
  }

  /**
   * As {@link #run(RunConfig, FrameSink, ProgressListener)}; 'wiring' may add test doubles for broken
   * components to the fault wiring built from cfg's plan (tests of the invariant checks use it).
   */
  public static RunResult run(RunConfig cfg, FrameSink sink, ProgressListener progress, UnaryOperator<FaultWiring> wiring) {
    return run(cfg, sink, progress, wiring, domainsFor(cfg));
  }

  /** As above with a given number of clock domains: 2 (one per host; needs a link delay) or 1 (both hosts on one). */
  static RunResult run(RunConfig cfg, FrameSink sink, ProgressListener progress, UnaryOperator<FaultWiring> wiring, int domains) {
    long wallStart = System.nanoTime();
    if (domains == 1 && cfg.linkDelayNs() <= 0)
      System.err.println("sendpath: the link has no propagation delay, so the hosts cannot run apart (no lookahead):"
          + " one clock domain for both, on one thread" + (cfg.workerThreads() > 1 ? " (threads = " + cfg.workerThreads() + " unused)" : ""));
    ClockGroup clock = new ClockGroup(domains, cfg.linkDelayNs(), cfg.workerThreads());
    RunMonitor monitor = new RunMonitor(clock.domain(0), clock.domain(domains - 1), cfg.connections(), Simulation::connOfSenderFlow);
    FaultLog faultLog = new FaultLog(cfg.faults());
    FaultWiring faults = wiring.apply(new FaultWiring(cfg.faults(), faultLog, cfg.seed(), Simulation::connOfFrame, null, null, null));
    // Both wires call the sink, each from its own domain's thread, and a wire shows a frame train
    // before its later frames depart; within a wire the frames come in time order, across the two
    // they may not (a domain runs up to a lookahead ahead of the other). The time-ordered sink puts
    // them in order: no domain can still submit a frame stamped before the slowest domain's now.
    FrameSink frames = sink == null ? null : new TimeOrderedFrameSink(sink, clock::slowestNow);
    World world = new World(cfg, clock, monitor, frames, faults);
    CountDownLatch built = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Throwable> buildFailure = new java.util.concurrent.atomic.AtomicReference<>();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      try {
        world.build(ctx);
      } catch (RuntimeException | Error e) {
        buildFailure.set(e);
      }
      built.countDown();
      return Behaviors.empty();
    }), "sendpath", systemConfig(domains));
    try {
      if (!built.await(600, TimeUnit.SECONDS)) throw new IllegalStateException("hosts were not built within 600 s");
      if (buildFailure.get() != null) throw new IllegalStateException("building the hosts failed: " + buildFailure.get(), buildFailure.get());
      if (!world.ready.await(600, TimeUnit.SECONDS)) throw new IllegalStateException("hosts were not built within 600 s");
      clock.setHorizon(cfg.maxSimulatedNs());
      world.scheduleStarts();
      clock.start();
      long total = cfg.bytesPerConnection() * cfg.connections();
      long lastEvents = -1, lastChange = System.nanoTime();
      String watchdog = null;
      while (true) {
        try {
          clock.finished().get(100, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          progress.progress(monitor.bytesDelivered(), total, clock.now());
          long ev = clock.eventsDelivered();
          if (ev != lastEvents) {
            lastEvents = ev;
            lastChange = System.nanoTime();
          } else if (System.nanoTime() - lastChange > 60_000_000_000L) {
            watchdog = "watchdog: no event delivered for 60 wall seconds at virtual time " + clock.now()
                + " ns; " + clock.outstanding() + " messages still unhandled";
            clock.stop();
            clock.finished().get(10, TimeUnit.SECONDS);
            break;
          }
        }
      }
      if (clock.failure() != null) throw new IllegalStateException("the simulation stopped: " + clock.failure().getMessage(), clock.failure());
      progress.progress(monitor.bytesDelivered(), total, clock.now());
      progress.clockStopped(clock.now());
      double wall = (System.nanoTime() - wallStart) / 1e9;
      return world.result(wall, watchdog);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the clock did not stop", e);
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // shutting down; nothing simulated is lost here
      }
      if (frames != null) frames.close(); // flushes what the time-ordered sink still holds
    }
  }

  /** Clock domains of a run: one per host, or one for both when the link gives no lookahead. */
  static int domainsFor(RunConfig cfg) {
    return cfg.linkDelayNs() > 0 ? 2 : 1;
  }

  /** The dispatcher of clock domain i: one thread ({@link DomainExecutor}: its mailboxes in the order they were scheduled). */
  public static String dispatcherOf(int domain) {
    return "sendpath.domain-" + domain + "-dispatcher";
  }

  /**
   * One single-thread dispatcher per clock domain; the default dispatcher keeps Pekko's own work
   * (the guardian that builds the world, asks at the end) on one thread beside them.
   */
  static Config systemConfig(int domains) {
    StringBuilder b = new StringBuilder(
        "pekko.loglevel = WARNING\n"
            + "pekko.stdout-loglevel = WARNING\n"
            + "pekko.log-dead-letters = 0\n"
            + "pekko.log-dead-letters-during-shutdown = off\n"
            + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = 1\n"
            + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = 1\n"
            + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-factor = 1.0\n"
            + "pekko.actor.default-dispatcher.throughput = 64\n");
    for (int i = 0; i < domains; i++) {
      b.append(dispatcherOf(i)).append(" {\n")
          .append("  type = Dispatcher\n  executor = \"").append(DomainExecutor.Configurator.class.getName()).append("\"\n")
          .append("  throughput = 64\n}\n");
    }
    return ConfigFactory.parseString(b.toString()).withFallback(ConfigFactory.load());
  }

  /** Everything one run builds, and what it reads back at the end. */
  static final class World {
    final RunConfig cfg;
    /** One clock domain per host (or one for both): domain 0 is the sender's. */
    final ClockGroup clock;
    /** The sender host's domain (its clock, its dispatcher) and the peer host's (the same in a one-domain run). */
    final Host.Domain senderDomain, peerDomain;
    final RunMonitor monitor;
    final FrameSink sink;
    /** The application of every connection; set during build. */
    LoadGenerator app;
    ActorRef<TcpProt.SockEvent> appRef;
    final TcpConnectionActor[] conns;
    final ActorRef<TcpProt.Command>[] connRefs;
    /** Counts actors whose setup has run (setup is asynchronous); the clock starts after all. */
    final CountDownLatch ready;
    Host sender;
    Host peer;
    PeerActor peerActor;
    /** The sender host's TCP memory accounting (tcp_mem), shared by its sockets. */
    TcpMemory tcpMemory;
    /** The plan's wrappers and log; FaultWiring.NONE-like (empty plan) for a run without faults. */
    final FaultWiring faults;
    /** Open and close fault windows, one per clock domain (index = domain); null without a plan. */
    ActorRef<FaultDirector.Command>[] directors;
    /** The hosts each domain's director reaches. */
    java.util.Set<String>[] directorHosts;

    World(RunConfig cfg, ClockGroup clock, RunMonitor monitor, FrameSink sink, FaultWiring faults) {
      this.faults = faults;
      this.cfg = cfg;
      this.clock = clock;
      this.senderDomain = new Host.Domain(clock.domain(0), DispatcherSelector.fromConfig(dispatcherOf(0)));
      int peerIndex = clock.size() - 1;
      this.peerDomain = new Host.Domain(clock.domain(peerIndex), DispatcherSelector.fromConfig(dispatcherOf(peerIndex)));
      this.monitor = monitor;
      this.sink = sink;
      this.conns = new TcpConnectionActor[cfg.connections()];
      @SuppressWarnings("unchecked")
      ActorRef<TcpProt.Command>[] refs = new ActorRef[cfg.connections()];
      this.connRefs = refs;
      this.ready = new CountDownLatch(cfg.connections() + 1 + Host.ACTORS_REPORTING * 2);
    }

    @SuppressWarnings("unchecked")
    void build(org.apache.pekko.actor.typed.javadsl.ActorContext<Void> ctx) {
      // each domain's windows start on its own dispatcher's thread
      for (int i = 0; i < clock.size(); i++)
        clock.setExecutor(i, ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(dispatcherOf(i))));
      VirtualClock senderClock = senderDomain.clock();
      Props senderProps = senderDomain.props();
      Host.Link link = new Host.Link(cfg.linkRateBps(), cfg.linkDelayNs(), cfg.mtu(), cfg.txRingSize(), cfg.tso(), cfg.txCsumOffload(),
          cfg.peerGro());
      sender = Host.sender(ctx, senderDomain, "sender", SENDER_IP, SENDER_MAC, cfg.sysctls(), link, cfg.seed(), ready, faults);
      tcpMemory = TcpMemory.from(cfg.sysctls());
      peer = Host.peer(ctx, peerDomain, "peer", PEER_IP, PEER_MAC, io.sendpath.protocol.Sysctls.linuxDefaults(), link, cfg.seed(),
          monitor, World::expectedPayload, Simulation::connOfSenderFlow, ready, a -> { peerActor = a; ready.countDown(); }, faults);
      Host.connect(ctx, sender, peer, link, sink, faults);
      if (!faults.plan().isEmpty()) {
        FaultDirector.Targets targets = new FaultDirector.Targets(sender.nic(), peer.nic(),
            sender.ip(), peer.ip(), Simulation::flowOf, (fib, up) -> Host.routes(fib, SENDER_IP, up),
            (fib, up) -> Host.routes(fib, PEER_IP, up), tcpMemory);
        // one director per domain, reaching only its own host's layers
        int n = clock.size();
        directors = new ActorRef[n];
        directorHosts = new java.util.Set[n];
        for (int i = 0; i < n; i++) {
          directorHosts[i] = n == 1 ? FaultDirector.ALL_HOSTS : java.util.Set.of(i == 0 ? "sender" : "peer");
          Host.Domain d = i == 0 ? senderDomain : peerDomain;
          directors[i] = ctx.spawn(FaultDirector.create(d.clock(), faults.log(), targets, directorHosts[i]),
              n == 1 ? "fault-director" : "fault-director-" + directorHosts[i].iterator().next(), d.props());
        }
      }
      // one per host: what every socket reads from the sysctls and the route (tsoffset is per socket)
      TcpConfig tcpConfig = TcpConfig.from(cfg.sysctls(), cfg.mtu(), 65536, cfg.tso() && cfg.txCsumOffload(), 0);
      int wmemMax = (int) cfg.sysctls().getLong("wmem_max");
      // the application of every connection; each connection's first owner until its TcpSink attaches
      appRef = ctx.spawn(LoadGenerator.create(senderClock, new LoadGenerator.Workload(cfg.seed(), cfg.bytesPerConnection(),
          cfg.writeSize(), cfg.holdUntilNs()), connRefs, monitor, Simulation::flowOf, dispatcherOf(0),
          a -> { app = a; ready.countDown(); }), "app", senderProps);
      for (int i = 0; i < cfg.connections(); i++) {
        final int id = i;
        FlowKey flow = flowOf(i);
        SplittableRandom rnd = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + i);
        int iss = rnd.nextInt();
        int tsOffset = rnd.nextInt();
        Payload payload = new Payload.Generated(cfg.seed(), i);

        ActorRef<TcpProt.Command> tcp = ctx.spawnAnonymous(TcpConnectionActor.create(senderClock, sender.ip(), appRef,
            out -> {
              TcpSock sock = new TcpSock(tcpConfig, flow, id, iss, payload, out);
              sock.setTsOffset(tsOffset);
              sock.setMemory(tcpMemory);
              // setsockopt() before connect(), at time 0 (the world is built before the clock starts)
              RunConfig.SocketOptions opt = cfg.socket();
              if (opt.sndbuf() > 0) sock.setSndbuf(0, opt.sndbuf(), wmemMax);
              if (opt.notsentLowat() > 0) sock.setNotsentLowat(0, opt.notsentLowat());
              if (opt.userTimeoutMs() > 0) sock.setUserTimeout(opt.userTimeoutMs());
              return sock;
            }, cfg.copyRateBytesPerSec(), a -> { conns[id] = a; ready.countDown(); }), senderProps);
        connRefs[i] = tcp;
        senderClock.tell(sender.ip(), new IpActor.InetHash(flow.reverse(), tcp));
      }
    }

    /** The public long fields of a counters object (nstat names) into the map. */
    static void addPublicLongs(Object counters, Map<String, Long> into) {
      for (java.lang.reflect.Field f : counters.getClass().getFields()) {
        if (f.getType() != long.class) continue;
        try {
          into.put(f.getName(), f.getLong(counters));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }

    static String errnoName(int errno) {
      return errno == -1 ? "upstream failed" : TcpSocketException.errnoName(errno);
    }

    static Payload expectedPayload(FlowKey peerView, long seed) {
      long id = connOfPeerFlow(peerView);
      return id < 0 ? null : new Payload.Generated(seed, id);
    }

    void scheduleStarts() {
      // setup at time 0, before any connection starts: slow readers at the peer, slow TX completion
      VirtualClock senderClock = senderDomain.clock();
      if (!cfg.peerReaders().isEmpty()) peerDomain.clock().schedule(0, peer.ip(), new PeerActor.SetReadRates(cfg::peerReadRateOf));
      if (cfg.txCompletionDelayNs() > 0) senderClock.schedule(0, sender.nic(), new NicActor.SetCompletionDelay(cfg.txCompletionDelayNs()));
      SplittableRandom rnd = new SplittableRandom(cfg.seed());
      for (int i = 0; i < cfg.connections(); i++) {
        long at = cfg.startJitterNs() > 0 ? rnd.nextLong(cfg.startJitterNs()) : 0;
        senderClock.schedule(at, appRef, new LoadGenerator.Start(i));
      }
      if (directors != null)
        for (int i = 0; i < directors.length; i++) FaultDirector.scheduleAll(clock.domain(i), faults.log(), directors[i], directorHosts[i]);
    }

    RunResult result(double wallSeconds, String watchdog) {
      long now = clock.now();
      List<String> violations = new ArrayList<>();
      if (watchdog != null) violations.add(watchdog);
      if (monitor.workloadDoneAt() < 0 && watchdog == null)
        violations.add("run ended at the horizon (" + now + " ns) with " + monitor.sendersLeft()
            + " senders and " + monitor.peersLeft() + " peer connections unfinished; " + stillHoldingWork(now));
      else if (watchdog != null)
        violations.add("watchdog: " + stillHoldingWork(now));
      List<ConnStats> stats = new ArrayList<>(cfg.connections());
      long accepted = 0, delivered = 0, retrans = 0;
      Map<String, Long> counters = new LinkedHashMap<>();
      TcpCounters tcpSum = new TcpCounters();
      for (int i = 0; i < cfg.connections(); i++) {
        LoadGenerator s = app;
        TcpSock core = conns[i].core();
        TcpInfo info = core.info(now);
        FlowKey f = flowOf(i);
        long got = monitor.deliveredOf(i);
        accepted += s.bytesAccepted(i);
        delivered += got;
        retrans += info.totalRetrans();
        core.counters().addTo(tcpSum);
        // the application's error; during a hold the socket is back with the LoadGenerator, which
        // cannot tell which connection a SockError came from, so an error the socket reported
        // before the application closed it is taken from the connection
        int appErr = s.error(i);
        if (appErr == 0 && conns[i].firstErrno() != 0 && (s.finishNs(i) < 0 || conns[i].firstErrorNs() <= s.finishNs(i)))
          appErr = conns[i].firstErrno();
        String err = appErr == 0 ? null : errnoName(appErr);
        stats.add(new ConnStats(i, FlowKey.ip(f.saddr()) + ":" + f.sport(), FlowKey.ip(f.daddr()) + ":" + f.dport(),
            core.state().name(), info.cwnd(), info.ssthresh(), info.srttUs(), info.rttvarUs(), info.rtoUs(),
            info.minRttUs(), info.sndMss(), info.bytesSent(), info.bytesAcked(), info.bytesRetrans(), got,
            (int) info.segsOut(), (int) info.totalRetrans(), info.lost(), info.unacked(), info.pacingRate(),
            info.sndbufLimitedUs(), info.notsentBytes(), (int) info.rtoCount(), (int) info.fastRetransCount(),
            s.startNs(i), s.finishNs(i), err, core.maxWmemAlloc(), core.maxWmemQueued(), info.tsqThrottles(),
            info.busyUs(), info.rwndLimitedUs(), info.tsqThrottledUs(), conns[i].socket().sndbufWaits(),
            conns[i].socket().sndbufWaitNs() / 1000));
        // Invariants (DESIGN §5): every accepted byte reached the peer once, in order, intact, or the application was told.
        String who = "connection " + i + " (" + f + ")";
        if (appErr == 0 && got != s.bytesAccepted(i))
          violations.add(who + ": socket accepted " + s.bytesAccepted(i) + " bytes but the peer received " + got + " in order");
        if (appErr != 0 && got > s.bytesAccepted(i))
          violations.add(who + ": the peer received " + got + " bytes in order, more than the " + s.bytesAccepted(i) + " the socket accepted");
        if (appErr != 0)
          faults.log().event(s.finishNs(i), -1, "connection " + i + ": the application is told " + err + " after "
              + got + " of " + s.bytesAccepted(i) + " accepted bytes reached the peer (state " + core.state() + ")");
        if (monitor.firstPayloadErrorOf(i) >= 0)
          violations.add(who + ": the peer received bytes that differ from what was written, first at stream offset " + monitor.firstPayloadErrorOf(i));
        if (core.wmemAlloc() != 0) violations.add(who + ": sk_wmem_alloc is " + core.wmemAlloc() + " at the end, not 0 (an skb was not freed)");
        if (core.wmemQueued() != 0) violations.add(who + ": sk_wmem_queued is " + core.wmemQueued() + " at the end, not 0");
        TcpState st = core.state();
        if (monitor.workloadDoneAt() >= 0 && st != TcpState.TCP_TIME_WAIT && st != TcpState.TCP_CLOSE)
          violations.add(who + ": ended in " + st + ", not a final state");
      }
      if (tcpMemory.allocatedPages() != 0)
        violations.add("sender host: tcp_memory_allocated is " + tcpMemory.allocatedPages() + " pages at the end, not 0");
      addPublicLongs(tcpSum, counters);
      counters.put("TcpExtTCPMemoryPressures", tcpMemory.pressures());
      counters.put("tcp_memory_allocated_peak_pages", tcpMemory.peakPages());
      counters.put("tcp_mem_refused_allocations", tcpMemory.refused());
      sender.addCounters("", counters);
      peer.addCounters("peer.", counters);
      peerActor.core().counters().snapshot().forEach((k, v) -> counters.put("peer." + k, v));
      long frames = sender.nicFramesOut() + peer.nicFramesOut();
      counters.put("framesSender", sender.nicFramesOut());
      counters.put("framesPeer", peer.nicFramesOut());
      counters.put("sim.clock_domains", (long) clock.size());
      counters.put("sim.windows", clock.windows());
      double simSeconds = (monitor.workloadDoneAt() >= 0 ? monitor.workloadDoneAt() : now) / 1e9;
      return new RunResult(cfg.connections(), accepted, delivered, frames, retrans, simSeconds, wallSeconds,
          clock.eventsDelivered(), stats, counters, violations, faults.log().summary(), faults.log().timeline());
    }

    /**
     * Which actors still hold work when a run is cut short: the unfinished connections (first ten)
     * with what their TCP still holds, and the device queues' and neighbours' backlogs.
     */
    String stillHoldingWork(long now) {
      StringBuilder b = new StringBuilder("still holding work:");
      int shown = 0, unfinished = 0;
      for (int i = 0; i < cfg.connections(); i++) {
        if (app.finished(i)) continue;
        unfinished++;
        if (shown++ >= 10) continue;
        TcpSock core = conns[i].core();
        b.append(" connection ").append(i).append(" (socket waiting; TCP ").append(core.state())
            .append(", unacked ").append(core.packetsOut()).append(" segs, write queue ").append(core.writeQueueBytes())
            .append(" B, sk_wmem_queued ").append(core.wmemQueued()).append(", sk_wmem_alloc ").append(core.wmemAlloc())
            .append(", next timer ").append(core.nextTimerAt() == Long.MAX_VALUE ? "none" : (core.nextTimerAt() - now) + " ns ahead")
            .append(");");
      }
      if (unfinished > shown) b.append(" and ").append(unfinished - shown).append(" more connections;");
      Map<String, Long> c = new LinkedHashMap<>();
      sender.addCounters("sender ", c);
      peer.addCounters("peer ", c);
      b.append(" qdisc backlog sender ").append(c.get("sender qdisc.backlog")).append(" B / peer ").append(c.get("peer qdisc.backlog"))
          .append(" B; peer sockets open ").append(peerActor.core().size());
      return b.toString();
    }
  }
}
