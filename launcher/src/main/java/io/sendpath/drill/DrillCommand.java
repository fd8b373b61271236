package io.sendpath.drill;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sendpath drill PATH...}: runs packetdrill scripts against the emulated TCP. */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "Runs packetdrill scripts (*.pkt) against the emulated Linux TCP in virtual time.",
      "Folders are searched recursively; scripts run in sorted order, one emulated host each."},
    footer = {"", "Prints 'PASS path', 'FAIL path:line: expected ... actual ...' or",
      "'UNSUPPORTED path:line: feature' per script, then 'N passed, N failed, N unsupported'.",
      "Exit status: 0 when no script failed, 1 when one did, 2 for bad arguments."})
public final class DrillCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "script files or folders")
  private List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> scripts;
    try {
      scripts = collect(paths);
    } catch (IOException | IllegalArgumentException e) {
      err.println("sendpath drill: " + e.getMessage());
      err.flush();
      return 2;
    }
    Summary s = runAll(scripts, out);
    out.flush();
    return s.failed() == 0 ? 0 : 1;
  }

  /** Counts of one run. */
  public record Summary(int passed, int failed, int unsupported, List<DrillResult> results) {
    public String closingLine() {
      return passed + " passed, " + failed + " failed, " + unsupported + " unsupported";
    }
  }

  /** Runs every script, printing one line each and the closing count. */
  public static Summary runAll(List<Path> scripts, PrintWriter out) {
    int pass = 0, fail = 0, unsup = 0;
    List<DrillResult> results = new ArrayList<>();
    for (Path p : scripts) {
      DrillResult r = DrillRunner.run(p);
      results.add(r);
      switch (r.status()) {
        case PASS -> pass++;
        case FAIL -> fail++;
        case UNSUPPORTED -> unsup++;
      }
      out.println(r.format());
    }
    Summary s = new Summary(pass, fail, unsup, results);
    out.println(s.closingLine());
    return s;
  }

  /** Files as given; folders searched recursively for *.pkt; all sorted. */
  public static List<Path> collect(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> w = Files.walk(p)) {
          w.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".pkt")).forEach(out::add);
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new IllegalArgumentException("no such file or folder: " + p);
      }
    }
    out.sort(null);
    return out;
  }
}
