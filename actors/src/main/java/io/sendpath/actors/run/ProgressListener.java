package io.sendpath.actors.run;

/** Told of progress from outside the simulation thread (polled, about ten times a wall second). */
public interface ProgressListener {
  /** bytesDelivered so far out of bytesTotal, at virtual time nowNs. */
  void progress(long bytesDelivered, long bytesTotal, long nowNs);

  ProgressListener NONE = (d, t, n) -> {};
}
