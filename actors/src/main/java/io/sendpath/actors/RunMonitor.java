package io.sendpath.actors;

import io.sendpath.sim.VirtualClock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knows when the workload is over: every sending application has finished (its connection reached
 * a final state: TIME_WAIT or CLOSE, or it failed) and every peer connection has closed. Then it
 * stops the clock, so timers that would run on for minutes (TIME_WAIT, neighbour aging) do not
 * stretch the run. Also counts bytes for the progress display.
 */
public final class RunMonitor {
  private final VirtualClock clock;
  private final AtomicInteger sendersLeft;
  private final AtomicInteger peersLeft;
  private final AtomicLong bytesDelivered = new AtomicLong();
  private volatile long workloadDoneAt = -1;

  public RunMonitor(VirtualClock clock, int connections) {
    this.clock = clock;
    this.sendersLeft = new AtomicInteger(connections);
    this.peersLeft = new AtomicInteger(connections);
  }

  public void senderFinished() {
    if (sendersLeft.decrementAndGet() == 0 && peersLeft.get() == 0) finish();
  }

  public void peerClosed() {
    if (peersLeft.decrementAndGet() == 0 && sendersLeft.get() == 0) finish();
  }

  public void delivered(long bytes) {
    bytesDelivered.addAndGet(bytes);
  }

  public long bytesDelivered() {
    return bytesDelivered.get();
  }

  /** Virtual time at which the last connection finished; -1 while the workload runs. */
  public long workloadDoneAt() {
    return workloadDoneAt;
  }

  public int sendersLeft() {
    return sendersLeft.get();
  }

  public int peersLeft() {
    return peersLeft.get();
  }

  private void finish() {
    workloadDoneAt = clock.now();
    clock.stop();
  }
}
