package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sendpath.actors.run.RunConfig;
import io.sendpath.protocol.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioTest {

  @TempDir
  Path tmp;

  private Path file(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static Scenario.Setting set(String key, String value) {
    return new Scenario.Setting(key, value, "--set");
  }

  @Test
  void embeddedDefault_noFile_isTheDefaultExperiment() throws Exception {
    RunConfig cfg = Scenario.load(null, List.of()).runConfig();
    RunConfig want = RunConfig.defaults();

    assertThat(cfg.connections()).isEqualTo(1000).isEqualTo(want.connections());
    assertThat(cfg.bytesPerConnection()).isEqualTo(1L << 20).isEqualTo(want.bytesPerConnection());
    assertThat(cfg.writeSize()).isEqualTo(want.writeSize());
    assertThat(cfg.linkRateBps()).isEqualTo(10_000_000_000L).isEqualTo(want.linkRateBps());
    assertThat(cfg.linkDelayNs()).isEqualTo(5_000_000L).isEqualTo(want.linkDelayNs());
    assertThat(cfg.mtu()).isEqualTo(want.mtu());
    assertThat(cfg.startJitterNs()).isEqualTo(want.startJitterNs());
    assertThat(cfg.seed()).isEqualTo(want.seed());
    assertThat(cfg.txRingSize()).isEqualTo(want.txRingSize());
    assertThat(cfg.tso()).isEqualTo(want.tso());
    assertThat(cfg.txCsumOffload()).isEqualTo(want.txCsumOffload());
    assertThat(cfg.workerThreads()).isEqualTo(want.workerThreads());
    assertThat(cfg.maxSimulatedNs()).isEqualTo(want.maxSimulatedNs());
    assertThat(cfg.sysctls().asMap()).isEqualTo(Sysctls.linuxDefaults().asMap());
    assertThat(cfg.sysctls().get("tcp_congestion_control")).isEqualTo("cubic");
  }

  @Test
  void file_setsSomeKeys_othersKeepDefaults() throws Exception {
    Path f = file("small.conf", """
        connections = 10
        link { rate = 100Mbit, delay = 100us }
        sysctl.tcp_wmem = 4096 65536 8388608
        sysctl { tcp_autocorking = 0, neigh.unres_qlen_bytes = 65536 }
        nic.tso = off
        """);
    Scenario s = Scenario.load(f, List.of());
    RunConfig cfg = s.runConfig();

    assertThat(cfg.connections()).isEqualTo(10);
    assertThat(cfg.linkRateBps()).isEqualTo(100_000_000L);
    assertThat(cfg.linkDelayNs()).isEqualTo(100_000L);
    assertThat(cfg.mtu()).isEqualTo(1500);
    assertThat(cfg.tso()).isFalse();
    assertThat(cfg.sysctls().get("tcp_wmem")).isEqualTo("4096 65536 8388608");
    assertThat(cfg.sysctls().getLong("tcp_autocorking")).isZero();
    assertThat(cfg.sysctls().getLong("neigh.unres_qlen_bytes")).isEqualTo(65536);
    assertThat(cfg.sysctls().get("tcp_limit_output_bytes")).isEqualTo("4194304");
    assertThat(s.source()).isEqualTo(f.toString());
  }

  @Test
  void vectorSysctl_asList_isJoined() throws Exception {
    Path f = file("v.conf", "sysctl.tcp_rmem = [4096, 131072, 6291456]\n");
    assertThat(Scenario.load(f, List.of()).runConfig().sysctls().get("tcp_rmem")).isEqualTo("4096 131072 6291456");
  }

  @Test
  void settings_overrideFile_inOrder() throws Exception {
    Path f = file("o.conf", "connections = 10\nseed = 5\n");
    RunConfig cfg = Scenario.load(f, List.of(
        set("connections", "20"),
        set("link.rate", "1Gbps"),
        set("sysctl.tcp_congestion_control", "reno"),
        set("connections", "30"),
        new Scenario.Setting("seed", "99", "--seed"))).runConfig();

    assertThat(cfg.connections()).isEqualTo(30);
    assertThat(cfg.linkRateBps()).isEqualTo(1_000_000_000L);
    assertThat(cfg.sysctls().get("tcp_congestion_control")).isEqualTo("reno");
    assertThat(cfg.seed()).isEqualTo(99);
  }

  @ParameterizedTest
  @CsvSource({"1MiB, 1048576", "64KiB, 65536", "1048576, 1048576", "1M, 1048576", "1MB, 1000000", "0, 0"})
  void bytesPerConnection_sizes(String text, long bytes) throws Exception {
    assertThat(Scenario.load(null, List.of(set("bytes-per-connection", text))).runConfig().bytesPerConnection())
        .isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource({"5ms, 5000000", "100us, 100000", "1s, 1000000000", "250ns, 250", "7, 7000000"})
  void linkDelay_durations(String text, long ns) throws Exception {
    assertThat(Scenario.load(null, List.of(set("link.delay", text))).runConfig().linkDelayNs()).isEqualTo(ns);
  }

  @Test
  void effectiveSettings_listEveryKeyAndEverySysctl() throws Exception {
    Map<String, Object> eff = Scenario.load(null, List.of(set("sysctl.tcp_init_cwnd", "20"))).effectiveSettings();

    assertThat(eff).containsKeys("connections", "bytes-per-connection", "write-size", "link", "start-jitter", "seed",
        "nic", "threads", "max-simulated-time", "sysctl");
    assertThat(eff.get("link")).isEqualTo(Map.of("rate", "10Gbit", "delay", "5ms", "mtu", 1500));
    @SuppressWarnings("unchecked")
    Map<String, Object> sysctl = (Map<String, Object>) eff.get("sysctl");
    assertThat(sysctl.keySet()).containsExactlyElementsOf(Sysctls.defaults().keySet());
    assertThat(sysctl.get("tcp_init_cwnd")).isEqualTo(20L);
    assertThat(sysctl.get("tcp_wmem")).isEqualTo("4096 16384 4194304");
  }

  @Test
  void parseSet_withoutEquals_isRejected() {
    assertThatThrownBy(() -> Scenario.parseSet("link.rate"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("--set: 'link.rate' is not key=value (example: --set link.rate=1Gbit)");
  }

  @Test
  void parseSet_valueMayContainEquals() throws Exception {
    assertThat(Scenario.parseSet("a=b=c")).isEqualTo(new Scenario.Setting("a", "b=c", "--set"));
  }

  @Test
  void closest_findsTypos() {
    assertThat(Scenario.closest("link.rat", Scenario.KEYS)).isEqualTo("link.rate");
    assertThat(Scenario.closest("bandwidth", Scenario.KEYS)).isNull();
  }
}
