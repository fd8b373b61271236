package io.sendpath.launcher;

import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.protocol.wire.FrameSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sendpath run}: one experiment from a scenario, with progress, a summary and a results folder. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "Runs one experiment: connections from a sender host write to a peer host over one link, "
            + "through the emulated Linux 6.18 send path, in virtual time.",
        "Without SCENARIO.conf the embedded default runs: 1000 connections x 1 MiB over 10 Gbit/s, "
            + "5 ms one way, CUBIC, Linux 6.18 defaults."},
    footer = {
        "",
        "Scenario keys: connections, bytes-per-connection, write-size, link.rate, link.delay, link.mtu, "
            + "start-jitter, seed, nic.tx-ring, nic.tso, nic.tx-checksum-offload, threads, max-simulated-time, hold-until, "
            + "sysctl.<name> (tcp_wmem, tcp_limit_output_bytes, ...), faults = [ {kind = ..., at, for, every, ...} ].",
        "",
        "Results in DIR: summary.json, connections.jsonl, and frames.pcap with --pcap. DIR may already "
            + "exist: these files are then overwritten; any other file in it is left alone.",
        "",
        "Exit status: 0 the run completed and every invariant held; 1 invariant violations were found; "
            + "2 bad scenario or options; 3 the run itself failed (a bug: please report it)."})
final class RunCommand implements Callable<Integer> {
  /** Exit statuses, as the usage footer states them. */
  static final int EXIT_OK = 0;
  static final int EXIT_VIOLATIONS = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 3;

  /** pcap snap length: tcpdump's default, larger than any frame, so frames are kept whole. */
  static final int PCAP_SNAPLEN = 262144;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO.conf",
      description = "HOCON scenario; keys it leaves out keep the embedded default's values.")
  private Path scenarioFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one scenario key (repeatable), e.g. --set link.rate=1Gbit --set sysctl.tcp_autocorking=0.")
  private List<String> sets = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "Seed for every random choice (overrides the scenario's seed).")
  private Long seed;

  @Option(names = "--threads", paramLabel = "N", description = "Hosts (clock domains) running side by side: 1 or 2 (overrides 'threads'); the frames are the same either way.")
  private String threads;

  @Option(names = "--faults", paramLabel = "PLAN.conf",
      description = "Fault plan file (faults = [...]); replaces the scenario's faults. Samples in examples/faults/.")
  private Path faultsFile;

  @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: results/<yyyyMMdd-HHmmss>); created if missing.")
  private Path out;

  @Option(names = "--pcap", description = "Also write every frame on the wire to DIR/frames.pcap (nanosecond pcap).")
  private boolean pcap;

  @Option(names = "--no-progress", description = "No progress bar (there is none anyway when stdout is not a terminal).")
  private boolean noProgress;

  @Spec
  private CommandSpec spec;

  /** Runs the experiment; Simulation::run outside tests. */
  private final SimulationRunner runner;
  /** Names the default results folder. */
  private final Clock clock;
  /** True when a progress bar can redraw in place (System.console() != null). */
  private final BooleanSupplier interactive;

  RunCommand(SimulationRunner runner, Clock clock, BooleanSupplier interactive) {
    this.runner = runner;
    this.clock = clock;
    this.interactive = interactive;
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();

    Scenario scenario;
    try {
      scenario = Scenario.load(scenarioFile, settings(), faultsFile);
    } catch (ScenarioException e) {
      stderr.println("sendpath: " + e.getMessage());
      stderr.flush();
      return EXIT_USAGE;
    }
    RunConfig cfg = scenario.runConfig();

    Path dir = out != null ? out
        : Paths.get("results", LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      stderr.println("sendpath: --out: '" + dir + "' exists and is not a directory");
      stderr.flush();
      return EXIT_USAGE;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      stderr.println("sendpath: --out: cannot create '" + dir + "': " + e);
      stderr.flush();
      return EXIT_USAGE;
    }

    RunResult result;
    FrameSink sink = null;
    ConsoleProgress bar = null;
    try {
      if (pcap) sink = new io.sendpath.nic.PcapWriter(dir.resolve(ResultsWriter.PCAP), PCAP_SNAPLEN);
      ProgressListener progress = ProgressListener.NONE;
      if (!noProgress && interactive.getAsBoolean()) {
        bar = new ConsoleProgress(cfg.bytesPerConnection() * cfg.connections());
        progress = bar;
      }
      result = runner.run(cfg, sink, progress);
    } catch (RuntimeException e) {
      stderr.println("sendpath: the run failed: " + e);
      e.printStackTrace(stderr);
      stderr.flush();
      return EXIT_FAILED;
    } finally {
      if (bar != null) bar.close();
      if (sink != null) sink.close();
    }

    try {
      ResultsWriter.write(dir, scenario, result);
    } catch (IOException e) {
      stderr.println("sendpath: cannot write results to '" + dir + "': " + e);
      stderr.flush();
      return EXIT_FAILED;
    }
    printSummary(stdout, scenario, result, dir);

    List<String> violations = result.invariantViolations() == null ? List.of() : result.invariantViolations();
    if (!violations.isEmpty()) {
      stderr.println("sendpath: " + violations.size() + " invariant violation(s); the first: " + violations.get(0)
          + " (all in " + dir.resolve(ResultsWriter.SUMMARY) + ")");
      stderr.flush();
      return EXIT_VIOLATIONS;
    }
    return EXIT_OK;
  }

  /** --set, then --seed and --threads, which win over everything else. */
  private List<Scenario.Setting> settings() throws ScenarioException {
    List<Scenario.Setting> settings = new ArrayList<>();
    for (String s : sets) settings.add(Scenario.parseSet(s));
    if (seed != null) settings.add(new Scenario.Setting("seed", Long.toString(seed), "--seed"));
    if (threads != null) settings.add(new Scenario.Setting("threads", threads, "--threads"));
    return settings;
  }

  static void printSummary(PrintWriter out, Scenario scenario, RunResult r, Path dir) {
    RunConfig cfg = scenario.runConfig();
    int violations = r.invariantViolations() == null ? 0 : r.invariantViolations().size();
    out.printf(Locale.ROOT, "sendpath: %s, seed %d%n", scenario.source(), cfg.seed());
    out.printf(Locale.ROOT, "  connections             %d%n", r.connections());
    out.printf(Locale.ROOT, "  bytes accepted          %s%n", Units.formatBytes(r.bytesAccepted()));
    out.printf(Locale.ROOT, "  bytes delivered         %s%n", Units.formatBytes(r.bytesDelivered()));
    out.printf(Locale.ROOT, "  frames                  %d%n", r.framesEmitted());
    out.printf(Locale.ROOT, "  retransmitted segments  %d%n", r.retransmittedSegments());
    if (r.connectionStats() != null) {
      // where senders waited: sk_stream_wait_memory sleeps, TSQ throttles, socket backlog drops
      long waits = 0, throttles = 0;
      for (var c : r.connectionStats()) {
        waits += c.sndbufWaits();
        throttles += c.tsqThrottles();
      }
      long backlogDrops = r.counters() == null ? 0 : r.counters().getOrDefault("TcpExtTCPBacklogDrop", 0L);
      out.printf(Locale.ROOT, "  sndbuf waits            %d   TSQ throttles %d   backlog drops %d%n", waits, throttles, backlogDrops);
    }
    out.printf(Locale.ROOT, "  simulated               %.6f s%n", r.simulatedSeconds());
    out.printf(Locale.ROOT, "  wall                    %.3f s%n", r.wallSeconds());
    if (r.wallSeconds() > 0) {
      out.printf(Locale.ROOT, "  speed                   %.3f× real time (simulated / wall)%n", r.simulatedSeconds() / r.wallSeconds());
    }
    out.printf(Locale.ROOT, "  invariant violations    %d%n", violations);
    if (r.faultTimeline() != null && !r.faultTimeline().isEmpty()) {
      // when each fault fired and what it did; every event is in summary.json's faultTimeline
      out.printf(Locale.ROOT, "  faults (virtual time)%n");
      int shown = 0;
      for (var e : r.faultTimeline()) {
        if (shown++ == 12) {
          out.printf(Locale.ROOT, "    ... %d more in summary.json%n", r.faultTimeline().size() - 12);
          break;
        }
        out.printf(Locale.ROOT, "    %12.6f s  %-22s %s%n", e.timeNs() / 1e9, e.fault(), e.what());
      }
      if (r.faults() != null) {
        for (var f : r.faults()) out.printf(Locale.ROOT, "    #%s %s: %s%n", f.get("id"), f.get("kind"), f.get("effects"));
      }
    }
    out.printf(Locale.ROOT, "  results                 %s%n", dir);
    out.flush();
  }
}
