package io.sendpath.sim;

import java.util.Arrays;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Builds a simulated actor's message handlers, like Pekko's ReceiveBuilder but made for the per
 * packet path: a handler is found by comparing the message's class with the few declared ones
 * (no predicate chain), the first declared match wins as with ReceiveBuilder, and the clock is
 * told the message was handled in the same call. Signals are left unhandled.
 *
 * <p>Handlers are plain {@link java.util.function.Function}s, not Pekko's serializable
 * {@code japi.function.Function}: a lambda or method reference of a serializable interface is
 * spun at run time by {@code LambdaMetafactory.altMetafactory}, which a JDK 25 AOT cache does not
 * keep, so every actor class's handlers would be generated anew at each start.
 */
public final class SimReceiveBuilder<T> {
  private Class<?>[] types = new Class<?>[0];
  @SuppressWarnings("rawtypes")
  private Function[] handlers = new Function[0];
  private Function<T, Behavior<T>> any;
  private final VirtualClock clock;

  SimReceiveBuilder(VirtualClock clock) {
    this.clock = clock;
  }

  /** Messages of 'type' (or a subtype) go to 'handler', unless an earlier declaration matches. */
  public <M extends T> SimReceiveBuilder<T> onMessage(Class<M> type, Function<M, Behavior<T>> handler) {
    int n = types.length;
    types = Arrays.copyOf(types, n + 1);
    handlers = Arrays.copyOf(handlers, n + 1);
    types[n] = type;
    handlers[n] = handler;
    return this;
  }

  /** Every message no declared type matches. */
  public SimReceiveBuilder<T> onAnyMessage(Function<T, Behavior<T>> handler) {
    this.any = handler;
    return this;
  }

  public Receive<T> build() {
    return new Dispatch<>(types, handlers, any, clock);
  }

  static boolean counts(Receive<?> receive) {
    return receive instanceof Dispatch;
  }

  private static final class Dispatch<T> extends Receive<T> {
    private final Class<?>[] types;
    @SuppressWarnings("rawtypes")
    private final Function[] handlers;
    private final Function<T, Behavior<T>> any;
    private final VirtualClock clock;

    @SuppressWarnings("rawtypes")
    Dispatch(Class<?>[] types, Function[] handlers, Function<T, Behavior<T>> any, VirtualClock clock) {
      this.types = types;
      this.handlers = handlers;
      this.any = any;
      this.clock = clock;
    }

    @Override
    public Behavior<T> receiveMessage(T msg) throws Exception {
      if (msg instanceof SimActor.Uncounted) return handle(msg);
      try {
        return handle(msg);
      } catch (RuntimeException | Error e) {
        clock.fail(new IllegalStateException("a simulated actor failed on " + msg, e));
        throw e;
      } finally {
        clock.done();
      }
    }

    @SuppressWarnings("unchecked")
    private Behavior<T> handle(T msg) throws Exception {
      Class<?> c = msg.getClass();
      int n = types.length;
      int match = -1;
      for (int i = 0; i < n; i++) {
        if (types[i] == c) {
          match = i;
          break;
        }
      }
      if (match >= 0) {
        // an earlier declared supertype would have won in ReceiveBuilder order
        for (int i = 0; i < match; i++) if (types[i].isInstance(msg)) return (Behavior<T>) handlers[i].apply(msg);
        return (Behavior<T>) handlers[match].apply(msg);
      }
      for (int i = 0; i < n; i++) if (types[i].isInstance(msg)) return (Behavior<T>) handlers[i].apply(msg);
      if (any != null) return any.apply(msg);
      return Behaviors.unhandled();
    }

    @Override
    public Behavior<T> receiveSignal(Signal signal) {
      return Behaviors.unhandled();
    }
  }
}
