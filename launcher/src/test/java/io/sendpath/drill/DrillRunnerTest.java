package io.sendpath.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The runner's own scripts (src/test/resources/drill): pass/ must PASS against the core; fail/
 * and unsupported/ name on their first line the verdict, line and a piece of the message they
 * must produce ({@code // expect: FAIL 15 expected P. 2:1001(999)}).
 */
class DrillRunnerTest {

  static Path resources() throws URISyntaxException {
    return Path.of(DrillRunnerTest.class.getResource("/drill").toURI());
  }

  static Stream<Path> scripts(String folder) throws IOException, URISyntaxException {
    return DrillCommand.collect(List.of(resources().resolve(folder))).stream();
  }

  static Stream<Path> passing() throws IOException, URISyntaxException {
    return scripts("pass");
  }

  static Stream<Path> failing() throws IOException, URISyntaxException {
    return Stream.concat(scripts("fail"), scripts("unsupported"));
  }

  @ParameterizedTest
  @MethodSource("passing")
  void ownScript_passes(Path script) {
    DrillResult r = DrillRunner.run(script);
    assertThat(r.format()).isEqualTo("PASS " + script);
  }

  private static final Pattern EXPECT = Pattern.compile("^// expect: (FAIL|UNSUPPORTED) (\\d+) (.+)$");

  @ParameterizedTest
  @MethodSource("failing")
  void ownScript_givesTheVerdictAndLineItNames(Path script) throws IOException {
    String first = Files.readAllLines(script).get(0);
    Matcher m = EXPECT.matcher(first);
    assertThat(m.matches()).as("first line of " + script + " names the expected verdict").isTrue();
    DrillResult r = DrillRunner.run(script);
    assertThat(r.status().name()).as(r.format()).isEqualTo(m.group(1));
    assertThat(r.line()).as(r.format()).isEqualTo(Integer.parseInt(m.group(2)));
    assertThat(r.message()).as(r.format()).contains(m.group(3));
    assertThat(r.format()).startsWith(m.group(1) + " " + script + ":" + m.group(2) + ": ");
  }

  @Test
  void drillCommand_printsOneLinePerScriptAndTheCount_exitsOneOnAFailure() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = io.sendpath.launcher.Main.commandLine((cfg, sink, progress) -> { throw new AssertionError("no run"); });
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    Path root = resources();
    int status = cmd.execute("drill", root.resolve("unsupported").toString(), root.resolve("pass").toString(),
        root.resolve("fail/wrong-seq.pkt").toString());
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(8);
    // Sorted over all inputs, folders searched recursively.
    assertThat(lines.get(0)).startsWith("FAIL " + root.resolve("fail/wrong-seq.pkt") + ":");
    assertThat(lines.get(1)).isEqualTo("PASS " + root.resolve("pass/blocking-read.pkt"));
    assertThat(lines.get(2)).isEqualTo("PASS " + root.resolve("pass/client-connect.pkt"));
    assertThat(lines.get(3)).isEqualTo("PASS " + root.resolve("pass/server-echo-close.pkt"));
    assertThat(lines.get(4)).startsWith("UNSUPPORTED " + root.resolve("unsupported/init-command.pkt") + ":3: ");
    assertThat(lines.get(7)).isEqualTo("3 passed, 1 failed, 3 unsupported");
    assertThat(status).isEqualTo(1);

    out.getBuffer().setLength(0);
    assertThat(cmd.execute("drill", root.resolve("pass").toString())).isZero();
    assertThat(out.toString().lines().toList()).last().isEqualTo("3 passed, 0 failed, 0 unsupported");

    assertThat(cmd.execute("drill", root.resolve("no-such-folder").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such file or folder");
  }
}
