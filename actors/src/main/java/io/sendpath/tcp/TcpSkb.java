package io.sendpath.tcp;

import io.sendpath.protocol.SkBuff;

/**
 * One skb on the write or retransmit queue with its control block (struct tcp_skb_cb). It names
 * a range of the byte stream; the payload itself is never stored. Linked into one queue at a
 * time through {@link #next}.
 */
final class TcpSkb {
  /** TCPCB_* bits of TCP_SKB_CB(skb)->sacked (include/net/tcp.h). */
  static final int TCPCB_SACKED_ACKED = 0x01, TCPCB_SACKED_RETRANS = 0x02, TCPCB_LOST = 0x04,
      TCPCB_EVER_RETRANS = 0x80, TCPCB_RETRANS = TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS;

  /** First sequence number (of the SYN or first payload byte). */
  int seq;
  /** seq + len + SYN + FIN. */
  int endSeq;
  /** Payload bytes, 0 for SYN/FIN-only skbs. */
  int len;
  /** TcpFlags of this skb (SYN, FIN, PSH; ACK is added on the wire after the handshake). */
  int tcpFlags;
  /** Stream offset of the first payload byte. */
  long streamOffset;
  /** TCPCB_* bits. */
  int sacked;
  /** tcp_skb_pcount: segments on the wire, set by tcpSetSkbTsoSegs before transmit. */
  int pcount = 1;
  /** tcp_skb_mss: gso_size when pcount > 1, else 0. */
  int gsoSize;
  /** skb->skb_mstamp_ns: last (re)transmit time, ns of virtual time; 0 = never sent. */
  long txTimeNs;
  /** TCP_SKB_CB(skb)->eor: do not collapse more data into this skb (MSG_EOR). */
  boolean eor;
  /** Next skb in the same queue, or null. */
  TcpSkb next;

  /** skb->truesize: every skb here carries len bytes plus SKB_TRUESIZE overhead. */
  int truesize() {
    return SkBuff.truesizeFor(len);
  }
}
