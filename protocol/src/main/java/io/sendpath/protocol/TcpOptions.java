package io.sendpath.protocol;

/**
 * The TCP options Linux sends or understands, as fields. {@link #encode} lays them out exactly as
 * net/ipv4/tcp_output.c::tcp_options_write() does, so frames match a real kernel byte for byte:
 * <pre>
 *   MSS                          02 04 mm mm
 *   SACK_PERM + TS               04 02 08 0a vvvvvvvv eeeeeeee   (sackOK packed before TS)
 *   TS alone                     01 01 08 0a vvvvvvvv eeeeeeee   (nop, nop, TS)
 *   SACK_PERM alone              01 01 04 02                     (nop, nop, sackOK)
 *   WSCALE                       01 03 03 ss                     (nop, wscale)
 *   SACK blocks                  01 01 05 len (left right)...    (nop, nop, sack)
 * </pre>
 * A value of -1 means "absent" for mss and wscale.
 */
public final class TcpOptions {
  public int mss = -1;
  public boolean sackOk;
  public int wscale = -1;
  public boolean timestamps;
  public int tsVal;
  public int tsEcr;
  /** SACK blocks as [left0, right0, left1, right1, ...]; null when none. At most 4 blocks. */
  public int[] sackBlocks;

  public static final int KIND_EOL = 0, KIND_NOP = 1, KIND_MSS = 2, KIND_WSCALE = 3,
      KIND_SACK_PERM = 4, KIND_SACK = 5, KIND_TIMESTAMP = 8;

  /** Options-area length in bytes once encoded (always a multiple of 4). */
  public int length() {
    int n = 0;
    if (mss >= 0) n += 4;
    if (timestamps) n += 12;
    else if (sackOk) n += 4;
    if (wscale >= 0) n += 4;
    if (sackBlocks != null && sackBlocks.length > 0) n += 4 + 4 * sackBlocks.length;
    return n;
  }

  /** Writes the options at buf[off..off+length()) in Linux's layout; returns the length. */
  public int encode(byte[] buf, int off) {
    int p = off;
    if (mss >= 0) {
      buf[p++] = KIND_MSS; buf[p++] = 4; buf[p++] = (byte) (mss >>> 8); buf[p++] = (byte) mss;
    }
    if (timestamps) {
      if (sackOk) { buf[p++] = KIND_SACK_PERM; buf[p++] = 2; }
      else { buf[p++] = KIND_NOP; buf[p++] = KIND_NOP; }
      buf[p++] = KIND_TIMESTAMP; buf[p++] = 10;
      p = putInt(buf, p, tsVal);
      p = putInt(buf, p, tsEcr);
    } else if (sackOk) {
      buf[p++] = KIND_NOP; buf[p++] = KIND_NOP; buf[p++] = KIND_SACK_PERM; buf[p++] = 2;
    }
    if (wscale >= 0) {
      buf[p++] = KIND_NOP; buf[p++] = KIND_WSCALE; buf[p++] = 3; buf[p++] = (byte) wscale;
    }
    if (sackBlocks != null && sackBlocks.length > 0) {
      buf[p++] = KIND_NOP; buf[p++] = KIND_NOP; buf[p++] = KIND_SACK;
      buf[p++] = (byte) (2 + 4 * sackBlocks.length);
      for (int v : sackBlocks) p = putInt(buf, p, v);
    }
    return p - off;
  }

  /**
   * Parses an options area (net/ipv4/tcp_input.c::tcp_parse_options()). Unknown kinds are
   * skipped by their length; a malformed area stops parsing, as Linux does.
   */
  public static TcpOptions decode(byte[] buf, int off, int len) {
    TcpOptions o = new TcpOptions();
    int p = off, end = off + len;
    while (p < end) {
      int kind = buf[p] & 0xff;
      if (kind == KIND_EOL) break;
      if (kind == KIND_NOP) { p++; continue; }
      if (p + 1 >= end) break;
      int olen = buf[p + 1] & 0xff;
      if (olen < 2 || p + olen > end) break;
      switch (kind) {
        case KIND_MSS -> { if (olen == 4) o.mss = ((buf[p + 2] & 0xff) << 8) | (buf[p + 3] & 0xff); }
        case KIND_WSCALE -> { if (olen == 3) o.wscale = Math.min(buf[p + 2] & 0xff, 14); }
        case KIND_SACK_PERM -> { if (olen == 2) o.sackOk = true; }
        case KIND_TIMESTAMP -> {
          if (olen == 10) { o.timestamps = true; o.tsVal = getInt(buf, p + 2); o.tsEcr = getInt(buf, p + 6); }
        }
        case KIND_SACK -> {
          int n = (olen - 2) / 8;
          if (n > 0 && (olen - 2) % 8 == 0) {
            o.sackBlocks = new int[2 * n];
            for (int i = 0; i < 2 * n; i++) o.sackBlocks[i] = getInt(buf, p + 2 + 4 * i);
          }
        }
        default -> { }
      }
      p += olen;
    }
    return o;
  }

  public TcpOptions copy() {
    TcpOptions c = new TcpOptions();
    c.mss = mss; c.sackOk = sackOk; c.wscale = wscale; c.timestamps = timestamps;
    c.tsVal = tsVal; c.tsEcr = tsEcr; c.sackBlocks = sackBlocks == null ? null : sackBlocks.clone();
    return c;
  }

  static int putInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24); b[p + 1] = (byte) (v >>> 16); b[p + 2] = (byte) (v >>> 8); b[p + 3] = (byte) v;
    return p + 4;
  }

  static int getInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("<");
    if (mss >= 0) sb.append("mss ").append(mss).append(',');
    if (sackOk) sb.append("sackOK,");
    if (timestamps) sb.append("TS val ").append(Integer.toUnsignedString(tsVal)).append(" ecr ").append(Integer.toUnsignedString(tsEcr)).append(',');
    if (wscale >= 0) sb.append("wscale ").append(wscale).append(',');
    if (sackBlocks != null) {
      sb.append("sack");
      for (int i = 0; i < sackBlocks.length; i += 2) sb.append(' ').append(Integer.toUnsignedString(sackBlocks[i])).append(':').append(Integer.toUnsignedString(sackBlocks[i + 1]));
      sb.append(',');
    }
    if (sb.length() > 1) sb.setLength(sb.length() - 1);
    return sb.append('>').toString();
  }
}
