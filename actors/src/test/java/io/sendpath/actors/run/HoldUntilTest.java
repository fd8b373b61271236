package io.sendpath.actors.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.fault.FaultPlan;
import io.sendpath.protocol.Sysctls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RunConfig.holdUntilNs: connections that have written everything stay open, idle, until the hold ends. */
class HoldUntilTest {
  static final long S = 1_000_000_000L;

  static RunConfig idle(int conns, long holdUntilNs, long horizonNs) {
    return new RunConfig(conns, 0, 16384, 1_000_000_000L, 1_000_000L, 1500, 1_000_000, 3,
        RunConfig.defaults().txRingSize(), true, true, 1, horizonNs, Sysctls.linuxDefaults(), FaultPlan.NONE, holdUntilNs);
  }

  @Test
  void zeroBytes_holdUntil3s_connectionsCloseAtTheHoldWithNoViolations() {
    RunResult r = Simulation.run(idle(5, 3 * S, 60 * S), null, ProgressListener.NONE);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.connectionStats()).hasSize(5).allSatisfy(c -> {
      assertThat(c.startNs()).isLessThan(S);
      assertThat(c.finishNs()).isGreaterThanOrEqualTo(3 * S);
      assertThat(c.state()).isIn("TCP_TIME_WAIT", "TCP_CLOSE");
      assertThat(c.error()).isNull();
    });
    assertThat(r.simulatedSeconds()).isGreaterThanOrEqualTo(3.0);
  }

  @Test
  void zeroBytes_noHold_connectionsCloseRightAfterTheHandshake() {
    RunResult r = Simulation.run(idle(5, 0, 60 * S), null, ProgressListener.NONE);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.connectionStats()).allSatisfy(c -> assertThat(c.finishNs()).isLessThan(S));
  }

  @Test
  void horizonBeforeTheHold_clockStoppedOnce_withEveryConnectionEstablished() {
    List<Long> stoppedAt = new ArrayList<>();
    ProgressListener hook = new ProgressListener() {
      @Override
      public void progress(long bytesDelivered, long bytesTotal, long nowNs) {}

      @Override
      public void clockStopped(long nowNs) {
        stoppedAt.add(nowNs);
      }
    };
    RunResult r = Simulation.run(idle(8, 10 * S, 2 * S), null, hook);
    assertThat(stoppedAt).hasSize(1);
    assertThat(stoppedAt.get(0)).isLessThanOrEqualTo(2 * S);
    assertThat(r.connectionStats()).hasSize(8).allSatisfy(c -> assertThat(c.state()).isEqualTo("TCP_ESTABLISHED"));
    // the run was cut at its horizon on purpose: the check says so
    assertThat(r.invariantViolations()).anySatisfy(v -> assertThat(v).contains("horizon"));
  }
}
