package io.sendpath.launcher;

import io.sendpath.actors.run.ConnStats;
import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.actors.run.Simulation;
import io.sendpath.protocol.Payload;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The child process of {@code sendpath bench --idle N}: opens N connections that write nothing and
 * hold (scenario keys bytes-per-connection = 0, hold-until), stops the clock at a hold point when
 * every handshake is long done, and there — every actor alive and idle — forces full collections
 * and reads the heap in use. Prints one line for the parent:
 * <pre>IDLE connections=N established=E heapUsedAfterGc=BYTES</pre>
 * With N = 0 the same world is built without connections: the baseline. The payload table (one
 * per seed, shared by every connection) is made before the run in both cases, so it cancels out.
 *
 * <p>Usage: {@code java -cp sendpath.jar io.sendpath.launcher.IdleProbe N [key=value]...}
 */
public final class IdleProbe {
  private IdleProbe() {}

  /** Connections start spread over N × this (at least 1 ms), so SYNs never overflow the qdisc. */
  static final long START_SPACING_NS = 2_000;
  /** The hold point lies this far after the last start: beyond the 1 s and 3 s SYN retransmissions. */
  static final long SETTLE_NS = 5_000_000_000L;
  /** Full collections before reading the heap. */
  static final int GCS = 3;

  /** The scenario settings of an idle probe of n connections, after the user's own (which they override). */
  static List<Scenario.Setting> settings(int n, List<Scenario.Setting> user) {
    long jitter = Math.max(1_000_000L, n * START_SPACING_NS);
    long holdPoint = jitter + SETTLE_NS;
    List<Scenario.Setting> s = new ArrayList<>(user);
    s.add(new Scenario.Setting("connections", Integer.toString(Math.max(1, n)), "bench --idle"));
    s.add(new Scenario.Setting("bytes-per-connection", "0", "bench --idle"));
    s.add(new Scenario.Setting("start-jitter", jitter + "ns", "bench --idle"));
    s.add(new Scenario.Setting("max-simulated-time", holdPoint + "ns", "bench --idle"));
    s.add(new Scenario.Setting("hold-until", (holdPoint + 1_000_000_000L) + "ns", "bench --idle"));
    return s;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: IdleProbe N [key=value]...");
      System.exit(RunCommand.EXIT_USAGE);
    }
    int n = Integer.parseInt(args[0]);
    List<Scenario.Setting> user = new ArrayList<>();
    for (int i = 1; i < args.length; i++) user.add(Scenario.parseSet(args[i]));
    RunConfig cfg = Scenario.load(null, settings(n, user)).runConfig();
    if (n == 0) {
      cfg = new RunConfig(0, cfg.bytesPerConnection(), cfg.writeSize(), cfg.linkRateBps(), cfg.linkDelayNs(), cfg.mtu(),
          cfg.startJitterNs(), cfg.seed(), cfg.txRingSize(), cfg.tso(), cfg.txCsumOffload(), cfg.workerThreads(),
          cfg.maxSimulatedNs(), cfg.sysctls(), cfg.faults(), cfg.holdUntilNs());
    }
    Payload table = new Payload.Generated(cfg.seed(), 0);
    long[] heapUsed = {-1};
    ProgressListener atHoldPoint = new ProgressListener() {
      @Override
      public void progress(long bytesDelivered, long bytesTotal, long nowNs) {}

      @Override
      public void clockStopped(long nowNs) {
        for (int i = 0; i < GCS; i++) System.gc();
        heapUsed[0] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      }
    };
    RunResult result = Simulation.run(cfg, null, atHoldPoint);
    int established = 0;
    for (ConnStats c : result.connectionStats()) if ("TCP_ESTABLISHED".equals(c.state())) established++;
    java.lang.ref.Reference.reachabilityFence(table); // the table stays in the heap for the baseline too
    System.out.printf(Locale.ROOT, "IDLE connections=%d established=%d heapUsedAfterGc=%d%n", n, established, heapUsed[0]);
    System.out.flush();
    System.exit(0);
  }
}
