package io.sendpath.launcher;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pure half of {@code sendpath bench}: parsing what the child processes print (ns-3's
 * {@code RESULT} lines, {@code /proc/<pid>/status}, the idle probe's line) and turning the
 * measurements into a Markdown report with side-by-side ratios. No process, file or clock here.
 */
final class BenchReport {
  private BenchReport() {}

  /** One run of sendpath at one size (a child JVM running {@code sendpath run}). */
  record SendpathRun(int connections, double wallSeconds, double processSeconds, double simulatedSeconds,
      long frames, long events, long peakRssKiB, int violations, double loadAvg) {
    @JsonProperty
    double framesPerWallSecond() {
      return wallSeconds > 0 ? frames / wallSeconds : 0;
    }

    /** Peak RSS of the whole process divided by the connections: an upper bound per connection. */
    @JsonProperty
    long bytesPerConnection() {
      return connections > 0 ? peakRssKiB * 1024 / connections : 0;
    }
  }

  /**
   * One run of ns-3's tcp-manyflow: from its RESULT lines, plus the process peak RSS polled from
   * /proc (peakRssKiB, 0 when unknown) and the process wall time.
   */
  record Ns3Run(int flows, int completed, boolean wallLimitHit, double runWallSeconds, double processSeconds,
      double simEndSeconds, long frames, long events, double peakRssAfterRunMiB, long peakRssKiB, double loadAvg) {
    @JsonProperty
    double framesPerWallSecond() {
      return runWallSeconds > 0 ? frames / runWallSeconds : 0;
    }
  }

  /** The idle-memory probe at one size: heap after GC with n connections established and idle. */
  record IdleRun(int connections, int established, long heapUsedBytes, long baselineHeapUsedBytes, long peakRssKiB) {
    /** (heap with n idle connections − heap with none) / n. */
    @JsonProperty
    long bytesPerConnection() {
      return connections > 0 ? (heapUsedBytes - baselineHeapUsedBytes) / connections : 0;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // parsing

  /**
   * ns-3's RESULT lines as key → value. A line "RESULT A->B: pkts=7270 dataPkts=7250 ..." gives
   * "A->B.pkts", "A->B.dataPkts"; a line without a label ("RESULT nFlows=10 completed=10 ...")
   * gives the bare keys. Other lines (PROGRESS, warnings) and words without '=' are skipped.
   */
  static Map<String, String> ns3Results(List<String> lines) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : lines) {
      String t = line.strip();
      if (!t.startsWith("RESULT ")) continue;
      String[] words = t.substring("RESULT ".length()).trim().split("\\s+");
      String section = "";
      for (String w : words) {
        int eq = w.indexOf('=');
        if (eq < 0) {
          if (w.endsWith(":") && section.isEmpty()) section = w.substring(0, w.length() - 1) + ".";
          continue;
        }
        if (eq == 0) continue;
        out.put(section + w.substring(0, eq), w.substring(eq + 1));
      }
    }
    return out;
  }

  /**
   * An Ns3Run from RESULT lines; IllegalArgumentException naming the first missing or malformed
   * field when ns-3 did not print a complete result (it crashed, or is not tcp-manyflow).
   */
  static Ns3Run ns3Run(List<String> lines, long peakRssKiB, double processSeconds, double loadAvg) {
    Map<String, String> r = ns3Results(lines);
    int flows = (int) longField(r, "nFlows");
    int completed = (int) longField(r, "completed");
    boolean limitHit = longField(r, "wallLimitHit") != 0;
    double runWall = doubleField(r, "runWall_s");
    double simEnd = doubleField(r, "simEnd_s");
    long frames = longField(r, "A->B.pkts") + longField(r, "B->A.pkts");
    long events = longField(r, "events");
    double rssMiB = doubleField(r, "rates.peakRssAfterRun_MiB");
    return new Ns3Run(flows, completed, limitHit, runWall, processSeconds, simEnd, frames, events, rssMiB, peakRssKiB, loadAvg);
  }

  private static long longField(Map<String, String> r, String key) {
    String v = r.get(key);
    if (v == null) throw new IllegalArgumentException("ns-3 printed no RESULT " + key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ns-3 RESULT " + key + "=" + v + " is not an integer");
    }
  }

  private static double doubleField(Map<String, String> r, String key) {
    String v = r.get(key);
    if (v == null) throw new IllegalArgumentException("ns-3 printed no RESULT " + key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ns-3 RESULT " + key + "=" + v + " is not a number");
    }
  }

  /** VmHWM (peak resident set, KiB) from the text of /proc/<pid>/status; -1 when absent (a zombie). */
  static long vmHwmKiB(String procStatus) {
    for (String line : procStatus.split("\n")) {
      if (!line.startsWith("VmHWM:")) continue;
      String[] w = line.substring(6).trim().split("\\s+");
      try {
        return Long.parseLong(w[0]);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  /** A comma-separated list of positive integers ("1000,10000"); IllegalArgumentException otherwise. */
  static List<Integer> positiveInts(String text) {
    List<Integer> out = new ArrayList<>();
    if (text == null || text.isBlank()) throw new IllegalArgumentException("is empty");
    for (String part : text.split(",", -1)) {
      String p = part.trim().replace("_", "");
      int n;
      try {
        n = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not a whole number");
      }
      if (n < 1) throw new IllegalArgumentException("'" + part.trim() + "' must be at least 1");
      out.add(n);
    }
    return out;
  }

  /** The median of the values (the mean of the middle two for an even count); NaN when empty. */
  static double median(double[] values) {
    if (values.length == 0) return Double.NaN;
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  // ---------------------------------------------------------------------------------------------
  // the report

  /** Median of each sendpath measurement over the repeats of one size. */
  record SendpathMedian(int connections, int runs, double wallSeconds, double[] wallAll, double processSeconds,
      double simulatedSeconds, long frames, double framesPerWallSecond, long peakRssKiB, long bytesPerConnection,
      int maxViolations) {}

  static SendpathMedian medianOf(List<SendpathRun> runs) {
    int n = runs.size();
    double[] wall = new double[n], proc = new double[n], sim = new double[n], fps = new double[n], rss = new double[n];
    long frames = 0;
    int violations = 0;
    for (int i = 0; i < n; i++) {
      SendpathRun r = runs.get(i);
      wall[i] = r.wallSeconds();
      proc[i] = r.processSeconds();
      sim[i] = r.simulatedSeconds();
      fps[i] = r.framesPerWallSecond();
      rss[i] = r.peakRssKiB();
      frames = r.frames();
      violations = Math.max(violations, r.violations());
    }
    int conns = runs.get(0).connections();
    long rssMedian = (long) median(rss);
    return new SendpathMedian(conns, n, median(wall), wall, median(proc), median(sim), frames, median(fps), rssMedian,
        conns > 0 ? rssMedian * 1024 / conns : 0, violations);
  }

  /**
   * The scale table: one row per size that sendpath or ns-3 ran, sendpath's medians beside ns-3's
   * run, and the ratios: ns-3 wall / sendpath wall (a lower bound, "≥", when ns-3 stopped at its wall
   * limit before every flow completed) and sendpath frames per wall second / ns-3's.
   */
  /**
   * Median wall time of each size at each thread count, and the speed-up from the first count to
   * each other one (wall at the first / wall at that count).
   */
  static String threadsTable(Map<Integer, List<SendpathMedian>> byThreads) {
    List<Integer> counts = new ArrayList<>(byThreads.keySet());
    StringBuilder b = new StringBuilder("| N |");
    for (Integer t : counts) b.append(" wall s, ").append(t).append(t == 1 ? " thread |" : " threads |");
    for (int i = 1; i < counts.size(); i++) b.append(" speed-up ").append(counts.get(0)).append(" → ").append(counts.get(i)).append(" |");
    b.append("\n|---:|");
    for (int i = 0; i < 2 * counts.size() - 1; i++) b.append("---:|");
    b.append('\n');
    List<Integer> sizes = new ArrayList<>();
    for (List<SendpathMedian> ms : byThreads.values()) for (SendpathMedian m : ms) if (!sizes.contains(m.connections())) sizes.add(m.connections());
    sizes.sort(null);
    for (int n : sizes) {
      b.append(String.format(Locale.ROOT, "| %,d |", n));
      double[] wall = new double[counts.size()];
      for (int i = 0; i < counts.size(); i++) {
        wall[i] = Double.NaN;
        for (SendpathMedian m : byThreads.get(counts.get(i))) if (m.connections() == n) wall[i] = m.wallSeconds();
        b.append(' ').append(Double.isNaN(wall[i]) ? "—" : f3(wall[i])).append(" |");
      }
      for (int i = 1; i < counts.size(); i++) {
        boolean known = !Double.isNaN(wall[0]) && !Double.isNaN(wall[i]) && wall[i] > 0;
        b.append(' ').append(known ? String.format(Locale.ROOT, "%.2f×", wall[0] / wall[i]) : "—").append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  static String scaleTable(List<SendpathMedian> sendpath, List<Ns3Run> ns3) {
    StringBuilder b = new StringBuilder();
    b.append("| N | sendpath wall s (runs) | simulated s | frames | frames / wall s | peak RSS MiB | RSS / conn | ")
        .append("ns-3 wall s | ns-3 simulated s | ns-3 flows done | ns-3 frames / wall s | ns-3 peak RSS MiB | ")
        .append("wall ratio ns-3 / sendpath | rate ratio sendpath / ns-3 |\n");
    b.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Integer> sizes = new ArrayList<>();
    for (SendpathMedian s : sendpath) if (!sizes.contains(s.connections())) sizes.add(s.connections());
    for (Ns3Run r : ns3) if (!sizes.contains(r.flows())) sizes.add(r.flows());
    sizes.sort(null);
    for (int n : sizes) {
      SendpathMedian s = null;
      for (SendpathMedian m : sendpath) if (m.connections() == n) s = m;
      Ns3Run r = null;
      for (Ns3Run x : ns3) if (x.flows() == n) r = x;
      b.append("| ").append(String.format(Locale.ROOT, "%,d", n)).append(" | ");
      if (s != null) {
        b.append(f3(s.wallSeconds()));
        if (s.runs() > 1) b.append(" (").append(joined(s.wallAll())).append(")");
        b.append(" | ").append(f3(s.simulatedSeconds()))
            .append(" | ").append(String.format(Locale.ROOT, "%,d", s.frames()))
            .append(" | ").append(String.format(Locale.ROOT, "%,.0f", s.framesPerWallSecond()))
            .append(" | ").append(mib(s.peakRssKiB()))
            .append(" | ").append(bytes(s.bytesPerConnection()))
            .append(s.maxViolations() > 0 ? " ⚠ " + s.maxViolations() + " violations" : "")
            .append(" | ");
      } else {
        b.append("— | — | — | — | — | — | ");
      }
      if (r != null) {
        b.append(f3(r.runWallSeconds())).append(r.wallLimitHit() ? " (wall limit)" : "")
            .append(" | ").append(f3(r.simEndSeconds()))
            .append(" | ").append(String.format(Locale.ROOT, "%,d / %,d", r.completed(), r.flows()))
            .append(" | ").append(String.format(Locale.ROOT, "%,.0f", r.framesPerWallSecond()))
            .append(" | ").append(r.peakRssKiB() > 0 ? mib(r.peakRssKiB()) : String.format(Locale.ROOT, "%.1f", r.peakRssAfterRunMiB()))
            .append(" | ");
      } else {
        b.append("— | — | — | — | — | ");
      }
      if (s != null && r != null && s.wallSeconds() > 0) {
        boolean lowerBound = r.wallLimitHit() || r.completed() < r.flows();
        b.append(lowerBound ? "≥ " : "").append(String.format(Locale.ROOT, "%.1f×", r.runWallSeconds() / s.wallSeconds()));
        b.append(" | ");
        b.append(r.framesPerWallSecond() > 0 ? String.format(Locale.ROOT, "%.1f×", s.framesPerWallSecond() / r.framesPerWallSecond()) : "—");
        b.append(" |\n");
      } else {
        b.append("— | — |\n");
      }
    }
    return b.toString();
  }

  /** The idle-memory table: heap after GC with N established idle connections, against none. */
  static String idleTable(List<IdleRun> idle) {
    StringBuilder b = new StringBuilder();
    b.append("| N idle | established at the hold point | heap after GC MiB | baseline (0 connections) MiB | heap per idle connection | peak RSS MiB |\n");
    b.append("|---:|---:|---:|---:|---:|---:|\n");
    for (IdleRun r : idle) {
      b.append("| ").append(String.format(Locale.ROOT, "%,d", r.connections()))
          .append(" | ").append(String.format(Locale.ROOT, "%,d", r.established()))
          .append(" | ").append(mib(r.heapUsedBytes() / 1024))
          .append(" | ").append(mib(r.baselineHeapUsedBytes() / 1024))
          .append(" | ").append(String.format(Locale.ROOT, "%,d B", r.bytesPerConnection()))
          .append(" | ").append(mib(r.peakRssKiB()))
          .append(" |\n");
    }
    return b.toString();
  }

  static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String mib(long kib) {
    return String.format(Locale.ROOT, "%.0f", kib / 1024.0);
  }

  /** Bytes as "2.1 KiB", "897 KiB", "1.4 MiB". */
  static String bytes(long b) {
    if (b < 1024) return b + " B";
    if (b < 10 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
    return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
  }

  private static String joined(double[] values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) b.append(" / ");
      b.append(String.format(Locale.ROOT, "%.2f", values[i]));
    }
    return b.toString();
  }
}
