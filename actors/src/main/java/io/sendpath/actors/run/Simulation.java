package io.sendpath.actors.run;

import io.sendpath.protocol.wire.FrameSink;

/** Runs one experiment: builds the hosts, the link and the load, runs virtual time to the end. */
public final class Simulation {
  private Simulation() {}

  /** Runs cfg; frames go to sink when it is not null. Blocks the calling thread until the run ends. */
  public static RunResult run(RunConfig cfg, FrameSink sink, ProgressListener progress) {
    throw new IllegalStateException("Simulation.run is being wired up");
  }
}
