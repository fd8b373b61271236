package io.sendpath.tcp.archfixture;

import io.sendpath.launcher.Main;

/** Violation fixture for ArchitectureTest: an actors-module core reaching up to the launcher. */
public final class CoreReachingUp {
  public Main main;
}
