package io.sendpath.protocol.wire;

/**
 * What {@link FrameCodec#decode} found in a received frame, named after the kernel's drop reasons
 * (include/net/dropreason-core.h SKB_DROP_REASON_*) at the place Linux would drop it.
 */
public enum RxVerdict {
  /** A well-formed IPv4/TCP segment or ARP packet. */
  OK,
  /** Frame shorter than its headers, or than the IP total length (ip_rcv_core(), tcp_v4_rcv()). */
  PKT_TOO_SMALL,
  /** IPv4 header invalid: version not 4, IHL under 5, total length under the header (ip_rcv_core() inhdr_error). */
  IP_INHDR,
  /** IPv4 header checksum wrong (ip_rcv_core() csum_error). */
  IP_CSUM,
  /** TCP checksum wrong over the pseudo-header (tcp_v4_rcv() csum_error, TcpInCsumErrors). */
  TCP_CSUM,
  /** TCP data offset under 5 words or past the end of the segment (tcp_v4_rcv() bad_packet). */
  TCP_HDR_LEN,
  /** Ethernet destination not ours nor broadcast (eth_type_trans() PACKET_OTHERHOST), or IP destination not ours. */
  OTHERHOST,
  /** Ethertype neither IPv4 nor ARP, or a malformed ARP body (UNHANDLED_PROTO). */
  UNHANDLED_PROTO,
  /** IPv4 but not TCP (ip_local_deliver_finish() IP_NOPROTO). */
  IP_NOPROTO,
  /** An IPv4 fragment: this model neither sends nor reassembles fragments. */
  IP_FRAGMENT
}
