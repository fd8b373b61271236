package io.sendpath.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's time goes, from a JDK Flight Recorder file ({@code sendpath bench --jfr}): the
 * execution samples of the simulation's worker threads, counted by the method on top of the stack
 * (self time) and by what that method belongs to (Pekko's message machinery, the clock, a layer's
 * core, the JDK). Only threads whose name contains "dispatcher" count: they run the actors and the
 * clock; the main thread builds the world and the JIT compiles beside it.
 */
final class BenchProfile {
  private BenchProfile() {}

  /** Samples counted per key, largest first. */
  record Share(String what, long samples) {}

  /** What a profile found: samples of the worker threads, by group and by method. */
  record Summary(long samples, List<Share> groups, List<Share> methods) {}

  static Summary read(Path jfr, int topMethods) throws IOException {
    Map<String, Long> groups = new HashMap<>();
    Map<String, Long> methods = new HashMap<>();
    long samples = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) continue;
        var thread = e.getThread("sampledThread");
        String threadName = thread == null ? "" : String.valueOf(thread.getJavaName());
        if (!threadName.contains("dispatcher")) continue;
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) continue;
        RecordedFrame top = stack.getFrames().get(0);
        RecordedMethod m = top.getMethod();
        String type = m.getType().getName();
        samples++;
        groups.merge(group(type), 1L, Long::sum);
        methods.merge(simpleName(type) + "." + m.getName(), 1L, Long::sum);
      }
    }
    return new Summary(samples, largest(groups, Integer.MAX_VALUE), largest(methods, topMethods));
  }

  /** The part of the program a class belongs to. */
  static String group(String className) {
    if (className.startsWith("org.apache.pekko.") || className.startsWith("scala.")) return "Pekko and Scala (message passing, mailboxes, dispatch)";
    if (className.startsWith("java.util.concurrent.")) return "JDK concurrency (fork-join pool, atomics, concurrent maps)";
    if (className.startsWith("io.sendpath.sim.")) return "io.sendpath.sim (virtual clock, calendar, handler dispatch)";
    if (className.startsWith("io.sendpath.protocol.wire.")) return "io.sendpath.protocol.wire (frame encoding and decoding, checksums)";
    if (className.startsWith("io.sendpath.protocol.")) return "io.sendpath.protocol (payload, options, skb)";
    if (className.startsWith("io.sendpath.")) {
      String rest = className.substring("io.sendpath.".length());
      int dot = rest.indexOf('.');
      return "io.sendpath." + (dot < 0 ? rest : rest.substring(0, dot));
    }
    if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")) return "JDK (other)";
    return "other";
  }

  private static String simpleName(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(dot + 1);
  }

  private static List<Share> largest(Map<String, Long> counts, int limit) {
    List<Share> all = new ArrayList<>();
    counts.forEach((k, v) -> all.add(new Share(k, v)));
    all.sort((a, b) -> a.samples() != b.samples() ? Long.compare(b.samples(), a.samples()) : a.what().compareTo(b.what()));
    return all.size() > limit ? all.subList(0, limit) : all;
  }

  /** The summary as Markdown: a table by group and one of the busiest methods. */
  static String markdown(String title, Summary s) {
    StringBuilder b = new StringBuilder();
    b.append("#### ").append(title).append("\n\n");
    b.append(String.format(Locale.ROOT, "%,d execution samples of the worker threads (self time: the method on top of the stack).%n%n", s.samples()));
    b.append("| share | where |\n|---:|---|\n");
    for (Share g : s.groups()) b.append(row(g, s.samples()));
    b.append("\n| share | method |\n|---:|---|\n");
    for (Share m : s.methods()) b.append(row(m, s.samples()));
    b.append('\n');
    return b.toString();
  }

  private static String row(Share share, long total) {
    return String.format(Locale.ROOT, "| %.1f %% | %s |%n", total == 0 ? 0.0 : 100.0 * share.samples() / total, share.what());
  }
}
