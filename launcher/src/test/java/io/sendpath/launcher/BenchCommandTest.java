package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sendpath.launcher.BenchReport.IdleRun;
import io.sendpath.launcher.BenchReport.Ns3Run;
import io.sendpath.launcher.BenchReport.SendpathRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** sendpath bench in-process: options, and the report, with fake child processes. */
class BenchCommandTest {

  @TempDir
  Path tmp;

  record Outcome(int status, String out, String err) {}

  /** Fake children: canned measurements; records what was asked. */
  final class FakeChildren implements BenchCommand.Children {
    final List<String> asked = new ArrayList<>();
    String javaOpts;
    /** Wall seconds of successive sendpath runs. */
    final double[] walls = {5.07, 5.32, 5.23, 50, 51, 49};
    int next;
    boolean idleFails;

    @Override
    public SendpathRun sendpath(int n, long bytes, List<String> sets, Path dir) {
      asked.add("sendpath " + n + " " + bytes + " " + sets);
      return new SendpathRun(n, walls[next++ % walls.length], 6.0, 2.033, 1_134_636L * n / 1000, 1_500_000, 900_000L * Math.max(1, n / 1000), 0, 0.5);
    }

    @Override
    public Ns3Run ns3(Path binary, int n, long bytes, int wallLimitSeconds, Path log) {
      asked.add("ns3 " + n + " " + bytes + " " + wallLimitSeconds);
      return n >= 10000
          ? new Ns3Run(n, 0, true, 300.2, 301, 0.4, 500_000, 9_000_000, 2900, 2_969_600, 0.4)
          : new Ns3Run(n, n, false, 60.58, 60.72, 1.956, 1_129_356, 9_000_000, 247, 252_928, 0.4);
    }

    @Override
    public IdleRun idle(int n, List<String> sets, Path log) throws IOException {
      asked.add("idle " + n);
      if (idleFails && n > 0) throw new IOException("exit status 137");
      return new IdleRun(n, n, 20_000_000L + 3_000L * n, 0, 200_000);
    }
  }

  final FakeChildren fake = new FakeChildren();

  private Outcome sendpath(String... args) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.addSubcommand("bench", new BenchCommand(opts -> { fake.javaOpts = opts; return fake; }, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
    CommandLine real = Main.commandLine((c, s, p) -> { throw new AssertionError("no run"); });
    cmd.setParameterExceptionHandler(real.getParameterExceptionHandler());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Outcome(cmd.execute(args), out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--sizes 10x          | sendpath: --sizes: '10x' is not a whole number (example: --sizes 1000,10000)",
      "--sizes 1000,0       | sendpath: --sizes: '0' must be at least 1 (example: --sizes 1000,10000)",
      "--idle none          | sendpath: --idle: 'none' is not a whole number (example: --idle 1000,10000)",
      "--bytes lots         | sendpath: --bytes: 'lots' is not a size (examples: 1MiB, 64KiB, 1048576)",
      "--bytes 0            | sendpath: --bytes: '0' must be at least 1 byte",
      "--repeat 0           | sendpath: --repeat: '0' is not a whole number of at least 1",
      "--ns3-wall-limit 5m  | sendpath: --ns3-wall-limit: '5m' is not a whole number of at least 1",
      "--ns3 /no/such/ns3   | sendpath: --ns3: '/no/such/ns3' is not an executable file (build it: ../shared/bench/ns3/build.sh /tmp/ns3-bench)",
      "--ns3-sizes 1e3      | sendpath: --ns3-sizes: '1e3' is not a whole number (example: --ns3-sizes 1000,10000)",
      "--set link.rat=1Gbit | sendpath: --set: link.rat: unknown key (did you mean link.rate?)"})
  void badOption_oneLine_status2_nothingRuns(String args, String message) {
    Outcome o = sendpath(("bench --out " + tmp.resolve("r") + " " + args.trim()).split(" "));
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err().strip()).isEqualTo(message.trim());
    assertThat(fake.asked).isEmpty();
    assertThat(o.out()).isEmpty();
  }

  @Test
  void unknownOption_oneLine_status2() {
    Outcome o = sendpath("bench", "--frobnicate");
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err().strip().split("\n")).hasSize(1);
    assertThat(o.err()).startsWith("sendpath: Unknown option: '--frobnicate'");
  }

  @Test
  void outIsAFile_status2() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Outcome o = sendpath("bench", "--no-ns3", "--sizes", "10", "--out", file.toString());
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).startsWith("sendpath: --out: cannot use '" + file + "'");
  }

  @Test
  void sizesRepeatedAndNs3_medianTableWithRatios_reportFilesWritten() throws IOException {
    Path ns3 = Files.writeString(tmp.resolve("tcp-manyflow"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(ns3, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path dir = tmp.resolve("report");
    Outcome o = sendpath("bench", "--sizes", "1000,10000", "--repeat", "3", "--bytes", "64KiB", "--ns3", ns3.toString(),
        "--ns3-sizes", "1000,10000", "--ns3-wall-limit", "300", "--set", "threads=1", "--java-opts", "-Xmx2g", "--out", dir.toString());
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(fake.javaOpts).isEqualTo("-Xmx2g");
    assertThat(fake.asked).containsExactly(
        "sendpath 1000 65536 [threads=1]", "sendpath 1000 65536 [threads=1]", "sendpath 1000 65536 [threads=1]",
        "sendpath 10000 65536 [threads=1]", "sendpath 10000 65536 [threads=1]", "sendpath 10000 65536 [threads=1]",
        "ns3 1000 65536 300", "ns3 10000 65536 300");
    String md = Files.readString(dir.resolve("bench.md"));
    assertThat(o.out()).contains(md);
    assertThat(md).contains("| 1,000 | 5.230 (5.07 / 5.32 / 5.23) |").contains("| 11.6× |")
        .contains("| 10,000 | 50.000 (50.00 / 51.00 / 49.00) |").contains("| ≥ 6.0× |");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    assertThat(json.path("sendpath").get(0).path("median").path("wallSeconds").asDouble()).isEqualTo(5.23);
    assertThat(json.path("sendpath").get(1).path("runs")).hasSize(3);
    assertThat(json.path("ns3").get(1).path("wallLimitHit").asBoolean()).isTrue();
    assertThat(json.path("bytesPerConnection").asLong()).isEqualTo(65536);
    assertThat(o.err()).contains("bench: sendpath N=1000 run 1/3: wall 5.070 s");
  }

  @Test
  void threadsList_eachSizeAtEachCount_speedUpTable() throws IOException {
    Path dir = tmp.resolve("threads");
    Outcome o = sendpath("bench", "--no-ns3", "--sizes", "1000,10000", "--threads", "1,2", "--jfr", "--out", dir.toString());
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(fake.asked).containsExactly(
        "sendpath 1000 1048576 [threads=1]", "sendpath 10000 1048576 [threads=1]",
        "sendpath 1000 1048576 [threads=2]", "sendpath 10000 1048576 [threads=2]");
    assertThat(fake.javaOpts).endsWith(" " + BenchCommand.JFR_OPTION);
    String md = Files.readString(dir.resolve("bench.md"));
    // walls 5.07 and 5.32 at one thread, 5.23 and 50 at two
    assertThat(md).contains("sendpath with threads = 2:")
        .contains("| N | wall s, 1 thread | wall s, 2 threads | speed-up 1 → 2 |")
        .contains("| 1,000 | 5.070 | 5.230 | 0.97× |")
        .contains("| 10,000 | 5.320 | 50.000 | 0.11× |");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    assertThat(json.path("sendpath")).hasSize(4);
    assertThat(json.path("sendpath").get(2).path("threads").asInt()).isEqualTo(2);
    assertThat(o.err()).contains("bench: sendpath N=1000 threads=2 run 1/1");
  }

  @Test
  void threadsAndSetThreads_rejected() {
    Outcome o = sendpath("bench", "--no-ns3", "--sizes", "10", "--threads", "1,2", "--set", "threads=4", "--out", tmp.resolve("x").toString());
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err().strip()).isEqualTo("sendpath: --threads and --set threads=... both name thread counts: use one");
    assertThat(fake.asked).isEmpty();
  }

  @Test
  void idleAlone_baselineFirst_perConnectionHeap() throws IOException {
    Path dir = tmp.resolve("idle");
    Outcome o = sendpath("bench", "--idle", "10000,100000", "--out", dir.toString());
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(fake.asked).containsExactly("idle 0", "idle 10000", "idle 100000");
    assertThat(o.out()).contains("| 10,000 | 10,000 | 48 | 19 | 3,000 B | 195 |");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    assertThat(json.path("idle").get(1).path("bytesPerConnection").asLong()).isEqualTo(3000);
  }

  @Test
  void childFails_restIsReported_status3() throws IOException {
    fake.idleFails = true;
    Path dir = tmp.resolve("fail");
    Outcome o = sendpath("bench", "--no-ns3", "--sizes", "1000", "--idle", "10000", "--out", dir.toString());
    assertThat(o.status()).isEqualTo(3);
    assertThat(o.err()).contains("sendpath: bench: idle N=10000 failed: exit status 137");
    assertThat(Files.readString(dir.resolve("bench.md"))).contains("| 1,000 | 5.070 |").contains("- idle N=10000: exit status 137");
  }
}
