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
   * The load generator's payload: byte i of connection c's stream is a pure function of (seed, c,
   * i), so the peer can check every byte it receives without anything being stored. Aligned 8-byte
   * word w of the stream is {@code (w + salt) * K} with its high half folded into the low half,
   * where salt mixes seed and connection (SplitMix64); bytes are taken little-endian. One multiply
   * per 8 bytes: the NIC builds every frame from it and the peer checks every byte against it.
   * Neighbouring words, connections and seeds all differ, so a byte delivered at the wrong offset,
   * to the wrong connection or altered is caught.
   */
  final class Generated implements Payload {
    private static final java.lang.invoke.VarHandle LONG_LE =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long K = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final long connection;
    /** SplitMix64 of (seed, connection): where this connection's word sequence starts. */
    private final long salt;

    public Generated(long seed, long connection) {
      this.seed = seed;
      this.connection = connection;
      long z = seed * 0xBF58476D1CE4E5B9L + connection * 0x94D049BB133111EBL + K;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      this.salt = z ^ (z >>> 31);
    }

    public long seed() {
      return seed;
    }

    public long connection() {
      return connection;
    }

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
      long z = (index + salt) * K;
      return z ^ (z >>> 32);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Generated g && g.seed == seed && g.connection == connection;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(seed * 31 + connection);
    }

    @Override
    public String toString() {
      return "Generated[seed=" + seed + ", connection=" + connection + "]";
    }
  }

  /** Payload of all zero bytes (packetdrill's injected and expected data). */
  Payload ZEROS = (streamOffset, dst, off, len) -> java.util.Arrays.fill(dst, off, off + len, (byte) 0);
}
