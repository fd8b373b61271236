package io.sendpath.protocol.ops;

import io.sendpath.protocol.SkBuff;
import org.apache.pekko.actor.typed.ActorRef;

/** Stands in for struct neigh_ops (arp_hh_ops / arp_generic_ops): IP hands routed skbs to the neighbour layer. */
public interface NeighOps {
  interface Command {}

  /** net/core/neighbour.c::neigh_output() / neigh_resolve_output() toward next hop 'nextHop'. */
  record NeighOutput(SkBuff skb, int nextHop, ActorRef<NetXmit> replyTo) implements Command {}

  /** net/ipv4/arp.c::arp_rcv(): a received ARP body (28 bytes). */
  record ArpRcv(byte[] body) implements Command {}
}
