package io.sendpath.actors;

import io.sendpath.sim.VirtualClock;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Keeps at most one useful wake-up event in the calendar for a core's timers (smoltcp's
 * poll_at): after every input the shell calls {@link #arm} with the core's next deadline; a new
 * event is scheduled only when that deadline is earlier than the one already pending. A wake-up
 * that arrives after its deadline moved later finds nothing due and re-arms; so a timer that is
 * pushed back on every ACK (the RTO) costs one event per RTO period, not one per ACK.
 */
public final class Wakeup<T> {
  private final VirtualClock clock;
  private final ActorRef<T> self;
  private final java.util.function.LongFunction<T> message;
  /** Time of the earliest wake-up event still in the calendar; Long.MAX_VALUE when none. */
  private long pendingAt = Long.MAX_VALUE;

  public Wakeup(VirtualClock clock, ActorRef<T> self, java.util.function.LongFunction<T> message) {
    this.clock = clock;
    this.self = self;
    this.message = message;
  }

  /** Makes sure a wake-up reaches the actor no later than 'deadline' (Long.MAX_VALUE: none needed). */
  public void arm(long deadline) {
    if (deadline == Long.MAX_VALUE || deadline >= pendingAt) return;
    pendingAt = Math.max(deadline, clock.now());
    clock.schedule(pendingAt, self, message.apply(pendingAt));
  }

  /** The shell calls this when a wake-up event for time 'at' arrives. */
  public void fired(long at) {
    if (at == pendingAt) pendingAt = Long.MAX_VALUE;
  }
}
