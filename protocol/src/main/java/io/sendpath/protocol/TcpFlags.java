package io.sendpath.protocol;

/** TCP header flag bits as they sit in byte 13 of the header (include/net/tcp.h TCPHDR_*). */
public final class TcpFlags {
  private TcpFlags() {}

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;
  public static final int ECE = 0x40;
  public static final int CWR = 0x80;

  /** packetdrill's spelling: F S R P . (ACK) E W U, in that order; "." alone for a bare ACK. */
  public static String toString(int flags) {
    StringBuilder sb = new StringBuilder();
    if ((flags & FIN) != 0) sb.append('F');
    if ((flags & SYN) != 0) sb.append('S');
    if ((flags & RST) != 0) sb.append('R');
    if ((flags & PSH) != 0) sb.append('P');
    if ((flags & ACK) != 0) sb.append('.');
    if ((flags & ECE) != 0) sb.append('E');
    if ((flags & CWR) != 0) sb.append('W');
    if ((flags & URG) != 0) sb.append('U');
    return sb.length() == 0 ? "-" : sb.toString();
  }
}
