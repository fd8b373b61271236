package io.sendpath.actors.fault;

import static io.sendpath.actors.fault.FaultScenarios.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 200 random seeded fault plans over tiny runs (2 connections × 256 KiB): one to three faults of
 * any kind, with finite windows, starting in the first 40 ms (while data flows). Every run must end with zero
 * invariant violations: each accepted byte delivered once and in order or the application told
 * why, every skb freed, every connection in a final state.
 */
class FaultSoakTest {

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 200);
  }

  /** A random plan of 1..3 faults drawn from seed. */
  static FaultPlan randomPlan(long seed, int connections) {
    SplittableRandom r = new SplittableRandom(seed * 7919);
    FaultKind[] kinds = FaultKind.values();
    int n = 1 + r.nextInt(3);
    Fault.Builder[] faults = new Fault.Builder[n];
    for (int i = 0; i < n; i++) {
      FaultKind k = kinds[r.nextInt(kinds.length)];
      Fault.Builder b = Fault.of(k).at(r.nextLong(40 * MS)).duration(MS * (1 + r.nextLong(1_500)));
      if (r.nextInt(4) == 0) b.every(2_000 * MS);
      if (k.where() != FaultKind.Where.PEER && k.where() != FaultKind.Where.WIRE) b.host(r.nextBoolean() ? "sender" : "peer");
      b.direction(Fault.Direction.values()[r.nextInt(3)]);
      if (k.usesProbability()) b.probability(0.001 + r.nextDouble() * 0.2);
      b.delay(MS * (1 + r.nextLong(30))).jitter(r.nextLong(5 * MS));
      b.gilbertElliott(r.nextDouble() * 0.05, 0.1 + r.nextDouble() * 0.5, 0, 0.5 + r.nextDouble() * 0.5);
      b.answerCn(r.nextBoolean());
      if (r.nextInt(3) == 0) b.connections(r.nextInt(connections));
      if (k == FaultKind.MEM_PRESSURE) {
        long max = 4 + r.nextLong(60);
        b.tcpMem(max / 2, max * 3 / 4, max);
      }
      faults[i] = b;
    }
    return plan(faults);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomPlan_tinyRun_zeroInvariantViolations(long seed) {
    RunConfig cfg = small(2, 256 << 10, seed);
    FaultPlan p = randomPlan(seed, 2);
    RunResult r = run(cfg, p);
    List<String> why = new ArrayList<>(r.invariantViolations());
    assertThat(why).as("plan %s%ntimeline %s", p.faults(), timeline(r)).isEmpty();
    assertThat(r.connectionStats()).allSatisfy(c -> {
      if (c.error() == null) assertThat(c.bytesReceivedByPeer()).isEqualTo(256 << 10);
    });
  }
}
