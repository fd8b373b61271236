package io.sendpath.qdisc;

import io.sendpath.protocol.SkBuff;

/**
 * A bounded FIFO of skbs in a fixed array (the shape of include/linux/ptr_ring.h behind
 * skb_array): produce fails when 'capacity' skbs are held. No allocation after construction.
 */
final class SkbRing {
  /** Slots; elements [head, head+size) modulo length are occupied, the rest are null. */
  private final SkBuff[] slots;
  /** Index of the oldest skb. */
  private int head;
  /** Skbs held, 0..slots.length. */
  private int size;

  SkbRing(int capacity) {
    if (capacity <= 0) throw new IllegalArgumentException("ring capacity must be positive, got " + capacity);
    slots = new SkBuff[capacity];
  }

  /** ptr_ring_produce(): false (ENOSPC) when full. */
  boolean produce(SkBuff skb) {
    if (size == slots.length) return false;
    int tail = head + size;
    if (tail >= slots.length) tail -= slots.length;
    slots[tail] = skb;
    size++;
    return true;
  }

  /** ptr_ring_consume(): the oldest skb, or null. */
  SkBuff consume() {
    if (size == 0) return null;
    SkBuff skb = slots[head];
    slots[head] = null;
    head = head + 1 == slots.length ? 0 : head + 1;
    size--;
    return skb;
  }

  SkBuff peek() {
    return size == 0 ? null : slots[head];
  }

  int size() {
    return size;
  }

  int capacity() {
    return slots.length;
  }
}
