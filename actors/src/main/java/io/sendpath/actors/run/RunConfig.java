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
 * @param workerThreads     Pekko dispatcher threads (1 keeps runs byte-identical)
 * @param maxSimulatedNs    stop the run at this virtual time even if not finished
 * @param sysctls           sender host's kernel settings (the peer uses Linux defaults)
 * @param faults            the fault plan (DESIGN §5); FaultPlan.NONE for a run without faults
 * @param holdUntilNs       a connection that has written its bytes stays open, idle, until this
 *                          virtual time before close(); 0 closes at once (bytesPerConnection = 0 with
 *                          a hold gives established idle connections)
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
    long holdUntilNs) {

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
        1_000_000L, 1, 256, true, true, 1, 600_000_000_000L, Sysctls.linuxDefaults(), FaultPlan.NONE);
  }

  /** This configuration with another fault plan. */
  public RunConfig withFaults(FaultPlan plan) {
    return new RunConfig(connections, bytesPerConnection, writeSize, linkRateBps, linkDelayNs, mtu, startJitterNs,
        seed, txRingSize, tso, txCsumOffload, workerThreads, maxSimulatedNs, sysctls, plan, holdUntilNs);
  }
}
