package io.sendpath.nic.archfixture;

import io.sendpath.actors.run.RunConfig;

/** Violation fixture for ArchitectureTest: the NIC module reaching up to the actors module. */
public final class NicReachingUp {
  public RunConfig config;
}
