package io.sendpath.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.Payload;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SendBufferTest {
  private static final Payload GEN = new Payload.Generated(3, 9);

  private static byte[] gen(long off, int len) {
    byte[] b = new byte[len];
    GEN.copyTo(off, b, 0, len);
    return b;
  }

  @Test
  void mixedWrites_realAndGeneratedRanges_copyByteForByte() {
    SendBuffer sb = new SendBuffer(GEN);
    byte[] real = new byte[3000];
    new SplittableRandom(1).nextBytes(real);
    sb.append(1000, ByteBuffer.wrap(real).asReadOnlyBuffer(), 3000); // [0, 1000) was generated before
    sb.append(4000, null, 500);
    byte[] out = new byte[4500];
    sb.copyTo(0, out, 0, 4500);
    assertThat(java.util.Arrays.copyOfRange(out, 0, 1000)).isEqualTo(gen(0, 1000));
    assertThat(java.util.Arrays.copyOfRange(out, 1000, 4000)).isEqualTo(real);
    assertThat(java.util.Arrays.copyOfRange(out, 4000, 4500)).isEqualTo(gen(4000, 500));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void slice_survivesAckedTo_andLaterWritesReuseTheRing(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    SendBuffer sb = new SendBuffer(GEN);
    byte[] all = new byte[200_000];
    rnd.nextBytes(all);
    long off = 0;
    Payload[] slices = new Payload[40];
    long[] sliceAt = new long[40];
    int[] sliceLen = new int[40];
    for (int i = 0; i < 40; i++) {
      int n = 1 + rnd.nextInt(4000);
      sb.append(off, ByteBuffer.wrap(all, (int) off, n).slice().asReadOnlyBuffer(), n);
      slices[i] = sb.slice(off, n);
      sliceAt[i] = off;
      sliceLen[i] = n;
      off += n;
      sb.ackedTo(off - rnd.nextInt(n)); // acknowledged meanwhile, partly or wholly
    }
    sb.ackedTo(off);
    assertThat(sb.chunks()).isZero();
    for (int i = 0; i < 40; i++) {
      byte[] out = new byte[sliceLen[i]];
      slices[i].copyTo(sliceAt[i], out, 0, sliceLen[i]);
      assertThat(out).isEqualTo(java.util.Arrays.copyOfRange(all, (int) sliceAt[i], (int) sliceAt[i] + sliceLen[i]));
    }
  }

  @Test
  void generatedOnlyRange_sliceIsTheGeneratedPayloadItself() {
    SendBuffer sb = new SendBuffer(GEN);
    sb.append(0, null, 1000);
    sb.append(1000, null, 1000);
    assertThat(sb.chunks()).as("adjacent generated ranges merge").isEqualTo(1);
    assertThat(sb.slice(100, 500)).isSameAs(GEN);
    assertThat(GEN.slice(5, 10)).isSameAs(GEN);
  }

  @Test
  void truncate_aWriteThatEndedEarly_givesBackWhatItDidNotCopy() {
    SendBuffer sb = new SendBuffer(GEN);
    byte[] real = new byte[1000];
    new SplittableRandom(5).nextBytes(real);
    sb.append(0, ByteBuffer.wrap(real, 0, 600).slice().asReadOnlyBuffer(), 600);
    sb.append(600, ByteBuffer.wrap(real, 600, 400).slice().asReadOnlyBuffer(), 400);
    sb.truncate(300);
    assertThat(sb.chunks()).isEqualTo(1);
    byte[] out = new byte[600];
    sb.copyTo(0, out, 0, 600);
    assertThat(java.util.Arrays.copyOfRange(out, 0, 300)).isEqualTo(java.util.Arrays.copyOfRange(real, 0, 300));
    assertThat(java.util.Arrays.copyOfRange(out, 300, 600)).as("past the end: generated again").isEqualTo(gen(300, 300));
  }
}
