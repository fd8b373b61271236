package io.sendpath.actors.run;

import io.sendpath.fault.FaultPlan;
import io.sendpath.protocol.Sysctls;

/**
 * Everything one run needs, already validated: a sender host with 'connections' connections to
 * one peer host over one link. The launcher builds it from a HOCON scenario.
 *
 * @param connections       number of TCP connections from the sender host to the peer
 * @param bytesPerConnection bytes each connection writes before close()
 * @param writeSize         bytes per write() call of the load generator
 * @param linkRateBps       line rate of the link, bits per second, both directions
 * @param linkDelayNs       one-way propagation delay, ns
 * @param mtu               IP MTU of both NICs (1500)
 * @param startJitterNs     connection i starts at a seeded uniform time in [0, startJitterNs)
 * @param seed              seeds every random choice of the run
 * @param congestionControl "cubic" or "reno" (also settable as sysctl.tcp_congestion_control)
 * @param txRingSize        NIC TX ring descriptors
 * @param tso               NIC TSO offload on (ethtool -K tso)
 * @param txCsumOffload     NIC checksum offload on
 * @param workerThreads     how many clock domains (hosts) run their windows at the same time: 1 one
 *                          after another, 2 side by side; frames are byte-identical either way.
 *                          Each domain has one thread of its own; with no link delay there is one
 *                          domain (no lookahead) and this is not used
 * @param maxSimulatedNs    stop the run at this virtual time even if not finished
 * @param sysctls           sender host's kernel settings (the peer uses Linux defaults)
 * @param faults            the fault plan (DESIGN §5); FaultPlan.NONE for a run without faults
 * @param holdUntilNs       a connection that has written its bytes stays open, idle, until this
 *                          virtual time before close(); 0 closes at once (bytesPerConnection = 0 with
 *                          a hold gives established idle connections)
 * @param copyRateBytesPerSec bytes per second the sender's kernel copies user data at in
 *                          tcp_sendmsg (socket.copy-rate; default 10 GB/s)
 * @param txCompletionDelayNs the sender NIC's delay from last bit out to TX completion (0: none);
 *                          slow completions hold sk_wmem_alloc up, so TSQ throttles
 * @param peerReaders       read rates of the peer application for some connections; a connection
 *                          no entry names reads everything at once; a later entry overrides an
 *                          earlier one for the connections both name
 * @param peerGro           GRO on the receiving NICs (peer.gro; ethtool -K gro, on by default):
 *                          a burst reaches the far host as one NAPI poll and the peer merges its
 *                          segments; off delivers and processes frame by frame
 * @param socket            socket options every connection sets before connect() (SO_SNDBUF,
 *                          TCP_NOTSENT_LOWAT, TCP_USER_TIMEOUT); {@link SocketOptions#NONE} sets none
 */
public record RunConfig(
    int connections,
    long bytesPerConnection,
    int writeSize,
    long linkRateBps,
    long linkDelayNs,
    int mtu,
    long startJitterNs,
    long seed,
    int txRingSize,
    boolean tso,
    boolean txCsumOffload,
    int workerThreads,
    long maxSimulatedNs,
    Sysctls sysctls,
    FaultPlan faults,
    long holdUntilNs,
    long copyRateBytesPerSec,
    long txCompletionDelayNs,
    java.util.List<PeerReader> peerReaders,
    boolean peerGro,
    SocketOptions socket) {

  /**
   * setsockopt() calls each connection makes before connect(); 0 = not set.
   *
   * @param sndbuf        SO_SNDBUF value as passed (the kernel doubles it, caps it at wmem_max and
   *                      locks the buffer: no tcp_sndbuf_expand)
   * @param notsentLowat  TCP_NOTSENT_LOWAT in bytes (0: the sysctl tcp_notsent_lowat applies)
   * @param userTimeoutMs TCP_USER_TIMEOUT in ms
   */
  public record SocketOptions(int sndbuf, long notsentLowat, int userTimeoutMs) {
    public static final SocketOptions NONE = new SocketOptions(0, 0, 0);

    public SocketOptions {
      if (sndbuf < 0 || notsentLowat < 0 || userTimeoutMs < 0)
        throw new IllegalArgumentException("socket options must not be negative: " + sndbuf + ", " + notsentLowat + ", " + userTimeoutMs);
    }
  }

  /** socket.copy-rate default: 10 GB/s (a memcpy into page frags, well above any link here). */
  public static final long DEFAULT_COPY_RATE_BYTES_PER_SEC = 10_000_000_000L;

  /** The peer application reads 'connections' (empty: every connection) at 'readRateBytesPerSec'. */
  public record PeerReader(long[] connections, long readRateBytesPerSec) {
    public PeerReader {
      if (readRateBytesPerSec <= 0) throw new IllegalArgumentException("read rate must be positive: " + readRateBytesPerSec);
      connections = connections.clone();
    }

    public boolean names(long conn) {
      if (connections.length == 0) return true;
      for (long c : connections) if (c == conn) return true;
      return false;
    }
  }

  public RunConfig {
    if (copyRateBytesPerSec <= 0) throw new IllegalArgumentException("copy rate must be positive: " + copyRateBytesPerSec);
    if (txCompletionDelayNs < 0) throw new IllegalArgumentException("TX completion delay must not be negative: " + txCompletionDelayNs);
    peerReaders = java.util.List.copyOf(peerReaders);
    if (socket == null) socket = SocketOptions.NONE;
  }

  /** As the canonical constructor with GRO on and no socket options. */
  public RunConfig(int connections, long bytesPerConnection, int writeSize, long linkRateBps, long linkDelayNs, int mtu,
      long startJitterNs, long seed, int txRingSize, boolean tso, boolean txCsumOffload, int workerThreads,
      long maxSimulatedNs, Sysctls sysctls, FaultPlan faults, long holdUntilNs, long copyRateBytesPerSec,
      long txCompletionDelayNs, java.util.List<PeerReader> peerReaders) {
    this(connections, bytesPerConnection, writeSize, linkRateBps, linkDelayNs, mtu, startJitterNs, seed, txRingSize,
        tso, txCsumOffload, workerThreads, maxSimulatedNs, sysctls, faults, holdUntilNs, copyRateBytesPerSec,
        txCompletionDelayNs, peerReaders, true, SocketOptions.NONE);
  }

  /** As the canonical constructor with the socket, NIC-completion and peer-reader settings at their defaults. */
  public RunConfig(int connections, long bytesPerConnection, int writeSize, long linkRateBps, long linkDelayNs, int mtu,
      long startJitterNs, long seed, int txRingSize, boolean tso, boolean txCsumOffload, int workerThreads,
      long maxSimulatedNs, Sysctls sysctls, FaultPlan faults, long holdUntilNs) {
    this(connections, bytesPerConnection, writeSize, linkRateBps, linkDelayNs, mtu, startJitterNs, seed, txRingSize,
        tso, txCsumOffload, workerThreads, maxSimulatedNs, sysctls, faults, holdUntilNs,
        DEFAULT_COPY_RATE_BYTES_PER_SEC, 0, java.util.List.of());
  }

  /** Read rate of the peer application on connection 'conn' in bytes/s; 0 = it reads everything at once. */
  public long peerReadRateOf(long conn) {
    long rate = 0;
    for (PeerReader r : peerReaders) if (r.names(conn)) rate = r.readRateBytesPerSec();
    return rate;
  }

  /** A configuration without a hold: each connection closes as soon as its bytes are written. */
  public RunConfig(int connections, long bytesPerConnection, int writeSize, long linkRateBps, long linkDelayNs, int mtu,
      long startJitterNs, long seed, int txRingSize, boolean tso, boolean txCsumOffload, int workerThreads,
      long maxSimulatedNs, Sysctls sysctls, FaultPlan faults) {
    this(connections, bytesPerConnection, writeSize, linkRateBps, linkDelayNs, mtu, startJitterNs, seed, txRingSize,
        tso, txCsumOffload, workerThreads, maxSimulatedNs, sysctls, faults, 0);
  }

  /** The embedded default experiment: 1,000 × 1 MiB over 10 Gbit/s, 5 ms one way, CUBIC. */
  public static RunConfig defaults() {
    return new RunConfig(1000, 1L << 20, 1 << 16, 10_000_000_000L, 5_000_000L, 1500,
        1_000_000L, 1, 256, true, true, 2, 600_000_000_000L, Sysctls.linuxDefaults(), FaultPlan.NONE);
  }

  /** This configuration with another fault plan. */
  public RunConfig withFaults(FaultPlan plan) {
    return new RunConfig(connections, bytesPerConnection, writeSize, linkRateBps, linkDelayNs, mtu, startJitterNs,
        seed, txRingSize, tso, txCsumOffload, workerThreads, maxSimulatedNs, sysctls, plan, holdUntilNs,
        copyRateBytesPerSec, txCompletionDelayNs, peerReaders, peerGro, socket);
  }

  /** This configuration with another hold-until (0: no hold). */
  public RunConfig withHoldUntilNs(long ns) {
    return new RunConfig(connections, bytesPerConnection, writeSize, linkRateBps, linkDelayNs, mtu, startJitterNs,
        seed, txRingSize, tso, txCsumOffload, workerThreads, maxSimulatedNs, sysctls, faults, ns,
        copyRateBytesPerSec, txCompletionDelayNs, peerReaders, peerGro, socket);
  }

  /** This configuration with GRO on the receiving NICs on or off (peer.gro). */
  public RunConfig withPeerGro(boolean on) {
    return new RunConfig(connections, bytesPerConnection, writeSize, linkRateBps, linkDelayNs, mtu, startJitterNs,
        seed, txRingSize, tso, txCsumOffload, workerThreads, maxSimulatedNs, sysctls, faults, holdUntilNs,
        copyRateBytesPerSec, txCompletionDelayNs, peerReaders, on, socket);
  }

}
