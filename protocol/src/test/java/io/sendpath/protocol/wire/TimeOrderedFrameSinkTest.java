package io.sendpath.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimeOrderedFrameSinkTest {

  record Written(long t, byte[] frame, int len) {}

  static final class Collect implements FrameSink {
    final List<Written> got = new ArrayList<>();
    boolean closed;

    @Override public void frame(long t, byte[] f, int len) { got.add(new Written(t, f, len)); }
    @Override public void close() { closed = true; }
  }

  final Collect inner = new Collect();
  long now;
  final TimeOrderedFrameSink sink = new TimeOrderedFrameSink(inner, () -> now);

  static byte[] f(int tag) {
    return new byte[] {(byte) tag};
  }

  @Test
  void trainAheadOfTheClock_ackDepartingInBetween_writtenInTimestampOrder() {
    // wire A→B at t=1000 shows a train of three frames departing 1000, 2230, 3460
    now = 1000;
    byte[] d0 = f(0), d1 = f(1), d2 = f(2), ack = f(9);
    sink.frame(1000, d0, 1);
    sink.frame(2230, d1, 1);
    sink.frame(3460, d2, 1);
    assertThat(inner.got).isEmpty(); // nothing is before the watermark yet
    // wire B→A at t=2500 shows an ACK departing then
    now = 2500;
    sink.frame(2500, ack, 1);
    assertThat(inner.got).extracting(Written::frame).containsExactly(d0, d1);
    now = 5000;
    sink.frame(5000, f(3), 1);
    assertThat(inner.got).extracting(Written::t).containsExactly(1000L, 2230L, 2500L, 3460L);
    sink.close();
    assertThat(inner.got).extracting(Written::t).containsExactly(1000L, 2230L, 2500L, 3460L, 5000L);
    assertThat(inner.closed).isTrue();
  }

  @Test
  void equalTimestamps_keepSubmissionOrder() {
    now = 0;
    byte[] a = f(1), b = f(2), c = f(3);
    sink.frame(700, a, 1);
    sink.frame(500, b, 1);
    sink.frame(700, c, 1);
    sink.close();
    assertThat(inner.got).extracting(Written::frame).containsExactly(b, a, c);
  }

  @Test
  void frameAtTheWatermark_heldUntilTheWatermarkPassesIt() {
    now = 100;
    sink.frame(100, f(1), 1);
    assertThat(sink.held()).isEqualTo(1);
    sink.flushBefore(101);
    assertThat(inner.got).hasSize(1);
    assertThat(sink.held()).isZero();
  }

  @Test
  void lengthIsPassedThrough_andClosedSinkRefusesFrames() {
    now = 10;
    byte[] big = new byte[100];
    sink.frame(5, big, 60);
    assertThat(inner.got).containsExactly(new Written(5, big, 60));
    sink.close();
    sink.close(); // idempotent
    assertThatThrownBy(() -> sink.frame(20, big, 1)).isInstanceOf(IllegalStateException.class);
  }

  /**
   * Two wires with random trains: each submits a train at its first departure (never before the
   * end of its previous train); the output is sorted, complete, and at most one train per wire
   * (plus the submitting frame) is ever held.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void twoWiresOfRandomTrains_outputSortedAndHeldBounded(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] lineFree = new long[2];
    int submitted = 0;
    int maxTrain = 0;
    for (int round = 0; round < 2000; round++) {
      int w = rnd.nextInt(2);
      // the clock only moves forward; a wire's next train leaves once its line is free
      long start = Math.max(now, lineFree[w]) + rnd.nextInt(3000);
      now = start;
      int n = 1 + rnd.nextInt(44);
      maxTrain = Math.max(maxTrain, n);
      long t = start;
      for (int i = 0; i < n; i++) {
        sink.frame(t, f(w), 1);
        submitted++;
        t += 1230;
      }
      lineFree[w] = t;
    }
    assertThat(sink.maxHeld()).isLessThanOrEqualTo(2 * maxTrain + 1);
    sink.close();
    assertThat(inner.got).hasSize(submitted);
    for (int i = 1; i < inner.got.size(); i++) assertThat(inner.got.get(i).t()).isGreaterThanOrEqualTo(inner.got.get(i - 1).t());
  }
}
