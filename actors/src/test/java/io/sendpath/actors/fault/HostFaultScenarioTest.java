package io.sendpath.actors.fault;

import static io.sendpath.actors.fault.FaultScenarios.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.actors.run.RunConfig;
import io.sendpath.actors.run.RunResult;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultPlan;
import org.junit.jupiter.api.Test;

/** Faults on the host layers and at the peer, in whole runs: Linux's reaction, and invariants intact. */
class HostFaultScenarioTest {

  @Test
  void holding_peerReset_theApplicationIsToldEconnreset_theOthersNothing() {
    // everything is written and acknowledged well before 1 s; the reset comes during the hold
    FaultPlan p = plan(Fault.of(FaultKind.PEER_RESET).at(1_000 * MS).connections(1));
    RunResult r = run(small(3, 64 << 10, 1).withHoldUntilNs(2 * S), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(conn(r, 1).bytesReceivedByPeer()).isEqualTo(64 << 10);
    assertThat(conn(r, 1).error()).isEqualTo("ECONNRESET");
    assertThat(conn(r, 1).state()).isEqualTo("TCP_CLOSE");
    assertThat(conn(r, 0).error()).isNull();
    assertThat(conn(r, 2).error()).isNull();
  }

  @Test
  void established_peerReset_writerGetsEconnreset_andNothingIsLost() {
    FaultPlan p = plan(Fault.of(FaultKind.PEER_RESET).at(30 * MS).connections(1));
    RunResult r = run(small(3, 4L << 20, 1), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(conn(r, 1).error()).isEqualTo("ECONNRESET");
    assertThat(conn(r, 1).state()).isEqualTo("TCP_CLOSE");
    assertThat(conn(r, 1).bytesReceivedByPeer()).isLessThan(4L << 20);
    assertThat(conn(r, 0).error()).isNull();
    assertThat(conn(r, 2).bytesReceivedByPeer()).isEqualTo(4L << 20);
    assertThat(counter(r, "peer.TcpOutRsts")).isPositive();
    assertThat(counter(r, "TcpEstabResets")).isEqualTo(1);
    assertThat(timeline(r)).anyMatch(l -> l.contains("connection 1: the application is told ECONNRESET"));
  }

  @Test
  void established_peerStopsReadingForTwoSeconds_windowCloses_thenAllArrives() {
    FaultPlan p = plan(Fault.of(FaultKind.PEER_STOP_READING).at(5 * MS).duration(2 * S));
    RunResult r = run(small(1, 2L << 20, 2), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat(counter(r, "peer.TcpExtTCPToZeroWindowAdv")).isPositive();
    assertThat(conn(r, 0).finishNs()).isGreaterThan(2 * S);
  }

  @Test
  void established_peerAdvertisesZeroWindow_senderProbesThenFinishes() {
    FaultPlan p = plan(Fault.of(FaultKind.PEER_ZERO_WINDOW).at(10 * MS).duration(S));
    RunResult r = run(small(1, 2L << 20, 3), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat((Long) ((java.util.Map<?, ?>) r.faults().get(0).get("effects")).get("acks_window_zeroed")).isPositive();
    // Probes into the closed window, backing off (about 0.2, 0.4, 0.8 s apart within the 1 s fault).
    assertThat(counter(r, "TcpExtTCPWinProbe")).isBetween(2L, 4L);
    assertThat(conn(r, 0).finishNs()).isGreaterThan(S);
  }

  @Test
  void established_qdiscDrops_answerDropToTcp_whichEntersCwrAndRecovers() {
    FaultPlan p = plan(Fault.of(FaultKind.QDISC_DROP).probability(0.3).at(5 * MS).duration(200 * MS));
    RunResult r = run(small(2, 2L << 20, 4), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(4L << 20);
    assertThat((Long) ((java.util.Map<?, ?>) r.faults().get(0).get("effects")).get("skbs_dropped")).isPositive();
    // tcp_enter_cwr() set ssthresh from the congestion control: no longer infinite.
    assertThat(r.connectionStats()).anySatisfy(c -> assertThat(c.ssthresh()).isLessThan(Integer.MAX_VALUE));
  }

  @Test
  void established_qdiscCongestion_answerCn_everyByteStillArrives() {
    FaultPlan p = plan(Fault.of(FaultKind.QDISC_DROP).probability(0.1).answerCn(true));
    RunResult r = run(small(2, 1L << 20, 5), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat((Long) ((java.util.Map<?, ?>) r.faults().get(0).get("effects")).get("skbs_answered_cn")).isPositive();
  }

  @Test
  void established_txRingStallHalfASecond_queueStops_thenDrains() {
    FaultPlan p = plan(Fault.of(FaultKind.TX_RING_STALL).at(20 * MS).duration(500 * MS));
    RunResult r = run(small(2, 2L << 20, 6), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(4L << 20);
    assertThat(counter(r, "dev.drv_stops") + counter(r, "dev.bql_stops")).isPositive();
    assertThat(conn(r, 0).finishNs()).isGreaterThan(520 * MS);
  }

  @Test
  void established_slowTxCompletion_tsqHoldsBack_allDelivered() {
    RunResult base = run(small(1, 2L << 20, 7), FaultPlan.NONE);
    FaultPlan p = plan(Fault.of(FaultKind.SLOW_TX_COMPLETION).delay(5 * MS));
    RunResult r = run(small(1, 2L << 20, 7), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat(conn(r, 0).finishNs()).isGreaterThan(conn(base, 0).finishNs());
  }

  @Test
  void synSent_neighbourFailure_threeArpProbesThenEhostunreach() {
    FaultPlan p = plan(Fault.of(FaultKind.NEIGH_FAIL).duration(10 * S));
    RunResult r = run(small(1, 64 << 10, 8), p);
    assertThat(r.invariantViolations()).isEmpty();
    // arp_tbl: mcast_solicit = 3 probes, retrans_time 1 s apart, then NUD_FAILED drops the queued
    // SYNs; arp_error_report's ICMP host-unreachable makes tcp_v4_err end the SYN_SENT socket
    assertThat(counter(r, "neigh.arp_requests")).isEqualTo(3);
    assertThat(counter(r, "neigh.res_failed")).isPositive();
    assertThat(counter(r, "IcmpInDestUnreachs")).isPositive();
    assertThat(conn(r, 0).error()).isEqualTo("EHOSTUNREACH");
    assertThat(conn(r, 0).state()).isEqualTo("TCP_CLOSE");
    assertThat(conn(r, 0).finishNs()).isBetween(3 * S - 50 * MS, 3 * S + 50 * MS);
    assertThat(r.bytesAccepted()).isZero();
  }

  /** The small scenario with a horizon long enough for tcp_retries2 to run out. */
  private static RunConfig longRun(long seed) {
    RunConfig c = small(1, 2L << 20, seed);
    return new RunConfig(c.connections(), c.bytesPerConnection(), c.writeSize(), c.linkRateBps(),
        c.linkDelayNs(), c.mtu(), c.startJitterNs(), c.seed(), c.txRingSize(), c.tso(), c.txCsumOffload(),
        c.workerThreads(), 3_000 * S, c.sysctls(), FaultPlan.NONE);
  }

  @Test
  void established_tcpBlackholedButArpAnswered_rtoBacksOffUntilTcpRetries2_thenEtimedout() {
    // every TCP frame of connection 0 is lost both ways; ARP (not a connection's frame) still works
    FaultPlan p = plan(Fault.of(FaultKind.LOSS).at(50 * MS).duration(2_500 * S).probability(1.0).connections(0));
    RunResult r = run(longRun(10), p);
    assertThat(r.invariantViolations()).isEmpty();
    // net/ipv4/tcp_timer.c::retransmits_timed_out(): tcp_retries2 = 15 with TCP_RTO_MIN as the
    // base gives (2^10 - 1) * 200 ms + 6 * 120 s = 924.6 s after the first retransmission; the
    // error is raised at the first RTO expiry past that point (at most TCP_RTO_MAX later).
    assertThat(conn(r, 0).error()).isEqualTo("ETIMEDOUT");
    assertThat(conn(r, 0).state()).isEqualTo("TCP_CLOSE");
    assertThat(conn(r, 0).finishNs()).isBetween(924 * S, 924 * S + 121 * S);
    assertThat(counter(r, "TcpExtTCPTimeouts")).isGreaterThanOrEqualTo(15);
    assertThat(r.bytesDelivered()).isLessThan(r.bytesAccepted());
  }

  @Test
  void established_linkDownForGood_neighbourFails_connectionEndsWithEhostunreach() {
    FaultPlan p = plan(Fault.of(FaultKind.LINK_DOWN).at(50 * MS).duration(2_500 * S));
    RunResult r = run(longRun(10), p);
    assertThat(r.invariantViolations()).isEmpty();
    // With no ACKs the neighbour entry ages REACHABLE → STALE → DELAY → PROBE → FAILED; its
    // dropped skbs bring an ICMP host-unreachable (arp_error_report), kept as sk_err_soft, which
    // tcp_write_err() reports instead of ETIMEDOUT when tcp_retries2 runs out.
    assertThat(counter(r, "neigh.res_failed")).isPositive();
    assertThat(counter(r, "IcmpInDestUnreachs")).isPositive();
    assertThat(conn(r, 0).error()).isEqualTo("EHOSTUNREACH");
    assertThat(conn(r, 0).finishNs()).isBetween(924 * S, 924 * S + 121 * S);
  }

  @Test
  void established_tcpMemLoweredForOneSecond_pressureAndRefusedAllocations_thenAllDelivered() {
    RunResult base = run(small(4, 4L << 20, 11), FaultPlan.NONE);
    // 16 pages (64 KiB) for four sockets that each want their 4 MiB-bound send buffer
    FaultPlan p = plan(Fault.of(FaultKind.MEM_PRESSURE).at(50 * MS).duration(S).tcpMem(8, 12, 16));
    RunResult r = run(small(4, 4L << 20, 11), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(16L << 20);
    assertThat(counter(r, "TcpExtTCPMemoryPressures")).isPositive();
    assertThat(counter(r, "tcp_mem_refused_allocations")).isPositive();
    assertThat(counter(base, "TcpExtTCPMemoryPressures")).isZero();
    long waited = 0, waitedBase = 0;
    for (int i = 0; i < 4; i++) {
      waited += conn(r, i).sndbufLimitedUs();
      waitedBase += conn(base, i).sndbufLimitedUs();
    }
    assertThat(waited).as("writers wait for memory while tcp_mem is low").isGreaterThan(waitedBase);
    assertThat(timeline(r)).anyMatch(l -> l.contains("tcp_mem of the sender lowered")).anyMatch(l -> l.contains("restored"));
  }

  @Test
  void closed_noRouteAtConnect_connectFailsWithEnetunreachAtOnce() {
    FaultPlan p = plan(Fault.of(FaultKind.ROUTE_REMOVE).duration(10 * S));
    RunResult r = run(small(1, 64 << 10, 8), p);
    assertThat(r.invariantViolations()).isEmpty();
    // tcp_v4_connect() → ip_route_connect(): no SYN is ever built
    assertThat(conn(r, 0).error()).isEqualTo("ENETUNREACH");
    assertThat(conn(r, 0).finishNs()).isLessThan(MS);
    assertThat(counter(r, "TcpActiveOpens")).isZero();
    assertThat(r.framesEmitted()).isZero();
  }

  @Test
  void established_routesRemovedForOneSecond_ipAnswersUnreachable_thenRecovers() {
    FaultPlan p = plan(Fault.of(FaultKind.ROUTE_REMOVE).at(20 * MS).duration(S));
    RunResult r = run(small(1, 2L << 20, 9), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(counter(r, "IpOutNoRoutes")).isPositive();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat(timeline(r)).anyMatch(l -> l.contains("routes of the sender removed")).anyMatch(l -> l.contains("restored"));
  }
}
