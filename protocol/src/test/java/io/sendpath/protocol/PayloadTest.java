package io.sendpath.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadTest {

  /** copyTo at any offset and length gives exactly the bytes byteAt gives one by one. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void copyTo_anyOffsetAndLength_matchesByteAt(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Payload.Generated p = new Payload.Generated(seed, rnd.nextInt(1000));
    for (int trial = 0; trial < 500; trial++) {
      long offset = rnd.nextLong(1L << 40);
      int len = rnd.nextInt(3000);
      int dstOff = rnd.nextInt(16);
      byte[] dst = new byte[dstOff + len + 16];
      p.copyTo(offset, dst, dstOff, len);
      for (int i = 0; i < len; i++) assertThat(dst[dstOff + i]).isEqualTo(p.byteAt(offset + i));
      for (int i = 0; i < dstOff; i++) assertThat(dst[i]).isZero();
      for (int i = dstOff + len; i < dst.length; i++) assertThat(dst[i]).isZero();
    }
  }

  /** Reads that cross the end of the table wrap around to its start. */
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 1500, 65536})
  void copyTo_acrossTheTableEnd_wraps(int len) {
    Payload.Generated p = new Payload.Generated(5, 3);
    // the stream offset whose table position lies len/2 bytes before the table's end
    long start = Math.floorMod(Payload.Generated.PERIOD - (len + 1) / 2 - p.salt(), Payload.Generated.PERIOD);
    byte[] dst = new byte[len + 2];
    p.copyTo(start, dst, 1, len);
    for (int i = 0; i < len; i++) assertThat(dst[1 + i]).isEqualTo(p.byteAt(start + i));
    assertThat(p.mismatch(start, dst, 1, len)).isEqualTo(-1);
    dst[1 + len / 2] ^= 1;
    assertThat(p.mismatch(start, dst, 1, len)).isEqualTo(len / 2);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 99})
  void differentConnections_differentBytes(long conn) {
    Payload.Generated a = new Payload.Generated(1, conn), b = new Payload.Generated(1, conn + 1);
    byte[] x = new byte[64], y = new byte[64];
    a.copyTo(0, x, 0, 64);
    b.copyTo(0, y, 0, 64);
    assertThat(x).isNotEqualTo(y);
  }
}
