package io.sendpath.actors.run;

/** Told of progress from outside the simulation thread (polled, about ten times a wall second). */
public interface ProgressListener {
  /** bytesDelivered so far out of bytesTotal, at virtual time nowNs. */
  void progress(long bytesDelivered, long bytesTotal, long nowNs);

  /**
   * Called once, on the caller's thread, when the clock has stopped (workload done, horizon or
   * watchdog) and before statistics are collected or any actor is stopped: every actor and every
   * connection is still alive and idle. Measurements of the whole world (heap after GC) go here.
   */
  default void clockStopped(long nowNs) {}

  ProgressListener NONE = (d, t, n) -> {};
}
