package io.sendpath.ip;

import io.sendpath.protocol.FlowKey;
import java.util.Arrays;

/**
 * Demultiplexes received TCP segments to sockets (struct inet_hashinfo): an established table
 * keyed by the 4-tuple (net/ipv4/inet_hashtables.c::__inet_lookup_established()) and a listener
 * table keyed by local address and port (inet_lookup_listener(), a socket bound to a specific
 * address preferred over one bound to INADDR_ANY, as compute_score() ranks them).
 *
 * <p>Keys are used as a segment carries them: remote (source) address and port, local
 * (destination) address and port. The established table is open addressing over three parallel
 * arrays (a long of both addresses, an int of both ports, the value), linear probing with
 * backward-shift deletion, load kept at or below 1/2: about 32 bytes per connection and no
 * allocation per lookup.
 */
public final class InetHashTable<T> {
  /** remoteAddr << 32 | localAddr per slot; meaningful where values[i] != null. */
  private long[] addrs;
  /** remotePort << 16 | localPort per slot. */
  private int[] ports;
  /** Socket per slot; null marks a free slot. */
  private Object[] values;
  /** Established entries; kept <= capacity / 2. */
  private int size;

  /** Listeners: (localAddr << 16 | localPort) → socket; localAddr 0 is INADDR_ANY. Few entries. */
  private long[] listenKeys = new long[8];
  private Object[] listenValues = new Object[8];
  private int listenSize;

  public InetHashTable() {
    this(16);
  }

  /** A table sized to hold 'expected' connections without growing. */
  public InetHashTable(int expected) {
    int cap = 16;
    while (cap < expected * 2L) cap <<= 1;
    addrs = new long[cap];
    ports = new int[cap];
    values = new Object[cap];
  }

  private static long addrKey(int remoteAddr, int localAddr) {
    return ((long) remoteAddr << 32) | (localAddr & 0xFFFF_FFFFL);
  }

  private static int portKey(int remotePort, int localPort) {
    return (remotePort << 16) | (localPort & 0xFFFF);
  }

  /** inet_ehashfn() stand-in: a mix of all four fields (no secret: runs must be reproducible). */
  private static int hash(long a, int p) {
    long h = a * 0x9E3779B97F4A7C15L + p * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 29));
  }

  /**
   * inet_ehash_insert(): register an established socket under the tuple its peer's segments
   * carry. Returns false (and changes nothing) when the tuple is taken, as
   * __inet_hash_connect() refuses a duplicate.
   */
  public boolean insert(int remoteAddr, int remotePort, int localAddr, int localPort, T sock) {
    if (sock == null) throw new IllegalArgumentException("null socket");
    if ((size + 1) * 2L > values.length) grow();
    long a = addrKey(remoteAddr, localAddr);
    int p = portKey(remotePort, localPort);
    int mask = values.length - 1;
    for (int i = hash(a, p) & mask; ; i = (i + 1) & mask) {
      if (values[i] == null) {
        addrs[i] = a;
        ports[i] = p;
        values[i] = sock;
        size++;
        return true;
      }
      if (addrs[i] == a && ports[i] == p) return false;
    }
  }

  /** insert() with the flow as a received segment carries it (saddr = remote). */
  public boolean insert(FlowKey asReceived, T sock) {
    return insert(asReceived.saddr(), asReceived.sport(), asReceived.daddr(), asReceived.dport(), sock);
  }

  private int find(long a, int p) {
    int mask = values.length - 1;
    for (int i = hash(a, p) & mask; ; i = (i + 1) & mask) {
      if (values[i] == null) return -1;
      if (addrs[i] == a && ports[i] == p) return i;
    }
  }

  /** __inet_lookup_established(): the socket for a segment from remote to local, or null. */
  @SuppressWarnings("unchecked")
  public T lookupEstablished(int remoteAddr, int remotePort, int localAddr, int localPort) {
    int i = find(addrKey(remoteAddr, localAddr), portKey(remotePort, localPort));
    return i < 0 ? null : (T) values[i];
  }

  /**
   * __inet_lookup(): the established socket, else the listener on the local address and port
   * (specific address before INADDR_ANY), else null (the segment gets a RST).
   */
  public T lookup(int remoteAddr, int remotePort, int localAddr, int localPort) {
    T sock = lookupEstablished(remoteAddr, remotePort, localAddr, localPort);
    return sock != null ? sock : lookupListener(localAddr, localPort);
  }

  /** lookup() for a received segment's flow. */
  public T lookup(FlowKey asReceived) {
    return lookup(asReceived.saddr(), asReceived.sport(), asReceived.daddr(), asReceived.dport());
  }

  /** inet_unhash(): forget an established socket; true when it was there. */
  public boolean remove(int remoteAddr, int remotePort, int localAddr, int localPort) {
    int i = find(addrKey(remoteAddr, localAddr), portKey(remotePort, localPort));
    if (i < 0) return false;
    values[i] = null;
    size--;
    int mask = values.length - 1;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (values[j] == null) return true;
      int home = hash(addrs[j], ports[j]) & mask;
      boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!between) {
        addrs[i] = addrs[j];
        ports[i] = ports[j];
        values[i] = values[j];
        values[j] = null;
        i = j;
      }
    }
  }

  public boolean remove(FlowKey asReceived) {
    return remove(asReceived.saddr(), asReceived.sport(), asReceived.daddr(), asReceived.dport());
  }

  private void grow() {
    long[] oa = addrs;
    int[] op = ports;
    Object[] ov = values;
    int cap = ov.length * 2;
    addrs = new long[cap];
    ports = new int[cap];
    values = new Object[cap];
    int mask = cap - 1;
    for (int k = 0; k < ov.length; k++) {
      if (ov[k] == null) continue;
      int i = hash(oa[k], op[k]) & mask;
      while (values[i] != null) i = (i + 1) & mask;
      addrs[i] = oa[k];
      ports[i] = op[k];
      values[i] = ov[k];
    }
  }

  // ---- listeners ----

  private static long listenKey(int localAddr, int localPort) {
    return ((localAddr & 0xFFFF_FFFFL) << 16) | (localPort & 0xFFFF);
  }

  /** inet_hash() of a listening socket bound to localAddr (0 = INADDR_ANY) and localPort; false when taken (EADDRINUSE). */
  public boolean listen(int localAddr, int localPort, T sock) {
    if (sock == null) throw new IllegalArgumentException("null socket");
    long k = listenKey(localAddr, localPort);
    for (int i = 0; i < listenSize; i++) if (listenKeys[i] == k) return false;
    if (listenSize == listenKeys.length) {
      listenKeys = Arrays.copyOf(listenKeys, listenSize * 2);
      listenValues = Arrays.copyOf(listenValues, listenSize * 2);
    }
    listenKeys[listenSize] = k;
    listenValues[listenSize] = sock;
    listenSize++;
    return true;
  }

  /** inet_unhash() of a listener; true when it was there. */
  public boolean unlisten(int localAddr, int localPort) {
    long k = listenKey(localAddr, localPort);
    for (int i = 0; i < listenSize; i++) {
      if (listenKeys[i] == k) {
        listenSize--;
        listenKeys[i] = listenKeys[listenSize];
        listenValues[i] = listenValues[listenSize];
        listenValues[listenSize] = null;
        return true;
      }
    }
    return false;
  }

  /** inet_lookup_listener(): exact local address first, then INADDR_ANY; null when nobody listens. */
  @SuppressWarnings("unchecked")
  public T lookupListener(int localAddr, int localPort) {
    long exact = listenKey(localAddr, localPort);
    long any = listenKey(0, localPort);
    Object wildcard = null;
    for (int i = 0; i < listenSize; i++) {
      if (listenKeys[i] == exact) return (T) listenValues[i];
      if (listenKeys[i] == any) wildcard = listenValues[i];
    }
    return (T) wildcard;
  }

  /** Established sockets in the table. */
  public int size() {
    return size;
  }

  /** Slots in the established table (memory is about 20 bytes per slot plus the values). */
  public int capacity() {
    return values.length;
  }
}
