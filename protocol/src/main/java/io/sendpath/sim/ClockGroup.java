package io.sendpath.sim;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One discrete-event clock per host (a domain), run in parallel under a conservative window
 * barrier (DESIGN §2; YAWNS, or Chandy–Misra bounded lag). Hosts meet only on the wire, and a frame
 * takes at least the link's propagation delay to cross: that delay is the group's lookahead L.
 *
 * <pre>
 *   T = earliest event of any domain           window [T, T + L)
 *   each domain releases its instants &lt; T + L on its own thread, domains side by side
 *   (at most workerThreads at once; 1: one after another)
 *   a message for another domain (due &gt;= sender's now + L &gt;= T + L) waits in the sender's outbox
 *   every domain idle ──► barrier: outboxes merged into the destinations' calendars in a fixed
 *   order (source domain index, then the source's own order, so ties in time go the same way
 *   whatever the threads did), next T, next window; no event left (or horizon, stop, failure): done
 * </pre>
 *
 * Nothing a domain does inside a window depends on another domain's work in the same window, and
 * each domain's actors run on one thread, so the frames are the same with any number of worker
 * threads. A window is started on its domain's own thread (its {@link #setExecutor executor}):
 * the instant's events are told from the thread that then handles them, as with one clock.
 *
 * <p>Plain Java: targets and messages are opaque; the domains' {@link VirtualClock}s deliver them.
 */
public final class ClockGroup {

  /** The domains, by index; their count is fixed. */
  private final VirtualClock[] domains;
  /** Where each domain's window is started: the domain's actor thread. Runnable::run until set. */
  private final Executor[] executors;
  /** Smallest delay of any message between two domains, ns; > 0 with two domains or more. */
  private final long lookahead;
  /** Domains that run their windows at the same time: 1 .. domains. */
  private final int workerThreads;
  /** Messages each domain sent to others during the current window, in the order it sent them. */
  private final Outbox[] outboxes;

  // ---- window state, guarded by this ----
  /** Domains with work in the current window, in index order; the first nextRunnable have been started. */
  private final int[] runnable;
  private int runnableCount, nextRunnable;
  /** Domains started in this window (or the start-up settle) that have not reported idle yet. */
  private int running;
  /** End (exclusive) of the current window; Long.MIN_VALUE while settling before the first. */
  private long windowEnd = Long.MIN_VALUE;
  /** True between a window's opening and its barrier. */
  private boolean windowRunning;
  /** Windows opened so far. */
  private long windows;
  private Throwable failure;
  private boolean started;

  /** Start T of the current window: every event still to come is at or after it. */
  private volatile long windowStart;
  private volatile long horizon = Long.MAX_VALUE;
  private volatile boolean stopped;
  private final CompletableFuture<Long> finished = new CompletableFuture<>();

  /**
   * A group of 'domains' clocks whose cross-domain messages are at least lookaheadNs ahead;
   * workerThreads of them run a window at the same time. One domain needs no lookahead (its
   * window is unbounded) and behaves as a lone {@link VirtualClock}.
   */
  public ClockGroup(int domains, long lookaheadNs, int workerThreads) {
    this(domains, lookaheadNs, workerThreads, null);
  }

  ClockGroup(int domains, long lookaheadNs, int workerThreads, VirtualClock.Delivery delivery) {
    if (domains < 1) throw new IllegalArgumentException("a clock group needs a domain, got " + domains);
    if (domains > 1 && lookaheadNs <= 0)
      throw new IllegalArgumentException("domains cannot be split without lookahead (the smallest cross-domain delay), got "
          + lookaheadNs + " ns: use one domain");
    this.domains = new VirtualClock[domains];
    this.executors = new Executor[domains];
    this.outboxes = new Outbox[domains];
    for (int i = 0; i < domains; i++) {
      this.domains[i] = new VirtualClock(this, i, delivery);
      this.executors[i] = Runnable::run;
      this.outboxes[i] = new Outbox();
    }
    this.lookahead = domains == 1 ? Long.MAX_VALUE : lookaheadNs;
    this.workerThreads = Math.max(1, Math.min(workerThreads, domains));
    this.runnable = new int[domains];
  }

  public VirtualClock domain(int i) {
    return domains[i];
  }

  public int size() {
    return domains.length;
  }

  /** The lookahead in ns (Long.MAX_VALUE for one domain). */
  public long lookahead() {
    return lookahead;
  }

  /** Domains that run a window at the same time. */
  public int workerThreads() {
    return workerThreads;
  }

  /** Runs domain i's windows on 'executor': the single thread its actors run on. Call before {@link #start}. */
  public void setExecutor(int i, Executor executor) {
    executors[i] = executor;
  }

  /**
   * Starts every domain: once the messages exchanged while the world was built are handled, the
   * first window opens. Calling it again does nothing.
   */
  public void start() {
    synchronized (this) {
      if (started) return;
      started = true;
      // a settle phase: every domain "runs" a window that releases nothing, and reports idle
      // once what was sent while building is handled; the last one opens the first real window
      windowEnd = Long.MIN_VALUE;
      running = domains.length;
      for (VirtualClock d : domains) {
        d.markStarted();
        d.openWindow(Long.MIN_VALUE);
      }
    }
    for (VirtualClock d : domains) d.nudge();
  }

  /**
   * No event later than atNs is delivered. With several domains a horizon set during a window
   * takes effect at its end (another domain may already be past atNs in it), so it is never set
   * below the window's last instant: the same events run whatever the threads did.
   */
  public synchronized void setHorizon(long atNs) {
    horizon = windowRunning && domains.length > 1 ? Math.max(atNs, windowEnd - 1) : atNs;
  }

  /** The horizon in force. */
  public long horizon() {
    return horizon;
  }

  /** Ends the run at the end of the current window, whatever is still scheduled (a watchdog or the user). */
  public void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  /** A domain's actor failed: the run ends at once, and {@link #failure()} says why. */
  public void fail(Throwable cause) {
    synchronized (this) {
      if (failure == null) failure = cause;
    }
    stopped = true;
    finished.complete(now());
  }

  public synchronized Throwable failure() {
    return failure;
  }

  /** Completes with the latest virtual time any domain reached, once the run is over. */
  public CompletableFuture<Long> finished() {
    return finished;
  }

  /** The latest virtual time any domain has reached (the progress display; the end time once finished). */
  public long now() {
    long t = 0;
    for (VirtualClock d : domains) t = Math.max(t, d.now());
    return t;
  }

  /**
   * No event before it can still be handled: the start of the current window; Long.MAX_VALUE once
   * the run is over. With one domain the window is unbounded, so this stays at the first instant;
   * output sorted by time uses {@link #slowestNow()}.
   */
  public long safeTime() {
    return finished.isDone() ? Long.MAX_VALUE : windowStart;
  }

  /**
   * A watermark for output sorted by time (frames from several domains into one pcap): the earliest
   * 'now' over the domains. A domain only moves forward and stamps what it submits no earlier than
   * its now, so nothing stamped before this can still be submitted; with one domain it is that
   * domain's now, and it trails the fastest domain by at most one window.
   */
  public long slowestNow() {
    long t = Long.MAX_VALUE;
    for (VirtualClock d : domains) t = Math.min(t, d.now());
    return t;
  }

  /** Events delivered by every domain. */
  public long eventsDelivered() {
    long n = 0;
    for (VirtualClock d : domains) n += d.eventsDelivered();
    return n;
  }

  /** Messages sent but not handled, over every domain. */
  public long outstanding() {
    long n = 0;
    for (VirtualClock d : domains) n += d.outstanding();
    return n;
  }

  /** Events still on a calendar or in an outbox. */
  public int pending() {
    int n = 0;
    for (VirtualClock d : domains) n += d.pending();
    for (Outbox o : outboxes) n += o.size();
    return n;
  }

  /** Windows opened so far (one barrier each). */
  public synchronized long windows() {
    return windows;
  }

  // ---- called by the domains ----

  /** A message from domain 'from' (now fromNow) for an actor of domain 'to', due at 'at'. */
  void crossSchedule(int from, long fromNow, int to, long at, Object target, Object msg) {
    if (at - fromNow < lookahead) {
      IllegalStateException e = new IllegalStateException("domain " + from + " scheduled a message for domain " + to
          + " " + (at - fromNow) + " ns ahead, under the lookahead of " + lookahead + " ns (at " + at + ", now " + fromNow + ")");
      fail(e);
      throw e;
    }
    outboxes[from].add(at, to, target, msg);
  }

  /** Domain d has nothing left before the window's end and every actor of it is idle. */
  void idle(int d) {
    int[] toStart = null;
    int count = 0;
    long end;
    synchronized (this) {
      running--;
      if (nextRunnable < runnableCount) {
        toStart = new int[] {runnable[nextRunnable++]};
        count = 1;
        running++;
      } else if (running == 0) {
        count = barrier();
        if (count > 0) toStart = Arrays.copyOf(runnable, count);
      }
      end = windowEnd;
      for (int i = 0; i < count; i++) domains[toStart[i]].openWindow(end);
    }
    for (int i = 0; i < count; i++) {
      VirtualClock dom = domains[toStart[i]];
      executors[toStart[i]].execute(dom::nudge);
    }
  }

  /**
   * Every domain is idle: merge the outboxes, open the next window and return how many of its
   * runnable domains to start now (0: the run is over). Holds the lock.
   */
  private int barrier() {
    windowRunning = false;
    // Source index order, then each source's own order: the destination's sequence numbers, which
    // break ties in time, follow (source, source order) whatever the threads' interleaving was.
    for (Outbox o : outboxes) o.drainInto(domains);
    if (failure != null) return 0;
    long t = Long.MAX_VALUE;
    for (VirtualClock d : domains) t = Math.min(t, d.earliest());
    if (stopped || t == Long.MAX_VALUE || t > horizon) {
      finished.complete(now());
      return 0;
    }
    windowStart = t;
    windowEnd = t > Long.MAX_VALUE - lookahead ? Long.MAX_VALUE : t + lookahead;
    windows++;
    runnableCount = 0;
    for (int i = 0; i < domains.length; i++) if (domains[i].earliest() < windowEnd) runnable[runnableCount++] = i;
    int now = Math.min(workerThreads, runnableCount);
    nextRunnable = now;
    running = now;
    windowRunning = true;
    return now;
  }

  /** One domain's messages for others during a window; written by that domain's thread, drained at the barrier. */
  private static final class Outbox {
    private long[] at = new long[64];
    private int[] dest = new int[64];
    private Object[] targets = new Object[64];
    private Object[] msgs = new Object[64];
    /** Entries 0..size-1, in the order the domain sent them. */
    private int size;

    synchronized void add(long time, int to, Object target, Object msg) {
      if (size == at.length) {
        at = Arrays.copyOf(at, 2 * size);
        dest = Arrays.copyOf(dest, 2 * size);
        targets = Arrays.copyOf(targets, 2 * size);
        msgs = Arrays.copyOf(msgs, 2 * size);
      }
      at[size] = time;
      dest[size] = to;
      targets[size] = target;
      msgs[size] = msg;
      size++;
    }

    synchronized int size() {
      return size;
    }

    synchronized void drainInto(VirtualClock[] domains) {
      for (int i = 0; i < size; i++) {
        domains[dest[i]].enqueueMerged(at[i], targets[i], msgs[i]);
        targets[i] = null;
        msgs[i] = null;
      }
      size = 0;
    }
  }
}
