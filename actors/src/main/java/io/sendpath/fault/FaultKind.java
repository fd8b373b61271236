package io.sendpath.fault;

/**
 * What a fault does, and the boundary it wraps (DESIGN §5). Each kind names the place it acts
 * ({@link #where}); the scenario spells kinds in lower case with dashes ("burst-loss").
 */
public enum FaultKind {
  /** Each frame is lost with 'probability' (netem loss random). */
  LOSS(Where.WIRE),
  /** Gilbert-Elliott two-state loss (netem loss gemodel p r 1-h 1-k). */
  BURST_LOSS(Where.WIRE),
  /** A frame is held back by 'delay' with 'probability', so later frames overtake it. */
  REORDER(Where.WIRE),
  /** A frame is delivered twice with 'probability' (netem duplicate). */
  DUPLICATE(Where.WIRE),
  /** One bit of a frame's IP packet is flipped with 'probability'; the receiver drops it on its checksum. */
  CORRUPT(Where.WIRE),
  /** Every frame waits 'delay' plus a uniform jitter in [0, 'jitter') more (netem delay). */
  DELAY(Where.WIRE),
  /** The cable is cut: both NICs lose carrier and every frame on the wire is lost. */
  LINK_DOWN(Where.WIRE),
  /** ARP replies toward the host never arrive, so its neighbour resolutions fail. */
  NEIGH_FAIL(Where.NEIGHBOUR),
  /** The host's routes are removed (ip route flush) and put back when the fault ends. */
  ROUTE_REMOVE(Where.ROUTE),
  /** dev_queue_xmit answers NET_XMIT_DROP (or NET_XMIT_CN) for an skb with 'probability'. */
  QDISC_DROP(Where.QDISC),
  /** The NIC stops completing TX descriptors: the ring fills and the queue stops. */
  TX_RING_STALL(Where.NIC),
  /** TX completions come 'delay' after the last bit leaves (a slow completion interrupt). */
  SLOW_TX_COMPLETION(Where.NIC),
  /** The peer advertises a zero receive window on its ACKs (as a peer with a full buffer). */
  PEER_ZERO_WINDOW(Where.PEER),
  /** The peer application stops reading: the receive queue fills and the window closes. */
  PEER_STOP_READING(Where.PEER),
  /** The peer application aborts the connection: an RST goes to the sender (tcp_send_active_reset). */
  PEER_RESET(Where.PEER),
  /**
   * Host memory runs short: the sender's tcp_mem is lowered for the window (as an administrator,
   * or other sockets eating the memory, would), so its sockets meet tcp_memory_pressure and
   * refused send allocations (net/core/sock.c::__sk_mem_raise_allocated()).
   */
  MEM_PRESSURE(Where.MEMORY);

  /** The layer boundaries a fault can wrap. */
  public enum Where {
    WIRE, NIC, QDISC, NEIGHBOUR, ROUTE, PEER, MEMORY;

    public String scenarioName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Where where;

  FaultKind(Where where) {
    this.where = where;
  }

  public Where where() {
    return where;
  }

  /** The kind as a scenario writes it: "burst-loss". */
  public String scenarioName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The kind named 'text' in a scenario, or null. */
  public static FaultKind parse(String text) {
    for (FaultKind k : values()) if (k.scenarioName().equals(text)) return k;
    return null;
  }

  /** True for kinds that decide per frame or per skb with a probability. */
  public boolean usesProbability() {
    return this == LOSS || this == REORDER || this == DUPLICATE || this == CORRUPT || this == QDISC_DROP;
  }

  /** True for kinds that act on frames as they cross the wire (including the ARP filter and window rewrite). */
  public boolean actsOnWire() {
    return where == Where.WIRE || this == NEIGH_FAIL || this == PEER_ZERO_WINDOW;
  }
}
