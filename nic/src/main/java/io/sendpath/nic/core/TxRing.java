package io.sendpath.nic.core;

import io.sendpath.protocol.SkBuff;

/**
 * The TX descriptor ring and the line it feeds (one descriptor per skb in this model). Frames
 * leave in FIFO order at line rate: frame i starts at max(now, end of frame i-1) and occupies the
 * line for (bytes + FCS + preamble + inter-frame gap) × 8 / rate. End times are kept exact: the
 * sub-nanosecond part of the bit time is carried as a remainder from one back-to-back frame to the
 * next, so N frames take exactly floor(N × bit time) and never drift. An skb completes when its
 * last frame has left plus a completion delay (0 by default; a slow-completion fault raises it).
 */
public final class TxRing {
  /** IEEE 802.3 per-frame overhead on the line: FCS 4 + preamble and SFD 8 + inter-frame gap 12. */
  public static final int LINE_OVERHEAD_BYTES = 4 + 8 + 12;
  private static final long NS_PER_S = 1_000_000_000L;

  /** Descriptors; fixed at construction. The device queue never posts more than this. */
  private final int size;
  /** Line rate, bit/s; > 0. */
  private final long rateBps;
  /** Extra time between a skb's last bit leaving and its completion; >= 0. */
  private long completionDelayNs;

  /** Posted skbs, FIFO from head; count entries in use, at head, head+1, ... modulo size. */
  private final SkBuff[] skbs;
  /** Completion time of each posted skb; non-decreasing from head while completionDelayNs is constant. */
  private final long[] completionNs;
  /** BQL bytes of each posted skb (Tso.wireBytes). */
  private final long[] bytes;
  private int head;
  /** Descriptors in use: 0 <= count <= size. */
  private int count;

  /** Integer part of the time the line becomes free (end of the last frame started). */
  private long busyUntilNs;
  /** Fractional part of that end time, in units of 1/rateBps ns: 0 <= remainder < rateBps. */
  private long remainder;
  /** Serialization time of the last frame given a departure slot, ns. */
  private long lastSerializationNs;

  public TxRing(int size, long rateBps, long completionDelayNs) {
    if (size < 1) throw new IllegalArgumentException("TX ring size must be at least 1, got " + size);
    if (rateBps < 1) throw new IllegalArgumentException("line rate must be positive, got " + rateBps);
    if (completionDelayNs < 0) throw new IllegalArgumentException("completion delay must be >= 0, got " + completionDelayNs);
    this.size = size;
    this.rateBps = rateBps;
    this.completionDelayNs = completionDelayNs;
    this.skbs = new SkBuff[size];
    this.completionNs = new long[size];
    this.bytes = new long[size];
  }

  public int size() {
    return size;
  }

  /** Descriptors holding skbs not yet completed. */
  public int used() {
    return count;
  }

  public boolean full() {
    return count == size;
  }

  public long rateBps() {
    return rateBps;
  }

  public void setCompletionDelayNs(long delayNs) {
    if (delayNs < 0) throw new IllegalArgumentException("completion delay must be >= 0, got " + delayNs);
    this.completionDelayNs = delayNs;
  }

  /**
   * Gives the next frame, frameLen bytes as handed to the MAC (padding included, FCS excluded),
   * offered at now, its slot on the line. Returns its departure time (first bit);
   * {@link #lastSerializationNs()} then holds how long it occupies the line, and
   * {@link #busyUntilNs()} its end.
   */
  public long depart(long now, int frameLen) {
    long start;
    if (now > busyUntilNs) {
      start = now;          // the line was idle: nothing to carry over
      remainder = 0;
    } else {
      start = busyUntilNs;  // back to back: keep the fractional bit time
    }
    long bits = (long) (frameLen + LINE_OVERHEAD_BYTES) * 8;
    long numerator = bits * NS_PER_S + remainder;
    long ns = numerator / rateBps;
    remainder = numerator - ns * rateBps;
    busyUntilNs = start + ns;
    lastSerializationNs = ns;
    return start;
  }

  public long lastSerializationNs() {
    return lastSerializationNs;
  }

  /** Integer ns at which the last frame given a slot finishes leaving. */
  public long busyUntilNs() {
    return busyUntilNs;
  }

  /**
   * Places skb on the ring after its frames were given slots: it completes at the end of its last
   * frame plus the completion delay. Returns that completion time. The ring must not be full.
   */
  public long post(SkBuff skb, long wireBytes) {
    if (count == size) throw new IllegalStateException("TX ring of " + size + " descriptors is full");
    int slot = (head + count) % size;
    long done = busyUntilNs + completionDelayNs;
    skbs[slot] = skb;
    completionNs[slot] = done;
    bytes[slot] = wireBytes;
    count++;
    return done;
  }

  /** Completion time of the oldest posted skb, or Long.MAX_VALUE when the ring is empty. */
  public long headCompletionNs() {
    return count == 0 ? Long.MAX_VALUE : completionNs[head];
  }

  /** BQL bytes of the oldest posted skb; the ring must not be empty. */
  public long headBytes() {
    return bytes[head];
  }

  /** Removes and returns the oldest posted skb (the caller checked its completion time). */
  public SkBuff popHead() {
    if (count == 0) throw new IllegalStateException("TX ring is empty");
    SkBuff skb = skbs[head];
    skbs[head] = null;
    head = (head + 1) % size;
    count--;
    return skb;
  }
}
