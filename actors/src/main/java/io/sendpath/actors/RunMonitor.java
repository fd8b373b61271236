package io.sendpath.actors;

import io.sendpath.sim.VirtualClock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knows when the workload is over: every sending application has finished (its connection reached
 * a final state: TIME_WAIT or CLOSE, or it failed) and every peer connection has closed. Then it
 * stops the clock, so timers that would run on for minutes (TIME_WAIT, neighbour aging) do not
 * stretch the run. Also counts bytes for the progress display.
 *
 * <p>The sender's application and the peer report from their own clock domains (their own
 * threads, one window at a time), so the order in which reports arrive is not the order of their
 * virtual times. The end of the workload is therefore computed from the times themselves: the
 * earliest virtual time at which every sender had finished and every peer connection had closed
 * (or belonged to a failed sender) — what one clock would have seen at the report that completed
 * it, whatever order the threads delivered the reports in.
 */
public final class RunMonitor {
  /** The clock of the sender's application (its reports are stamped with it) and of the run's horizon. */
  private final VirtualClock clock;
  /** The clock of the peer host (its reports are stamped with it); the same clock in a one-domain run. */
  private final VirtualClock peerClock;
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
  /** Latest virtual time of a sender's report; -1 before any. Guarded by this. */
  private long lastSenderAt = -1;
  /** Latest virtual time of a peer close; -1 before any. Guarded by this. */
  private long lastPeerClosedAt = -1;
  /**
   * Per connection: the earliest virtual time it stopped being awaited (its peer socket closed, or
   * its sender failed); Long.MAX_VALUE while awaited. Guarded by this.
   */
  private final long[] awaitEndAt;

  /** A monitor whose sender reports come from senderClock's domain and peer reports from peerClock's. */
  public RunMonitor(VirtualClock senderClock, VirtualClock peerClock, int connections,
      java.util.function.ToLongFunction<io.sendpath.protocol.FlowKey> connOf) {
    this.clock = senderClock;
    this.peerClock = peerClock;
    this.awaitEndAt = new long[connections];
    java.util.Arrays.fill(awaitEndAt, Long.MAX_VALUE);
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
    boolean done;
    synchronized (this) {
      lastSenderAt = Math.max(lastSenderAt, clock.now());
      done = sendersLeft.decrementAndGet() == 0 && peersLeft.get() == 0;
    }
    if (done) finish();
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
      long now = clock.now();
      lastSenderAt = Math.max(lastSenderAt, now);
      if (errno != 0 && conn >= 0 && !senderFailed[(int) conn]) {
        senderFailed[(int) conn] = true;
        if (!peerDone[(int) conn]) peersAwaited--;
        awaitEndAt[(int) conn] = Math.min(awaitEndAt[(int) conn], now);
      }
      done = sendersLeft.decrementAndGet() == 0 && (peersLeft.get() == 0 || peersAwaited == 0);
    }
    if (done) finish();
  }

  public void peerClosed() {
    boolean done;
    synchronized (this) {
      lastPeerClosedAt = Math.max(lastPeerClosedAt, peerClock.now());
      done = peersLeft.decrementAndGet() == 0 && sendersLeft.get() == 0;
    }
    if (done) finish();
  }

  /** The peer socket of connection 'conn' reached CLOSED. */
  public void peerClosed(long conn) {
    boolean done;
    synchronized (this) {
      long now = peerClock.now();
      lastPeerClosedAt = Math.max(lastPeerClosedAt, now);
      if (conn >= 0 && conn < peerDone.length && !peerDone[(int) conn]) {
        peerDone[(int) conn] = true;
        if (!senderFailed[(int) conn]) peersAwaited--;
        awaitEndAt[(int) conn] = Math.min(awaitEndAt[(int) conn], now);
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
    long at;
    synchronized (this) {
      if (workloadDoneAt >= 0) return;
      at = doneAt();
      workloadDoneAt = at;
    }
    clock.setHorizon(at + DRAIN_NS);
  }

  /**
   * The earliest virtual time at which the workload was over, from the reports' times: every
   * sender had finished, and every peer connection had closed or every connection had stopped
   * being awaited. Once both conditions hold no later report can lower it. Holds the lock.
   */
  private long doneAt() {
    long peers = peersLeft.get() == 0 ? lastPeerClosedAt : Long.MAX_VALUE;
    if (peersAwaited == 0) {
      long awaited = -1;
      for (long t : awaitEndAt) awaited = Math.max(awaited, t);
      peers = Math.min(peers, awaited);
    }
    return Math.max(lastSenderAt, peers);
  }
}
