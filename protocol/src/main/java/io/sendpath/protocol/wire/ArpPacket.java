package io.sendpath.protocol.wire;

/**
 * An IPv4-over-Ethernet ARP body (RFC 826; include/uapi/linux/if_arp.h struct arphdr plus its
 * addresses), 28 bytes. MACs are carried in the low 48 bits of a long.
 */
public record ArpPacket(int op, long senderMac, int senderIp, long targetMac, int targetIp) {
  public static final int ARPOP_REQUEST = 1, ARPOP_REPLY = 2;
  public static final int LENGTH = 28;
  public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

  public byte[] encode() {
    byte[] b = new byte[LENGTH];
    b[0] = 0; b[1] = 1;            // ar_hrd = ARPHRD_ETHER
    b[2] = 0x08; b[3] = 0x00;      // ar_pro = ETH_P_IP
    b[4] = 6; b[5] = 4;            // ar_hln, ar_pln
    b[6] = (byte) (op >>> 8); b[7] = (byte) op;
    putMac(b, 8, senderMac);
    putInt(b, 14, senderIp);
    putMac(b, 18, targetMac);
    putInt(b, 24, targetIp);
    return b;
  }

  /** Parses body[off..off+28); returns null when it is not Ethernet/IPv4 ARP. */
  public static ArpPacket decode(byte[] b, int off) {
    if (b.length - off < LENGTH) return null;
    if (b[off] != 0 || b[off + 1] != 1 || b[off + 2] != 0x08 || b[off + 3] != 0 || b[off + 4] != 6 || b[off + 5] != 4) return null;
    int op = ((b[off + 6] & 0xff) << 8) | (b[off + 7] & 0xff);
    return new ArpPacket(op, getMac(b, off + 8), getInt(b, off + 14), getMac(b, off + 18), getInt(b, off + 24));
  }

  public static void putMac(byte[] b, int p, long mac) {
    for (int i = 0; i < 6; i++) b[p + i] = (byte) (mac >>> (8 * (5 - i)));
  }

  public static long getMac(byte[] b, int p) {
    long m = 0;
    for (int i = 0; i < 6; i++) m = (m << 8) | (b[p + i] & 0xff);
    return m;
  }

  static void putInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24); b[p + 1] = (byte) (v >>> 16); b[p + 2] = (byte) (v >>> 8); b[p + 3] = (byte) v;
  }

  static int getInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
  }
}
