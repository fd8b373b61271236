package io.sendpath.bench;

import io.sendpath.sim.VirtualClock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorPath;
import org.apache.pekko.actor.typed.ActorRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The virtual clock's calendar in the classic "hold" model: the calendar holds {@code pending}
 * events (one per connection's timer, say), and each operation handles one released event and
 * schedules one new event a seeded random delay ahead — so the calendar stays the same size and
 * every operation is one {@link VirtualClock#schedule} plus one release (the heap's sift-down,
 * the outstanding counter, the delivery). The events go to an in-memory recipient that only
 * counts them, so no actor runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClockBench {
  /** Events waiting in the calendar: a thousand to a million connections' timers. */
  @Param({"1000", "100000", "1000000"})
  int pending;

  /**
   * near: every pending event is within 10 ms and takes part (timers of active connections);
   * far: the pending events wait 1 to 121 s ahead (a million connections starting over two
   * minutes, idle connections' keepalive or RTO timers) while 10,000 near events cycle.
   */
  @Param({"near", "far"})
  String layout;

  /** Events that cycle in the far layout. */
  static final int ACTIVE_IN_FAR_LAYOUT = 10_000;
  /** Far events are spread over [FAR_FROM_NS, FAR_FROM_NS + FAR_SPAN_NS). */
  static final long FAR_FROM_NS = 1_000_000_000L, FAR_SPAN_NS = 120_000_000_000L;

  /** Delays cycle through this many seeded values (a power of two, indexed by a mask). */
  static final int DELAYS = 4096;
  /** Delays are uniform in [1 us, 10 ms): serialization times up to delayed-ACK and RTO scale. */
  static final long MIN_DELAY_NS = 1_000, MAX_DELAY_NS = 10_000_000;
  /** The message every event carries; its content plays no part. */
  static final Object TICK = new Object();

  VirtualClock clock;
  CountingRef recipient;
  long[] delays;
  /** Index of the next delay; wraps by the mask. */
  int next;

  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(pending);
    delays = new long[DELAYS];
    for (int i = 0; i < DELAYS; i++) delays[i] = rnd.nextLong(MIN_DELAY_NS, MAX_DELAY_NS);
    clock = new VirtualClock();
    recipient = new CountingRef();
    boolean far = "far".equals(layout);
    int active = far ? ACTIVE_IN_FAR_LAYOUT : pending;
    for (int i = 0; i < active; i++) clock.schedule(rnd.nextLong(MIN_DELAY_NS, MAX_DELAY_NS), recipient, TICK);
    if (far) for (int i = 0; i < pending; i++) clock.schedule(FAR_FROM_NS + rnd.nextLong(FAR_SPAN_NS), recipient, TICK);
    clock.start(); // releases the first instant into the recipient
    if (recipient.unhandled == 0) throw new IllegalStateException("the clock released nothing at start");
  }

  /** Handle one released event, schedule one: one calendar insertion and one release. */
  @Benchmark
  public long scheduleAndRelease() {
    clock.schedule(clock.now() + delays[next++ & (DELAYS - 1)], recipient, TICK);
    recipient.unhandled--;
    clock.done(); // the last event of an instant handled: the clock releases the next instant here
    return clock.now();
  }

  /**
   * An in-memory recipient that counts what the clock delivers; the benchmark plays the actor and
   * reports each event handled with {@link VirtualClock#done}. Only ever used on one thread.
   */
  static final class CountingRef implements ActorRef<Object> {
    private static final long serialVersionUID = 1L;
    private static final ActorPath PATH = ActorPath.fromString("pekko://bench/user/calendar");
    /** Events delivered and not yet reported done; at least 1 between operations. */
    long unhandled;

    @Override
    public void tell(Object msg) {
      unhandled++;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <U> ActorRef<U> narrow() {
      return (ActorRef<U>) (ActorRef<?>) this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <U> ActorRef<U> unsafeUpcast() {
      return (ActorRef<U>) (ActorRef<?>) this;
    }

    @Override
    public ActorPath path() {
      return PATH;
    }

    @Override
    public int compareTo(ActorRef<?> other) {
      return PATH.compareTo(other.path());
    }
  }
}
