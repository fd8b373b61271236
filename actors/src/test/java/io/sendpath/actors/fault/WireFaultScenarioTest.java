package io.sendpath.actors.fault;

import static io.sendpath.actors.fault.FaultScenarios.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.actors.run.EndToEndTestAccess;
import io.sendpath.actors.run.RunResult;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultPlan;
import org.junit.jupiter.api.Test;

/** Wire faults in whole runs: the Linux-like reaction, full delivery, and no invariant violation. */
class WireFaultScenarioTest {

  @Test
  void established_linkDownTwoSeconds_rtoBacksOffThenEveryByteArrives() {
    FaultPlan p = plan(Fault.of(FaultKind.LINK_DOWN).at(50 * MS).duration(2 * S));
    RunResult r = run(small(2, 4L << 20, 1), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L * (4L << 20));
    // Several RTOs while the cable is out: 200 ms-ish, then doubling (backoff), ...
    assertThat(counter(r, "TcpExtTCPTimeouts")).isGreaterThanOrEqualTo(2 * 3);
    assertThat(conn(r, 0).rtoCount()).isGreaterThanOrEqualTo(3);
    assertThat(counter(r, "nic.tx_carrier_errors") + counter(r, "peer.nic.tx_carrier_errors")).isPositive();
    // ... and the transfer finishes after the link is back.
    assertThat(conn(r, 0).finishNs()).isGreaterThan(2050 * MS);
    assertThat(timeline(r)).anyMatch(l -> l.contains("netif_carrier_off")).anyMatch(l -> l.contains("netif_carrier_on"));
  }

  @Test
  void established_independentLoss_retransmitsAndDeliversAll() {
    FaultPlan p = plan(Fault.of(FaultKind.LOSS).probability(0.02));
    RunResult r = run(small(4, 1L << 20, 3), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(4L << 20);
    assertThat(r.retransmittedSegments()).isPositive();
    assertThat((long) r.faults().get(0).get("first_effect_ns")).isNotNull();
  }

  @Test
  void established_burstLoss_recoversAndDeliversAll() {
    FaultPlan p = plan(Fault.of(FaultKind.BURST_LOSS).gilbertElliott(0.01, 0.3, 0, 1).direction(Fault.Direction.TO_PEER));
    RunResult r = run(small(4, 1L << 20, 4), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(4L << 20);
    assertThat(r.retransmittedSegments()).isPositive();
  }

  @Test
  void established_corruption_receiverDropsOnChecksum_senderRetransmits() {
    FaultPlan p = plan(Fault.of(FaultKind.CORRUPT).probability(0.01));
    RunResult r = run(small(2, 1L << 20, 5), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat(counter(r, "peer.nic.rx_csum_errors") + counter(r, "IpInCsumErrors")).isPositive();
    assertThat(r.retransmittedSegments()).isPositive();
  }

  @Test
  void established_duplication_peerSeesDuplicates_deliversOnce() {
    FaultPlan p = plan(Fault.of(FaultKind.DUPLICATE).probability(0.05));
    RunResult r = run(small(2, 1L << 20, 6), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat((Long) ((java.util.Map<?, ?>) r.faults().get(0).get("effects")).get("frames_duplicated")).isPositive();
  }

  @Test
  void established_reordering_deliversInOrderOnce() {
    FaultPlan p = plan(Fault.of(FaultKind.REORDER).probability(0.05).delay(3 * MS).direction(Fault.Direction.TO_PEER));
    RunResult r = run(small(2, 1L << 20, 7), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(2L << 20);
    assertThat(counter(r, "peer.TcpExtTCPOFOQueue")).isPositive();
  }

  @Test
  void established_delayAndJitter_rttGrows_allDelivered() {
    RunResult base = run(small(1, 256 << 10, 8), FaultPlan.NONE);
    FaultPlan p = plan(Fault.of(FaultKind.DELAY).delay(20 * MS).jitter(2 * MS).direction(Fault.Direction.TO_SENDER));
    RunResult r = run(small(1, 256 << 10, 8), p);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesDelivered()).isEqualTo(256 << 10);
    assertThat(conn(r, 0).minRttUs()).isGreaterThanOrEqualTo(conn(base, 0).minRttUs() + 20_000);
  }

  @Test
  void sameSeedAndPlan_identicalFrames_otherSeed_otherFrames() throws Exception {
    FaultPlan p = plan(Fault.of(FaultKind.LOSS).probability(0.03), Fault.of(FaultKind.DELAY).delay(MS).jitter(MS),
        Fault.of(FaultKind.DUPLICATE).probability(0.02));
    EndToEndTestAccess.Digest a = new EndToEndTestAccess.Digest(), b = new EndToEndTestAccess.Digest(), c = new EndToEndTestAccess.Digest();
    run(small(3, 256 << 10, 11), p, a);
    run(small(3, 256 << 10, 11), p, b);
    run(small(3, 256 << 10, 12), p, c);
    assertThat(a.frames()).isGreaterThan(3 * 180);
    assertThat(a.hex()).isEqualTo(b.hex());
    assertThat(c.hex()).isNotEqualTo(a.hex());
  }
}
