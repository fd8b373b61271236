package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultPlanParserTest {

  @TempDir
  Path tmp;

  private Path file(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void scenarioFaults_everyKey_reachesThePlan() throws Exception {
    Path f = file("s.conf", """
        connections = 4
        faults = [
          { kind = link-down, at = 1s, for = 2s }
          { kind = loss, direction = to-peer, probability = 0.01, connections = [3, 0] }
          { kind = burst-loss, p = 0.02, r = 0.25, loss-bad = 0.9 }
          { kind = delay, delay = 20ms, jitter = 5ms, at = 2s, for = 1s, every = 5s }
          { kind = qdisc-drop, host = sender, probability = 0.05, answer = cn }
          { kind = peer-reset, where = peer, at = 300ms, connections = [1] }
        ]
        """);
    FaultPlan plan = Scenario.load(f, List.of()).runConfig().faults();
    assertThat(plan.faults()).hasSize(6);
    Fault down = plan.faults().get(0);
    assertThat(down.kind()).isEqualTo(FaultKind.LINK_DOWN);
    assertThat(down.atNs()).isEqualTo(1_000_000_000L);
    assertThat(down.durationNs()).isEqualTo(2_000_000_000L);
    Fault loss = plan.faults().get(1);
    assertThat(loss.direction()).isEqualTo(Fault.Direction.TO_PEER);
    assertThat(loss.probability()).isEqualTo(0.01);
    assertThat(loss.connections()).containsExactly(0, 3);
    assertThat(loss.durationNs()).isEqualTo(Fault.FOREVER);
    Fault ge = plan.faults().get(2);
    assertThat(ge.geP()).isEqualTo(0.02);
    assertThat(ge.geR()).isEqualTo(0.25);
    assertThat(ge.geLossBad()).isEqualTo(0.9);
    Fault delay = plan.faults().get(3);
    assertThat(delay.delayNs()).isEqualTo(20_000_000L);
    assertThat(delay.jitterNs()).isEqualTo(5_000_000L);
    assertThat(delay.everyNs()).isEqualTo(5_000_000_000L);
    assertThat(plan.faults().get(4).answerCn()).isTrue();
    assertThat(plan.faults().get(5).host()).isEqualTo("peer");
  }

  @Test
  void effectiveScenario_listsTheFaults_andLoadsAgainToTheSamePlan() throws Exception {
    Path f = file("s.conf", """
        connections = 4
        faults = [
          { kind = reorder, probability = 0.1, delay = 3ms, at = 10ms, for = 20ms, every = 100ms }
          { kind = slow-tx-completion, host = peer, delay = 1ms, connections = [2] }
        ]
        """);
    Scenario s = Scenario.load(f, List.of());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> listed = (List<Map<String, Object>>) s.effectiveSettings().get("faults");
    assertThat(listed).hasSize(2);
    assertThat(listed.get(0)).containsEntry("kind", "reorder").containsEntry("delay", "3ms").containsEntry("every", "100ms");
    String again = "connections = 4\nfaults = " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(listed);
    assertThat(Scenario.load(file("again.conf", again), List.of()).runConfig().faults()).isEqualTo(s.runConfig().faults());
  }

  @Test
  void planFile_replacesTheScenarioFaults() throws Exception {
    Path s = file("s.conf", "connections = 2\nfaults = [ { kind = loss, probability = 0.5 } ]\n");
    Path plan = file("plan.conf", "faults = [ { kind = duplicate, probability = 0.2 } ]\n");
    FaultPlan p = Scenario.load(s, List.of(), plan).runConfig().faults();
    assertThat(p.faults()).singleElement().extracting(Fault::kind).isEqualTo(FaultKind.DUPLICATE);
  }

  @Test
  void memPressure_tcpMemInPages_asStringOrList() throws Exception {
    Path s = file("s.conf", "faults = [ { kind = mem-pressure, at = 1s, for = 2s, tcp-mem = \"64 96 128\" },\n"
        + "  { kind = mem-pressure, tcp-mem = [8, 8, 16] } ]\n");
    List<Fault> f = Scenario.load(s, List.of()).runConfig().faults().faults();
    assertThat(f.get(0).tcpMem()).containsExactly(64, 96, 128);
    assertThat(f.get(1).tcpMem()).containsExactly(8, 8, 16);
    assertThat(f.get(0).kind().where().scenarioName()).isEqualTo("memory");
  }

  @Test
  void noFaults_emptyPlan() throws Exception {
    assertThat(Scenario.load(null, List.of()).runConfig().faults().isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown kind|{ kind = los, probability = 0.1 }|s.conf:3: faults[0].kind: 'los' is not a fault kind (did you mean loss?)",
      "old spelling|{ kind = memory-pressure }|s.conf:3: faults[0].kind: 'memory-pressure' is spelled mem-pressure",
      "tcp-mem missing|{ kind = mem-pressure }|s.conf:3: faults[0]: a mem-pressure fault needs tcp-mem",
      "tcp-mem malformed|{ kind = mem-pressure, tcp-mem = \"64 96\" }|s.conf:3: faults[0].tcp-mem: '64 96' is not three page counts",
      "tcp-mem decreasing|{ kind = mem-pressure, tcp-mem = \"64 32 128\" }|s.conf:3: faults[0].tcp-mem: '64 32 128' must be non-negative and non-decreasing",
      "missing kind|{ probability = 0.1 }|s.conf:3: faults[0]: a fault needs a kind",
      "unknown key|{ kind = loss, probability = 0.1, probabilty = 2 }|s.conf:3: faults[0].probabilty: unknown key for a loss fault (did you mean probability?)",
      "key of another kind|{ kind = link-down, probability = 0.1 }|s.conf:3: faults[0].probability: unknown key for a link-down fault",
      "probability range|{ kind = loss, probability = 1.5 }|s.conf:3: faults[0].probability: '1.5' must be in (0, 1]",
      "probability missing|{ kind = duplicate }|s.conf:3: faults[0]: a duplicate fault needs a probability",
      "delay missing|{ kind = delay }|s.conf:3: faults[0]: a delay fault needs a delay",
      "bad duration|{ kind = link-down, at = soon }|s.conf:3: faults[0].at: 'soon' is not a duration",
      "for not under every|{ kind = link-down, for = 2s, every = 1s }|s.conf:3: faults[0].for: '2s' must be shorter than every (1s)",
      "every too short|{ kind = link-down, for = 1us, every = 10us }|s.conf:3: faults[0].every: '10us' must be at least 1ms",
      "connection out of range|{ kind = peer-reset, connections = [0, 9] }|s.conf:3: faults[0].connections: '9' is not a connection of this run (0..3)",
      "bad host|{ kind = qdisc-drop, probability = 0.1, host = router }|s.conf:3: faults[0].host: 'router' is not a host (sender or peer)",
      "bad direction|{ kind = loss, probability = 0.1, direction = up }|s.conf:3: faults[0].direction: 'up' is not a direction (to-peer, to-sender, both)",
      "where mismatch|{ kind = loss, probability = 0.1, where = nic }|s.conf:3: faults[0].where: 'nic' does not match kind loss, which acts at the wire",
      "bad answer|{ kind = qdisc-drop, probability = 0.1, answer = maybe }|s.conf:3: faults[0].answer: 'maybe' is not an answer",
  })
  void badFault_oneLine_namesFileLineKeyValue(String what, String fault, String expectedStart) throws Exception {
    Path f = file("s.conf", "connections = 4\nfaults = [\n  " + fault + "\n]\n");
    assertThatThrownBy(() -> Scenario.load(f, List.of()))
        .isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith(tmp.resolve(expectedStart.substring(0, expectedStart.indexOf(':'))) + expectedStart.substring(expectedStart.indexOf(':'))));
  }

  @Test
  void faultsNotAList_rejected() throws Exception {
    Path f = file("s.conf", "faults = loss\n");
    assertThatThrownBy(() -> Scenario.load(f, List.of()))
        .hasMessageStartingWith(f + ":1: faults: 'loss' is not a list of faults");
  }

  @Test
  void planFile_otherKey_rejected() throws Exception {
    Path plan = file("plan.conf", "faults = []\nconnections = 3\n");
    assertThatThrownBy(() -> Scenario.load(null, List.of(), plan))
        .hasMessageStartingWith(plan + ":2: connections: unknown key in a fault plan file");
  }

  @Test
  void planFile_missing_rejected() {
    Path plan = tmp.resolve("nope.conf");
    assertThatThrownBy(() -> Scenario.load(null, List.of(), plan)).hasMessage(plan + ": no such scenario file");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"link-flap.conf", "lossy-wire.conf", "peer-trouble.conf", "host-trouble.conf", "neigh-fail.conf"})
  void examplePlans_loadWithTheExampleScenario(String plan) throws Exception {
    Path dir = examplesDir();
    FaultPlan p = Scenario.load(dir.resolve("small.conf"), List.of(), dir.resolve(plan)).runConfig().faults();
    assertThat(p.faults()).isNotEmpty();
  }

  /** examples/faults/ at the top of the repository (tests run in launcher/). */
  static Path examplesDir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples/faults"))) return p.resolve("examples/faults");
    }
    throw new IllegalStateException("examples/faults not found above " + here);
  }
}
