package io.sendpath.actors.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultPlan;
import io.sendpath.protocol.Sysctls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Whole runs with one clock domain per host (DESIGN §2): the frames, byte for byte, and every
 * result are the same with one worker thread (the hosts' windows one after another) and with two
 * (side by side), with and without faults; a one-domain run delivers the same bytes.
 */
class ClockDomainsTest {

  static final long MS = 1_000_000L;

  static RunConfig withThreads(RunConfig c, int threads) {
    return new RunConfig(c.connections(), c.bytesPerConnection(), c.writeSize(), c.linkRateBps(), c.linkDelayNs(), c.mtu(),
        c.startJitterNs(), c.seed(), c.txRingSize(), c.tso(), c.txCsumOffload(), threads, c.maxSimulatedNs(), c.sysctls(),
        c.faults(), c.holdUntilNs(), c.copyRateBytesPerSec(), c.txCompletionDelayNs(), c.peerReaders());
  }

  /** What must not depend on the thread count: everything but the wall time. */
  record Outcome(String frames, long accepted, long delivered, long framesEmitted, long retrans, double simSeconds,
      long events, Map<String, Long> counters, List<String> stats, List<String> violations, String faults, List<String> timeline) {}

  static Outcome run(RunConfig cfg, int domains) throws Exception {
    EndToEndTest.DigestSink sink = new EndToEndTest.DigestSink();
    RunResult r = Simulation.run(cfg, sink, ProgressListener.NONE, UnaryOperator.identity(), domains);
    assertThat(sink.timeWentBack).as("each wire's frames in time order").isFalse();
    assertThat(sink.badFrames).isZero();
    assertThat(r.framesEmitted()).isEqualTo(sink.frames);
    List<String> stats = new ArrayList<>();
    for (ConnStats c : r.connectionStats()) stats.add(c.toString());
    List<String> timeline = new ArrayList<>();
    r.faultTimeline().forEach(e -> timeline.add(e.timeNs() + " " + e.fault() + ": " + e.what()));
    return new Outcome(sink.hex(), r.bytesAccepted(), r.bytesDelivered(), r.framesEmitted(), r.retransmittedSegments(),
        r.simulatedSeconds(), r.eventsDelivered(), new TreeMap<>(r.counters()), stats, r.invariantViolations(),
        String.valueOf(r.faults()), timeline);
  }

  @Test
  void twentyConnections_oneAndTwoThreads_sameFramesAndResults() throws Exception {
    RunConfig cfg = EndToEndTest.small(20, 256 * 1024, 1, 1_000_000);
    Outcome one = run(cfg, 2);
    Outcome two = run(withThreads(cfg, 2), 2);
    Outcome twoAgain = run(withThreads(cfg, 2), 2);
    assertThat(one.violations()).isEmpty();
    assertThat(one.delivered()).isEqualTo(20L * 256 * 1024).isEqualTo(one.accepted());
    assertThat(one.counters()).containsEntry("sim.clock_domains", 2L);
    // 1 ms of lookahead over a run of tens of ms: many windows
    assertThat(one.counters().get("sim.windows")).isGreaterThan(10);
    assertThat(two).isEqualTo(one);
    assertThat(twoAgain).isEqualTo(one);
  }

  /**
   * Faults at both hosts and on both wire directions, including a link-down (both NICs, from both
   * domains' directors) and a route removal at the peer: the same frames, effect counts and
   * timeline with one and two threads.
   */
  @Test
  void faultPlan_oneAndTwoThreads_sameFramesAndResults() throws Exception {
    List<Fault> faults = List.of(
        Fault.of(FaultKind.LOSS).probability(0.02).id(0).build(),
        Fault.of(FaultKind.DELAY).delay(MS).jitter(MS).direction(Fault.Direction.TO_SENDER).id(1).build(),
        Fault.of(FaultKind.DUPLICATE).probability(0.02).direction(Fault.Direction.TO_PEER).id(2).build(),
        Fault.of(FaultKind.LINK_DOWN).at(20 * MS).duration(300 * MS).id(3).build(),
        Fault.of(FaultKind.ROUTE_REMOVE).host("peer").at(400 * MS).duration(50 * MS).id(4).build(),
        Fault.of(FaultKind.QDISC_DROP).probability(0.01).id(5).build());
    RunConfig d = RunConfig.defaults();
    RunConfig cfg = new RunConfig(4, 256 << 10, 16384, 100_000_000L, MS, 1500, 100_000, 5,
        d.txRingSize(), true, true, 1, 300_000_000_000L, Sysctls.linuxDefaults(), new FaultPlan(faults));
    Outcome one = run(cfg, 2);
    Outcome two = run(withThreads(cfg, 2), 2);
    assertThat(one.violations()).isEmpty();
    assertThat(one.delivered()).isEqualTo(4L * (256 << 10));
    assertThat(one.retrans()).isPositive();
    assertThat(one.timeline()).anyMatch(l -> l.contains("netif_carrier_off on both NICs"))
        .anyMatch(l -> l.contains("routes of the peer removed"));
    assertThat(two).isEqualTo(one);
  }

  /**
   * One domain for both hosts (what a link without delay falls back to, and the old single clock)
   * gives the same frames here. They could differ only where an arrival from the wire and an
   * event of the receiving host fall on the same nanosecond: with one calendar they go in the
   * order they were scheduled, with two the arrival is put on the receiving calendar at the
   * window's barrier, after what that host had scheduled before it.
   */
  @Test
  void oneDomain_sameFramesAndBytes() throws Exception {
    RunConfig cfg = EndToEndTest.small(20, 256 * 1024, 1, 1_000_000);
    Outcome split = run(cfg, 2);
    Outcome single = run(cfg, 1);
    assertThat(single.violations()).isEmpty();
    assertThat(single.counters()).containsEntry("sim.clock_domains", 1L).containsEntry("sim.windows", 1L);
    assertThat(single.delivered()).isEqualTo(split.delivered());
    assertThat(single.accepted()).isEqualTo(split.accepted());
    assertThat(single.frames()).isEqualTo(split.frames());
    assertThat(single.stats()).isEqualTo(split.stats());
  }

  @Test
  void noLinkDelay_fallsBackToOneDomain_andStillRuns() throws Exception {
    RunConfig d = RunConfig.defaults();
    RunConfig cfg = new RunConfig(5, 64 << 10, 16384, 1_000_000_000L, 0, 1500, 100_000, 3,
        d.txRingSize(), true, true, 2, 60_000_000_000L, Sysctls.linuxDefaults(), FaultPlan.NONE);
    RunResult r = Simulation.run(cfg, null, ProgressListener.NONE);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(5L * (64 << 10));
    assertThat(r.counters()).containsEntry("sim.clock_domains", 1L);
  }
}
