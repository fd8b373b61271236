package io.sendpath.protocol;

/**
 * 32-bit TCP sequence arithmetic, modulo 2^32 (include/net/tcp.h before(), after(), between()).
 * Sequence numbers are carried in Java ints; comparisons go through the signed difference.
 */
public final class Seq {
  private Seq() {}

  /** include/net/tcp.h before(): seq1 comes strictly before seq2. */
  public static boolean before(int seq1, int seq2) {
    return (seq1 - seq2) < 0;
  }

  /** include/net/tcp.h after(): seq2 comes strictly before seq1. */
  public static boolean after(int seq1, int seq2) {
    return before(seq2, seq1);
  }

  /** include/net/tcp.h between(): low <= seq <= high, modulo 2^32. */
  public static boolean between(int seq, int low, int high) {
    return (high - low) - (seq - low) >= 0 && Integer.compareUnsigned(high - low, seq - low) >= 0;
  }

  /** Distance from 'from' to 'to' as an unsigned count (to - from, modulo 2^32). */
  public static long distance(int from, int to) {
    return Integer.toUnsignedLong(to - from);
  }

  public static int max(int a, int b) {
    return after(a, b) ? a : b;
  }

  public static int min(int a, int b) {
    return before(a, b) ? a : b;
  }
}
