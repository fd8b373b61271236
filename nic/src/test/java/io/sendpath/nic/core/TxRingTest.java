package io.sendpath.nic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sendpath.protocol.SkBuff;
import org.junit.jupiter.api.Test;

class TxRingTest {
  static final long G10 = 10_000_000_000L;

  @Test
  void idleLine_1514ByteFrameAt10G_takes1230nsWithFractionCarried() {
    TxRing ring = new TxRing(4, G10, 0);
    // (1514 + 24) × 8 / 10 = 1230.4 ns
    assertThat(ring.depart(1000, 1514)).isEqualTo(1000);
    assertThat(ring.lastSerializationNs()).isEqualTo(1230);
    assertThat(ring.depart(1000, 1514)).isEqualTo(2230);
    assertThat(ring.lastSerializationNs()).isEqualTo(1230);
    ring.depart(1000, 1514);
    ring.depart(1000, 1514);
    ring.depart(1000, 1514);
    // five frames: 5 × 1230.4 = 6152 exactly; the 0.4 ns pieces add up to the 5th frame's extra 2 ns
    assertThat(ring.busyUntilNs()).isEqualTo(1000 + 6152);
  }

  @Test
  void backToBack_millionFrames_endIsExactBitTimeNoDrift() {
    TxRing ring = new TxRing(1, G10, 0);
    long start = 5;
    long prevEnd = start;
    for (int i = 0; i < 1_000_000; i++) {
      long depart = ring.depart(start, 1514);
      assertThat(depart).isEqualTo(prevEnd);
      prevEnd = depart + ring.lastSerializationNs();
    }
    assertThat(ring.busyUntilNs()).isEqualTo(start + 1_230_400_000L);
  }

  @Test
  void lineIdleAgain_nextFrame_startsAtNowWithoutOldFraction() {
    TxRing ring = new TxRing(2, G10, 0);
    ring.depart(0, 1514); // ends at 1230.4
    assertThat(ring.depart(5000, 1514)).isEqualTo(5000);
    assertThat(ring.busyUntilNs()).isEqualTo(6230);
    // offered exactly at the integer end while the 0.4 is still on the line: back to back
    assertThat(ring.depart(6230, 1514)).isEqualTo(6230);
    assertThat(ring.busyUntilNs()).isEqualTo(7460);
  }

  @Test
  void minimumFrame_60Bytes_at1G_takes672ns() {
    TxRing ring = new TxRing(1, 1_000_000_000L, 0);
    ring.depart(0, 60);
    assertThat(ring.lastSerializationNs()).isEqualTo(672);
  }

  @Test
  void postedSkbs_completeInOrderAfterLastFramePlusDelay_andRingFills() {
    TxRing ring = new TxRing(2, G10, 100);
    SkBuff a = new SkBuff(), b = new SkBuff();
    ring.depart(0, 1514);
    assertThat(ring.post(a, 1514)).isEqualTo(1230 + 100);
    ring.depart(0, 1514);
    ring.depart(0, 1514);
    assertThat(ring.post(b, 3028)).isEqualTo(3691 + 100);
    assertThat(ring.full()).isTrue();
    assertThatThrownBy(() -> ring.post(new SkBuff(), 1)).isInstanceOf(IllegalStateException.class);
    assertThat(ring.headCompletionNs()).isEqualTo(1330);
    assertThat(ring.popHead()).isSameAs(a);
    assertThat(ring.headBytes()).isEqualTo(3028);
    assertThat(ring.popHead()).isSameAs(b);
    assertThat(ring.headCompletionNs()).isEqualTo(Long.MAX_VALUE);
  }
}
