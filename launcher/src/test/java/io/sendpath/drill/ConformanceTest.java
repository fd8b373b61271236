package io.sendpath.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs every script under ../shared/conformance/packetdrill (relative to the repository root)
 * and prints the per-script lines and the closing count. Fails on any FAIL except the scripts
 * listed in src/test/resources/drill/known-failing.txt (path relative to the packetdrill folder,
 * then a reason), and also when a listed script no longer fails, so the list only shrinks.
 */
class ConformanceTest {

  static Path conformanceRoot() {
    Path fromModule = Path.of("../../shared/conformance/packetdrill");
    if (Files.isDirectory(fromModule)) return fromModule;
    return Path.of("../shared/conformance/packetdrill");
  }

  static Map<String, String> knownFailing() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (var in = ConformanceTest.class.getResourceAsStream("/drill/known-failing.txt")) {
      if (in == null) return out;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) continue;
        int sp = t.indexOf(' ');
        String path = sp < 0 ? t : t.substring(0, sp);
        String reason = sp < 0 ? "" : t.substring(sp + 1).trim();
        assertThat(reason).as("known-failing.txt needs a reason for " + path).isNotEmpty();
        out.put(path, reason);
      }
    }
    return out;
  }

  @Test
  void everyScript_passesOrIsUnsupported_exceptTheKnownFailingList() throws IOException {
    Path root = conformanceRoot();
    assumeTrue(Files.isDirectory(root), "no conformance folder at " + root.toAbsolutePath());
    List<Path> scripts = DrillCommand.collect(List.of(root));
    StringWriter text = new StringWriter();
    DrillCommand.Summary summary = DrillCommand.runAll(scripts, new PrintWriter(text, true));
    System.out.print(text);
    Map<String, String> known = knownFailing();
    List<String> unexpected = new ArrayList<>();
    List<String> nowPassing = new ArrayList<>();
    for (DrillResult r : summary.results()) {
      String rel = root.relativize(Path.of(r.path())).toString().replace('\\', '/');
      boolean listed = known.containsKey(rel);
      if (r.status() == DrillResult.Status.FAIL && !listed) unexpected.add(r.format());
      if (r.status() != DrillResult.Status.FAIL && listed) nowPassing.add(rel + " (" + r.status() + ")");
    }
    List<String> missing = new ArrayList<>();
    for (String k : known.keySet()) {
      if (summary.results().stream().noneMatch(r -> root.relativize(Path.of(r.path())).toString().replace('\\', '/').equals(k))) missing.add(k);
    }
    assertThat(unexpected).as("scripts that FAIL and are not in known-failing.txt").isEmpty();
    assertThat(nowPassing).as("scripts in known-failing.txt that no longer fail: remove them from the list").isEmpty();
    assertThat(missing).as("known-failing.txt names scripts that do not exist").isEmpty();
  }
}
