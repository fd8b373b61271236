package io.sendpath.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.sendpath.launcher.BenchReport.IdleRun;
import io.sendpath.launcher.BenchReport.Ns3Run;
import io.sendpath.launcher.BenchReport.SendpathMedian;
import io.sendpath.launcher.BenchReport.SendpathRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sendpath bench}: the many-flow scenario at several sizes, each run in a child JVM of its
 * own (so the peak RSS is that run's), ns-3's tcp-manyflow at the same sizes in the same session,
 * and the heap per established idle connection; a Markdown table with side-by-side ratios on
 * stdout and in DIR/bench.md, every number in DIR/bench.json.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "Runs the many-flow scenario (N connections x --bytes, the default experiment otherwise) at each size "
            + "in a child JVM, and ns-3's tcp-manyflow beside it, and reports wall time, simulated time, "
            + "frames per wall second, peak RSS and bytes per connection, with ratios.",
        "Peak RSS is the child's VmHWM, read from /proc/<pid>/status every 20 ms while it runs (Linux only).",
        "--idle N: heap in use after full GCs with N connections established and idle, minus the same with "
            + "none, divided by N (both ends of each connection: sender socket, TCP, peer socket)."},
    footer = {
        "",
        "Without --sizes and --idle: --sizes 1000,10000,100000. With --idle alone, only the idle probe runs.",
        "ns-3: --ns3 PATH, else /tmp/ns3-bench/tcp-manyflow when it exists (built by ../shared/bench/ns3/build.sh "
            + "/tmp/ns3-bench); --no-ns3 skips it.",
        "",
        "Exit status: 0 every run completed; 2 bad options; 3 a child run failed (the report holds the rest)."})
final class BenchCommand implements Callable<Integer> {
  static final String DEFAULT_SIZES = "1000,10000,100000";
  static final Path DEFAULT_NS3 = Paths.get("/tmp/ns3-bench/tcp-manyflow");
  static final String DEFAULT_JAVA_OPTS = "-XX:+UseParallelGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:FreqInlineSize=100";
  static final String REPORT_MD = "bench.md", REPORT_JSON = "bench.json";

  @Option(names = "--sizes", paramLabel = "N,N,...", description = "Connection counts for sendpath (default " + DEFAULT_SIZES + ").")
  String sizes;

  @Option(names = "--bytes", paramLabel = "SIZE", defaultValue = "1MiB",
      description = "Bytes per connection, sendpath and ns-3 alike (default ${DEFAULT-VALUE}).")
  String bytes;

  @Option(names = "--repeat", paramLabel = "R", defaultValue = "1",
      description = "Runs of sendpath per size; the table shows medians (default ${DEFAULT-VALUE}).")
  String repeat;

  @Option(names = "--ns3", paramLabel = "PATH", description = "ns-3 tcp-manyflow binary (default: /tmp/ns3-bench/tcp-manyflow when it exists).")
  Path ns3;

  @Option(names = "--no-ns3", description = "Do not run ns-3.")
  boolean noNs3;

  @Option(names = "--ns3-sizes", paramLabel = "N,N,...", defaultValue = "1000,10000",
      description = "Flow counts for ns-3 (default ${DEFAULT-VALUE}).")
  String ns3Sizes;

  @Option(names = "--ns3-wall-limit", paramLabel = "SECONDS", defaultValue = "300",
      description = "ns-3's --wallLimit: it stops after this many wall seconds (default ${DEFAULT-VALUE}).")
  String ns3WallLimit;

  @Option(names = "--idle", paramLabel = "N,N,...", description = "Measure the heap per established idle connection at these sizes.")
  String idle;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A scenario key for every sendpath run (repeatable), e.g. --set start-jitter=10ms.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--threads", paramLabel = "T,T,...",
      description = "Run every size with each of these worker-thread counts (scenario key 'threads') and report the speed-up.")
  String threads;

  @Option(names = "--jfr", description = "Record each sendpath run with JDK Flight Recorder (DIR/sendpath-N-T-R/run.jfr) and report "
      + "where the worker threads spend their time.")
  boolean jfr;

  @Option(names = "--java-opts", paramLabel = "OPTS", defaultValue = "${sys:sendpath.java-opts:-" + DEFAULT_JAVA_OPTS + "}",
      description = "JVM options of the child runs (default: the ones ./sendpath started bench with, which depend on the JDK; "
          + "without the script, " + DEFAULT_JAVA_OPTS + ").")
  String javaOpts;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: results/bench-<yyyyMMdd-HHmmss>); created if missing.")
  Path out;

  @Spec
  CommandSpec spec;

  /** The children for the given --java-opts: ChildProcesses outside tests. */
  private final Function<String, Children> childrenFor;
  /** Names the default report folder. */
  private final Clock clock;

  BenchCommand(Function<String, Children> childrenFor, Clock clock) {
    this.childrenFor = childrenFor;
    this.clock = clock;
  }

  /** What bench asks of the world outside: each measurement is one child process. */
  interface Children {
    /** {@code sendpath run} with n connections of 'bytes' each, results in dir. */
    SendpathRun sendpath(int n, long bytes, List<String> sets, Path dir) throws IOException, InterruptedException;

    /** ns-3's tcp-manyflow with n flows of 'bytes' each and a wall limit; its output in log. */
    Ns3Run ns3(Path binary, int n, long bytes, int wallLimitSeconds, Path log) throws IOException, InterruptedException;

    /** The idle probe with n connections (0: the baseline); its output in log. */
    IdleRun idle(int n, List<String> sets, Path log) throws IOException, InterruptedException;
  }

  /** Options as validated values. */
  record Plan(List<Integer> sizes, long bytes, int repeat, Path ns3, List<Integer> ns3Sizes, int ns3WallLimit,
      List<Integer> idle, List<String> sets, List<Integer> threads) {}

  /** JVM option that records a child run; {@link ChildProcesses} puts the run's folder in place of {dir}. */
  static final String JFR_OPTION = "-XX:StartFlightRecording=filename={dir}/run.jfr,settings=profile";
  /** Methods listed in a profile. */
  static final int PROFILE_METHODS = 25;

  /** Checks every option; one-line message in BadOption when one is wrong. */
  Plan plan() throws BadOption {
    List<Integer> idleSizes = idle == null ? List.of() : ints("--idle", idle);
    List<Integer> runSizes = sizes != null ? ints("--sizes", sizes) : idle == null ? ints("--sizes", DEFAULT_SIZES) : List.of();
    long perConnection;
    try {
      perConnection = ConfigFactory.parseString("b = \"" + bytes.replace("\"", "") + "\"").getBytes("b");
    } catch (ConfigException e) {
      throw new BadOption("--bytes: '" + bytes + "' is not a size (examples: 1MiB, 64KiB, 1048576)");
    }
    if (perConnection < 1) throw new BadOption("--bytes: '" + bytes + "' must be at least 1 byte");
    int runs = positive("--repeat", repeat);
    int wallLimit = positive("--ns3-wall-limit", ns3WallLimit);
    Path binary = null;
    List<Integer> flows = List.of();
    if (!noNs3 && !runSizes.isEmpty()) {
      flows = ints("--ns3-sizes", ns3Sizes);
      if (ns3 != null) {
        if (!Files.isRegularFile(ns3) || !Files.isExecutable(ns3)) {
          throw new BadOption("--ns3: '" + ns3 + "' is not an executable file (build it: ../shared/bench/ns3/build.sh /tmp/ns3-bench)");
        }
        binary = ns3;
      } else if (Files.isExecutable(DEFAULT_NS3)) {
        binary = DEFAULT_NS3;
      }
    }
    List<Integer> threadCounts = threads == null ? List.of() : ints("--threads", threads);
    List<Scenario.Setting> settings = new ArrayList<>();
    try {
      for (String s : sets) {
        if (!threadCounts.isEmpty() && s.trim().startsWith("threads=")) throw new BadOption("--threads and --set threads=... both name thread counts: use one");
        settings.add(Scenario.parseSet(s));
      }
      Scenario.load(null, settings);
    } catch (ScenarioException e) {
      throw new BadOption(e.getMessage());
    }
    return new Plan(runSizes, perConnection, runs, binary, binary == null ? List.of() : flows, wallLimit, idleSizes, List.copyOf(sets),
        threadCounts);
  }

  static final class BadOption extends Exception {
    private static final long serialVersionUID = 1L;

    BadOption(String message) {
      super(message);
    }
  }

  private static List<Integer> ints(String option, String text) throws BadOption {
    try {
      return BenchReport.positiveInts(text);
    } catch (IllegalArgumentException e) {
      throw new BadOption(option + ": " + e.getMessage() + " (example: " + option + " 1000,10000)");
    }
  }

  private static int positive(String option, String text) throws BadOption {
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1) return n;
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new BadOption(option + ": '" + text + "' is not a whole number of at least 1");
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Plan plan;
    try {
      plan = plan();
    } catch (BadOption e) {
      stderr.println("sendpath: " + e.getMessage());
      stderr.flush();
      return RunCommand.EXIT_USAGE;
    }
    Path dir = out != null ? out
        : Paths.get("results", "bench-" + LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException("exists and is not a directory");
      Files.createDirectories(dir);
    } catch (IOException e) {
      stderr.println("sendpath: --out: cannot use '" + dir + "': " + e.getMessage());
      stderr.flush();
      return RunCommand.EXIT_USAGE;
    }
    if (plan.ns3() == null && !noNs3 && !plan.sizes().isEmpty()) {
      stderr.println("sendpath: bench: no ns-3 at " + DEFAULT_NS3 + " (build it: ../shared/bench/ns3/build.sh /tmp/ns3-bench); sendpath only");
    }

    Children children = childrenFor.apply(jfr ? javaOpts + " " + JFR_OPTION : javaOpts);
    List<String> failures = new ArrayList<>();
    // one list of medians (and of runs) per thread count; a single entry (null) without --threads
    List<Integer> threadCounts = plan.threads().isEmpty() ? java.util.Collections.singletonList(null) : plan.threads();
    Map<Integer, List<SendpathMedian>> mediansByThreads = new LinkedHashMap<>();
    Map<Integer, List<List<SendpathRun>>> runsByThreads = new LinkedHashMap<>();
    StringBuilder profiles = new StringBuilder();
    List<Ns3Run> ns3Runs = new ArrayList<>();
    List<IdleRun> idleRuns = new ArrayList<>();
    try {
      for (Integer t : threadCounts) {
        List<SendpathMedian> medians = new ArrayList<>();
        List<List<SendpathRun>> allRuns = new ArrayList<>();
        mediansByThreads.put(t, medians);
        runsByThreads.put(t, allRuns);
        List<String> runSets = new ArrayList<>(plan.sets());
        if (t != null) runSets.add("threads=" + t);
        String label = t == null ? "" : " threads=" + t;
        for (int n : plan.sizes()) {
          List<SendpathRun> runs = new ArrayList<>();
          for (int r = 1; r <= plan.repeat(); r++) {
            Path runDir = dir.resolve("sendpath-" + n + (t == null ? "" : "-t" + t) + "-" + r);
            try {
              SendpathRun run = children.sendpath(n, plan.bytes(), runSets, runDir);
              runs.add(run);
              stderr.printf(Locale.ROOT, "bench: sendpath N=%d%s run %d/%d: wall %.3f s, simulated %.3f s, %,d frames, peak RSS %s MiB, load %.2f%n",
                  n, label, r, plan.repeat(), run.wallSeconds(), run.simulatedSeconds(), run.frames(), BenchReport.mib(run.peakRssKiB()), run.loadAvg());
              Path recording = runDir.resolve("run.jfr");
              if (jfr && r == 1 && Files.isRegularFile(recording)) {
                String md = BenchProfile.markdown(String.format(Locale.ROOT, "Profile: N = %,d%s, run 1", n, label),
                    BenchProfile.read(recording, PROFILE_METHODS));
                Files.writeString(runDir.resolve("profile.md"), md, StandardCharsets.UTF_8);
                profiles.append(md);
              }
            } catch (IOException e) {
              failures.add("sendpath N=" + n + label + " run " + r + ": " + e.getMessage());
              stderr.println("sendpath: bench: sendpath N=" + n + label + " run " + r + " failed: " + e.getMessage());
            }
            stderr.flush();
          }
          if (!runs.isEmpty()) {
            medians.add(BenchReport.medianOf(runs));
            allRuns.add(runs);
          }
        }
      }
      for (int n : plan.ns3Sizes()) {
        try {
          Ns3Run run = children.ns3(plan.ns3(), n, plan.bytes(), plan.ns3WallLimit(), dir.resolve("ns3-" + n + ".log"));
          ns3Runs.add(run);
          stderr.printf(Locale.ROOT, "bench: ns-3 N=%d: wall %.3f s%s, simulated %.3f s, %d/%d flows done, peak RSS %s MiB, load %.2f%n",
              n, run.runWallSeconds(), run.wallLimitHit() ? " (wall limit)" : "", run.simEndSeconds(), run.completed(), run.flows(),
              BenchReport.mib(run.peakRssKiB()), run.loadAvg());
        } catch (IOException | IllegalArgumentException e) {
          failures.add("ns-3 N=" + n + ": " + e.getMessage());
          stderr.println("sendpath: bench: ns-3 N=" + n + " failed: " + e.getMessage());
        }
        stderr.flush();
      }
      if (!plan.idle().isEmpty()) {
        try {
          IdleRun base = children.idle(0, plan.sets(), dir.resolve("idle-0.log"));
          for (int n : plan.idle()) {
            try {
              IdleRun run = children.idle(n, plan.sets(), dir.resolve("idle-" + n + ".log"));
              IdleRun withBase = new IdleRun(n, run.established(), run.heapUsedBytes(), base.heapUsedBytes(), run.peakRssKiB());
              idleRuns.add(withBase);
              stderr.printf(Locale.ROOT, "bench: idle N=%d: %d established, %,d bytes of heap per idle connection%n",
                  n, run.established(), withBase.bytesPerConnection());
            } catch (IOException e) {
              failures.add("idle N=" + n + ": " + e.getMessage());
              stderr.println("sendpath: bench: idle N=" + n + " failed: " + e.getMessage());
            }
            stderr.flush();
          }
        } catch (IOException e) {
          failures.add("idle baseline: " + e.getMessage());
          stderr.println("sendpath: bench: the idle baseline failed: " + e.getMessage());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add("interrupted");
    }

    String md = markdown(plan, javaOpts, mediansByThreads, ns3Runs, idleRuns, failures) + profiles;
    try {
      Files.writeString(dir.resolve(REPORT_MD), md, StandardCharsets.UTF_8);
      writeJson(dir.resolve(REPORT_JSON), plan, javaOpts, runsByThreads, ns3Runs, idleRuns, failures);
    } catch (IOException e) {
      stderr.println("sendpath: cannot write the report to '" + dir + "': " + e);
      stderr.flush();
      return RunCommand.EXIT_FAILED;
    }
    stdout.print(md);
    stdout.println();
    stdout.println("Report: " + dir.resolve(REPORT_MD) + " and " + dir.resolve(REPORT_JSON));
    stdout.flush();
    return failures.isEmpty() ? RunCommand.EXIT_OK : RunCommand.EXIT_FAILED;
  }

  static String markdown(Plan plan, String javaOpts, Map<Integer, List<SendpathMedian>> mediansByThreads, List<Ns3Run> ns3Runs, List<IdleRun> idleRuns,
      List<String> failures) {
    StringBuilder b = new StringBuilder();
    b.append("## sendpath bench\n\n");
    b.append("sendpath's JVM options: `").append(javaOpts).append("`\n\n");
    b.append("Machine: ").append(Machine.describe()).append("\n\n");
    boolean anyRun = false;
    for (List<SendpathMedian> m : mediansByThreads.values()) anyRun |= !m.isEmpty();
    if (anyRun || !ns3Runs.isEmpty()) {
      b.append(String.format(Locale.ROOT, "Many-flow scenario, %s per connection; sendpath: %d run(s) per size, medians%s; "
          + "ns-3: --wallLimit=%d.%n%n", Units.formatBytes(plan.bytes()), plan.repeat(),
          plan.sets().isEmpty() ? "" : ", with --set " + String.join(" --set ", plan.sets()), plan.ns3WallLimit()));
      for (Map.Entry<Integer, List<SendpathMedian>> e : mediansByThreads.entrySet()) {
        if (e.getKey() != null) b.append("sendpath with threads = ").append(e.getKey()).append(":\n\n");
        b.append(BenchReport.scaleTable(e.getValue(), ns3Runs)).append('\n');
      }
      if (mediansByThreads.size() > 1) b.append(BenchReport.threadsTable(mediansByThreads)).append('\n');
      b.append("Wall time: sendpath's wallSeconds (building the actors, the run, statistics; JVM start excluded) and ns-3's "
          + "runWall_s (Simulator::Run). Frames: every frame on the wire, both directions. Peak RSS: each child's VmHWM. "
          + "RSS / conn: peak RSS / N, the whole process included.\n\n");
    }
    if (!idleRuns.isEmpty()) {
      b.append(BenchReport.idleTable(idleRuns)).append('\n');
      b.append("Heap after GC: MemoryMXBean heap used after " + IdleProbe.GCS + " System.gc() calls, with the clock stopped "
          + "at the hold point and every actor alive; both ends of every connection are counted.\n\n");
    }
    if (!failures.isEmpty()) {
      b.append("Failed:\n");
      for (String f : failures) b.append("- ").append(f).append('\n');
      b.append('\n');
    }
    return b.toString();
  }

  private static void writeJson(Path file, Plan plan, String javaOpts, Map<Integer, List<List<SendpathRun>>> sendpathByThreads, List<Ns3Run> ns3,
      List<IdleRun> idle, List<String> failures) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("machine", Machine.describe());
    root.put("javaOptions", javaOpts);
    root.put("bytesPerConnection", plan.bytes());
    root.put("repeat", plan.repeat());
    root.put("sets", plan.sets());
    root.put("ns3WallLimitSeconds", plan.ns3WallLimit());
    List<Object> sizes = new ArrayList<>();
    for (Map.Entry<Integer, List<List<SendpathRun>>> e : sendpathByThreads.entrySet()) {
      for (List<SendpathRun> runs : e.getValue()) {
        Map<String, Object> m = new LinkedHashMap<>();
        SendpathMedian med = BenchReport.medianOf(runs);
        m.put("connections", med.connections());
        if (e.getKey() != null) m.put("threads", e.getKey());
        m.put("median", med);
        m.put("runs", runs);
        sizes.add(m);
      }
    }
    root.put("sendpath", sizes);
    root.put("ns3", ns3);
    root.put("idle", idle);
    root.put("failures", failures);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }

  /** The machine in one line: CPU model and count, memory, kernel, JVM, load. */
  static final class Machine {
    private Machine() {}

    static String describe() {
      String model = "unknown CPU";
      long memKiB = 0;
      try {
        for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
          if (line.startsWith("model name")) {
            model = line.substring(line.indexOf(':') + 1).trim();
            break;
          }
        }
        for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
          if (line.startsWith("MemTotal:")) memKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      } catch (IOException | NumberFormatException e) {
        // not Linux: the description says less
      }
      return String.format(Locale.ROOT, "%d vCPU %s, %.1f GiB, %s %s, Java %s, load average %.2f at the start",
          Runtime.getRuntime().availableProcessors(), model, memKiB / (1024.0 * 1024), System.getProperty("os.name"),
          System.getProperty("os.version"), System.getProperty("java.version"), ChildProcesses.loadAverage());
    }
  }

  /**
   * The real children: {@code java <opts> -cp <this class path> io.sendpath.launcher.Main run ...},
   * the idle probe likewise, and the ns-3 binary. Peak RSS is VmHWM from /proc/<pid>/status,
   * polled every 20 ms while the child runs (the last value read before it exits).
   */
  static final class ChildProcesses implements Children {
    static final long POLL_MS = 20;
    private final String java;
    private final List<String> jvmOptions;
    private final String classPath;

    ChildProcesses(String javaOpts) {
      this.java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      this.jvmOptions = javaOpts.isBlank() ? List.of() : List.of(javaOpts.trim().split("\\s+"));
      this.classPath = System.getProperty("java.class.path");
    }

    private List<String> javaCommand(String mainClass) {
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.addAll(jvmOptions);
      cmd.add("-cp");
      cmd.add(classPath);
      cmd.add(mainClass);
      return cmd;
    }

    @Override
    public SendpathRun sendpath(int n, long bytes, List<String> sets, Path dir) throws IOException, InterruptedException {
      Files.createDirectories(dir);
      List<String> cmd = javaCommand(Main.class.getName());
      cmd.replaceAll(w -> w.startsWith("-XX:StartFlightRecording") ? w.replace("{dir}", dir.toAbsolutePath().toString()) : w);
      cmd.addAll(List.of("run", "--no-progress", "--out", dir.toString()));
      for (String s : sets) cmd.addAll(List.of("--set", s));
      cmd.addAll(List.of("--set", "connections=" + n, "--set", "bytes-per-connection=" + bytes));
      Measured m = runMeasured(cmd, dir.resolve("stdout.log"), dir.resolve("stderr.log"));
      if (m.status() != RunCommand.EXIT_OK && m.status() != RunCommand.EXIT_VIOLATIONS) {
        throw new IOException("exit status " + m.status() + " (see " + dir.resolve("stderr.log") + ")");
      }
      JsonNode s = new ObjectMapper().readTree(dir.resolve(ResultsWriter.SUMMARY).toFile());
      return new SendpathRun(n, s.path("wallSeconds").asDouble(), m.seconds(), s.path("simulatedSeconds").asDouble(),
          s.path("framesEmitted").asLong(), s.path("eventsDelivered").asLong(), m.peakRssKiB(),
          s.path("invariantViolations").size(), m.loadAvg());
    }

    @Override
    public Ns3Run ns3(Path binary, int n, long bytes, int wallLimitSeconds, Path log) throws IOException, InterruptedException {
      List<String> cmd = List.of(binary.toString(), "--nFlows=" + n, "--maxBytes=" + bytes, "--wallLimit=" + wallLimitSeconds);
      Measured m = runMeasured(cmd, log, log.resolveSibling(log.getFileName() + ".err"));
      if (m.status() != 0) throw new IOException("exit status " + m.status() + " (see " + log + ")");
      return BenchReport.ns3Run(Files.readAllLines(log), m.peakRssKiB(), m.seconds(), m.loadAvg());
    }

    @Override
    public IdleRun idle(int n, List<String> sets, Path log) throws IOException, InterruptedException {
      List<String> cmd = javaCommand(IdleProbe.class.getName());
      cmd.add(Integer.toString(n));
      cmd.addAll(sets);
      Measured m = runMeasured(cmd, log, log.resolveSibling(log.getFileName() + ".err"));
      if (m.status() != 0) throw new IOException("exit status " + m.status() + " (see " + log + ".err)");
      for (String line : Files.readAllLines(log)) {
        if (!line.startsWith("IDLE ")) continue;
        Map<String, String> kv = new LinkedHashMap<>();
        for (String w : line.substring(5).trim().split("\\s+")) {
          int eq = w.indexOf('=');
          if (eq > 0) kv.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return new IdleRun(n, Integer.parseInt(kv.get("established")), Long.parseLong(kv.get("heapUsedAfterGc")), 0, m.peakRssKiB());
      }
      throw new IOException("the idle probe printed no IDLE line (see " + log + ")");
    }

    record Measured(int status, double seconds, long peakRssKiB, double loadAvg) {}

    /** Runs cmd to its end, output to files, polling the child's VmHWM. */
    static Measured runMeasured(List<String> cmd, Path stdout, Path stderr) throws IOException, InterruptedException {
      double load = loadAverage();
      long start = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      Path status = Paths.get("/proc", Long.toString(p.pid()), "status");
      long peak = 0;
      try {
        while (!p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
          try {
            peak = Math.max(peak, BenchReport.vmHwmKiB(Files.readString(status)));
          } catch (IOException exitedMeanwhile) {
            // the child ended between waitFor and the read
          }
        }
      } finally {
        if (p.isAlive()) p.destroyForcibly();
      }
      return new Measured(p.exitValue(), (System.nanoTime() - start) / 1e9, peak, load);
    }

    /** The 1-minute load average from /proc/loadavg; -1 when unknown. */
    static double loadAverage() {
      try {
        return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+")[0]);
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
  }
}
