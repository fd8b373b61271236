package io.sendpath.ip;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;

/**
 * The IPv4 output path of a connected TCP socket: net/ipv4/ip_output.c::__ip_queue_xmit() →
 * ip_local_out() → ip_output() → ip_finish_output() → ip_finish_output2(), which hands the skb
 * and its next hop to the neighbour layer.
 *
 * <p>Not modelled: IP options, netfilter hooks (LOCAL_OUT, POST_ROUTING), and fragmentation: TCP
 * sets DF (PMTU discovery is on by default) and never builds an skb above the path MTU, so an skb
 * that does not fit is dropped with EMSGSIZE and counted in IpFragFails, as ip_fragment() does
 * for a DF packet. With ip_no_pmtu_disc = 1 an oversized skb is dropped the same way (EMSGSIZE)
 * instead of being fragmented; that difference is a known simplification.
 */
public final class Ipv4Output {
  /** Where routed skbs go: ip_finish_output2() → neigh_output(). */
  public interface Output {
    void neighOutput(SkBuff skb, int nextHop);
  }

  /** include/uapi/asm-generic/errno.h values returned negated, as the kernel does. */
  public static final int EHOSTUNREACH = 113, ENETUNREACH = 101, EMSGSIZE = 90;

  private final Fib fib;
  private final Output out;
  /** net.ipv4.ip_default_ttl, 1..255. */
  private final int defaultTtl;
  /** net.ipv4.ip_no_pmtu_disc != 0: new sockets start in IP_PMTUDISC_DONT. */
  private final boolean noPmtuDisc;

  /** IPSTATS_MIB_OUTREQUESTS (nstat IpOutRequests): skbs handed to ip_local_out. */
  private long ipOutRequests;
  /** IPSTATS_MIB_OUTNOROUTES (IpOutNoRoutes): skbs dropped for want of a route. */
  private long ipOutNoRoutes;
  /** IPSTATS_MIB_FRAGFAILS (IpFragFails): DF packets above the MTU, counted per segment. */
  private long ipFragFails;
  /** IPSTATS_MIB_OUTPKTS (IpExtOutTransmits in 6.x /proc/net/snmp "OutTransmits"): skbs passed to the neighbour. */
  private long ipOutTransmits;
  /** IPSTATS_MIB_OUTOCTETS (IpExtOutOctets): IP bytes of transmitted skbs, headers of every segment included. */
  private long ipOutOctets;

  public Ipv4Output(Fib fib, Sysctls sysctls, Output out) {
    this.fib = fib;
    this.out = out;
    this.defaultTtl = sysctls.getInt("ip_default_ttl");
    if (defaultTtl < 1 || defaultTtl > 255) throw new IllegalArgumentException("ip_default_ttl must be 1..255, got " + defaultTtl);
    this.noPmtuDisc = sysctls.getLong("ip_no_pmtu_disc") != 0;
  }

  /** The PMTU mode inet_create() gives a new socket under these sysctls. */
  public int defaultPmtudisc() {
    return noPmtuDisc ? IpSock.IP_PMTUDISC_DONT : IpSock.IP_PMTUDISC_WANT;
  }

  /** A new connected socket's IP state under these sysctls; 'initialId' from the run's seeded random source. */
  public IpSock newSock(int initialId) {
    return new IpSock(initialId, defaultPmtudisc());
  }

  /**
   * Routes the socket's cached dst (re-looked-up when the FIB generation moved on, as
   * __sk_dst_check() does), so connect() can pick the source address; null when unreachable.
   */
  public FibResult route(IpSock sock, int daddr) {
    FibResult dst = sock.dst;
    if (dst == null || !fib.isValid(dst)) {
      dst = fib.lookup(daddr);
      sock.dst = dst;
    }
    return dst;
  }

  /**
   * net/ipv4/ip_output.c::__ip_queue_xmit(): fill in the IPv4 header fields of a TCP skb and
   * pass it to the neighbour toward its next hop. Returns 0, or -EHOSTUNREACH (no route, counted
   * in IpOutNoRoutes) or -EMSGSIZE (DF and above the MTU, IpFragFails); on an error the skb has
   * been freed (kfree_skb runs its destructor).
   */
  public int queueXmit(long now, IpSock sock, SkBuff skb) {
    int daddr = skb.flow.daddr();
    // __sk_dst_check(): the cached route is used while the FIB generation is unchanged
    FibResult dst = route(sock, daddr);
    if (dst == null) {
      ipOutNoRoutes++;
      skb.free();
      return -EHOSTUNREACH;
    }
    // TOS from the socket; ECN codepoint from the skb (TCP sets ECT per segment)
    skb.tos = (sock.tos & ~0x3) | (skb.tos & 0x3);
    // ip_dont_fragment(): DO always, WANT unless the route's MTU is locked (never locked here)
    skb.df = sock.pmtudisc == IpSock.IP_PMTUDISC_DO || sock.pmtudisc == IpSock.IP_PMTUDISC_WANT;
    // ip_select_ttl(): socket override, else the sysctl
    skb.ttl = sock.ucTtl >= 0 ? sock.ucTtl : defaultTtl;
    // include/net/ip.h::ip_select_ident_segs(): a connected socket numbers its packets from its
    // own inet_id whether or not DF is set; the counter moves by gso_segs because the NIC's TSO
    // gives each segment of a GSO skb the next ID (DF packets need no unique IDs, RFC 6864, but
    // Linux keeps them sequential per socket).
    int segs = skb.gsoSegs > 0 ? skb.gsoSegs : 1;
    skb.ipId = sock.inetId & 0xFFFF;
    sock.inetId = (sock.inetId + segs) & 0xFFFF;
    skb.tstampNs = now;
    ipOutRequests++; // __ip_local_out()
    return finishOutput(dst, skb, daddr, segs);
  }

  /** net/ipv4/ip_output.c::__ip_finish_output(): GSO skbs pass whole when each segment fits; others must fit the MTU. */
  private int finishOutput(FibResult dst, SkBuff skb, int daddr, int segs) {
    int mtu = dst.mtu();
    int tcpHdr = 20 + (skb.options == null ? 0 : skb.options.length());
    // ip_finish_output_gso() checks each segment with skb_gso_validate_network_len()
    int networkLen = 20 + tcpHdr + (segs > 1 && skb.gsoSize > 0 ? skb.gsoSize : skb.len);
    if (networkLen > mtu) {
      // ip_fragment() with DF: IPSTATS_MIB_FRAGFAILS, ICMP frag-needed to ourselves, -EMSGSIZE
      ipFragFails += segs;
      skb.free();
      return -EMSGSIZE;
    }
    ipOutTransmits++;
    ipOutOctets += (long) skb.len + (long) (20 + tcpHdr) * segs;
    out.neighOutput(skb, dst.nextHop(daddr));
    return 0;
  }

  public long ipOutRequests() {
    return ipOutRequests;
  }

  public long ipOutNoRoutes() {
    return ipOutNoRoutes;
  }

  public long ipFragFails() {
    return ipFragFails;
  }

  public long ipOutTransmits() {
    return ipOutTransmits;
  }

  public long ipOutOctets() {
    return ipOutOctets;
  }
}
