package io.sendpath.ip;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 routing table (the main table of net/ipv4/fib_trie.c) with longest-prefix match.
 *
 * <p>Routes are kept in one open-addressing hash per prefix length; a lookup probes the lengths
 * that hold routes, longest first, so it costs at most 33 hash probes whatever the number of
 * routes. Among routes with the same prefix the lowest metric wins (fib_table_lookup takes the
 * first alias, and aliases are ordered by priority).
 *
 * <p>Every change bumps {@link #genid()}, as rt_cache_flush() bumps rt_genid: a socket's cached
 * route is valid only while its genid equals the table's (ipv4_dst_check → rt_is_expired).
 * A lookup that finds no route returns null, which the caller turns into ENETUNREACH.
 */
public final class Fib {
  /** include/linux/netdevice.h: Ethernet default MTU. */
  public static final int DEFAULT_MTU = 1500;

  /** One route; the list per prefix is sorted by metric, then insertion. */
  private record Route(int prefix, int len, int gateway, int oif, int prefsrc, int metric) {}

  /** Per prefix length: masked prefix → routes, lowest metric first. Null when that length has no route. */
  private final PrefixMap[] byLen = new PrefixMap[33];
  /** Lengths that hold at least one route, longest first; activeCount entries are valid. */
  private final int[] activeLens = new int[33];
  private int activeCount;
  /** MTU per interface index; DEFAULT_MTU for interfaces never set. */
  private int[] mtuByOif = new int[0];
  /** Bumped on every change; starts at 1 so a zeroed cache is never valid. */
  private long genid = 1;
  /** Number of routes. */
  private int size;

  static int mask(int len) {
    return len == 0 ? 0 : -1 << (32 - len);
  }

  /**
   * `ip route add prefix/len [via gateway] dev oif [src prefsrc] metric metric`. A route equal in
   * prefix, length, gateway, interface and metric to an existing one is rejected (EEXIST).
   */
  public void addRoute(int prefix, int len, int gateway, int oif, int prefsrc, int metric) {
    if (len < 0 || len > 32) throw new IllegalArgumentException("prefix length must be 0..32, got " + len);
    if (metric < 0) throw new IllegalArgumentException("metric must be >= 0, got " + metric);
    int masked = prefix & mask(len);
    if (masked != prefix)
      throw new IllegalArgumentException("invalid prefix for its length: " + io.sendpath.protocol.FlowKey.ip(prefix) + "/" + len);
    PrefixMap map = byLen[len];
    if (map == null) {
      map = byLen[len] = new PrefixMap();
      activate(len);
    }
    List<Route> routes = map.get(masked);
    if (routes == null) {
      routes = new ArrayList<>(1);
      map.put(masked, routes);
    }
    Route r = new Route(masked, len, gateway, oif, prefsrc, metric);
    int at = 0;
    for (Route e : routes) {
      if (e.equals(r)) throw new IllegalStateException("route exists: " + describe(r));
      if (e.metric <= metric) at++;
    }
    routes.add(at, r);
    size++;
    genid++;
  }

  /** The default route: 0.0.0.0/0 via gateway. */
  public void addDefaultRoute(int gateway, int oif, int prefsrc, int metric) {
    addRoute(0, 0, gateway, oif, prefsrc, metric);
  }

  /** `ip route del prefix/len metric metric`: removes that route; false when there is none. */
  public boolean removeRoute(int prefix, int len, int metric) {
    return remove(prefix, len, metric, true);
  }

  /** `ip route del prefix/len`: removes the first (lowest-metric) route for the prefix; false when none. */
  public boolean removeRoute(int prefix, int len) {
    return remove(prefix, len, 0, false);
  }

  private boolean remove(int prefix, int len, int metric, boolean matchMetric) {
    if (len < 0 || len > 32) return false;
    PrefixMap map = byLen[len];
    if (map == null) return false;
    int masked = prefix & mask(len);
    List<Route> routes = map.get(masked);
    if (routes == null) return false;
    for (int i = 0; i < routes.size(); i++) {
      if (!matchMetric || routes.get(i).metric == metric) {
        routes.remove(i);
        if (routes.isEmpty()) {
          map.remove(masked);
          if (map.size == 0) {
            byLen[len] = null;
            deactivate(len);
          }
        }
        size--;
        genid++;
        return true;
      }
    }
    return false;
  }

  /** Sets an interface's MTU (`ip link set dev oif mtu mtu`); bumps the generation as a PMTU change would. */
  public void setMtu(int oif, int mtu) {
    if (mtu < 68) throw new IllegalArgumentException("IPv4 needs an MTU of at least 68, got " + mtu);
    if (oif < 0) throw new IllegalArgumentException("bad interface index " + oif);
    if (oif >= mtuByOif.length) {
      int old = mtuByOif.length;
      mtuByOif = java.util.Arrays.copyOf(mtuByOif, oif + 1);
      java.util.Arrays.fill(mtuByOif, old, mtuByOif.length, DEFAULT_MTU);
    }
    mtuByOif[oif] = mtu;
    genid++;
  }

  public int mtu(int oif) {
    return oif >= 0 && oif < mtuByOif.length ? mtuByOif[oif] : DEFAULT_MTU;
  }

  /** net/ipv4/fib_trie.c::fib_table_lookup(): the longest matching prefix, lowest metric; null ⇒ ENETUNREACH. */
  public FibResult lookup(int daddr) {
    for (int i = 0; i < activeCount; i++) {
      int len = activeLens[i];
      List<Route> routes = byLen[len].get(daddr & mask(len));
      if (routes != null) {
        Route r = routes.get(0);
        return new FibResult(r.prefix, r.len, r.gateway, r.oif, r.prefsrc, r.metric, mtu(r.oif), genid);
      }
    }
    return null;
  }

  /** rt_genid: a cached FibResult is valid while its genid equals this. */
  public long genid() {
    return genid;
  }

  /** True when 'cached' was made by this table at its current generation (dst_check passes). */
  public boolean isValid(FibResult cached) {
    return cached != null && cached.genid() == genid;
  }

  public int size() {
    return size;
  }

  private void activate(int len) {
    int i = activeCount++;
    while (i > 0 && activeLens[i - 1] < len) {
      activeLens[i] = activeLens[i - 1];
      i--;
    }
    activeLens[i] = len;
  }

  private void deactivate(int len) {
    int i = 0;
    while (activeLens[i] != len) i++;
    System.arraycopy(activeLens, i + 1, activeLens, i, activeCount - i - 1);
    activeCount--;
  }

  private static String describe(Route r) {
    return io.sendpath.protocol.FlowKey.ip(r.prefix) + "/" + r.len
        + (r.gateway != 0 ? " via " + io.sendpath.protocol.FlowKey.ip(r.gateway) : "")
        + " dev " + r.oif + " metric " + r.metric;
  }

  /** Open addressing int → route list, linear probing, backward-shift deletion. */
  private static final class PrefixMap {
    /** Keys; valid where vals[i] != null. */
    private int[] keys = new int[8];
    /** Values; null marks a free slot. */
    private Object[] vals = new Object[8];
    /** Occupied slots, kept <= 1/2 of capacity. */
    int size;

    private static int slot(int key, int mask) {
      int h = key * 0x9E3779B9;
      return (h ^ (h >>> 16)) & mask;
    }

    @SuppressWarnings("unchecked")
    List<Route> get(int key) {
      int mask = keys.length - 1;
      for (int i = slot(key, mask); ; i = (i + 1) & mask) {
        Object v = vals[i];
        if (v == null) return null;
        if (keys[i] == key) return (List<Route>) v;
      }
    }

    void put(int key, List<Route> value) {
      if ((size + 1) * 2 > keys.length) grow();
      int mask = keys.length - 1;
      for (int i = slot(key, mask); ; i = (i + 1) & mask) {
        if (vals[i] == null) {
          keys[i] = key;
          vals[i] = value;
          size++;
          return;
        }
        if (keys[i] == key) {
          vals[i] = value;
          return;
        }
      }
    }

    void remove(int key) {
      int mask = keys.length - 1;
      int i = slot(key, mask);
      while (true) {
        if (vals[i] == null) return;
        if (keys[i] == key) break;
        i = (i + 1) & mask;
      }
      vals[i] = null;
      size--;
      // backward-shift the following cluster so lookups never stop early
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        if (vals[j] == null) return;
        int home = slot(keys[j], mask);
        boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!between) {
          keys[i] = keys[j];
          vals[i] = vals[j];
          vals[j] = null;
          i = j;
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void grow() {
      int[] oldKeys = keys;
      Object[] oldVals = vals;
      keys = new int[oldKeys.length * 2];
      vals = new Object[oldKeys.length * 2];
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) if (oldVals[i] != null) put(oldKeys[i], (List<Route>) oldVals[i]);
    }
  }
}
