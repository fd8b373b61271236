package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sendpath.actors.run.ConnStats;
import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.protocol.Sysctls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sendpath run in-process, with a fake simulation that returns hand-made results. */
class RunCommandTest {

  @TempDir
  Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  record Outcome(int status, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
  }

  /** Collects what the fake simulation was asked to run. */
  private final List<RunConfig> ran = new ArrayList<>();

  private Outcome sendpath(SimulationRunner runner, String... args) {
    CommandLine cmd = Main.commandLine(runner, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), () -> false);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int status = cmd.execute(args);
    return new Outcome(status, out.toString(), err.toString());
  }

  private Outcome sendpath(String... args) {
    return sendpath(this::fakeRun, args);
  }

  private RunResult fakeRun(RunConfig cfg, io.sendpath.protocol.wire.FrameSink sink, io.sendpath.actors.run.ProgressListener p) {
    ran.add(cfg);
    return result(List.of());
  }

  static ConnStats conn(long id, String error) {
    return new ConnStats(id, "10.0.0.1:" + (40000 + id), "10.0.0.2:5001", "CLOSED", 10 + (int) id, 2147483647,
        10_250, 125, 210_000, 10_000, 1448, 1_048_576, 1_048_576, 2896, 1_048_576, 726, 2, 0, 0,
        2_500_000_000L, 1_200_000_000L, 0, 0, 1, 1_000L * id, 30_000_000L + id, error, 131_072, 87_040, 3,
        30_000, 1_500, 700, 4, 9_000);
  }

  static RunResult result(List<String> violations) {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("TcpOutSegs", 1452L);
    counters.put("TcpRetransSegs", 2L);
    return new RunResult(2, 2_097_152, 2_097_152, 1452, 2, 0.031, 0.5, 99_000,
        List.of(conn(0, null), conn(1, "EPIPE: \"peer reset\"\nafter 3 probes")), counters, violations);
  }

  private Path writeFile(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  /** Bad input: status 2, exactly one line on stderr, nothing on stdout, no stack trace, no run. */
  private String rejected(Outcome o) {
    assertThat(o.status()).as("exit status; stderr: %s", o.err()).isEqualTo(2);
    assertThat(o.errLines()).as("stderr").hasSize(1);
    assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(o.out()).isEmpty();
    assertThat(ran).isEmpty();
    return o.errLines().get(0);
  }

  // ---------------------------------------------------------------------------------------------
  // bad input

  @Test
  void badRate_inFile_namesFileLineKeyAndValue() throws IOException {
    Path f = writeFile("my.conf", "connections = 10\n\nlink {\n  delay = 5ms\n\n\n  rate = \"10 Gbits\"\n}\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":7: link.rate: '10 Gbits' is not a rate (examples: 10Gbit, 100Mbit, 1000000000)");
  }

  @Test
  void typoKey_inFile_isUnknownWithSuggestion() throws IOException {
    Path f = writeFile("typo.conf", "connections = 10\nlink.rat = 1Gbit\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":2: link.rat: unknown key (did you mean link.rate?)");
  }

  @Test
  void unknownTopLevelKey_listsKnownKeys() throws IOException {
    Path f = writeFile("u.conf", "bandwidth = 1Gbit\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .startsWith("sendpath: " + f + ":1: bandwidth: unknown key (known keys: connections, ")
        .contains("sysctl.<name>");
  }

  @Test
  void unknownSysctl_isRejected() throws IOException {
    Path f = writeFile("s.conf", "sysctl {\n  tcp_wmen = 4096 16384 4194304\n}\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":2: sysctl.tcp_wmen: unknown sysctl 'tcp_wmen' (did you mean sysctl.tcp_wmem?)");
  }

  @Test
  void malformedSysctlValue_isRejectedWithSysctlsReason() throws IOException {
    Path f = writeFile("s.conf", "sysctl.tcp_wmem = 4096 16384\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":1: sysctl.tcp_wmem: '4096 16384' rejected: takes 3 integer(s), got '4096 16384'");
  }

  @Test
  void badCongestionControl_viaSet() {
    assertThat(rejected(sendpath("run", "--set", "sysctl.tcp_congestion_control=bbr")))
        .isEqualTo("sendpath: --set: sysctl.tcp_congestion_control: 'bbr' is not one of cubic, reno");
  }

  @Test
  void negativeCount_isRejected() throws IOException {
    Path f = writeFile("n.conf", "connections = -5\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":1: connections: '-5' must be at least 1");
  }

  @Test
  void wrongType_isRejected() throws IOException {
    Path f = writeFile("t.conf", "connections = many\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":1: connections: 'many' is not an integer");
  }

  @Test
  void fractionalCount_isRejected() {
    assertThat(rejected(sendpath("run", "--set", "nic.tx-ring=2.5")))
        .isEqualTo("sendpath: --set: nic.tx-ring: '2.5' is not an integer");
  }

  @Test
  void badSize_isRejected() throws IOException {
    Path f = writeFile("z.conf", "\nbytes-per-connection = 1 mebibyte-ish\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":2: bytes-per-connection: '1 mebibyte-ish' is not a size (examples: 1MiB, 64KiB, 1048576)");
  }

  @Test
  void badDuration_isRejected() {
    assertThat(rejected(sendpath("run", "--set", "link.delay=5 parsecs")))
        .isEqualTo("sendpath: --set: link.delay: '5 parsecs' is not a duration (examples: 5ms, 100us, 2s)");
  }

  @Test
  void negativeDuration_isRejected() {
    assertThat(rejected(sendpath("run", "--set", "start-jitter=-1ms")))
        .isEqualTo("sendpath: --set: start-jitter: '-1ms' must not be negative");
  }

  @Test
  void badBoolean_isRejected() {
    assertThat(rejected(sendpath("run", "--set", "nic.tso=maybe")))
        .isEqualTo("sendpath: --set: nic.tso: 'maybe' is not a boolean (true or false)");
  }

  @Test
  void mtuOutOfRange_isRejected() {
    assertThat(rejected(sendpath("run", "--set", "link.mtu=40")))
        .isEqualTo("sendpath: --set: link.mtu: '40' must be at least 68");
  }

  @Test
  void sectionGivenAValue_isRejected() throws IOException {
    Path f = writeFile("sec.conf", "link = 10Gbit\n");
    assertThat(rejected(sendpath("run", f.toString())))
        .isEqualTo("sendpath: " + f + ":1: link: '10Gbit' is not allowed here, link is a section (link.rate, link.delay, link.mtu)");
  }

  @Test
  void hoconSyntaxError_namesFileAndLine() throws IOException {
    Path f = writeFile("broken.conf", "connections = 10\nlink {\n  rate = 1Gbit\n  delay = [5ms\n}\n");
    String line = rejected(sendpath("run", f.toString()));
    assertThat(line).matches("sendpath: " + java.util.regex.Pattern.quote(f.toString()) + ":\\d+: .+");
  }

  @Test
  void unresolvedSubstitution_namesFileAndLine() throws IOException {
    Path f = writeFile("subst.conf", "connections = 10\nwrite-size = ${nowhere}\n");
    assertThat(rejected(sendpath("run", f.toString()))).startsWith("sendpath: " + f + ":2: ").contains("nowhere");
  }

  @Test
  void missingFile_isRejected() {
    Path f = tmp.resolve("absent.conf");
    assertThat(rejected(sendpath("run", f.toString()))).isEqualTo("sendpath: " + f + ": no such scenario file");
  }

  @Test
  void setWithoutEquals_isRejected() {
    assertThat(rejected(sendpath("run", "--set", "connections")))
        .isEqualTo("sendpath: --set: 'connections' is not key=value (example: --set link.rate=1Gbit)");
  }

  @Test
  void setUnknownKey_isRejected() {
    assertThat(rejected(sendpath("run", "--set", "conections=5")))
        .isEqualTo("sendpath: --set: conections: unknown key (did you mean connections?)");
  }

  @Test
  void unknownOption_isOneLine() {
    assertThat(rejected(sendpath("run", "--bogus"))).startsWith("sendpath: Unknown option: '--bogus'");
  }

  @Test
  void seedNotANumber_isOneLine() {
    assertThat(rejected(sendpath("run", "--seed", "abc"))).contains("--seed").contains("'abc'");
  }

  @Test
  void zeroThreads_isRejected() {
    assertThat(rejected(sendpath("run", "--threads", "0"))).isEqualTo("sendpath: --threads: threads: '0' must be at least 1");
  }

  @Test
  void unknownCommand_isOneLine() {
    assertThat(rejected(sendpath("fly"))).startsWith("sendpath: Unmatched argument at index 0: 'fly'");
  }

  @Test
  void outIsAFile_isRejected() throws IOException {
    Path f = writeFile("notadir", "x");
    assertThat(rejected(sendpath("run", "--out", f.toString())))
        .isEqualTo("sendpath: --out: '" + f + "' exists and is not a directory");
  }

  // ---------------------------------------------------------------------------------------------
  // overrides reach the simulation

  @Test
  void overrides_reachRunConfig() throws IOException {
    Path f = writeFile("o.conf", "connections = 7\nseed = 3\nthreads = 2\n");
    Outcome o = sendpath("run", f.toString(), "--set", "link.rate=1Gbit", "--set", "sysctl.tcp_limit_output_bytes=1048576",
        "--seed", "42", "--threads", "4", "--out", tmp.resolve("r").toString());

    assertThat(o.status()).as(o.err()).isZero();
    assertThat(ran).hasSize(1);
    RunConfig cfg = ran.get(0);
    assertThat(cfg.connections()).isEqualTo(7);
    assertThat(cfg.linkRateBps()).isEqualTo(1_000_000_000L);
    assertThat(cfg.sysctls().getLong("tcp_limit_output_bytes")).isEqualTo(1_048_576L);
    assertThat(cfg.seed()).isEqualTo(42);
    assertThat(cfg.workerThreads()).isEqualTo(4);
  }

  // ---------------------------------------------------------------------------------------------
  // outputs

  @Test
  void completedRun_writesSummaryAndConnections_exit0() throws IOException {
    Path dir = tmp.resolve("results");
    Outcome o = sendpath("run", "--out", dir.toString(), "--seed", "7");

    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.err()).isEmpty();
    assertThat(o.out()).contains("connections             2").contains("invariant violations    0")
        .contains("results                 " + dir).contains("speed");
    assertThat(dir.resolve("frames.pcap")).doesNotExist();

    JsonNode s = JSON.readTree(dir.resolve("summary.json").toFile());
    assertThat(s.get("connections").asInt()).isEqualTo(2);
    assertThat(s.get("bytesAccepted").asLong()).isEqualTo(2_097_152);
    assertThat(s.get("bytesDelivered").asLong()).isEqualTo(2_097_152);
    assertThat(s.get("framesEmitted").asLong()).isEqualTo(1452);
    assertThat(s.get("retransmittedSegments").asLong()).isEqualTo(2);
    assertThat(s.get("simulatedSeconds").asDouble()).isEqualTo(0.031);
    assertThat(s.get("wallSeconds").asDouble()).isEqualTo(0.5);
    assertThat(s.get("eventsDelivered").asLong()).isEqualTo(99_000);
    assertThat(s.get("invariantViolations").isArray()).isTrue();
    assertThat(s.get("invariantViolations")).isEmpty();
    assertThat(s.get("counters").get("TcpOutSegs").asLong()).isEqualTo(1452);
    assertThat(s.get("seed").asLong()).isEqualTo(7);
    JsonNode scenario = s.get("scenario");
    assertThat(scenario.get("connections").asInt()).isEqualTo(1000);
    assertThat(scenario.get("seed").asLong()).isEqualTo(7);
    assertThat(scenario.get("link").get("rate").asText()).isEqualTo("10Gbit");
    List<String> sysctlNames = new ArrayList<>();
    scenario.get("sysctl").fieldNames().forEachRemaining(sysctlNames::add);
    assertThat(sysctlNames).containsExactlyElementsOf(Sysctls.defaults().keySet());

    List<String> lines = Files.readAllLines(dir.resolve("connections.jsonl"));
    assertThat(lines).hasSize(2);
    JsonNode c0 = JSON.readTree(lines.get(0));
    JsonNode c1 = JSON.readTree(lines.get(1));
    assertThat(c0.get("id").asLong()).isZero();
    assertThat(c0.get("cwnd").asInt()).isEqualTo(10);
    assertThat(c0.get("ssthresh").asLong()).isEqualTo(2147483647L);
    assertThat(c0.get("srtt_us").asLong()).isEqualTo(10_250);
    assertThat(c0.get("rto_us").asLong()).isEqualTo(210_000);
    assertThat(c0.get("bytes_acked").asLong()).isEqualTo(1_048_576);
    assertThat(c0.get("retrans").asInt()).isEqualTo(2);
    assertThat(c0.get("error").isNull()).isTrue();
    assertThat(c1.get("cwnd").asInt()).isEqualTo(11);
    assertThat(c1.get("error").asText()).isEqualTo("EPIPE: \"peer reset\"\nafter 3 probes");
    assertThat(c1.size()).isEqualTo(ConnStats.class.getRecordComponents().length);
  }

  @Test
  void summaryScenario_feedsBackAsScenarioFile_sameSettings() throws Exception {
    Path dir = tmp.resolve("first");
    assertThat(sendpath("run", "--out", dir.toString(), "--set", "link.delay=1500us", "--set", "sysctl.tcp_rmem=1 2 3",
        "--set", "sysctl.neigh.ucast_solicit=5").status()).isZero();
    JsonNode scenario = JSON.readTree(dir.resolve("summary.json").toFile()).get("scenario");
    Path again = writeFile("again.json", JSON.writeValueAsString(scenario));

    Scenario reloaded = Scenario.load(again, List.of());
    assertThat(JSON.writeValueAsString(reloaded.effectiveSettings())).isEqualTo(JSON.writeValueAsString(scenario));
    assertThat(reloaded.runConfig().linkDelayNs()).isEqualTo(1_500_000L);
    assertThat(reloaded.runConfig().sysctls().getLong("neigh.ucast_solicit")).isEqualTo(5);
  }

  @Test
  void violations_exit1_andSaySo() throws IOException {
    Path dir = tmp.resolve("bad");
    Outcome o = sendpath((cfg, sink, p) -> result(List.of("conn 1: 12 bytes accepted but never delivered", "conn 2: skb leaked")),
        "run", "--out", dir.toString());

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.out()).contains("invariant violations    2");
    assertThat(o.err()).contains("2 invariant violation(s)").contains("conn 1: 12 bytes accepted but never delivered");
    JsonNode s = JSON.readTree(dir.resolve("summary.json").toFile());
    assertThat(s.get("invariantViolations")).hasSize(2);
    assertThat(s.get("invariantViolations").get(1).asText()).isEqualTo("conn 2: skb leaked");
  }

  @Test
  void existingDir_filesAreOverwritten_othersKept() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("reuse"));
    Files.writeString(dir.resolve("connections.jsonl"), "stale\nstale\nstale\n");
    Files.writeString(dir.resolve("notes.txt"), "mine");

    assertThat(sendpath("run", "--out", dir.toString()).status()).isZero();
    assertThat(Files.readAllLines(dir.resolve("connections.jsonl"))).hasSize(2).noneMatch(l -> l.equals("stale"));
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
  }

  @Test
  void defaultOutDir_isResultsTimestamp() {
    // the fixed clock says 1970-01-01 00:00:00 UTC; the run fails before any folder matters
    Outcome o = sendpath((cfg, sink, p) -> { throw new IllegalStateException("Simulation.run is being wired up"); }, "run");
    try {
      assertThat(o.status()).isEqualTo(3);
      assertThat(o.err()).startsWith("sendpath: the run failed: java.lang.IllegalStateException: Simulation.run is being wired up");
      assertThat(Path.of("results", "19700101-000000")).isDirectory();
    } finally {
      Path.of("results", "19700101-000000").toFile().delete();
      Path.of("results").toFile().delete();
    }
  }

  @Test
  void pcap_framesGoToFramesPcap() throws IOException {
    Path dir = tmp.resolve("pcap");
    byte[] frame = new byte[60];
    for (int i = 0; i < frame.length; i++) frame[i] = (byte) i;
    Outcome o = sendpath((cfg, sink, p) -> {
      assertThat(sink).isNotNull();
      sink.frame(1_500_000_123L, frame, 60);
      sink.frame(2_000_000_000L, frame, 54);
      return result(List.of());
    }, "run", "--pcap", "--out", dir.toString());

    assertThat(o.status()).as(o.err()).isZero();
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("frames.pcap"))).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.remaining()).isEqualTo(24 + 16 + 60 + 16 + 54);
    assertThat(b.getInt(0)).isEqualTo(0xa1b23c4d);
    assertThat(b.getShort(4)).isEqualTo((short) 2);
    assertThat(b.getShort(6)).isEqualTo((short) 4);
    assertThat(b.getInt(16)).isEqualTo(RunCommand.PCAP_SNAPLEN);
    assertThat(b.getInt(20)).isEqualTo(1);
    assertThat(b.getInt(24)).isEqualTo(1);
    assertThat(b.getInt(28)).isEqualTo(500_000_123);
    assertThat(b.getInt(32)).isEqualTo(60);
    assertThat(b.getInt(36)).isEqualTo(60);
    assertThat(b.get(40 + 59)).isEqualTo((byte) 59);
    assertThat(b.getInt(100)).isEqualTo(2);
    assertThat(b.getInt(104)).isZero();
    assertThat(b.getInt(108)).isEqualTo(54);
  }

  @Test
  void runnerSeesNoSinkWithoutPcap_andNoProgressWithoutConsole() {
    Outcome o = sendpath((cfg, sink, p) -> {
      assertThat(sink).isNull();
      assertThat(p).isSameAs(io.sendpath.actors.run.ProgressListener.NONE);
      return result(List.of());
    }, "run", "--out", tmp.resolve("q").toString());
    assertThat(o.status()).as(o.err()).isZero();
  }

  @Test
  void help_exit0() {
    Outcome o = sendpath("run", "--help");
    assertThat(o.status()).isZero();
    assertThat(o.out()).contains("--set").contains("overwritten").contains("Exit status");
  }

  @Test
  void noCommand_exit2() {
    Outcome o = sendpath();
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).startsWith("sendpath: missing command");
  }
}
