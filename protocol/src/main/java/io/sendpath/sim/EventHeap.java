package io.sendpath.sim;

/**
 * The clock's calendar: a binary min-heap of (time, sequence) keys, so an event costs no object
 * of its own and a comparison reads two longs. Ties in time go to the lower sequence number, i.e.
 * to the event scheduled first. Each entry's time and sequence sit side by side in one array, and
 * its target and message side by side in another, so a step of a sift touches two cache lines
 * rather than four (the calendar is a tenth of a 10,000-connection run's time). Grows by doubling;
 * not thread-safe (the clock guards it).
 */
final class EventHeap {
  /** Entry i's time at 2i and sequence number at 2i + 1. */
  private long[] keys = new long[2 * 1024];
  /** Entry i's target at 2i and message at 2i + 1. */
  private Object[] refs = new Object[2 * 1024];
  /** Entries 0..size-1 hold the heap; entry 0 is the earliest. */
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Time of the earliest event; only when not empty. */
  long peekAt() {
    return keys[0];
  }

  Object peekTarget() {
    return refs[0];
  }

  Object peekMessage() {
    return refs[1];
  }

  void add(long time, long sequence, Object to, Object msg) {
    if (2 * size == keys.length) grow();
    int i = size++;
    // sift up
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long pt = keys[2 * parent];
      if (time > pt || (time == pt && sequence > keys[2 * parent + 1])) break;
      move(parent, i);
      i = parent;
    }
    set(i, time, sequence, to, msg);
  }

  /** Removes the earliest event (read it first with the peek methods). */
  void removeFirst() {
    int last = --size;
    long t = keys[2 * last], s = keys[2 * last + 1];
    Object to = refs[2 * last], msg = refs[2 * last + 1];
    refs[2 * last] = null;
    refs[2 * last + 1] = null;
    if (last == 0) return;
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      long ct = keys[2 * child], cs = keys[2 * child + 1];
      if (right < last) {
        long rt = keys[2 * right], rs = keys[2 * right + 1];
        if (rt < ct || (rt == ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t == ct && s < cs)) break;
      move(child, i);
      i = child;
    }
    set(i, t, s, to, msg);
  }

  private void move(int from, int to) {
    keys[2 * to] = keys[2 * from];
    keys[2 * to + 1] = keys[2 * from + 1];
    refs[2 * to] = refs[2 * from];
    refs[2 * to + 1] = refs[2 * from + 1];
  }

  private void set(int i, long time, long sequence, Object to, Object msg) {
    keys[2 * i] = time;
    keys[2 * i + 1] = sequence;
    refs[2 * i] = to;
    refs[2 * i + 1] = msg;
  }

  private void grow() {
    keys = java.util.Arrays.copyOf(keys, 2 * keys.length);
    refs = java.util.Arrays.copyOf(refs, 2 * refs.length);
  }
}
