package io.sendpath.tcp.archfixture;

import org.apache.pekko.actor.typed.ActorRef;

/** Violation fixture for ArchitectureTest: a pure core importing Pekko. */
public final class CoreUsingPekko {
  public ActorRef<String> replyTo;
}
