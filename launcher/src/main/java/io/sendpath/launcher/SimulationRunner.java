package io.sendpath.launcher;

import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.protocol.wire.FrameSink;

/** What the run command calls to run an experiment; Simulation::run in production, a fake in tests. */
@FunctionalInterface
public interface SimulationRunner {
  /** Runs cfg to the end; frames go to sinkOrNull when it is not null. */
  RunResult run(RunConfig cfg, FrameSink sinkOrNull, ProgressListener progress);
}
