package io.sendpath.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.junit.jupiter.api.Test;

class SimReceiveBuilderTest {
  interface Msg {}
  record A() implements Msg {}
  record B() implements Msg {}
  record Query() implements Msg, SimActor.Uncounted {}

  @Test
  void firstDeclaredMatch_wins_asInReceiveBuilder_andEachCountedMessageIsReported() throws Exception {
    VirtualClock clock = new VirtualClock();
    List<String> seen = new ArrayList<>();
    Behavior<Msg> same = Behaviors.same();
    Receive<Msg> r = new SimReceiveBuilder<Msg>(clock)
        .onMessage(Msg.class, m -> { seen.add("any-msg:" + m.getClass().getSimpleName()); return same; })
        .onMessage(A.class, m -> { seen.add("A"); return same; })
        .build();
    Receive<Msg> r2 = new SimReceiveBuilder<Msg>(clock)
        .onMessage(A.class, m -> { seen.add("A"); return same; })
        .onAnyMessage(m -> { seen.add("other:" + m.getClass().getSimpleName()); return same; })
        .build();
    // four counted messages outstanding, one uncounted query
    org.apache.pekko.actor.testkit.typed.javadsl.TestInbox<Msg> inbox = org.apache.pekko.actor.testkit.typed.javadsl.TestInbox.create();
    for (int i = 0; i < 4; i++) clock.tell(inbox.getRef(), new A());
    assertThat(clock.outstanding()).isEqualTo(4);
    r.receiveMessage(new A());
    r2.receiveMessage(new A());
    r2.receiveMessage(new B());
    r2.receiveMessage(new Query());
    assertThat(seen).containsExactly("any-msg:A", "A", "other:B", "other:Query");
    assertThat(clock.outstanding()).isEqualTo(1);
    assertThat(SimReceiveBuilder.counts(r)).isTrue();
  }
}
