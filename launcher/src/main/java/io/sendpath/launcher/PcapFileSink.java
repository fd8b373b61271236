package io.sendpath.launcher;

import io.sendpath.protocol.wire.FrameSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames to a pcap file in the nanosecond-resolution format (magic 0xa1b23c4d, link type 1 =
 * Ethernet), timestamps in virtual time. The launcher's own minimal writer for --pcap; the NIC
 * module's io.sendpath.nic.PcapWriter(Path, int) replaces it once merged.
 */
final class PcapFileSink implements FrameSink {
  /** pcap magic for nanosecond timestamps, written little-endian. */
  private static final int MAGIC_NANOS = 0xa1b23c4d;
  /** LINKTYPE_ETHERNET. */
  private static final int LINKTYPE_ETHERNET = 1;

  /** Buffered file; null after close. */
  private OutputStream out;
  /** Bytes of each frame kept in the file; the record still states the frame's full length. */
  private final int snaplen;
  /** Scratch for one record header (16 bytes) or the file header (24 bytes). */
  private final byte[] header = new byte[24];

  PcapFileSink(Path file, int snaplen) throws IOException {
    if (snaplen <= 0) throw new IllegalArgumentException("snaplen must be positive, got " + snaplen);
    this.snaplen = snaplen;
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    putInt(0, MAGIC_NANOS);
    putShort(4, 2); // version 2.4
    putShort(6, 4);
    putInt(8, 0); // thiszone
    putInt(12, 0); // sigfigs
    putInt(16, snaplen);
    putInt(20, LINKTYPE_ETHERNET);
    out.write(header, 0, 24);
  }

  @Override
  public void frame(long timeNs, byte[] frame, int len) {
    int kept = Math.min(len, snaplen);
    putInt(0, (int) (timeNs / 1_000_000_000L));
    putInt(4, (int) (timeNs % 1_000_000_000L));
    putInt(8, kept);
    putInt(12, len);
    try {
      out.write(header, 0, 16);
      out.write(frame, 0, kept);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (out == null) return;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      out = null;
    }
  }

  private void putInt(int at, int v) {
    header[at] = (byte) v;
    header[at + 1] = (byte) (v >>> 8);
    header[at + 2] = (byte) (v >>> 16);
    header[at + 3] = (byte) (v >>> 24);
  }

  private void putShort(int at, int v) {
    header[at] = (byte) v;
    header[at + 1] = (byte) (v >>> 8);
  }
}
