package io.sendpath.protocol;

/**
 * An IPv4 TCP 4-tuple as the sender sees it (struct flowi4 / inet_sock's saddr, daddr, sport,
 * dport). Addresses are host-order ints (192.168.0.1 = 0xC0A80001), ports 0..65535.
 */
public record FlowKey(int saddr, int daddr, int sport, int dport) {

  /** The same flow seen from the other end: what an ACK from the peer carries. */
  public FlowKey reverse() {
    return new FlowKey(daddr, saddr, dport, sport);
  }

  /** Dotted-quad text of a host-order IPv4 address. */
  public static String ip(int addr) {
    return ((addr >>> 24) & 0xff) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
  }

  /** Parses dotted-quad text into a host-order int; throws IllegalArgumentException naming the text. */
  public static int parseIp(String text) {
    String[] parts = text.trim().split("\\.");
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
    int addr = 0;
    for (String p : parts) {
      int v;
      try {
        v = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
      }
      if (v < 0 || v > 255) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
      addr = (addr << 8) | v;
    }
    return addr;
  }

  @Override
  public String toString() {
    return ip(saddr) + ":" + sport + ">" + ip(daddr) + ":" + dport;
  }
}
