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
  /** Bytes the peer delivered in order, per connection number. Written only by the peer's actor. */
  private final long[] deliveredPerConn;
  /** First stream offset whose byte differed from the payload function, per connection; -1 when none. */
  private final long[] firstPayloadError;
  private volatile long workloadDoneAt = -1;

  public RunMonitor(VirtualClock clock, int connections) {
    this.clock = clock;
    this.sendersLeft = new AtomicInteger(connections);
    this.peersLeft = new AtomicInteger(connections);
    this.deliveredPerConn = new long[connections];
    this.firstPayloadError = new long[connections];
    java.util.Arrays.fill(firstPayloadError, -1);
  }

  public void senderFinished() {
    if (sendersLeft.decrementAndGet() == 0 && peersLeft.get() == 0) finish();
  }

  public void peerClosed() {
    if (peersLeft.decrementAndGet() == 0 && sendersLeft.get() == 0) finish();
  }

  /** The peer delivered 'bytes' more in-order bytes of connection 'conn' (-1: not one of ours). */
  public void delivered(long conn, long bytes) {
    bytesDelivered.addAndGet(bytes);
    if (conn >= 0 && conn < deliveredPerConn.length) deliveredPerConn[(int) conn] += bytes;
  }

  public void payloadError(long conn, long streamOffset) {
    if (conn >= 0 && conn < firstPayloadError.length && firstPayloadError[(int) conn] < 0) firstPayloadError[(int) conn] = streamOffset;
  }

  public long deliveredOf(int conn) {
    return deliveredPerConn[conn];
  }

  public long firstPayloadErrorOf(int conn) {
    return firstPayloadError[conn];
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
