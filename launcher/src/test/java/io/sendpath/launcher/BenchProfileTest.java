package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BenchProfileTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "org.apache.pekko.actor.ActorCell           | Pekko and Scala (message passing, mailboxes, dispatch)",
      "scala.collection.immutable.List            | Pekko and Scala (message passing, mailboxes, dispatch)",
      "java.util.concurrent.ForkJoinPool          | JDK concurrency (fork-join pool, atomics, concurrent maps)",
      "io.sendpath.sim.EventHeap                  | io.sendpath.sim (virtual clock, calendar, handler dispatch)",
      "io.sendpath.protocol.wire.FrameCodec       | io.sendpath.protocol.wire (frame encoding and decoding, checksums)",
      "io.sendpath.protocol.Payload$Generated     | io.sendpath.protocol (payload, options, skb)",
      "io.sendpath.tcp.TcpSock                    | io.sendpath.tcp",
      "io.sendpath.peer.core.PeerSock             | io.sendpath.peer",
      "java.util.HashMap                          | JDK (other)",
      "com.example.Other                          | other"})
  void group_namesThePartOfTheProgram(String className, String group) {
    assertThat(BenchProfile.group(className.trim())).isEqualTo(group.trim());
  }

  @Test
  void markdown_sharesOfTheSamples() {
    BenchProfile.Summary s = new BenchProfile.Summary(200,
        List.of(new BenchProfile.Share("Pekko", 150), new BenchProfile.Share("io.sendpath.tcp", 50)),
        List.of(new BenchProfile.Share("ActorCell.receiveMessage", 30)));
    String md = BenchProfile.markdown("Profile: N = 10", s);
    assertThat(md).startsWith("#### Profile: N = 10\n\n200 execution samples")
        .contains("| 75.0 % | Pekko |\n| 25.0 % | io.sendpath.tcp |")
        .contains("| 15.0 % | ActorCell.receiveMessage |");
  }
}
