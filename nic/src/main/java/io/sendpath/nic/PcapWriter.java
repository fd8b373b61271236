package io.sendpath.nic;

import io.sendpath.protocol.wire.FrameSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A nanosecond-resolution pcap file (magic 0xa1b23c4d, version 2.4, LINKTYPE_ETHERNET), written
 * little-endian, timestamps in virtual time. Safe for several wires sharing one file: records are
 * written whole under a lock, and since wires write at their event's instant and the clock only
 * moves forward, timestamps never decrease; one that would is refused as a bug in the caller.
 */
public final class PcapWriter implements FrameSink {
  public static final int MAGIC_NS = 0xa1b23c4d, LINKTYPE_ETHERNET = 1, DEFAULT_SNAPLEN = 262144;

  private final OutputStream out;
  /** Bytes kept of each frame; the record's orig_len still says how long it was. */
  private final int snaplen;
  private final byte[] rec = new byte[16];
  /** Timestamp of the last record; records are written in non-decreasing time order. */
  private long lastNs = Long.MIN_VALUE;
  private boolean closed;

  public PcapWriter(Path file) {
    this(file, DEFAULT_SNAPLEN);
  }

  public PcapWriter(Path file, int snaplen) {
    this(newStream(file), snaplen);
  }

  public PcapWriter(OutputStream stream, int snaplen) {
    if (snaplen < 1) throw new IllegalArgumentException("snaplen must be positive, got " + snaplen);
    this.out = new BufferedOutputStream(stream, 1 << 16);
    this.snaplen = snaplen;
    byte[] h = new byte[24];
    le32(h, 0, MAGIC_NS);
    h[4] = 2; h[6] = 4;              // version 2.4; thiszone and sigfigs 0
    le32(h, 16, snaplen);
    le32(h, 20, LINKTYPE_ETHERNET);
    write(h, 0, 24);
  }

  @Override
  public synchronized void frame(long timeNs, byte[] frame, int len) {
    if (closed) throw new IllegalStateException("pcap writer is closed");
    if (timeNs < lastNs) throw new IllegalArgumentException("frame at " + timeNs + " ns after one at " + lastNs + " ns: pcap must stay in time order");
    lastNs = timeNs;
    int incl = Math.min(len, snaplen);
    le32(rec, 0, (int) (timeNs / 1_000_000_000L));
    le32(rec, 4, (int) (timeNs % 1_000_000_000L));
    le32(rec, 8, incl);
    le32(rec, 12, len);
    write(rec, 0, 16);
    write(frame, 0, incl);
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(byte[] b, int off, int len) {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OutputStream newStream(Path file) {
    try {
      return Files.newOutputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create pcap file " + file, e);
    }
  }

  private static void le32(byte[] b, int p, int v) {
    b[p] = (byte) v; b[p + 1] = (byte) (v >>> 8); b[p + 2] = (byte) (v >>> 16); b[p + 3] = (byte) (v >>> 24);
  }
}
