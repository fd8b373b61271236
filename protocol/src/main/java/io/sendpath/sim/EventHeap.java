package io.sendpath.sim;

/**
 * The clock's calendar: a binary min-heap of (time, sequence) keys over parallel arrays, so an
 * event costs no object of its own and a comparison reads two longs. Ties in time go to the lower
 * sequence number, i.e. to the event scheduled first. Grows by doubling; not thread-safe (the
 * clock guards it).
 */
final class EventHeap {
  private long[] at = new long[1024];
  private long[] seq = new long[1024];
  private Object[] target = new Object[1024];
  private Object[] message = new Object[1024];
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
    return at[0];
  }

  Object peekTarget() {
    return target[0];
  }

  Object peekMessage() {
    return message[0];
  }

  void add(long time, long sequence, Object to, Object msg) {
    if (size == at.length) grow();
    int i = size++;
    // sift up
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(time, sequence, at[parent], seq[parent])) break;
      move(parent, i);
      i = parent;
    }
    set(i, time, sequence, to, msg);
  }

  /** Removes the earliest event (read it first with the peek methods). */
  void removeFirst() {
    int last = --size;
    long t = at[last], s = seq[last];
    Object to = target[last], msg = message[last];
    target[last] = null;
    message[last] = null;
    if (last == 0) return;
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && less(at[right], seq[right], at[child], seq[child])) child = right;
      if (!less(at[child], seq[child], t, s)) break;
      move(child, i);
      i = child;
    }
    set(i, t, s, to, msg);
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    at[to] = at[from];
    seq[to] = seq[from];
    target[to] = target[from];
    message[to] = message[from];
  }

  private void set(int i, long time, long sequence, Object to, Object msg) {
    at[i] = time;
    seq[i] = sequence;
    target[i] = to;
    message[i] = msg;
  }

  private void grow() {
    int n = at.length * 2;
    at = java.util.Arrays.copyOf(at, n);
    seq = java.util.Arrays.copyOf(seq, n);
    target = java.util.Arrays.copyOf(target, n);
    message = java.util.Arrays.copyOf(message, n);
  }
}
