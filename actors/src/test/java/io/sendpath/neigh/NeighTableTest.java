package io.sendpath.neigh;

import static io.sendpath.neigh.NeighTable.*;
import static io.sendpath.protocol.FlowKey.parseIp;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.wire.ArpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeighTableTest {
  static final long S = 1_000_000_000L, MS = 1_000_000L;
  static final int US = parseIp("10.0.0.1"), PEER = parseIp("10.0.0.2");
  static final long OUR_MAC = 0x02_00_00_00_00_01L, PEER_MAC = 0x02_00_00_00_00_02L, OTHER_MAC = 0x02_00_00_00_00_09L;

  final List<SkBuff> xmits = new ArrayList<>();
  final List<SkBuff> drops = new ArrayList<>();
  final List<Integer> reasons = new ArrayList<>();
  final Output sink = new Output() {
    @Override
    public void xmit(SkBuff skb) {
      xmits.add(skb);
    }

    @Override
    public void drop(SkBuff skb, int reason) {
      drops.add(skb);
      reasons.add(reason);
    }
  };

  NeighTable table(Sysctls sysctls) {
    return new NeighTable(0, US, OUR_MAC, sysctls, new Random(1), sink);
  }

  final NeighTable neigh = table(Sysctls.linuxDefaults());

  static SkBuff skb(int n, int len) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(US, PEER, 40000, 80);
    skb.seq = n;
    skb.len = len;
    skb.truesize = SkBuff.truesizeFor(len);
    return skb;
  }

  static ArpPacket arpOf(SkBuff skb) {
    assertThat(skb.protocol).isEqualTo(SkBuff.ETH_P_ARP);
    return ArpPacket.decode(skb.arp, 0);
  }

  static ArpPacket reply(long mac) {
    return new ArpPacket(ArpPacket.ARPOP_REPLY, mac, PEER, OUR_MAC, US);
  }

  /** Data skbs handed to xmit, by number, in order. */
  int[] dataSeqs() {
    return xmits.stream().filter(s -> s.protocol == SkBuff.ETH_P_IP).mapToInt(s -> s.seq).toArray();
  }

  List<ArpPacket> arps() {
    List<ArpPacket> a = new ArrayList<>();
    for (SkBuff s : xmits) if (s.protocol == SkBuff.ETH_P_ARP) a.add(arpOf(s));
    return a;
  }

  List<Long> arpDstMacs() {
    List<Long> a = new ArrayList<>();
    for (SkBuff s : xmits) if (s.protocol == SkBuff.ETH_P_ARP) a.add(s.dstMac);
    return a;
  }

  /** Runs timers up to and including 'until'. */
  void advance(long until) {
    while (neigh.nextTimerAt() <= until) neigh.onTimer(neigh.nextTimerAt());
  }

  /** A table with PEER resolved by a reply at t = 0. */
  void resolvedAtZero() {
    assertThat(neigh.output(0, skb(1, 100), PEER)).isEqualTo(NEIGH_QUEUED);
    neigh.arpRcv(0, reply(PEER_MAC));
    assertThat(neigh.lookup(PEER).state()).isEqualTo(NUD_REACHABLE);
    xmits.clear();
  }

  // ---- NONE / INCOMPLETE ----

  @Test
  void none_output_broadcastRequestAndQueue_replyFlushesInOrder() {
    assertThat(neigh.output(0, skb(1, 1000), PEER)).isEqualTo(NEIGH_QUEUED);
    assertThat(neigh.output(10 * MS, skb(2, 1000), PEER)).isEqualTo(NEIGH_QUEUED);
    assertThat(neigh.output(20 * MS, skb(3, 1000), PEER)).isEqualTo(NEIGH_QUEUED);
    Neighbour n = neigh.lookup(PEER);
    assertThat(n.state()).isEqualTo(NUD_INCOMPLETE);
    assertThat(n.queueLen()).isEqualTo(3);
    assertThat(n.queueBytes()).isEqualTo(3L * SkBuff.truesizeFor(1000));
    assertThat(arps()).containsExactly(new ArpPacket(ArpPacket.ARPOP_REQUEST, OUR_MAC, US, 0, PEER));
    assertThat(arpDstMacs()).containsExactly(ArpPacket.BROADCAST);
    assertThat(neigh.nextTimerAt()).isEqualTo(1 * S);

    neigh.arpRcv(300 * MS, reply(PEER_MAC));
    assertThat(n.state()).isEqualTo(NUD_REACHABLE);
    assertThat(n.ha()).isEqualTo(PEER_MAC);
    assertThat(dataSeqs()).containsExactly(1, 2, 3);
    for (SkBuff s : xmits.subList(1, 4)) {
      assertThat(s.dstMac).isEqualTo(PEER_MAC);
      assertThat(s.srcMac).isEqualTo(OUR_MAC);
    }
    assertThat(n.queueLen()).isZero();
    assertThat(n.queueBytes()).isZero();
    assertThat(neigh.output(400 * MS, skb(4, 10), PEER)).isEqualTo(NEIGH_XMIT);
    assertThat(dataSeqs()).containsExactly(1, 2, 3, 4);
    assertThat(drops).isEmpty();
  }

  @Test
  void incomplete_noReply_threeProbesOneSecondApartThenFailedDroppingQueue() {
    neigh.output(0, skb(1, 100), PEER);
    neigh.output(0, skb(2, 100), PEER);
    List<Long> probeTimes = new ArrayList<>();
    probeTimes.add(0L);
    while (neigh.nextTimerAt() != Long.MAX_VALUE) {
      long t = neigh.nextTimerAt();
      int before = arps().size();
      neigh.onTimer(t);
      if (arps().size() > before) probeTimes.add(t);
      if (neigh.lookup(PEER).state() == NUD_FAILED) {
        assertThat(t).isEqualTo(3 * S);
        break;
      }
    }
    assertThat(probeTimes).containsExactly(0L, 1 * S, 2 * S);
    assertThat(arpDstMacs()).containsOnly(ArpPacket.BROADCAST);
    assertThat(neigh.lookup(PEER).state()).isEqualTo(NUD_FAILED);
    assertThat(drops).extracting(s -> s.seq).containsExactly(1, 2);
    assertThat(reasons).containsOnly(DROP_NEIGH_FAILED);
    assertThat(errnoOf(reasons.get(0))).isEqualTo(EHOSTUNREACH);
    assertThat(neigh.resFailed()).isEqualTo(1);
    assertThat(neigh.nextTimerAt()).isEqualTo(Long.MAX_VALUE);
    assertThat(dataSeqs()).isEmpty();

    // a new packet restarts resolution from FAILED
    assertThat(neigh.output(10 * S, skb(3, 100), PEER)).isEqualTo(NEIGH_QUEUED);
    assertThat(neigh.lookup(PEER).state()).isEqualTo(NUD_INCOMPLETE);
    assertThat(arps()).hasSize(4);
  }

  @Test
  void incomplete_queueOverUnresQlenBytes_dropsOldestFirst() {
    int ts = SkBuff.truesizeFor(1000);
    NeighTable small = new NeighTable(0, US, OUR_MAC,
        Sysctls.linuxDefaults().set("neigh.unres_qlen_bytes", Integer.toString(2 * ts + 10)), new Random(1), sink);
    for (int i = 1; i <= 5; i++) small.output(i * MS, skb(i, 1000), PEER);
    Neighbour n = small.lookup(PEER);
    assertThat(n.queueLen()).isEqualTo(2);
    assertThat(n.queueBytes()).isEqualTo(2L * ts);
    assertThat(drops).extracting(s -> s.seq).containsExactly(1, 2, 3);
    assertThat(reasons).containsOnly(DROP_NEIGH_QUEUEFULL);
    assertThat(errnoOf(DROP_NEIGH_QUEUEFULL)).isZero();
    assertThat(small.unresolvedDiscards()).isEqualTo(3);
    small.arpRcv(50 * MS, reply(PEER_MAC));
    assertThat(dataSeqs()).containsExactly(4, 5);
  }

  @Test
  void defaults_unresQueue_holdsAbout120FullSkbs() {
    // 212992 / truesize(1000) = 120.4 ⇒ the 121st skb pushes out the first
    for (int i = 1; i <= 121; i++) neigh.output(0, skb(i, 1000), PEER);
    assertThat(neigh.lookup(PEER).queueLen()).isEqualTo(120);
    assertThat(drops).extracting(s -> s.seq).containsExactly(1);
  }

  // ---- REACHABLE → STALE → DELAY → PROBE → REACHABLE ----

  @Test
  void reachable_fullCycle_staleDelayProbeThenReplyMakesReachable() {
    resolvedAtZero();
    Neighbour n = neigh.lookup(PEER);
    long reach = neigh.reachableTimeNs();
    assertThat(reach).isBetween(15 * S, 45 * S - 1);
    assertThat(neigh.nextTimerAt()).isEqualTo(reach);

    advance(reach + 10 * MS);
    assertThat(n.state()).isEqualTo(NUD_STALE);
    assertThat(neigh.nextTimerAt()).isEqualTo(Long.MAX_VALUE);

    long t1 = 100 * S;
    assertThat(neigh.output(t1, skb(7, 100), PEER)).isEqualTo(NEIGH_XMIT); // STALE still sends
    assertThat(n.state()).isEqualTo(NUD_DELAY);
    assertThat(xmits.get(0).dstMac).isEqualTo(PEER_MAC);
    assertThat(neigh.nextTimerAt()).isEqualTo(t1 + 5 * S);

    advance(t1 + 5 * S);
    assertThat(n.state()).isEqualTo(NUD_PROBE);
    assertThat(arps()).containsExactly(new ArpPacket(ArpPacket.ARPOP_REQUEST, OUR_MAC, US, 0, PEER));
    assertThat(arpDstMacs()).containsExactly(PEER_MAC); // unicast probe
    assertThat(neigh.output(t1 + 5 * S + 1, skb(8, 100), PEER)).isEqualTo(NEIGH_XMIT); // PROBE sends too

    neigh.arpRcv(t1 + 5 * S + 500 * MS, reply(PEER_MAC));
    assertThat(n.state()).isEqualTo(NUD_REACHABLE);
    assertThat(n.confirmed()).isEqualTo(t1 + 5 * S + 500 * MS);
    assertThat(drops).isEmpty();
  }

  @Test
  void delay_confirmFromUpperLayer_becomesReachableWithoutProbe() {
    resolvedAtZero();
    Neighbour n = neigh.lookup(PEER);
    advance(60 * S);
    assertThat(n.state()).isEqualTo(NUD_STALE);
    neigh.output(100 * S, skb(1, 10), PEER);
    assertThat(n.state()).isEqualTo(NUD_DELAY);
    neigh.confirm(101 * S, PEER);
    advance(105 * S);
    assertThat(n.state()).isEqualTo(NUD_REACHABLE);
    assertThat(arps()).isEmpty();
    assertThat(neigh.nextTimerAt()).isEqualTo(101 * S + neigh.reachableTimeNs());
  }

  @Test
  void reachable_confirmedRegularly_staysReachable() {
    resolvedAtZero();
    Neighbour n = neigh.lookup(PEER);
    for (long t = 1; t <= 200; t++) {
      neigh.confirm(t * S, PEER);
      advance(t * S);
      assertThat(n.state()).isEqualTo(NUD_REACHABLE);
    }
    assertThat(arps()).isEmpty();
  }

  @Test
  void probe_noReply_threeUnicastProbesThenFailed() {
    resolvedAtZero();
    Neighbour n = neigh.lookup(PEER);
    advance(60 * S);
    neigh.output(100 * S, skb(1, 10), PEER);
    advance(105 * S);
    assertThat(n.state()).isEqualTo(NUD_PROBE);
    advance(107 * S);
    assertThat(n.state()).isEqualTo(NUD_PROBE);
    advance(108 * S);
    assertThat(n.state()).isEqualTo(NUD_FAILED);
    assertThat(arpDstMacs()).containsExactly(PEER_MAC, PEER_MAC, PEER_MAC);
    assertThat(neigh.resFailed()).isEqualTo(1);
  }

  // ---- ARP input ----

  @Test
  void requestForUs_fromUnknownHost_learnsStaleAndRepliesUnicast() {
    neigh.arpRcv(0, new ArpPacket(ArpPacket.ARPOP_REQUEST, PEER_MAC, PEER, 0, US));
    Neighbour n = neigh.lookup(PEER);
    assertThat(n.state()).isEqualTo(NUD_STALE);
    assertThat(n.ha()).isEqualTo(PEER_MAC);
    assertThat(arps()).containsExactly(new ArpPacket(ArpPacket.ARPOP_REPLY, OUR_MAC, US, PEER_MAC, PEER));
    assertThat(arpDstMacs()).containsExactly(PEER_MAC);
    assertThat(neigh.output(1 * S, skb(1, 10), PEER)).isEqualTo(NEIGH_XMIT);
    assertThat(n.state()).isEqualTo(NUD_DELAY);
  }

  @Test
  void incomplete_requestFromTarget_flushesQueueThroughDelay() {
    neigh.output(0, skb(1, 10), PEER);
    neigh.output(0, skb(2, 10), PEER);
    neigh.arpRcv(100 * MS, new ArpPacket(ArpPacket.ARPOP_REQUEST, PEER_MAC, PEER, 0, US));
    assertThat(dataSeqs()).containsExactly(1, 2);
    assertThat(neigh.lookup(PEER).state()).isEqualTo(NUD_DELAY);
  }

  @Test
  void requestNotForUs_unknownSender_createsNothing() {
    neigh.arpRcv(0, new ArpPacket(ArpPacket.ARPOP_REQUEST, PEER_MAC, PEER, 0, parseIp("10.0.0.3")));
    assertThat(neigh.lookup(PEER)).isNull();
    assertThat(xmits).isEmpty();
  }

  @Test
  void reachable_differentMacWithinLocktime_keepsFirstAfterLocktimeTakesNew() {
    neigh.output(0, skb(1, 10), PEER);
    neigh.arpRcv(100 * MS, reply(PEER_MAC));
    neigh.arpRcv(200 * MS, reply(OTHER_MAC));
    assertThat(neigh.lookup(PEER).ha()).isEqualTo(PEER_MAC);
    neigh.arpRcv(2 * S, reply(OTHER_MAC));
    assertThat(neigh.lookup(PEER).ha()).isEqualTo(OTHER_MAC);
  }

  @Test
  void broadcastReply_doesNotProveReachability() {
    neigh.output(0, skb(1, 10), PEER);
    neigh.arpRcv(100 * MS, reply(PEER_MAC), false);
    // STALE, then the queued skb goes out through neigh_resolve_output, which moves STALE to DELAY
    assertThat(neigh.lookup(PEER).state()).isEqualTo(NUD_DELAY);
    assertThat(dataSeqs()).containsExactly(1);
    assertThat(neigh.lookup(PEER).ha()).isEqualTo(PEER_MAC);
  }

  // ---- NOARP, settings ----

  @Test
  void multicastNextHop_output_noarpWithMappedMac() {
    assertThat(neigh.output(0, skb(1, 10), parseIp("224.1.2.3"))).isEqualTo(NEIGH_XMIT);
    assertThat(xmits.get(0).dstMac).isEqualTo(0x01005E010203L);
    assertThat(neigh.lookup(parseIp("224.1.2.3")).state()).isEqualTo(NUD_NOARP);
    assertThat(neigh.output(0, skb(2, 10), -1)).isEqualTo(NEIGH_XMIT);
    assertThat(xmits.get(1).dstMac).isEqualTo(ArpPacket.BROADCAST);
  }

  @Test
  void mcastSolicitZero_output_failsAtOnce() {
    NeighTable none = table(Sysctls.linuxDefaults().set("neigh.mcast_solicit", "0"));
    assertThat(none.output(0, skb(1, 10), PEER)).isEqualTo(NEIGH_DROPPED);
    assertThat(none.lookup(PEER).state()).isEqualTo(NUD_FAILED);
    assertThat(reasons).containsExactly(DROP_NEIGH_FAILED);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void reachableTime_seeded_inHalfToOneAndHalfBaseAndReproducible(long seed) {
    NeighTable a = new NeighTable(0, US, OUR_MAC, Sysctls.linuxDefaults(), new Random(seed), sink);
    NeighTable b = new NeighTable(0, US, OUR_MAC, Sysctls.linuxDefaults(), new Random(seed), sink);
    assertThat(a.reachableTimeNs()).isBetween(15 * S, 45 * S - 1).isEqualTo(b.reachableTimeNs());
  }
}
