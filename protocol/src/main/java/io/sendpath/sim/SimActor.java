package io.sendpath.sim;

import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Base of every simulated actor: handlers are declared with {@link #newHandlers()} in
 * {@link #handlers()}, and each counted message is reported to the {@link VirtualClock} once
 * handled, so the clock knows when every actor is idle. Messages that implement
 * {@link Uncounted} (queries from outside the simulation, such as a statistics snapshot) are not
 * reported.
 */
public abstract class SimActor<T> extends AbstractBehavior<T> {

  /** Marker for messages sent with a plain tell from outside the simulation. */
  public interface Uncounted {}

  protected final VirtualClock clock;

  protected SimActor(ActorContext<T> context, VirtualClock clock) {
    super(context);
    this.clock = clock;
  }

  /** The actor's message handlers, built with {@link #newHandlers()}. */
  protected abstract Receive<T> handlers();

  /** A handler builder whose Receive also reports each counted message to the clock. */
  protected final SimReceiveBuilder<T> newHandlers() {
    return new SimReceiveBuilder<>(clock);
  }

  @Override
  public final Receive<T> createReceive() {
    Receive<T> receive = handlers();
    // A Receive from Pekko's own builder would not tell the clock, and time would stop.
    if (!SimReceiveBuilder.counts(receive))
      throw new IllegalStateException(getClass().getName() + ".handlers() must be built with newHandlers()");
    return receive;
  }
}
