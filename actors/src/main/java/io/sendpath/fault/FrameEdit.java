package io.sendpath.fault;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.wire.Checksum;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.SplittableRandom;

/** Reading and rewriting whole Ethernet frames as the wire faults need; never changes its input. */
public final class FrameEdit {
  private FrameEdit() {}

  public static boolean isArp(byte[] f) {
    return f.length >= FrameCodec.ETH_HLEN && FrameCodec.get16(f, 12) == SkBuff.ETH_P_ARP;
  }

  /** An IPv4 frame carrying a whole TCP header. */
  public static boolean isTcp(byte[] f) {
    if (f.length < FrameCodec.TCP_OFF + FrameCodec.TCP_HLEN || FrameCodec.get16(f, 12) != SkBuff.ETH_P_IP) return false;
    return (f[FrameCodec.IP_OFF + 9] & 0xff) == Checksum.IPPROTO_TCP && (f[FrameCodec.IP_OFF] & 0x0f) == 5;
  }

  public static int sport(byte[] f) {
    return FrameCodec.get16(f, FrameCodec.TCP_OFF);
  }

  public static int dport(byte[] f) {
    return FrameCodec.get16(f, FrameCodec.TCP_OFF + 2);
  }

  /**
   * A copy with one bit flipped somewhere in the TCP header or payload, so the receiver's TCP
   * checksum check fails (a one's-complement sum detects every single-bit error).
   */
  public static byte[] corrupt(byte[] f, SplittableRandom random) {
    byte[] c = f.clone();
    int totLen = FrameCodec.get16(f, FrameCodec.IP_OFF + 2);
    int end = Math.min(f.length, FrameCodec.IP_OFF + totLen);
    int at = FrameCodec.TCP_OFF + random.nextInt(end - FrameCodec.TCP_OFF);
    c[at] ^= (byte) (1 << random.nextInt(8));
    return c;
  }

  /** True for a TCP segment whose window field a zero-window rewrite changes (ACK set, not SYN, window > 0). */
  public static boolean hasOpenWindow(byte[] f) {
    int flags = f[FrameCodec.TCP_OFF + 13] & 0xff;
    return (flags & TcpFlags.ACK) != 0 && (flags & TcpFlags.SYN) == 0 && FrameCodec.get16(f, FrameCodec.TCP_OFF + 14) != 0;
  }

  /** A copy advertising a zero window, its TCP checksum updated (RFC 1624). */
  public static byte[] zeroWindow(byte[] f) {
    byte[] c = f.clone();
    int th = FrameCodec.TCP_OFF;
    int old = FrameCodec.get16(c, th + 14);
    FrameCodec.put16(c, th + 14, 0);
    FrameCodec.put16(c, th + 16, Checksum.update16(FrameCodec.get16(c, th + 16), old, 0));
    return c;
  }
}
