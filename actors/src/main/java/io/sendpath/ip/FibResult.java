package io.sendpath.ip;

/**
 * The answer of a FIB lookup (struct fib_result turned into a struct rtable): where to send a
 * packet for one destination. Immutable; a socket caches it together with {@link #genid}.
 *
 * @param prefix   the matched route's prefix, host order, masked to {@code len}
 * @param len      its prefix length, 0..32
 * @param gateway  the next-hop router, or 0 when the destination is on-link (rt_uses_gateway false)
 * @param oif      output interface index
 * @param prefsrc  preferred source address (fib_info fib_prefsrc), 0 when unset
 * @param metric   route priority; lower wins among equal prefixes
 * @param mtu      the output device's MTU (dst_mtu)
 * @param genid    the FIB generation when this answer was made (rt_genid)
 */
public record FibResult(int prefix, int len, int gateway, int oif, int prefsrc, int metric, int mtu, long genid) {

  /** include/net/route.h::rt_nexthop(): the gateway, or the destination itself when on-link. */
  public int nextHop(int daddr) {
    return gateway != 0 ? gateway : daddr;
  }
}
