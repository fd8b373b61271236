package io.sendpath.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualClockTest {

  private final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  void shutdown() {
    kit.shutdownTestKit();
  }

  /** A message carrying how many more hops to make and how long each hop waits. */
  record Hop(String tag, int left, long delayNs, ActorRef<Hop> next) {}

  /** Records (virtual time, tag) and forwards after a delay, or at once when delay is 0. */
  static final class Relay extends SimActor<Hop> {
    private final List<String> log;

    Relay(ActorContext<Hop> ctx, VirtualClock clock, List<String> log) {
      super(ctx, clock);
      this.log = log;
    }

    static Behavior<Hop> create(VirtualClock clock, List<String> log) {
      return Behaviors.setup(ctx -> new Relay(ctx, clock, log));
    }

    @Override
    protected Receive<Hop> handlers() {
      return newHandlers().onMessage(Hop.class, this::onHop).build();
    }

    private Behavior<Hop> onHop(Hop h) {
      if (h.tag().equals("boom")) throw new IllegalArgumentException("boom at " + clock.now());
      log.add(clock.now() + ":" + h.tag());
      if (h.left() > 0) {
        Hop next = new Hop(h.tag(), h.left() - 1, h.delayNs(), getContext().getSelf());
        if (h.delayNs() == 0) clock.tell(h.next(), next);
        else clock.scheduleAfter(h.delayNs(), h.next(), next);
      }
      return this;
    }
  }

  @Test
  void scheduledEvents_runInTimeOrder_andTimeOnlyMovesWhenIdle() throws Exception {
    VirtualClock clock = new VirtualClock();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ActorRef<Hop> a = kit.spawn(Relay.create(clock, log));
    ActorRef<Hop> b = kit.spawn(Relay.create(clock, log));
    // a chain of 3 hops 1 µs apart, and a chain of 3 immediate hops at t = 2500 ns
    clock.schedule(0, a, new Hop("slow", 3, 1_000, b));
    clock.schedule(2_500, b, new Hop("fast", 3, 0, a));
    clock.start();
    long end = clock.finished().get(10, TimeUnit.SECONDS);
    assertThat(end).isEqualTo(3_000);
    assertThat(log).containsExactly(
        "0:slow", "1000:slow", "2000:slow", "2500:fast", "2500:fast", "2500:fast", "2500:fast", "3000:slow");
    assertThat(clock.outstanding()).isZero();
  }

  @Test
  void anActorThrows_theRunEndsAtOnce_withTheFailure() throws Exception {
    VirtualClock clock = new VirtualClock();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ActorRef<Hop> a = kit.spawn(Relay.create(clock, log));
    clock.schedule(0, a, new Hop("tick", 1_000, 1_000, a));
    clock.schedule(5_500, a, new Hop("boom", 0, 0, a));
    clock.start();
    assertThat(clock.finished().get(10, TimeUnit.SECONDS)).isEqualTo(5_500);
    assertThat(clock.failure()).hasMessageContaining("a simulated actor failed").hasRootCauseMessage("boom at 5500");
  }

  @Test
  void horizon_stopsBeforeLaterEvents() throws Exception {
    VirtualClock clock = new VirtualClock();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ActorRef<Hop> a = kit.spawn(Relay.create(clock, log));
    clock.schedule(0, a, new Hop("x", 100, 1_000_000, a));
    clock.setHorizon(5_000_000);
    clock.start();
    assertThat(clock.finished().get(10, TimeUnit.SECONDS)).isEqualTo(5_000_000);
    assertThat(log).hasSize(6);
    assertThat(clock.pending()).isEqualTo(1);
  }

  @Test
  void sameInstantEvents_deliveredInSchedulingOrder() throws Exception {
    VirtualClock clock = new VirtualClock();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    ActorRef<Hop> a = kit.spawn(Relay.create(clock, log));
    for (int i = 0; i < 50; i++) clock.schedule(7, a, new Hop("e" + i, 0, 0, a));
    clock.start();
    clock.finished().get(10, TimeUnit.SECONDS);
    List<String> want = new ArrayList<>();
    for (int i = 0; i < 50; i++) want.add("7:e" + i);
    assertThat(log).containsExactlyElementsOf(want);
  }
}
