package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sendpath.actors.run.ConnStats;
import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.actors.run.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** socket.sndbuf / socket.notsent-lowat / socket.user-timeout: setsockopt() on every connection. */
class SocketOptionsScenarioTest {

  static Scenario.Setting set(String key, String value) {
    return new Scenario.Setting(key, value, "--set");
  }

  @Test
  void defaults_setNoOption() throws Exception {
    assertThat(Scenario.load(null, List.of()).runConfig().socket()).isEqualTo(RunConfig.SocketOptions.NONE);
  }

  @Test
  void keys_reachTheRunConfig() throws Exception {
    RunConfig cfg = Scenario.load(null, List.of(set("socket.sndbuf", "32KiB"), set("socket.notsent-lowat", "128KiB"),
        set("socket.user-timeout", "30s"))).runConfig();
    assertThat(cfg.socket()).isEqualTo(new RunConfig.SocketOptions(32 * 1024, 128 * 1024, 30_000));
  }

  @Test
  void userTimeout_notWholeMilliseconds_isRejectedWithItsKey() {
    assertThatThrownBy(() -> Scenario.load(null, List.of(set("socket.user-timeout", "1500us"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("socket.user-timeout")
        .hasMessageContaining("whole milliseconds");
  }

  @Test
  void sndbuf_notASize_isRejectedWithItsKey() {
    assertThatThrownBy(() -> Scenario.load(null, List.of(set("socket.sndbuf", "lots"))))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("socket.sndbuf")
        .hasMessageContaining("is not a size");
  }

  static RunResult run(String... extra) throws Exception {
    List<Scenario.Setting> s = new ArrayList<>(List.of(set("connections", "2"), set("bytes-per-connection", "4MiB"),
        set("link.rate", "1Gbit"), set("start-jitter", "0s")));
    for (int i = 0; i < extra.length; i += 2) s.add(set(extra[i], extra[i + 1]));
    return Simulation.run(Scenario.load(null, s).runConfig(), null, ProgressListener.NONE);
  }

  static long maxWmemQueued(RunResult r) {
    return r.connectionStats().stream().mapToLong(ConnStats::maxWmemQueued).max().orElse(0);
  }

  @Test
  void sndbuf_locksTheSendBuffer_writerWaitsAndQueuesFarLessThanAutotuned() throws Exception {
    RunResult locked = run("socket.sndbuf", "32KiB");
    RunResult autotuned = run();
    String both = "SO_SNDBUF 32 KiB: max sk_wmem_queued " + maxWmemQueued(locked) + "; autotuned: " + maxWmemQueued(autotuned);
    assertThat(locked.invariantViolations()).as(both).isEmpty();
    assertThat(locked.connectionStats()).as(both).allSatisfy(c -> {
      assertThat(c.bytesReceivedByPeer()).isEqualTo(4L << 20);
      assertThat(c.sndbufWaits()).isGreaterThan(autotuned.connectionStats().get(0).sndbufWaits());
    });
    // sk_wmem_queued overshoots the doubled 64 KiB (README, socket.sndbuf): tcp_sendmsg_locked()
    // tops up the write-queue tail after tcp_push_one() split it, without sk_stream_memory_free();
    // Linux 6.18 does the same (TcpSocketSndbufTest pins its numbers, measured with packetdrill);
    // over a whole scenario only the comparison with autotuning is asserted.
    assertThat(maxWmemQueued(autotuned)).as(both).isGreaterThan(10 * maxWmemQueued(locked));
  }
}
