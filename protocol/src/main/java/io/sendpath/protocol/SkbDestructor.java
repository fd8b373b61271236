package io.sendpath.protocol;

/**
 * skb->destructor: called by whoever frees the skb (the NIC on TX completion, a qdisc or
 * neighbour queue on drop). For TCP clones it is tcp_wfree, which lowers sk_wmem_alloc and may
 * resume a TSQ-throttled connection. Implementations must only send a message; they run on the
 * freeing layer's thread.
 */
@FunctionalInterface
public interface SkbDestructor {
  void destruct(SkBuff skb);
}
