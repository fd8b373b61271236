package io.sendpath.tcp.archfixture;

import io.sendpath.protocol.Seq;
import io.sendpath.protocol.SkBuff;

/** Fixture for ArchitectureTest: a core that obeys every rule (time comes in as a parameter). */
public final class CleanCore {
  /** Last time this core was called, virtual ns. */
  private long lastNow;
  /** The skb being built, if any. */
  public SkBuff head;

  public boolean after(int a, int b, long now) {
    lastNow = now;
    return Seq.after(a, b);
  }

  public long lastNow() {
    return lastNow;
  }
}
