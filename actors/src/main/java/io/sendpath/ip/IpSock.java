package io.sendpath.ip;

/**
 * The IPv4 part of a connected socket that ip_queue_xmit() reads and writes (struct inet_sock
 * plus sk_dst_cache): the cached route, the IP ID counter, TOS, TTL override and PMTU mode.
 * Owned by one connection; only {@link Ipv4Output} and the connection touch it.
 */
public final class IpSock {
  /** include/uapi/linux/in.h IP_PMTUDISC_*: DONT never sets DF, WANT sets DF unless the route's MTU is locked, DO always. */
  public static final int IP_PMTUDISC_DONT = 0, IP_PMTUDISC_WANT = 1, IP_PMTUDISC_DO = 2;

  /** sk_dst_cache: the route used for this socket's packets; null until the first send or after invalidation. */
  FibResult dst;
  /** inet->inet_id: IP ID of the next packet; advanced by gso_segs per skb (ip_select_ident_segs), wraps at 16 bits on the wire. */
  int inetId;
  /** inet->tos: the TOS byte set by IP_TOS; TCP's ECN bits come from the skb. */
  int tos;
  /** inet->uc_ttl: -1 means use net.ipv4.ip_default_ttl (ip_select_ttl()). */
  int ucTtl = -1;
  /** inet->pmtudisc: IP_PMTUDISC_WANT unless ip_no_pmtu_disc (inet_create()). */
  int pmtudisc;

  /**
   * A socket after connect(): 'initialId' is inet_id, which tcp_v4_connect() draws with
   * get_random_u16(); pass a value from the run's seeded random source.
   */
  public IpSock(int initialId, int pmtudisc) {
    this.inetId = initialId & 0xFFFF;
    this.pmtudisc = pmtudisc;
  }

  /** setsockopt(IP_TOS). */
  public IpSock tos(int tos) {
    this.tos = tos & 0xFF;
    return this;
  }

  /** setsockopt(IP_TTL); -1 restores the sysctl default. */
  public IpSock ttl(int ttl) {
    if (ttl != -1 && (ttl < 1 || ttl > 255)) throw new IllegalArgumentException("IP_TTL must be 1..255 or -1, got " + ttl);
    this.ucTtl = ttl;
    return this;
  }

  /** setsockopt(IP_MTU_DISCOVER). */
  public IpSock pmtudisc(int mode) {
    if (mode < IP_PMTUDISC_DONT || mode > IP_PMTUDISC_DO) throw new IllegalArgumentException("unsupported IP_MTU_DISCOVER mode " + mode);
    this.pmtudisc = mode;
    return this;
  }

  /** The cached route, or null. */
  public FibResult dst() {
    return dst;
  }

  /** The IP ID the next skb will carry (low 16 bits). */
  public int nextIpId() {
    return inetId & 0xFFFF;
  }

  /** sk_dst_reset(): forget the cached route. */
  public void dstReset() {
    dst = null;
  }
}
