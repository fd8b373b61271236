package io.sendpath.protocol;

/**
 * A socket buffer (struct sk_buff) as it travels down the send path. Ownership moves with the
 * message that carries it: the layer that hands an skb down never touches it again, exactly as in
 * Linux. TCP keeps its own skbs on the write and retransmit queues and hands a {@link #clone()}
 * down (net/ipv4/tcp_output.c::__tcp_transmit_skb() clones), whose destructor is tcp_wfree.
 *
 * <p>An IPv4 TCP skb names its headers as fields; the bytes are produced by the NIC (framing,
 * TSO, checksum offload) or by software GSO below the qdisc. An ARP skb carries its body in
 * {@link #arp}.
 */
public final class SkBuff {
  /** ETH_P_IP / ETH_P_ARP (include/uapi/linux/if_ether.h). */
  public static final int ETH_P_IP = 0x0800, ETH_P_ARP = 0x0806;

  /** Ethertype of the frame this skb becomes. */
  public int protocol = ETH_P_IP;

  // ---- TCP header (struct tcphdr), host order ----
  public FlowKey flow;
  /** Sequence number of the first payload byte (or of the SYN/FIN). */
  public int seq;
  public int ackSeq;
  /** TcpFlags bits. */
  public int tcpFlags;
  /** The 16-bit window field as sent (already shifted right by the sender's window scale). */
  public int window;
  /** Options; null means none. */
  public TcpOptions options;

  // ---- payload ----
  /** Payload bytes in this skb (all segments together for a GSO skb). */
  public int len;
  /** Source of the payload bytes; null when len == 0. */
  public Payload payload;
  /** Stream offset (bytes from the first one written) of the first payload byte. */
  public long streamOffset;

  // ---- GSO (struct skb_shared_info gso_size / gso_segs) ----
  /** Segment payload size for TSO/GSO; 0 when the skb is one segment. */
  public int gsoSize;
  /** Number of segments this skb becomes on the wire (tcp_skb_pcount). */
  public int gsoSegs = 1;

  // ---- IPv4 (struct iphdr) ----
  public int ipId;
  public int ttl = 64;
  public int tos;
  public boolean df = true;

  // ---- link layer, filled by the neighbour layer (neigh_hh_output) ----
  public long dstMac;
  public long srcMac;

  /** ARP body (28 bytes) when protocol == ETH_P_ARP. */
  public byte[] arp;

  // ---- receive side: a decoded frame keeps its bytes ----
  /** The received frame this skb was decoded from (payload at data[dataOff..dataOff+len)); null on transmit. */
  public byte[] data;
  public int dataOff;
  /**
   * A GRO skb (net/core/gro.c::skb_gro_receive()): the frames merged after the first one, in
   * sequence order; each carries its part of the payload at the same dataOff (their headers are
   * alike), gsoSize bytes each, the last one the rest of len. Null for a skb of one frame.
   */
  public byte[][] groFrames;

  // ---- accounting ----
  /** Memory charged for this skb (skb->truesize): payload plus SKB_TRUESIZE overhead. */
  public int truesize;
  /** Called once when the skb is freed after TX completion (skb->destructor, e.g. tcp_wfree). */
  public SkbDestructor destructor;
  /** Time the skb was handed to IP, ns of virtual time (skb->skb_mstamp_ns). */
  public long tstampNs;
  /** Identifies the sending connection for statistics (not on the wire); -1 when none. */
  public long connId = -1;
  /** True for a retransmission (TCPCB_RETRANS / TCPCB_EVER_RETRANS). */
  public boolean retransmit;

  /** include/linux/skbuff.h SKB_TRUESIZE(0) on x86_64: sk_buff + skb_shared_info, cache aligned. */
  public static final int SKB_OVERHEAD = 768;

  /** skb->truesize for an skb whose linear and paged data total 'size' bytes. */
  public static int truesizeFor(int size) {
    return size + SKB_OVERHEAD;
  }

  /** Header-and-fields copy (skb_clone); payload is shared, destructor is not copied. */
  @Override
  public SkBuff clone() {
    SkBuff c = new SkBuff();
    c.protocol = protocol;
    c.flow = flow; c.seq = seq; c.ackSeq = ackSeq; c.tcpFlags = tcpFlags; c.window = window;
    c.options = options == null ? null : options.copy();
    c.len = len; c.payload = payload; c.streamOffset = streamOffset;
    c.gsoSize = gsoSize; c.gsoSegs = gsoSegs;
    c.ipId = ipId; c.ttl = ttl; c.tos = tos; c.df = df;
    c.dstMac = dstMac; c.srcMac = srcMac; c.arp = arp; c.data = data; c.dataOff = dataOff; c.groFrames = groFrames;
    c.truesize = truesize; c.tstampNs = tstampNs; c.connId = connId; c.retransmit = retransmit;
    return c;
  }

  /** Sequence number just past this skb's data, SYN and FIN (TCP_SKB_CB(skb)->end_seq). */
  public int endSeq() {
    int e = seq + len;
    if ((tcpFlags & TcpFlags.SYN) != 0) e++;
    if ((tcpFlags & TcpFlags.FIN) != 0) e++;
    return e;
  }

  /** Runs the destructor once (kfree_skb → skb_release_head_state → destructor). */
  public void free() {
    SkbDestructor d = destructor;
    destructor = null;
    if (d != null) d.destruct(this);
  }

  @Override
  public String toString() {
    if (protocol == ETH_P_ARP) return "skb{arp}";
    return "skb{" + flow + " " + TcpFlags.toString(tcpFlags) + " seq=" + Integer.toUnsignedString(seq)
        + " len=" + len + " ack=" + Integer.toUnsignedString(ackSeq) + " win=" + window
        + (gsoSegs > 1 ? " gso=" + gsoSegs + "x" + gsoSize : "") + " truesize=" + truesize + "}";
  }
}
