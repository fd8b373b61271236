package io.sendpath.actors.fault;

import io.sendpath.actors.run.ConnStats;
import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.actors.run.Simulation;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultPlan;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.wire.FrameSink;
import java.util.ArrayList;
import java.util.List;

/** Small runs for the fault scenario tests: a few connections over 100 Mbit/s, 1 ms one way. */
final class FaultScenarios {
  private FaultScenarios() {}

  static final long MS = 1_000_000L, S = 1_000_000_000L;

  static RunConfig small(int conns, long bytes, long seed) {
    RunConfig d = RunConfig.defaults();
    return new RunConfig(conns, bytes, 16384, 100_000_000L, 1_000_000L, 1500, 100_000, seed,
        d.txRingSize(), true, true, 1, 300 * S, Sysctls.linuxDefaults(), FaultPlan.NONE);
  }

  /** Builders → a plan with ids in order. */
  static FaultPlan plan(Fault.Builder... faults) {
    List<Fault> list = new ArrayList<>();
    for (int i = 0; i < faults.length; i++) list.add(faults[i].id(i).build());
    return new FaultPlan(list);
  }

  static RunResult run(RunConfig cfg, FaultPlan plan) {
    return Simulation.run(cfg.withFaults(plan), null, ProgressListener.NONE);
  }

  static RunResult run(RunConfig cfg, FaultPlan plan, FrameSink sink) {
    return Simulation.run(cfg.withFaults(plan), sink, ProgressListener.NONE);
  }

  static long counter(RunResult r, String name) {
    return r.counters().getOrDefault(name, 0L);
  }

  static ConnStats conn(RunResult r, int i) {
    return r.connectionStats().get(i);
  }

  /** The timeline as text lines, for assertions and failure messages. */
  static List<String> timeline(RunResult r) {
    List<String> out = new ArrayList<>();
    r.faultTimeline().forEach(e -> out.add(e.timeNs() + " " + e.fault() + ": " + e.what()));
    return out;
  }
}
