package io.sendpath.sim;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The discrete-event clock, in nanoseconds of virtual time (DESIGN §2).
 *
 * <p>Every message between simulated actors goes through {@link #tell} (now) or {@link #schedule}
 * (later). {@code tell} counts the message as outstanding; the receiving {@link SimActor} calls
 * {@link #done} when it has handled it. When the count falls to zero every actor is idle, and the
 * thread that made it zero releases every event due at the next instant at once: it raises the
 * count by their number before delivering any, so the count cannot reach zero again until all of
 * them, and everything they cause at the same instant, are handled. There is no central actor
 * and no round trip per event.
 *
 * <p>Events at one instant are delivered in the order they were scheduled (a sequence number
 * breaks ties), so with one worker thread a run is reproducible byte for byte.
 *
 * <p>A clock made by a {@link ClockGroup} is one domain of it (one host): its actors run on one
 * thread of their own, it releases only the instants of the group's current window, and when it
 * has none left it tells the group instead of finishing. Messages for another domain go through
 * {@link #scheduleFrom} (the wire), at least the group's lookahead ahead. The horizon, stop,
 * failure and the finished future are the group's. A clock made with {@code new VirtualClock()}
 * belongs to no group and behaves as it always did.
 */
public final class VirtualClock {

  private final AtomicLong outstanding = new AtomicLong();
  private final EventHeap events = new EventHeap();
  /** Targets and messages of the instant being released (reused; only touched under the lock). */
  private Object[] batchTo = new Object[256];
  private Object[] batchMsg = new Object[256];
  private final CompletableFuture<Long> finished = new CompletableFuture<>();
  private final AtomicLong delivered = new AtomicLong();
  private volatile long now;
  private long nextSeq;
  private long horizon = Long.MAX_VALUE;
  private volatile boolean stopped;
  /** First exception thrown by a simulated actor; null while all is well. Guarded by events. */
  private Throwable failure;
  /** False until {@link #start}: messages exchanged while the world is being built do not move time. */
  private volatile boolean started;
  /** The group this clock is one domain of; null for a lone clock (one clock for the whole run). */
  private final ClockGroup group;
  /** This domain's index in its group; 0 for a lone clock. */
  private final int index;
  /** How released events reach their targets: an ActorRef tell, except in the group's pure tests. */
  private final Delivery delivery;
  /** Only instants before this are released: the group's window end; Long.MAX_VALUE alone. Guarded by events. */
  private long windowEnd = Long.MAX_VALUE;
  /** True from the group opening this domain's window until the domain reports it idle. Guarded by events. */
  private boolean windowOpen;

  /** Hands a released event to its target (an ActorRef in every run). */
  interface Delivery {
    void deliver(Object to, Object msg);
  }

  @SuppressWarnings("unchecked")
  private static final Delivery TELL = (to, msg) -> ((ActorRef<Object>) to).tell(msg);

  /** A lone clock: the whole run on one calendar. */
  public VirtualClock() {
    this(null, 0, TELL);
  }

  /** Domain 'index' of 'group' (made by the group). */
  VirtualClock(ClockGroup group, int index, Delivery delivery) {
    this.group = group;
    this.index = index;
    this.delivery = delivery == null ? TELL : delivery;
  }

  /** Current virtual time in ns. Only moves forward, and only while every actor is idle. */
  public long now() {
    return now;
  }

  /** Sends msg now, counted: the receiver must be a SimActor (which calls {@link #done}). */
  @SuppressWarnings("unchecked")
  public <T> void tell(ActorRef<T> to, T msg) {
    outstanding.incrementAndGet();
    to.tell(msg);
  }

  /** Delivers msg at virtual time 'at' (clamped to now). */
  public <T> void schedule(long at, ActorRef<T> to, T msg) {
    scheduleRaw(at, to, msg);
  }

  void scheduleRaw(long at, Object to, Object msg) {
    synchronized (events) {
      long t = Math.max(at, now);
      events.add(t, nextSeq++, to, msg);
    }
  }

  /**
   * Delivers msg at 'at' to 'to', an actor of this clock, on behalf of an actor of clock 'from':
   * how the far end of a wire is reached. With from == this it is {@link #schedule}. When the two
   * are domains of one group the message waits in from's outbox until the window's barrier puts it
   * on this calendar, so 'at' must lie at least the group's lookahead after from's now; an earlier
   * one is a bug (the domain may already be past 'at') and throws, failing the run.
   */
  public <T> void scheduleFrom(VirtualClock from, long at, ActorRef<T> to, T msg) {
    scheduleFromRaw(from, at, to, msg);
  }

  void scheduleFromRaw(VirtualClock from, long at, Object to, Object msg) {
    if (from == this) {
      scheduleRaw(at, to, msg);
      return;
    }
    if (group == null || from.group != group)
      throw new IllegalArgumentException("scheduleFrom: the two clocks are not domains of one ClockGroup");
    group.crossSchedule(from.index, from.now, index, at, to, msg);
  }

  /** Delivers msg after 'delayNs' of virtual time. */
  public <T> void scheduleAfter(long delayNs, ActorRef<T> to, T msg) {
    schedule(now + delayNs, to, msg);
  }

  /**
   * Counts work outside a SimActor as outstanding, as {@link #tell} counts a message: time cannot
   * move until the matching {@link #release}. A Pekko Streams stage that stands for an
   * application holds the clock while it waits for its upstream, so producing the next element
   * takes no virtual time (the application is modelled as always ready to write).
   */
  public void hold() {
    outstanding.incrementAndGet();
  }

  /** Ends one {@link #hold}; the same as {@link #done}. */
  public void release() {
    done();
  }

  /** The receiver of a counted message calls this once it is handled. */
  public void done() {
    long left = outstanding.decrementAndGet();
    if (left == 0) advance();
    else if (left < 0) fail(new IllegalStateException("more messages handled than sent on clock " + index
        + ": a message was told with another domain's clock (only the wire may cross domains, with scheduleFrom)"));
  }

  /**
   * Starts the clock (or nudges it after outside messages were sent with {@link #tell}): if every
   * actor is idle, releases the next instant. A domain starts its whole group.
   */
  public void start() {
    if (group != null) {
      group.start();
      return;
    }
    started = true;
    nudge();
  }

  /** No event later than this is delivered; when only later ones remain the run is finished. A domain sets its group's. */
  public void setHorizon(long atNs) {
    if (group != null) {
      group.setHorizon(atNs);
      return;
    }
    synchronized (events) {
      horizon = atNs;
    }
  }

  /** Ends the run at the next idle point, whatever is still scheduled (a watchdog or the user). A domain stops its group. */
  public void stop() {
    if (group != null) {
      group.stop();
      return;
    }
    stopped = true;
    start();
  }

  /**
   * A simulated actor failed while handling a message: the run cannot be trusted any more, so it
   * ends at once and {@link #failure()} says why (instead of waiting forever for the message's
   * successors).
   */
  public void fail(Throwable cause) {
    if (group != null) {
      group.fail(cause);
      return;
    }
    synchronized (events) {
      if (failure == null) failure = cause;
    }
    stopped = true;
    finished.complete(now);
  }

  /** The first failure reported by {@link #fail}, or null (a domain: its group's). */
  public Throwable failure() {
    if (group != null) return group.failure();
    synchronized (events) {
      return failure;
    }
  }

  /**
   * Completes with the final virtual time once nothing is left to do (or the horizon or a stop is
   * reached); a domain's is its group's (the latest time any domain reached).
   */
  public CompletableFuture<Long> finished() {
    return group != null ? group.finished() : finished;
  }

  /** Messages sent but not yet handled: zero whenever the clock is between instants. */
  public long outstanding() {
    return outstanding.get();
  }

  /** Events ever released by the clock (timers, departures, arrivals). */
  public long eventsDelivered() {
    return delivered.get();
  }

  /** Events still waiting in the calendar. */
  public int pending() {
    synchronized (events) {
      return events.size();
    }
  }

  // ---- for the group ----

  /** Counts one outstanding message and hands it back: releases the next instant if every actor is idle. */
  void nudge() {
    outstanding.incrementAndGet();
    done();
  }

  void markStarted() {
    started = true;
  }

  /** Lets this domain release the instants before 'end'; it tells the group when it has none left. */
  void openWindow(long end) {
    synchronized (events) {
      windowEnd = end;
      windowOpen = true;
    }
  }

  /** Time of the earliest event on the calendar; Long.MAX_VALUE when it is empty. */
  long earliest() {
    synchronized (events) {
      return events.isEmpty() ? Long.MAX_VALUE : events.peekAt();
    }
  }

  /** A message from another domain, put on the calendar by the barrier in the group's merge order. */
  void enqueueMerged(long at, Object to, Object msg) {
    scheduleRaw(at, to, msg);
  }

  int index() {
    return index;
  }

  private void advance() {
    if (group != null) {
      advanceInWindow();
      return;
    }
    synchronized (events) {
      // Another thread may have sent something between our decrement and the lock.
      if (outstanding.get() != 0 || !started) return;
      if (events.isEmpty() || events.peekAt() > horizon || stopped) {
        finished.complete(now);
        return;
      }
      releaseInstant();
    }
  }

  /** A domain: release the next instant of the window, or report the domain idle to the group. */
  private void advanceInWindow() {
    synchronized (events) {
      if (outstanding.get() != 0 || !started || !windowOpen) return;
      if (!group.stopped() && !events.isEmpty()) {
        long t = events.peekAt();
        if (t < windowEnd && t <= group.horizon()) {
          releaseInstant();
          return;
        }
      }
      windowOpen = false;
    }
    // outside the lock: the group's barrier takes every domain's calendar lock
    group.idle(index);
  }

  /** Delivers every event of the earliest instant. Holds the events lock. */
  private void releaseInstant() {
    now = events.peekAt();
    int n = 0;
    while (!events.isEmpty() && events.peekAt() == now) {
      if (n == batchTo.length) {
        batchTo = java.util.Arrays.copyOf(batchTo, 2 * n);
        batchMsg = java.util.Arrays.copyOf(batchMsg, 2 * n);
      }
      batchTo[n] = events.peekTarget();
      batchMsg[n] = events.peekMessage();
      n++;
      events.removeFirst();
    }
    outstanding.addAndGet(n);
    delivered.addAndGet(n);
    for (int i = 0; i < n; i++) {
      delivery.deliver(batchTo[i], batchMsg[i]);
      batchTo[i] = null;
      batchMsg[i] = null;
    }
  }
}
