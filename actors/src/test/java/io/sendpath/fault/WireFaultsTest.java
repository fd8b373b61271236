package io.sendpath.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure wire fault core: each kind's effect on frames, windows, and seeded repeatability. */
class WireFaultsTest {

  static final long MS = 1_000_000L;

  record Delivery(byte[] frame, long delayNs) {}

  static byte[] tcpFrame(int sport, int len, int window) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), sport, 5001);
    skb.seq = 1000;
    skb.ackSeq = 77;
    skb.tcpFlags = TcpFlags.ACK;
    skb.window = window;
    skb.len = len;
    skb.payload = new io.sendpath.protocol.Payload.Generated(1, 0);
    skb.dstMac = 2;
    skb.srcMac = 1;
    return FrameCodec.encodeTcp(skb);
  }

  static List<Delivery> run(List<Fault> faults, long seed, int frames, long spacingNs) {
    FaultLog log = new FaultLog(new FaultPlan(faults));
    WireFaults wf = new WireFaults(faults, Fault.Direction.TO_PEER, seed, log, f -> FrameEdit.sport(f) - 10000L);
    List<Delivery> out = new ArrayList<>();
    for (int i = 0; i < frames; i++) wf.onFrame(i * spacingNs, tcpFrame(10000 + (i % 4), 100, 500), (f, d) -> out.add(new Delivery(f, d)));
    return out;
  }

  @Test
  void window_once_every_forever() {
    Fault once = Fault.of(FaultKind.LINK_DOWN).at(10).duration(5).build();
    assertThat(once.activeAt(9)).isFalse();
    assertThat(once.activeAt(10)).isTrue();
    assertThat(once.activeAt(14)).isTrue();
    assertThat(once.activeAt(15)).isFalse();
    Fault periodic = Fault.of(FaultKind.LINK_DOWN).at(10).duration(5).every(100).build();
    assertThat(periodic.activeAt(112)).isTrue();
    assertThat(periodic.activeAt(115)).isFalse();
    assertThat(periodic.windowStart(3)).isEqualTo(310);
    assertThat(periodic.windowEnd(310)).isEqualTo(315);
    Fault forever = Fault.of(FaultKind.LINK_DOWN).at(10).build();
    assertThat(forever.activeAt(Long.MAX_VALUE - 1)).isTrue();
    assertThat(forever.windowStart(1)).isEqualTo(-1);
    assertThat(forever.windowEnd(10)).isEqualTo(Fault.FOREVER);
  }

  @Test
  void linkDown_dropsEveryFrameInsideTheWindowOnly() {
    List<Delivery> out = run(List.of(Fault.of(FaultKind.LINK_DOWN).at(10 * MS).duration(20 * MS).build()), 1, 50, MS);
    assertThat(out).hasSize(30);
  }

  @Test
  void loss_dropsAboutTheProbability_sameSeedSameChoice() {
    List<Fault> plan = List.of(Fault.of(FaultKind.LOSS).probability(0.2).build());
    List<Delivery> a = run(plan, 5, 10_000, 1000), b = run(plan, 5, 10_000, 1000), c = run(plan, 6, 10_000, 1000);
    assertThat(a.size()).isBetween(7800, 8200);
    assertThat(b.size()).isEqualTo(a.size());
    assertThat(c.size()).isNotEqualTo(a.size());
  }

  @Test
  void loss_onlyForNamedConnections() {
    List<Delivery> out = run(List.of(Fault.of(FaultKind.LOSS).probability(1).connections(2).build()), 1, 40, MS);
    assertThat(out).hasSize(30).allSatisfy(d -> assertThat(FrameEdit.sport(d.frame())).isNotEqualTo(10002));
  }

  @Test
  void burstLoss_lossesComeInRuns() {
    SplittableRandom r = new SplittableRandom(3);
    GilbertElliott ge = new GilbertElliott(0.01, 0.2, 0, 1, r);
    int lost = 0, runs = 0;
    boolean prev = false;
    for (int i = 0; i < 100_000; i++) {
      boolean l = ge.lose();
      if (l) lost++;
      if (l && !prev) runs++;
      prev = l;
    }
    // stationary bad share p / (p + r) = 1/21; mean burst about 1 / r = 5 frames
    assertThat(lost).isBetween(3800, 5800);
    assertThat((double) lost / runs).isBetween(3.5, 7.0);
  }

  @Test
  void corrupt_receiverChecksumFails() {
    List<Delivery> out = run(List.of(Fault.of(FaultKind.CORRUPT).probability(1).build()), 1, 200, MS);
    assertThat(out).hasSize(200).allSatisfy(d -> {
      Decoded dec = FrameCodec.decode(d.frame());
      assertThat(dec.ok()).isFalse();
    });
  }

  @Test
  void duplicate_deliversTwiceTheSameBytes() {
    List<Delivery> out = run(List.of(Fault.of(FaultKind.DUPLICATE).probability(1).build()), 1, 10, MS);
    assertThat(out).hasSize(20);
    assertThat(out.get(1).frame()).isEqualTo(out.get(0).frame()).isNotSameAs(out.get(0).frame());
  }

  @Test
  void delay_withJitter_staysWithinBounds() {
    List<Delivery> out = run(List.of(Fault.of(FaultKind.DELAY).delay(10 * MS).jitter(2 * MS).build()), 1, 500, MS);
    assertThat(out).hasSize(500).allSatisfy(d -> assertThat(d.delayNs()).isBetween(10 * MS, 12 * MS - 1));
    assertThat(out.stream().mapToLong(Delivery::delayNs).distinct().count()).isGreaterThan(100);
  }

  @Test
  void reorder_holdsBackSomeFrames() {
    List<Delivery> out = run(List.of(Fault.of(FaultKind.REORDER).probability(0.25).delay(3 * MS).build()), 1, 1000, MS);
    long held = out.stream().filter(d -> d.delayNs() == 3 * MS).count();
    assertThat(out).hasSize(1000);
    assertThat(held).isBetween(200L, 300L);
  }

  @Test
  void zeroWindow_rewritesWindowWithAValidChecksum() {
    List<Delivery> out = run(List.of(Fault.of(FaultKind.PEER_ZERO_WINDOW).build()), 1, 5, MS);
    assertThat(out).hasSize(5).allSatisfy(d -> {
      Decoded dec = FrameCodec.decode(d.frame());
      assertThat(dec.ok()).isTrue();
      assertThat(dec.skb().window).isZero();
    });
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void log_countsEffectsWithFirstAndLastTime(long seed) {
    List<Fault> plan = List.of(Fault.of(FaultKind.LOSS).probability(0.5).at(5 * MS).build());
    FaultLog log = new FaultLog(new FaultPlan(plan));
    WireFaults wf = new WireFaults(plan, Fault.Direction.TO_PEER, seed, log, f -> -1);
    int[] delivered = {0};
    for (int i = 0; i < 100; i++) wf.onFrame(i * MS, tcpFrame(10000, 10, 100), (f, d) -> delivered[0]++);
    assertThat(log.effects(0, Effect.FRAME_DROPPED) + delivered[0]).isEqualTo(100);
    assertThat(log.summary().get(0).get("first_effect_ns")).isInstanceOf(Long.class);
    assertThat((Long) log.summary().get(0).get("first_effect_ns")).isGreaterThanOrEqualTo(5 * MS);
  }
}
