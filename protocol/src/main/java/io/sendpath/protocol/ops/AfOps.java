package io.sendpath.protocol.ops;

import io.sendpath.protocol.SkBuff;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Stands in for ipv4_specific (struct inet_connection_sock_af_ops): TCP hands skbs to IPv4, and
 * received IPv4 frames come up from the device (ip_rcv). The IpActor takes these.
 */
public interface AfOps {
  interface Command {}

  /** ipv4_specific.queue_xmit = net/ipv4/ip_output.c::ip_queue_xmit(). replyTo gets the NET_XMIT answer. */
  record QueueXmit(SkBuff skb, ActorRef<NetXmit> replyTo) implements Command {}

  /** net/ipv4/ip_input.c::ip_rcv(): a whole received Ethernet frame (from the NIC's RX). */
  record IpRcv(byte[] frame) implements Command {}

  /**
   * net/ipv4/ip_input.c::ip_list_rcv(): the frames one NAPI poll received (netif_receive_skb_list),
   * in arrival order, handed up together; the receiver takes them in this order. Not changed
   * after sending.
   */
  record IpListRcv(byte[][] frames) implements Command {}
}
