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
  @SuppressWarnings("unchecked")
  public <T> void schedule(long at, ActorRef<T> to, T msg) {
    synchronized (events) {
      long t = Math.max(at, now);
      events.add(t, nextSeq++, to, msg);
    }
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
    if (outstanding.decrementAndGet() == 0) advance();
  }

  /**
   * Starts the clock (or nudges it after outside messages were sent with {@link #tell}): if every
   * actor is idle, releases the next instant.
   */
  public void start() {
    started = true;
    outstanding.incrementAndGet();
    done();
  }

  /** No event later than this is delivered; when only later ones remain the run is finished. */
  public void setHorizon(long atNs) {
    synchronized (events) {
      horizon = atNs;
    }
  }

  /** Ends the run at the next idle point, whatever is still scheduled (a watchdog or the user). */
  public void stop() {
    stopped = true;
    start();
  }

  /**
   * A simulated actor failed while handling a message: the run cannot be trusted any more, so it
   * ends at once and {@link #failure()} says why (instead of waiting forever for the message's
   * successors).
   */
  public void fail(Throwable cause) {
    synchronized (events) {
      if (failure == null) failure = cause;
    }
    stopped = true;
    finished.complete(now);
  }

  /** The first failure reported by {@link #fail}, or null. */
  public Throwable failure() {
    synchronized (events) {
      return failure;
    }
  }

  /** Completes with the final virtual time once nothing is left to do (or the horizon or a stop is reached). */
  public CompletableFuture<Long> finished() {
    return finished;
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

  @SuppressWarnings("unchecked")
  private void advance() {
    synchronized (events) {
      // Another thread may have sent something between our decrement and the lock.
      if (outstanding.get() != 0 || !started) return;
      if (events.isEmpty() || events.peekAt() > horizon || stopped) {
        finished.complete(now);
        return;
      }
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
        ((ActorRef<Object>) batchTo[i]).tell(batchMsg[i]);
        batchTo[i] = null;
        batchMsg[i] = null;
      }
    }
  }
}
