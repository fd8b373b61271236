package io.sendpath.protocol.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The internet checksum (RFC 1071) and its incremental update (RFC 1624), as used for the IPv4
 * header and the TCP segment (include/net/checksum.h, lib/checksum.c::do_csum()).
 *
 * <p>Sums are kept unfolded in a {@code long} accumulator: each step adds two 32-bit big-endian
 * halves of an 8-byte word, so a frame of any realistic size cannot overflow it (2^31 steps would
 * be needed). {@link #fold} turns an accumulator into the 16-bit one's complement sum; the value
 * put in a header is its complement ({@link #finish}). One's complement addition does not care
 * about the word width (RFC 1071 §2 (B), (C)), which is what makes the 8-byte steps exact.
 */
public final class Checksum {
  private Checksum() {}

  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** IPPROTO_TCP (include/uapi/linux/in.h). */
  public static final int IPPROTO_TCP = 6;

  /**
   * Adds buf[off..off+len) to acc as a sequence of big-endian 16-bit words starting at off; an odd
   * last byte counts as the high byte of a word whose low byte is zero. Returns the new
   * accumulator (not folded).
   */
  public static long add(long acc, byte[] buf, int off, int len) {
    int p = off;
    int end = off + len;
    int end8 = end - 7;
    while (p < end8) {
      long w = (long) LONG_BE.get(buf, p);
      acc += (w >>> 32) + (w & 0xFFFF_FFFFL);
      p += 8;
    }
    if (end - p >= 4) {
      acc += Integer.toUnsignedLong((int) INT_BE.get(buf, p));
      p += 4;
    }
    if (end - p >= 2) {
      acc += ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
      p += 2;
    }
    if (p < end) acc += (buf[p] & 0xff) << 8;
    return acc;
  }

  /** Adds one 16-bit word. */
  public static long add16(long acc, int word) {
    return acc + (word & 0xffff);
  }

  /** Adds a 32-bit value as two 16-bit words (an IPv4 address, a sequence number). */
  public static long add32(long acc, int value) {
    return acc + Integer.toUnsignedLong(value);
  }

  /** Folds an accumulator to the 16-bit one's complement sum (csum_fold without the final complement). */
  public static int fold(long acc) {
    long s = (acc & 0xFFFF_FFFFL) + (acc >>> 32);
    s = (s & 0xFFFF_FFFFL) + (s >>> 32);
    int t = (int) ((s & 0xffff) + (s >>> 16)) ;
    t = (t & 0xffff) + (t >>> 16);
    t = (t & 0xffff) + (t >>> 16);
    return t;
  }

  /** The checksum field value for a sum: the complement of the folded sum (include/net/checksum.h csum_fold()). */
  public static int finish(long acc) {
    return ~fold(acc) & 0xffff;
  }

  /** RFC 1071 checksum of buf[off..off+len): the value to store in a checksum field. */
  public static int checksum(byte[] buf, int off, int len) {
    return finish(add(0, buf, off, len));
  }

  /**
   * Sum of the TCP/UDP IPv4 pseudo-header: saddr, daddr, zero + protocol, and the transport
   * length (include/net/checksum.h csum_tcpudp_nofold()). Addresses are host-order ints.
   */
  public static long pseudoHeader(int saddr, int daddr, int protocol, int transportLen) {
    return Integer.toUnsignedLong(saddr) + Integer.toUnsignedLong(daddr) + (protocol & 0xff) + (transportLen & 0xffff);
  }

  /**
   * The TCP checksum of the segment at buf[off..off+len) (header with its check field as it is, and
   * payload), over the IPv4 pseudo-header (net/ipv4/tcp_ipv4.c::__tcp_v4_send_check() done in
   * software). With the check field zeroed this is the value to store; over a received segment
   * it is 0 when the segment is intact.
   */
  public static int tcpChecksum(byte[] buf, int off, int len, int saddr, int daddr) {
    return finish(add(pseudoHeader(saddr, daddr, IPPROTO_TCP, len), buf, off, len));
  }

  /**
   * True when a region that includes its own checksum field sums to 0xffff (RFC 1071 §1 step 3:
   * verification). acc may hold a pseudo-header sum.
   */
  public static boolean verifies(long acc, byte[] buf, int off, int len) {
    return fold(add(acc, buf, off, len)) == 0xffff;
  }

  /**
   * RFC 1624 eqn. 3: the new checksum field after one 16-bit word of the covered data changes from
   * oldWord to newWord (include/net/checksum.h csum_replace2()).
   */
  public static int update16(int check, int oldWord, int newWord) {
    long acc = (~check & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
    return finish(acc);
  }

  /** RFC 1624 for a 32-bit field (csum_replace4()): an address, a sequence or acknowledgment number. */
  public static int update32(int check, int oldValue, int newValue) {
    long acc = (~check & 0xffff)
        + (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff)
        + ((newValue >>> 16) & 0xffff) + (newValue & 0xffff);
    return finish(acc);
  }
}
