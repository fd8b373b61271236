package io.sendpath.fault;

import java.util.Arrays;

/**
 * One fault of a plan: what, where, when, with what probability, on which connections.
 *
 * <p>Time windows: the fault is active in [at + k·every, at + k·every + duration) for k = 0, 1, 2 ...
 * when every > 0, else in [at, at + duration) only. duration = {@link #FOREVER} never ends.
 *
 * @param id          position in the plan, 0-based; names the fault in the timeline
 * @param kind        what it does (and so where it acts)
 * @param host        "sender" or "peer": the host whose layer is wrapped (NIC, qdisc, neighbour,
 *                    route); for peer faults always "peer"
 * @param direction   wire faults: which direction of the cable
 * @param atNs        first activation, ns of virtual time, >= 0
 * @param durationNs  length of each active window, > 0, or FOREVER
 * @param everyNs     period of the windows, 0 for once; when > 0, durationNs < everyNs
 * @param probability per frame or skb, in (0, 1]; 1 for kinds without one
 * @param delayNs     delay: added delay; reorder: hold-back time; slow-tx-completion: completion delay
 * @param jitterNs    delay: uniform extra delay in [0, jitterNs)
 * @param geP         burst-loss: probability good → bad per frame
 * @param geR         burst-loss: probability bad → good per frame
 * @param geLossGood  burst-loss: loss probability in the good state (netem 1-k)
 * @param geLossBad   burst-loss: loss probability in the bad state (netem 1-h)
 * @param answerCn    qdisc-drop: answer NET_XMIT_CN and let the skb through instead of dropping it
 * @param connections connection numbers the fault applies to, ascending; empty = all
 * @param tcpMem      mem-pressure: the tcp_mem (min, pressure, max, in pages) in force during the window
 */
public record Fault(
    int id,
    FaultKind kind,
    String host,
    Direction direction,
    long atNs,
    long durationNs,
    long everyNs,
    double probability,
    long delayNs,
    long jitterNs,
    double geP,
    double geR,
    double geLossGood,
    double geLossBad,
    boolean answerCn,
    long[] connections,
    long[] tcpMem) {

  /** A window that never ends. */
  public static final long FOREVER = Long.MAX_VALUE;

  /** Directions of the cable between the sender host and the peer host. */
  public enum Direction {
    TO_PEER, TO_SENDER, BOTH;

    public String scenarioName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public boolean includes(Direction d) {
      return this == BOTH || this == d;
    }
  }

  public Fault {
    if (kind == null) throw new IllegalArgumentException("fault kind is required");
    if (atNs < 0) throw new IllegalArgumentException("at must not be negative");
    if (durationNs <= 0) throw new IllegalArgumentException("for must be longer than zero");
    if (everyNs < 0) throw new IllegalArgumentException("every must not be negative");
    if (everyNs > 0 && durationNs >= everyNs) throw new IllegalArgumentException("for must be shorter than every");
    if (!(probability > 0 && probability <= 1)) throw new IllegalArgumentException("probability must be in (0, 1]");
    connections = connections == null ? new long[0] : connections.clone();
    Arrays.sort(connections);
  }

  /** True when the fault's window covers 'now'. */
  public boolean activeAt(long now) {
    if (now < atNs) return false;
    long since = now - atNs;
    if (everyNs > 0) since %= everyNs;
    return durationNs == FOREVER || since < durationNs;
  }

  /** Start of the k-th window (k >= 0), or -1 when there is none. */
  public long windowStart(long k) {
    if (k == 0) return atNs;
    if (everyNs == 0) return -1;
    if (k > (Long.MAX_VALUE - atNs) / everyNs) return -1;
    return atNs + k * everyNs;
  }

  /** End of the window that starts at 'start' (FOREVER when it never ends). */
  public long windowEnd(long start) {
    return durationNs == FOREVER || start > Long.MAX_VALUE - durationNs ? FOREVER : start + durationNs;
  }

  /** True when the fault applies to connection 'conn' (-1: a frame of no connection, e.g. ARP). */
  public boolean appliesTo(long conn) {
    if (connections.length == 0) return true;
    return conn >= 0 && Arrays.binarySearch(connections, conn) >= 0;
  }

  /** "#2 loss" — how the timeline and reports name it. */
  public String label() {
    return "#" + id + " " + kind.scenarioName();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fault f && f.id == id && f.kind == kind && f.host.equals(host) && f.direction == direction
        && f.atNs == atNs && f.durationNs == durationNs && f.everyNs == everyNs && f.probability == probability
        && f.delayNs == delayNs && f.jitterNs == jitterNs && f.geP == geP && f.geR == geR
        && f.geLossGood == geLossGood && f.geLossBad == geLossBad && f.answerCn == answerCn
        && Arrays.equals(f.connections, connections) && Arrays.equals(f.tcpMem, tcpMem);
  }

  @Override
  public int hashCode() {
    return id * 31 + kind.hashCode() + Long.hashCode(atNs) + Arrays.hashCode(connections);
  }

  @Override
  public String toString() {
    return label() + " " + host + " " + direction.scenarioName() + " at=" + atNs + " for=" + durationNs
        + " every=" + everyNs + " p=" + probability + " conns=" + Arrays.toString(connections);
  }

  /** Starts a fault with neutral parameters; the builder's setters fill in the rest. */
  public static Builder of(FaultKind kind) {
    return new Builder(kind);
  }

  /** Fills in a Fault one field at a time (tests, the random plan generator, the parser). */
  public static final class Builder {
    private int id;
    private final FaultKind kind;
    private String host = "sender";
    private Direction direction = Direction.BOTH;
    private long atNs;
    private long durationNs = FOREVER;
    private long everyNs;
    private double probability = 1;
    private long delayNs;
    private long jitterNs;
    private double geP = 0.01, geR = 0.3, geLossGood = 0, geLossBad = 1;
    private boolean answerCn;
    private long[] connections = new long[0];
    private long[] tcpMem = new long[0];

    private Builder(FaultKind kind) {
      this.kind = kind;
      if (kind.where() == FaultKind.Where.PEER) host = "peer";
    }

    public Builder id(int v) { id = v; return this; }
    public Builder host(String v) { host = v; return this; }
    public Builder direction(Direction v) { direction = v; return this; }
    public Builder at(long ns) { atNs = ns; return this; }
    public Builder duration(long ns) { durationNs = ns; return this; }
    public Builder every(long ns) { everyNs = ns; return this; }
    public Builder probability(double v) { probability = v; return this; }
    public Builder delay(long ns) { delayNs = ns; return this; }
    public Builder jitter(long ns) { jitterNs = ns; return this; }
    public Builder gilbertElliott(double p, double r, double lossGood, double lossBad) {
      geP = p; geR = r; geLossGood = lossGood; geLossBad = lossBad; return this;
    }
    public Builder answerCn(boolean v) { answerCn = v; return this; }
    public Builder connections(long... v) { connections = v; return this; }
    public Builder tcpMem(long min, long pressure, long max) { tcpMem = new long[] {min, pressure, max}; return this; }

    public Fault build() {
      if (kind == FaultKind.MEM_PRESSURE && tcpMem.length != 3)
        throw new IllegalArgumentException("a mem-pressure fault needs tcp-mem (min, pressure, max pages)");
      return new Fault(id, kind, host, direction, atNs, durationNs, everyNs, probability, delayNs, jitterNs,
          geP, geR, geLossGood, geLossBad, answerCn, connections, tcpMem);
    }
  }
}
