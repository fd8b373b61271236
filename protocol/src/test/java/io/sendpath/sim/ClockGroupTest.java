package io.sendpath.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clock group without actors: each domain is a single-thread executor, a target is a
 * {@link Node} whose handler runs on its domain's thread and reports to its domain's clock, as a
 * SimActor does.
 */
class ClockGroupTest {

  /** Stands in for a simulated actor of one domain. */
  static final class Node {
    final String name;
    final int domain;
    VirtualClock clock;
    ExecutorService thread;
    /** What the node does with a message; runs on the domain's thread. */
    BiConsumer<Node, Object> handler = (n, m) -> {};

    Node(String name, int domain) {
      this.name = name;
      this.domain = domain;
    }

    /** A counted message now, as clock.tell does. */
    void tell(Object msg) {
      clock.hold();
      deliver(msg);
    }

    void deliver(Object msg) {
      thread.execute(() -> {
        try {
          handler.accept(this, msg);
        } catch (RuntimeException e) {
          clock.fail(e);
        } finally {
          clock.done();
        }
      });
    }
  }

  private final List<ExecutorService> threads = new ArrayList<>();

  @AfterEach
  void shutdown() {
    threads.forEach(ExecutorService::shutdownNow);
  }

  /** A group of n domains, each on a thread of its own. */
  ClockGroup group(int n, long lookahead, int workers) {
    ClockGroup g = new ClockGroup(n, lookahead, workers, (to, msg) -> ((Node) to).deliver(msg));
    for (int i = 0; i < n; i++) {
      ExecutorService t = Executors.newSingleThreadExecutor();
      threads.add(t);
      g.setExecutor(i, t);
    }
    return g;
  }

  Node node(ClockGroup g, String name, int domain) {
    Node n = new Node(name, domain);
    n.clock = g.domain(domain);
    n.thread = (ExecutorService) threads.get(threads.size() - g.size() + domain);
    return n;
  }

  static long await(ClockGroup g) throws Exception {
    return g.finished().get(10, TimeUnit.SECONDS);
  }

  @Test
  void twoDomains_lookaheadZero_refused() {
    assertThatThrownBy(() -> new ClockGroup(2, 0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lookahead");
  }

  @Test
  void windows_startAtTheEarliestEvent_andSpanTheLookahead() throws Exception {
    ClockGroup g = group(2, 10, 2);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node a = node(g, "a", 0), b = node(g, "b", 1);
    BiConsumer<Node, Object> record = (n, m) -> log.add(n.name + "@" + n.clock.now() + " w" + g.windows() + " safe" + g.safeTime());
    a.handler = record;
    b.handler = record;
    g.domain(0).scheduleRaw(0, a, "x");
    g.domain(0).scheduleRaw(3, a, "x");
    g.domain(1).scheduleRaw(12, b, "x");
    g.domain(1).scheduleRaw(21, b, "x");
    g.domain(0).scheduleRaw(25, a, "x");
    g.start();
    assertThat(await(g)).isEqualTo(25);
    // [0,10): a 0, 3   [12,22): b 12, 21   [25,35): a 25
    assertThat(log).containsExactly("a@0 w1 safe0", "a@3 w1 safe0", "b@12 w2 safe12", "b@21 w2 safe12", "a@25 w3 safe25");
    assertThat(g.windows()).isEqualTo(3);
    assertThat(g.eventsDelivered()).isEqualTo(5);
    assertThat(g.safeTime()).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void pingPong_acrossDomains_takesTheWireDelayEachWay(int workers) throws Exception {
    ClockGroup g = group(2, 1_000, workers);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node a = node(g, "a", 0), b = node(g, "b", 1);
    a.handler = (n, m) -> {
      log.add("a@" + n.clock.now() + ":" + m);
      int k = (Integer) m;
      if (k < 6) b.clock.scheduleFromRaw(n.clock, n.clock.now() + 1_000 + k, b, k + 1);
    };
    b.handler = (n, m) -> {
      log.add("b@" + n.clock.now() + ":" + m);
      a.clock.scheduleFromRaw(n.clock, n.clock.now() + 1_000, a, (Integer) m + 1);
    };
    g.domain(0).scheduleRaw(0, a, 0);
    g.start();
    assertThat(await(g)).isEqualTo(6_006);
    assertThat(log).containsExactly("a@0:0", "b@1000:1", "a@2000:2", "b@3002:3", "a@4002:4", "b@5006:5", "a@6006:6");
    assertThat(g.outstanding()).isZero();
    assertThat(g.pending()).isZero();
  }

  /**
   * Two producer domains send to a third at the same few instants while racing on their own
   * threads (random spinning between sends): the third receives them in (time, source domain,
   * source order), after its own events of the same instant, whatever the interleaving — and the
   * same with one worker thread.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void crossDomainMessages_mergeInAFixedOrder_whateverTheThreadsDid(long seed) throws Exception {
    List<String> parallel = crossDomainRun(seed, 3);
    List<String> serial = crossDomainRun(seed, 1);
    List<String> want = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long at = 100 + 10 * t;
      want.add(at + ":own" + t);
      for (int src = 0; src < 2; src++) for (int k = 0; k < 50; k++) want.add(at + ":" + src + "/" + k);
    }
    assertThat(parallel).containsExactlyElementsOf(want);
    assertThat(serial).containsExactlyElementsOf(want);
  }

  private List<String> crossDomainRun(long seed, int workers) throws Exception {
    ClockGroup g = group(3, 100, workers);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node sink = node(g, "sink", 2);
    sink.handler = (n, m) -> log.add(n.clock.now() + ":" + m);
    for (int t = 0; t < 4; t++) g.domain(2).scheduleRaw(100 + 10 * t, sink, "own" + t);
    for (int src = 0; src < 2; src++) {
      Node p = node(g, "p" + src, src);
      SplittableRandom rnd = new SplittableRandom(seed * 31 + src);
      int s = src;
      p.handler = (n, m) -> {
        // 50 messages to each of the 4 instants, sent in a random order of instants
        int[] sent = new int[4];
        for (int i = 0; i < 200; i++) {
          int t;
          do t = rnd.nextInt(4); while (sent[t] == 50);
          int k = sent[t]++;
          for (int spin = rnd.nextInt(2_000); spin > 0; spin--) Thread.onSpinWait();
          sink.clock.scheduleFromRaw(n.clock, 100 + 10 * t, sink, s + "/" + k + "#" + t);
        }
      };
      g.domain(src).scheduleRaw(0, p, "go");
    }
    g.start();
    await(g);
    List<String> out = new ArrayList<>();
    for (String line : log) out.add(line.contains("#") ? line.substring(0, line.indexOf('#')) : line);
    return out;
  }

  @Test
  void crossScheduleUnderTheLookahead_failsTheRun() throws Exception {
    ClockGroup g = group(2, 1_000, 2);
    Node a = node(g, "a", 0), b = node(g, "b", 1);
    b.handler = (n, m) -> { throw new AssertionError("a message under the lookahead was delivered"); };
    a.handler = (n, m) -> b.clock.scheduleFromRaw(n.clock, n.clock.now() + 999, b, "too soon");
    g.domain(0).scheduleRaw(50, a, "go");
    g.start();
    assertThat(await(g)).isEqualTo(50);
    assertThat(g.failure()).hasMessageContaining("999 ns ahead, under the lookahead of 1000 ns");
    assertThat(g.domain(1).failure()).isSameAs(g.failure());
  }

  @Test
  void tellAcrossDomains_isCaught() throws Exception {
    ClockGroup g = group(2, 1_000, 2);
    Node a = node(g, "a", 0), b = node(g, "b", 1);
    // a counts the message on its own clock but b reports it to b's clock: b's count goes below zero
    a.handler = (n, m) -> {
      n.clock.hold();
      b.deliver("wrong clock");
    };
    g.domain(0).scheduleRaw(0, a, "go");
    g.start();
    await(g);
    assertThat(g.failure()).hasMessageContaining("another domain's clock");
  }

  @Test
  void horizon_endsTheRun_laterEventsStayPending() throws Exception {
    ClockGroup g = group(2, 10, 2);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node a = node(g, "a", 0);
    a.handler = (n, m) -> {
      log.add("a@" + n.clock.now());
      n.clock.scheduleRaw(n.clock.now() + 7, n, m);
    };
    g.domain(0).scheduleRaw(0, a, "tick");
    g.setHorizon(30);
    g.start();
    assertThat(await(g)).isEqualTo(28);
    assertThat(log).containsExactly("a@0", "a@7", "a@14", "a@21", "a@28");
    assertThat(g.pending()).isEqualTo(1);
  }

  /**
   * A horizon set from inside a window (the run monitor's drain) never cuts that window short:
   * the other domain may already be past it, so both thread counts run the same events.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void horizonSetDuringAWindow_takesEffectAtItsEnd(int workers) throws Exception {
    ClockGroup g = group(2, 10, workers);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node a = node(g, "a", 0), b = node(g, "b", 1);
    a.handler = (n, m) -> {
      log.add("a@" + n.clock.now());
      n.clock.setHorizon(2);
    };
    b.handler = (n, m) -> log.add("b@" + n.clock.now());
    g.domain(0).scheduleRaw(1, a, "x");
    g.domain(0).scheduleRaw(9, a, "x");
    g.domain(1).scheduleRaw(7, b, "x");
    g.domain(1).scheduleRaw(11, b, "x");
    g.start();
    assertThat(await(g)).isEqualTo(9);
    assertThat(log).containsExactlyInAnyOrder("a@1", "a@9", "b@7");
    assertThat(g.horizon()).isEqualTo(10);
  }

  @Test
  void stop_endsTheRunAtTheEndOfTheWindow() throws Exception {
    ClockGroup g = group(2, 10, 2);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node a = node(g, "a", 0), b = node(g, "b", 1);
    a.handler = (n, m) -> {
      log.add("a@" + n.clock.now());
      if (n.clock.now() == 20) g.stop();
      n.clock.scheduleRaw(n.clock.now() + 5, n, m);
    };
    b.handler = (n, m) -> {
      log.add("b@" + n.clock.now());
      n.clock.scheduleRaw(n.clock.now() + 5, n, m);
    };
    g.domain(0).scheduleRaw(0, a, "tick");
    g.domain(1).scheduleRaw(0, b, "tick");
    g.start();
    await(g);
    // the window [20, 30) is cut where each domain next looks: nothing after 25
    assertThat(log).doesNotContain("a@30", "b@30");
    assertThat(log).contains("a@20", "b@15");
    assertThat(g.failure()).isNull();
  }

  @Test
  void messagesSentWhileBuilding_areHandledBeforeTheFirstWindow() throws Exception {
    ClockGroup g = group(2, 10, 2);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node a = node(g, "a", 0), b = node(g, "b", 1);
    a.handler = (n, m) -> log.add("a@" + n.clock.now() + ":" + m);
    b.handler = (n, m) -> log.add("b@" + n.clock.now() + ":" + m);
    b.tell("setup");
    g.domain(0).scheduleRaw(4, a, "first");
    g.start();
    await(g);
    assertThat(log).containsExactly("b@0:setup", "a@4:first");
  }

  @Test
  void oneDomain_actsAsALoneClock_sameInstantInSchedulingOrder() throws Exception {
    ClockGroup g = group(1, 0, 4);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Node a = node(g, "a", 0);
    a.handler = (n, m) -> {
      log.add(n.clock.now() + ":" + m);
      if (m.equals("e0")) n.clock.setHorizon(7); // no window to wait for: at once
    };
    for (int i = 0; i < 20; i++) g.domain(0).scheduleRaw(7, a, "e" + i);
    g.domain(0).scheduleRaw(8, a, "late");
    g.start();
    assertThat(await(g)).isEqualTo(7);
    assertThat(log).hasSize(20).startsWith("7:e0", "7:e1").endsWith("7:e19");
    assertThat(g.windows()).isEqualTo(1);
    assertThat(g.workerThreads()).isEqualTo(1);
    assertThat(g.lookahead()).isEqualTo(Long.MAX_VALUE);
  }
}
