package io.sendpath.protocol.wire;

import io.sendpath.protocol.SkBuff;

/**
 * The result of decoding one received frame. When verdict is OK, skb is set (an IPv4/TCP segment,
 * or an ARP skb whose {@code arp} holds the 28-byte body) and, for ARP, arp is the parsed body.
 * Otherwise detail says exactly what is wrong (with the offending values) and skb may still carry
 * what was parsed before the fault was found (null when nothing useful was).
 */
public record Decoded(RxVerdict verdict, String detail, SkBuff skb, ArpPacket arp) {

  public boolean ok() {
    return verdict == RxVerdict.OK;
  }

  static Decoded fail(RxVerdict verdict, String detail) {
    return new Decoded(verdict, detail, null, null);
  }

  @Override
  public String toString() {
    return verdict == RxVerdict.OK ? "OK " + (arp != null ? arp : skb) : verdict + ": " + detail;
  }
}
