package io.sendpath.protocol;

/**
 * Where an skb's bytes come from. The skb names a range of a connection's byte stream; the bytes
 * are produced only when a frame is built (NIC) or checked (peer), so nothing large is stored for
 * load runs (DESIGN §4).
 */
public interface Payload {

  /**
   * Copies stream bytes [streamOffset, streamOffset + len) into dst at off. streamOffset counts
   * from the first byte the application wrote (0), not from the initial sequence number.
   */
  void copyTo(long streamOffset, byte[] dst, int off, int len);

  /**
   * The load generator's payload: byte i of connection c's stream is a pure function of (c, i),
   * so the peer can check every byte it receives without anything being stored. Each aligned
   * 8-byte word is a 64-bit mix of (seed, connection, word index); bytes are taken little-endian.
   */
  record Generated(long seed, long connection) implements Payload {
    private static final java.lang.invoke.VarHandle LONG_LE =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    @Override
    public void copyTo(long streamOffset, byte[] dst, int off, int len) {
      long pos = streamOffset;
      int i = 0;
      // Head: bytes up to the next 8-byte boundary of the stream.
      while (i < len && (pos & 7) != 0) {
        dst[off + i++] = byteAt(pos++);
      }
      // Body: whole words, written little-endian 8 bytes at a time.
      long index = pos >>> 3;
      while (len - i >= 8) {
        LONG_LE.set(dst, off + i, word(index++));
        i += 8;
      }
      pos = index << 3;
      // Tail.
      while (i < len) {
        dst[off + i++] = byteAt(pos++);
      }
    }

    /** The byte at one stream offset; for checks that look at single bytes. */
    public byte byteAt(long streamOffset) {
      return (byte) (word(streamOffset >>> 3) >>> (8 * (streamOffset & 7)));
    }

    private long word(long index) {
      // SplitMix64 finaliser over a combination of seed, connection and word index.
      long z = seed * 0x9E3779B97F4A7C15L + connection * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /** Payload of all zero bytes (packetdrill's injected and expected data). */
  Payload ZEROS = (streamOffset, dst, off, len) -> java.util.Arrays.fill(dst, off, off + len, (byte) 0);
}
