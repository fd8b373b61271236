package io.sendpath.protocol.wire;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Puts frames from several wires into timestamp order before they reach an inner sink (a pcap
 * must never go back in time). A wire shows a whole frame train at the first frame's departure,
 * stamped up to one TSO burst ahead (about 53 µs of 44 frames at 10 Gbit/s), while the wire of the
 * other direction may still show a frame that departs in between. So frames are held here until
 * the watermark has passed them, then written in (timestamp, source MAC, submission order). Frames
 * stamped the same nanosecond by two wires are put in the order of their Ethernet source, not in
 * the order their threads got here, so a pcap is the same whatever the number of threads; a wire's
 * own frames keep their submission order.
 *
 * <p>The watermark (virtual ns) promises that every frame stamped earlier than it has already been
 * submitted; with one clock that is the clock's now, since a wire submits at its train's first
 * departure and never stamps a frame before that. Each {@link #frame} call holds the frame, then
 * writes every held frame stamped before the watermark; {@link #close()} writes the rest and closes
 * the inner sink.
 *
 * <p>Bounded: a wire submits its next train no earlier than its current train's last departure
 * (the line is busy until then), so at most one train per wire, plus frames stamped exactly at the
 * watermark, is ever held. When hosts run apart (one clock domain each, up to a lookahead ahead of
 * each other), the watermark is the slowest domain's now, and the frames of at most one lookahead
 * per wire are held. Frames are held by reference, not copied: wires hand over frames that
 * nobody changes afterwards (faults rewrite copies, see FrameSink callers), and the inner sink
 * copies what it keeps (PcapWriter writes at once).
 *
 * <p>Thread-safe: every method is synchronized, as several wires may submit from several threads.
 */
public final class TimeOrderedFrameSink implements FrameSink {

  private final FrameSink inner;
  private final LongSupplier watermark;

  /** Held frames, a binary min-heap on (timeNs, source, order) in parallel arrays; size entries in use. */
  private long[] timeNs = new long[64];
  private long[] source = new long[64];
  private long[] order = new long[64];
  private byte[][] frames = new byte[64][];
  private int[] lens = new int[64];
  private int size;
  /** Submission counter: orders frames with equal timestamps as they were submitted. */
  private long submitted;
  /** Most frames ever held at once (for tests and reports of the bound above). */
  private int maxHeld;
  private boolean closed;

  /**
   * @param inner     where frames go, in timestamp order
   * @param watermark virtual ns before which every frame has been submitted (e.g. {@code clock::now})
   */
  public TimeOrderedFrameSink(FrameSink inner, LongSupplier watermark) {
    if (inner == null || watermark == null) throw new IllegalArgumentException("inner sink and watermark are required");
    this.inner = inner;
    this.watermark = watermark;
  }

  @Override
  public synchronized void frame(long time, byte[] frame, int len) {
    if (closed) throw new IllegalStateException("time-ordered sink is closed");
    push(time, frame, len);
    if (size > maxHeld) maxHeld = size;
    flushBefore(watermark.getAsLong());
  }

  /** Writes every held frame stamped before 'mark', in order. */
  public synchronized void flushBefore(long mark) {
    while (size > 0 && timeNs[0] < mark) {
      long t = timeNs[0];
      byte[] f = frames[0];
      int len = lens[0];
      pop();
      inner.frame(t, f, len);
    }
  }

  /** Frames held now (waiting for the watermark). */
  public synchronized int held() {
    return size;
  }

  /** Most frames held at once so far. */
  public synchronized int maxHeld() {
    return maxHeld;
  }

  /** Writes every held frame, then closes the inner sink. */
  @Override
  public synchronized void close() {
    if (closed) return;
    flushBefore(Long.MAX_VALUE);
    while (size > 0) { // a frame stamped Long.MAX_VALUE, were there one
      inner.frame(timeNs[0], frames[0], lens[0]);
      pop();
    }
    closed = true;
    inner.close();
  }

  // ---- binary min-heap on (time, submission order) ----

  private void push(long t, byte[] f, int len) {
    if (size == timeNs.length) {
      int n = size * 2;
      timeNs = Arrays.copyOf(timeNs, n);
      order = Arrays.copyOf(order, n);
      source = Arrays.copyOf(source, n);
      frames = Arrays.copyOf(frames, n);
      lens = Arrays.copyOf(lens, n);
    }
    long o = submitted++;
    long src = sourceMac(f, len);
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(t, src, o, timeNs[parent], source[parent], order[parent])) break;
      move(parent, i);
      i = parent;
    }
    set(i, t, src, o, f, len);
  }

  private void pop() {
    int last = --size;
    long t = timeNs[last], src = source[last], o = order[last];
    byte[] f = frames[last];
    int len = lens[last];
    frames[last] = null;
    if (last == 0) return;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && less(timeNs[child + 1], source[child + 1], order[child + 1], timeNs[child], source[child], order[child]))
        child++;
      if (!less(timeNs[child], source[child], order[child], t, src, o)) break;
      move(child, i);
      i = child;
    }
    set(i, t, src, o, f, len);
  }

  private void move(int from, int to) {
    timeNs[to] = timeNs[from];
    order[to] = order[from];
    source[to] = source[from];
    frames[to] = frames[from];
    lens[to] = lens[from];
  }

  private void set(int i, long t, long src, long o, byte[] f, int len) {
    timeNs[i] = t;
    source[i] = src;
    order[i] = o;
    frames[i] = f;
    lens[i] = len;
  }

  private static boolean less(long t1, long s1, long o1, long t2, long s2, long o2) {
    if (t1 != t2) return t1 < t2;
    if (s1 != s2) return s1 < s2;
    return o1 < o2;
  }

  /** The Ethernet source address (bytes 6..11) as a number; 0 for a runt that has none. */
  private static long sourceMac(byte[] f, int len) {
    if (len < 12 || f.length < 12) return 0;
    long mac = 0;
    for (int i = 6; i < 12; i++) mac = (mac << 8) | (f[i] & 0xff);
    return mac;
  }
}
