package io.sendpath.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventHeapTest {

  record Ref(long at, long seq) implements Comparable<Ref> {
    @Override
    public int compareTo(Ref o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** Interleaved adds and removals come out exactly as a PriorityQueue orders them. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void randomOperations_matchPriorityQueueOrder(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    EventHeap heap = new EventHeap();
    PriorityQueue<Ref> ref = new PriorityQueue<>();
    long seq = 0;
    for (int op = 0; op < 50_000; op++) {
      if (ref.isEmpty() || rnd.nextInt(3) > 0) {
        long at = rnd.nextInt(200); // many ties in time
        Ref r = new Ref(at, seq++);
        heap.add(r.at, r.seq, "to", r);
        ref.add(r);
      } else {
        Ref want = ref.poll();
        assertThat(heap.peekAt()).isEqualTo(want.at);
        assertThat(heap.peekMessage()).isEqualTo(want);
        heap.removeFirst();
      }
      assertThat(heap.size()).isEqualTo(ref.size());
    }
    while (!ref.isEmpty()) {
      assertThat(heap.peekMessage()).isEqualTo(ref.poll());
      heap.removeFirst();
    }
    assertThat(heap.isEmpty()).isTrue();
  }
}
