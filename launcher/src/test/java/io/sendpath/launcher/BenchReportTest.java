package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sendpath.launcher.BenchReport.IdleRun;
import io.sendpath.launcher.BenchReport.Ns3Run;
import io.sendpath.launcher.BenchReport.SendpathMedian;
import io.sendpath.launcher.BenchReport.SendpathRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure half of sendpath bench: ns-3 RESULT lines, /proc status, lists, medians, tables. */
class BenchReportTest {

  /** What tcp-manyflow --nFlows=10 printed on our machine (PROGRESS lines included). */
  static final List<String> NS3_OUTPUT = List.of(
      "PROGRESS sim_s=0.100 wall_s=0.2 completed=0 A_dataPkts=7250 events=30000",
      "RESULT wallLimitHit=0",
      "RESULT nFlows=10 completed=10 simEnd_s=0.077080 runWall_s=0.184 setupWall_s=0.010 destroyWall_s=0.001 events=32742",
      "RESULT A->B: pkts=7270 dataPkts=7250 (min needed 7250, excess 0) bytes=10878380 payloadBytes=0 maxPktSize=1502",
      "RESULT B->A: pkts=3648 dataPkts=0 bytes=197032",
      "RESULT drops: qdiscA=0 qdiscB=0 devQueueA=0 sinkRxBytes=10485760",
      "RESULT fct_abs_s: p50=0.076484 p90=0.077056 p99=0.077056 max=0.077080",
      "RESULT rates: allPkts_per_wall_s=59390 dataPkts_per_wall_s=39437 events_per_wall_s=178105 peakRssAfterRun_MiB=21.5");

  @Test
  void ns3Results_labelledLines_keysCarryTheLabel() {
    Map<String, String> r = BenchReport.ns3Results(NS3_OUTPUT);
    assertThat(r).containsEntry("A->B.pkts", "7270").containsEntry("B->A.pkts", "3648")
        .containsEntry("nFlows", "10").containsEntry("runWall_s", "0.184")
        .containsEntry("rates.peakRssAfterRun_MiB", "21.5").containsEntry("drops.qdiscA", "0");
    assertThat(r).doesNotContainKey("sim_s"); // PROGRESS lines are not results
  }

  @Test
  void ns3Run_realOutput_fieldsAndFrames() {
    Ns3Run run = BenchReport.ns3Run(NS3_OUTPUT, 22_000, 0.4, 1.5);
    assertThat(run.flows()).isEqualTo(10);
    assertThat(run.completed()).isEqualTo(10);
    assertThat(run.wallLimitHit()).isFalse();
    assertThat(run.runWallSeconds()).isEqualTo(0.184);
    assertThat(run.simEndSeconds()).isEqualTo(0.077080);
    assertThat(run.frames()).isEqualTo(7270 + 3648);
    assertThat(run.events()).isEqualTo(32742);
    assertThat(run.peakRssAfterRunMiB()).isEqualTo(21.5);
    assertThat(run.framesPerWallSecond()).isEqualTo((7270 + 3648) / 0.184);
  }

  @Test
  void ns3Run_wallLimitHit_isRead() {
    List<String> lines = NS3_OUTPUT.stream().map(l -> l.replace("wallLimitHit=0", "wallLimitHit=1")
        .replace("completed=10", "completed=3")).toList();
    Ns3Run run = BenchReport.ns3Run(lines, 0, 0, 0);
    assertThat(run.wallLimitHit()).isTrue();
    assertThat(run.completed()).isEqualTo(3);
  }

  @Test
  void ns3Run_crashedBeforeTheRatesLine_namesTheMissingField() {
    List<String> cut = NS3_OUTPUT.subList(0, NS3_OUTPUT.size() - 1);
    assertThatThrownBy(() -> BenchReport.ns3Run(cut, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ns-3 printed no RESULT rates.peakRssAfterRun_MiB");
  }

  @Test
  void ns3Run_garbledNumber_isNamed() {
    List<String> bad = NS3_OUTPUT.stream().map(l -> l.replace("runWall_s=0.184", "runWall_s=fast")).toList();
    assertThatThrownBy(() -> BenchReport.ns3Run(bad, 0, 0, 0)).hasMessage("ns-3 RESULT runWall_s=fast is not a number");
  }

  @Test
  void vmHwm_fromProcStatus() {
    String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  906240 kB\nVmRSS:\t  800000 kB\n";
    assertThat(BenchReport.vmHwmKiB(status)).isEqualTo(906240);
    assertThat(BenchReport.vmHwmKiB("Name:\tjava\nState:\tZ (zombie)\n")).isEqualTo(-1);
  }

  @Test
  void positiveInts_listsAndMistakes() {
    assertThat(BenchReport.positiveInts("1000,10000, 100_000")).containsExactly(1000, 10000, 100000);
    assertThatThrownBy(() -> BenchReport.positiveInts("1000,ten")).hasMessage("'ten' is not a whole number");
    assertThatThrownBy(() -> BenchReport.positiveInts("0")).hasMessage("'0' must be at least 1");
    assertThatThrownBy(() -> BenchReport.positiveInts("1000,")).hasMessage("'' is not a whole number");
    assertThatThrownBy(() -> BenchReport.positiveInts(" ")).hasMessage("is empty");
  }

  @Test
  void median_oddAndEvenCounts() {
    assertThat(BenchReport.median(new double[] {5.3, 5.0, 5.2})).isEqualTo(5.2);
    assertThat(BenchReport.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(BenchReport.median(new double[0])).isNaN();
  }

  static SendpathRun run(int n, double wall, long rssKiB) {
    return new SendpathRun(n, wall, wall + 0.6, 2.033, 1_134_636, 1_500_000, rssKiB, 0, 0.5);
  }

  @Test
  void medianOf_threeRuns_takesTheMiddleOfEach() {
    SendpathMedian m = BenchReport.medianOf(List.of(run(1000, 5.07, 900_000), run(1000, 5.32, 880_000), run(1000, 5.23, 890_000)));
    assertThat(m.wallSeconds()).isEqualTo(5.23);
    assertThat(m.peakRssKiB()).isEqualTo(890_000);
    assertThat(m.bytesPerConnection()).isEqualTo(890_000L * 1024 / 1000);
    assertThat(m.framesPerWallSecond()).isEqualTo(1_134_636 / 5.23);
  }

  @Test
  void scaleTable_sideBySide_ratiosAndLowerBoundAtTheWallLimit() {
    SendpathMedian at1k = BenchReport.medianOf(List.of(run(1000, 5.07, 900_000), run(1000, 5.32, 880_000), run(1000, 5.23, 890_000)));
    SendpathMedian at10k = BenchReport.medianOf(List.of(run(10000, 50.0, 4_000_000)));
    Ns3Run ns1k = new Ns3Run(1000, 1000, false, 60.58, 60.72, 1.956, 1_129_356, 9_000_000, 247.0, 252_928, 0.4);
    Ns3Run ns10k = new Ns3Run(10000, 0, true, 300.2, 301.0, 0.4, 500_000, 9_000_000, 2900.0, 2_969_600, 0.4);
    String table = BenchReport.scaleTable(List.of(at10k, at1k), List.of(ns10k, ns1k));
    List<String> rows = List.of(table.split("\n"));
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).startsWith("| N | sendpath wall s (runs) |").endsWith("| rate ratio sendpath / ns-3 |");
    assertThat(rows.get(2)).startsWith("| 1,000 | 5.230 (5.07 / 5.32 / 5.23) | 2.033 | 1,134,636 | 216,948 | 869 | 890 KiB | 60.580 | 1.956 | 1,000 / 1,000 |")
        .contains("| 11.6× |");
    assertThat(rows.get(3)).startsWith("| 10,000 | 50.000 | ").contains("300.200 (wall limit)").contains("| 0 / 10,000 |")
        .contains("| ≥ 6.0× |");
  }

  @Test
  void scaleTable_sizeOnlyOneSideRan_dashesAndNoRatio() {
    String table = BenchReport.scaleTable(List.of(BenchReport.medianOf(List.of(run(100000, 400, 9_000_000)))), List.of());
    assertThat(table.split("\n")[2]).endsWith("| — | — | — | — | — | — | — |");
  }

  @Test
  void idleTable_perConnectionIsTheDifferenceFromTheBaseline() {
    IdleRun r = new IdleRun(10000, 10000, 15L * 1024 * 1024 + 10000L * 3000, 15L * 1024 * 1024, 300_000);
    assertThat(r.bytesPerConnection()).isEqualTo(3000);
    String row = BenchReport.idleTable(List.of(r)).split("\n")[2];
    assertThat(row).isEqualTo("| 10,000 | 10,000 | 44 | 15 | 3,000 B | 293 |");
  }
}
