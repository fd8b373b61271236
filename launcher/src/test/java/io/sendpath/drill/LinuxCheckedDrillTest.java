package io.sendpath.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripts of our own (src/test/resources/drill-linux) that were run with packetdrill against a
 * real Linux 6.18 kernel and passed there; each must PASS against the core too.
 */
class LinuxCheckedDrillTest {
  static Stream<Path> scripts() throws IOException, URISyntaxException {
    Path root = Path.of(LinuxCheckedDrillTest.class.getResource("/drill-linux").toURI());
    List<Path> found = DrillCommand.collect(List.of(root));
    assertThat(found).isNotEmpty();
    return found.stream();
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void linuxCheckedScript_passesAgainstTheCore(Path script) {
    assertThat(DrillRunner.run(script).format()).isEqualTo("PASS " + script);
  }
}
