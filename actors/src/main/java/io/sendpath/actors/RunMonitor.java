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
  /** Connection number of a flow as the sender sends it; -1 when it is not one of the run's. */
  private final java.util.function.ToLongFunction<io.sendpath.protocol.FlowKey> connOf;
  /** Per connection: its sender failed with an error (its peer side may never close, e.g. after ETIMEDOUT). */
  private final boolean[] senderFailed;
  /** Per connection: its peer socket reached CLOSED. */
  private final boolean[] peerDone;
  /** Peer connections still awaited: neither closed nor belonging to a failed sender. Guarded by this. */
  private int peersAwaited;

  public RunMonitor(VirtualClock clock, int connections) {
    this(clock, connections, flow -> -1);
  }

  public RunMonitor(VirtualClock clock, int connections, java.util.function.ToLongFunction<io.sendpath.protocol.FlowKey> connOf) {
    this.clock = clock;
    this.connOf = connOf;
    this.senderFailed = new boolean[connections];
    this.peerDone = new boolean[connections];
    this.peersAwaited = connections;
    this.sendersLeft = new AtomicInteger(connections);
    this.peersLeft = new AtomicInteger(connections);
    this.deliveredPerConn = new long[connections];
    this.firstPayloadError = new long[connections];
    java.util.Arrays.fill(firstPayloadError, -1);
  }

  public void senderFinished() {
    if (sendersLeft.decrementAndGet() == 0 && peersLeft.get() == 0) finish();
  }

  /**
   * The application of the connection sending 'flow' is done; errno != 0 when it failed. The run
   * then no longer waits for that connection's peer socket to close (after ETIMEDOUT or
   * EHOSTUNREACH nothing would ever close it).
   */
  public void senderFinished(io.sendpath.protocol.FlowKey flow, int errno) {
    long conn = connOf.applyAsLong(flow);
    boolean done;
    synchronized (this) {
      if (errno != 0 && conn >= 0 && !senderFailed[(int) conn]) {
        senderFailed[(int) conn] = true;
        if (!peerDone[(int) conn]) peersAwaited--;
      }
      done = sendersLeft.decrementAndGet() == 0 && (peersLeft.get() == 0 || peersAwaited == 0);
    }
    if (done) finish();
  }

  public void peerClosed() {
    if (peersLeft.decrementAndGet() == 0 && sendersLeft.get() == 0) finish();
  }

  /** The peer socket of connection 'conn' reached CLOSED. */
  public void peerClosed(long conn) {
    boolean done;
    synchronized (this) {
      if (conn >= 0 && conn < peerDone.length && !peerDone[(int) conn]) {
        peerDone[(int) conn] = true;
        if (!senderFailed[(int) conn]) peersAwaited--;
      }
      done = peersLeft.decrementAndGet() == 0 && sendersLeft.get() == 0
          || sendersLeft.get() == 0 && peersAwaited == 0;
    }
    if (done) finish();
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

  /**
   * After the workload, the run goes on this long so that what is still under way below TCP (TX
   * completions, a slow completion fault, frames on the wire) settles before the end-of-run checks;
   * long timers (TIME_WAIT, neighbour aging) lie beyond it and do not run.
   */
  public static final long DRAIN_NS = 2_000_000_000L;

  private void finish() {
    synchronized (this) {
      if (workloadDoneAt >= 0) return;
      workloadDoneAt = clock.now();
    }
    clock.setHorizon(workloadDoneAt + DRAIN_NS);
  }
}
