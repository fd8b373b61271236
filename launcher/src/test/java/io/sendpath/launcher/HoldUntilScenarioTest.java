package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenario key hold-until (idle connections held open until a virtual time). */
class HoldUntilScenarioTest {

  @Test
  void default_noHold() throws Exception {
    Scenario s = Scenario.load(null, List.of());
    assertThat(s.runConfig().holdUntilNs()).isZero();
    assertThat(s.effectiveSettings()).containsEntry("hold-until", "0ns");
  }

  @Test
  void set_duration_reachesTheRunConfig() throws Exception {
    Scenario s = Scenario.load(null, List.of(new Scenario.Setting("hold-until", "30s", "--set"),
        new Scenario.Setting("bytes-per-connection", "0", "--set")));
    assertThat(s.runConfig().holdUntilNs()).isEqualTo(30_000_000_000L);
    assertThat(s.runConfig().bytesPerConnection()).isZero();
    assertThat(s.effectiveSettings()).containsEntry("hold-until", "30s");
  }

  @Test
  void negative_isRejectedInOneLine() {
    assertThatThrownBy(() -> Scenario.load(null, List.of(new Scenario.Setting("hold-until", "-1s", "--set"))))
        .isInstanceOf(ScenarioException.class).hasMessage("--set: hold-until: '-1s' must not be negative");
  }
}
