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
   * The bytes [streamOffset, streamOffset + len) as a Payload that stays valid after the source
   * lets them go: what an skb clone handed below TCP carries, so that its bytes survive an ACK
   * that frees them from the send queue before the NIC copies them (an RTO clone in a qdisc).
   * Offsets stay stream offsets. A payload that is a pure function of the offset returns itself.
   */
  default Payload slice(long streamOffset, int len) {
    return this;
  }

  /**
   * The load generator's payload: byte i of connection c's stream is a pure function of (seed, c,
   * i), so the peer can check every byte it receives without anything being stored per
   * connection. The function is a window onto one random table per seed, {@link #PERIOD} bytes
   * long (a prime): byte i of connection c is {@code table[(i + salt(seed, c)) mod PERIOD]}.
   * Producing and checking bytes is then a memory copy or compare. A byte delivered at the wrong
   * offset (by less than PERIOD, 8 MiB), to the wrong connection, or altered, is caught with
   * overwhelming probability, since the table is random and the salts differ.
   */
  final class Generated implements Payload {
    /** Table length: a prime just above 8 MiB, so no power-of-two shift lines two windows up. */
    public static final int PERIOD = 8_388_617;

    /** Tables by seed; a run uses one seed, tests a few. Each table is 8 MiB. */
    private static final java.util.Map<Long, byte[]> TABLES = java.util.Collections.synchronizedMap(
        new java.util.LinkedHashMap<>(8, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(java.util.Map.Entry<Long, byte[]> eldest) {
            return size() > 4;
          }
        });

    private final long seed;
    private final long connection;
    private final byte[] table;
    /** Where this connection's stream starts in the table, in [0, PERIOD). */
    private final int salt;

    public Generated(long seed, long connection) {
      this.seed = seed;
      this.connection = connection;
      this.table = TABLES.computeIfAbsent(seed, Generated::makeTable);
      this.salt = (int) Long.remainderUnsigned(mix(seed * 0xBF58476D1CE4E5B9L + connection * 0x94D049BB133111EBL), PERIOD);
    }

    public long seed() {
      return seed;
    }

    public long connection() {
      return connection;
    }

    @Override
    public void copyTo(long streamOffset, byte[] dst, int off, int len) {
      int pos = position(streamOffset);
      while (len > 0) {
        int n = Math.min(len, PERIOD - pos);
        System.arraycopy(table, pos, dst, off, n);
        off += n;
        len -= n;
        pos = 0;
      }
    }

    /**
     * True when src[off..off+len) equals stream bytes [streamOffset, streamOffset+len); otherwise
     * the index (from 0) of the first differing byte is returned by {@link #mismatch}.
     */
    public int mismatch(long streamOffset, byte[] src, int off, int len) {
      int pos = position(streamOffset);
      int done = 0;
      while (done < len) {
        int n = Math.min(len - done, PERIOD - pos);
        int m = java.util.Arrays.mismatch(src, off + done, off + done + n, table, pos, pos + n);
        if (m >= 0) return done + m;
        done += n;
        pos = 0;
      }
      return -1;
    }

    /** The byte at one stream offset; for checks that look at single bytes. */
    public byte byteAt(long streamOffset) {
      return table[position(streamOffset)];
    }

    /**
     * The shared random table behind every connection of this seed, {@link #PERIOD} bytes; never
     * write to it. With {@link #tablePosition} it lets a writer hand out views of the stream
     * without copying (stream byte i is {@code table()[tablePosition(i)]}, wrapping at PERIOD).
     */
    public byte[] table() {
      return table;
    }

    /** Where stream offset 'streamOffset' of this connection sits in {@link #table()}, in [0, PERIOD). */
    public int tablePosition(long streamOffset) {
      return position(streamOffset);
    }

    /** Table position of stream offset 0 (for tests that must cross the table's end). */
    int salt() {
      return salt;
    }

    private int position(long streamOffset) {
      return (int) Long.remainderUnsigned(streamOffset + salt, PERIOD);
    }

    private static long mix(long z) {
      z += 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    /** PERIOD bytes of SplitMix64 output seeded by 'seed'. */
    private static byte[] makeTable(long seed) {
      byte[] t = new byte[PERIOD];
      long state = seed;
      int i = 0;
      while (i < PERIOD) {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        for (int k = 0; k < 8 && i < PERIOD; k++, z >>>= 8) t[i++] = (byte) z;
      }
      return t;
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
