package io.sendpath.tcp.archfixture;

import java.time.Instant;
import java.util.function.LongSupplier;

/** Violation fixture for ArchitectureTest: a pure core reading the wall clock in five ways. */
public final class CoreReadingWallClock {
  public long millis() {
    return System.currentTimeMillis();
  }

  public long nanos() {
    return System.nanoTime();
  }

  public void nap() throws InterruptedException {
    Thread.sleep(1);
  }

  public Instant instant() {
    return Instant.now();
  }

  public LongSupplier nanosLater() {
    return System::nanoTime;
  }
}
