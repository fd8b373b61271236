package io.sendpath.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
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

  private record Event(long at, long seq, ActorRef<Object> to, Object msg) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final AtomicLong outstanding = new AtomicLong();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private final List<Event> batch = new ArrayList<>();
  private final CompletableFuture<Long> finished = new CompletableFuture<>();
  private final AtomicLong delivered = new AtomicLong();
  private volatile long now;
  private long nextSeq;
  private long horizon = Long.MAX_VALUE;
  private volatile boolean stopped;
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
      events.add(new Event(t, nextSeq++, (ActorRef<Object>) (ActorRef<?>) to, msg));
    }
  }

  /** Delivers msg after 'delayNs' of virtual time. */
  public <T> void scheduleAfter(long delayNs, ActorRef<T> to, T msg) {
    schedule(now + delayNs, to, msg);
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

  private void advance() {
    synchronized (events) {
      // Another thread may have sent something between our decrement and the lock.
      if (outstanding.get() != 0 || !started) return;
      Event first = events.peek();
      if (first == null || first.at > horizon || stopped) {
        finished.complete(now);
        return;
      }
      now = first.at;
      batch.clear();
      while (!events.isEmpty() && events.peek().at == now) batch.add(events.poll());
      outstanding.addAndGet(batch.size());
      delivered.addAndGet(batch.size());
      for (Event e : batch) e.to.tell(e.msg);
      batch.clear();
    }
  }
}
