package io.sendpath.protocol.ops;

import io.sendpath.protocol.SkBuff;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The device-queue boundary (net/core/dev.c::dev_queue_xmit() into the qdisc, and the driver's
 * completion path netdev_tx_completed_queue() / netif_tx_wake_queue() back out of it).
 */
public interface DevQueueOps {
  interface Command {}

  /** dev_queue_xmit(): enqueue to the root qdisc; replyTo (may be null) gets the NET_XMIT answer. */
  record DevQueueXmit(SkBuff skb, ActorRef<NetXmit> replyTo) implements Command {}

  /**
   * The driver reclaimed 'descriptors' TX descriptors holding 'skbs' skbs of 'bytes' bytes
   * (netdev_tx_completed_queue): BQL and the ring have room again.
   */
  record TxCompleted(int descriptors, int skbs, long bytes) implements Command {}
}
