package io.sendpath.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two clock domains of SimActors, each on a one-thread dispatcher, talking only through scheduleFrom. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClockGroupActorTest {

  static final String D0 = "test.domain-0", D1 = "test.domain-1";

  private final ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString(
      D0 + " { type = Dispatcher, executor = fork-join-executor, fork-join-executor { parallelism-min = 1, parallelism-max = 1 } }\n"
          + D1 + " { type = Dispatcher, executor = fork-join-executor, fork-join-executor { parallelism-min = 1, parallelism-max = 1 } }\n")
      .withFallback(ConfigFactory.load()));

  @AfterAll
  void shutdown() {
    kit.shutdownTestKit();
  }

  /** A ball with a hop count; 'other' is the far end, reached after 'wire' ns. */
  record Ball(int hops, ActorRef<Ball> from) {}

  /** Each ball it receives it logs, fans out twice locally in the same instant, and throws back across. */
  static final class Player extends SimActor<Ball> {
    final String name;
    final List<String> log;
    final VirtualClock farClock;
    final long wireNs;

    Player(ActorContext<Ball> ctx, VirtualClock clock, VirtualClock farClock, long wireNs, String name, List<String> log) {
      super(ctx, clock);
      this.name = name;
      this.log = log;
      this.farClock = farClock;
      this.wireNs = wireNs;
    }

    static Behavior<Ball> create(VirtualClock clock, VirtualClock farClock, long wireNs, String name, List<String> log) {
      return Behaviors.setup(ctx -> new Player(ctx, clock, farClock, wireNs, name, log));
    }

    @Override
    protected Receive<Ball> handlers() {
      return newHandlers().onMessage(Ball.class, this::onBall).build();
    }

    private Behavior<Ball> onBall(Ball b) {
      log.add(name + "@" + clock.now() + ":" + b.hops());
      if (b.hops() > 0 && b.from() != null)
        farClock.scheduleFrom(clock, clock.now() + wireNs + b.hops(), b.from(), new Ball(b.hops() - 1, getContext().getSelf()));
      return this;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void twoDomains_rally_inVirtualTime_sameWithAnyThreads(int threads) throws Exception {
    ClockGroup group = new ClockGroup(2, 5_000, threads);
    group.setExecutor(0, kit.system().dispatchers().lookup(DispatcherSelector.fromConfig(D0)));
    group.setExecutor(1, kit.system().dispatchers().lookup(DispatcherSelector.fromConfig(D1)));
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    VirtualClock c0 = group.domain(0), c1 = group.domain(1);
    ActorRef<Ball> a = kit.spawn(Player.create(c0, c1, 5_000, "a", log), "a-" + threads, DispatcherSelector.fromConfig(D0));
    ActorRef<Ball> b = kit.spawn(Player.create(c1, c0, 5_000, "b", log), "b-" + threads, DispatcherSelector.fromConfig(D1));
    c0.schedule(0, a, new Ball(4, b));
    c1.schedule(1_000, b, new Ball(0, null));
    group.start();
    long end = group.finished().get(10, TimeUnit.SECONDS);
    // a@0 throws to b at 0 + 5000 + 4; b throws back at +5003; ... (a@0 and b@1000 share a window: any order)
    assertThat(log).containsExactlyInAnyOrder("a@0:4", "b@1000:0", "b@5004:3", "a@10007:2", "b@15009:1", "a@20010:0");
    assertThat(end).isEqualTo(20_010);
    assertThat(group.failure()).isNull();
    assertThat(group.windows()).isGreaterThanOrEqualTo(5);
    assertThat(group.outstanding()).isZero();
  }
}
