package io.sendpath.sim;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Base of every simulated actor: handlers are declared as usual with {@link #handlers()}, and each
 * counted message is reported to the {@link VirtualClock} once handled, so the clock knows when
 * every actor is idle. Messages that implement {@link Uncounted} (queries from outside the
 * simulation, such as a statistics snapshot) are not reported.
 */
public abstract class SimActor<T> extends AbstractBehavior<T> {

  /** Marker for messages sent with a plain tell from outside the simulation. */
  public interface Uncounted {}

  protected final VirtualClock clock;

  protected SimActor(ActorContext<T> context, VirtualClock clock) {
    super(context);
    this.clock = clock;
  }

  /** The actor's message handlers, built with newReceiveBuilder(). */
  protected abstract Receive<T> handlers();

  @Override
  public final Receive<T> createReceive() {
    Receive<T> inner = handlers();
    return new Receive<T>() {
      @Override
      public Behavior<T> receiveMessage(T msg) throws Exception {
        if (msg instanceof Uncounted) return inner.receiveMessage(msg);
        try {
          return inner.receiveMessage(msg);
        } finally {
          clock.done();
        }
      }

      @Override
      public Behavior<T> receiveSignal(Signal signal) throws Exception {
        return inner.receiveSignal(signal);
      }
    };
  }
}
