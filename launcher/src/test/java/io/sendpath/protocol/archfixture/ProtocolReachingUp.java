package io.sendpath.protocol.archfixture;

import io.sendpath.launcher.Main;

/** Violation fixture for ArchitectureTest: the protocol layer reaching up to the launcher. */
public final class ProtocolReachingUp {
  public Main main;
}
