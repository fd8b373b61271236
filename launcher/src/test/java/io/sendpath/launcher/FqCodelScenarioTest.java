package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.actors.run.ConnStats;
import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunResult;
import io.sendpath.actors.run.Simulation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sysctl.default_qdisc = fq_codel against pfifo_fast: 300 connections of 64 KiB starting within
 * 1 ms on one 1 Gbit/s link. With fq_codel every SYN lands in a bucket of its own flow on
 * new_flows and leaves ahead of the bulk backlog, so every connection completes.
 */
class FqCodelScenarioTest {

  static RunResult run(String qdisc) throws Exception {
    Scenario s = Scenario.load(null, List.of(
        new Scenario.Setting("connections", "300", "--set"),
        new Scenario.Setting("bytes-per-connection", "64KiB", "--set"),
        new Scenario.Setting("start-jitter", "1ms", "--set"),
        new Scenario.Setting("link.rate", "1Gbit", "--set"),
        new Scenario.Setting("sysctl.default_qdisc", qdisc, "--set")));
    return Simulation.run(s.runConfig(), null, ProgressListener.NONE);
  }

  static String summary(String qdisc, RunResult r) {
    long errors = r.connectionStats().stream().filter(c -> c.error() != null).count();
    long synRto = r.connectionStats().stream().filter(c -> c.rtoCount() > 0).count();
    long last = r.connectionStats().stream().mapToLong(ConnStats::finishNs).max().orElse(0);
    long retrans = r.connectionStats().stream().mapToLong(ConnStats::bytesRetrans).sum();
    return qdisc + ": errors " + errors + ", connections with an RTO " + synRto + ", last finish " + last / 1_000_000
        + " ms, bytes retransmitted " + retrans + ", sender counters " + r.counters().entrySet().stream()
            .filter(e -> e.getKey().contains("qdisc.")).toList();
  }

  @Test
  void manyConnections_fqCodel_everyConnectionCompletes_invariantsHold() throws Exception {
    RunResult fq = run("fq_codel");
    RunResult fifo = run("pfifo_fast");
    String both = summary("fq_codel", fq) + "\n" + summary("pfifo_fast", fifo);
    System.out.println(both);
    assertThat(fq.invariantViolations()).as(both).isEmpty();
    assertThat(fq.connectionStats()).as(both).hasSize(300).allSatisfy(c -> {
      assertThat(c.error()).isNull();
      assertThat(c.bytesReceivedByPeer()).isEqualTo(64L * 1024);
    });
    assertThat(fq.counters()).as(both).containsKey("qdisc.new_flow_count");
    assertThat(fq.counters().get("qdisc.new_flow_count")).as(both).isPositive();
    // pfifo_fast is not fq_codel: its counters carry no fq_codel xstats
    assertThat(fifo.counters()).doesNotContainKey("qdisc.new_flow_count");
    assertThat(fifo.invariantViolations()).as(both).isEmpty();
  }
}
