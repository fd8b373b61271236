package io.sendpath.qdisc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.ops.NetXmit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fq_codel core: classification, DRR over new/old flows, overlimit drops, CoDel, peek, stats. */
class FqCodelTest {
  static final long MS = 1_000_000L;
  static final long SEED = 42;
  /** Qdisc.pktLen of a 1000-byte segment without options. */
  static final int PKT = 1054;

  /** Destructor calls per skb number. */
  final int[] freed = new int[100_000];
  int freedTotal;
  int next;

  SkBuff skb(FlowKey flow, int len) {
    SkBuff skb = new SkBuff();
    skb.flow = flow;
    skb.seq = next++;
    skb.len = len;
    skb.truesize = SkBuff.truesizeFor(len);
    skb.destructor = s -> {
      freed[s.seq]++;
      freedTotal++;
    };
    return skb;
  }

  static FlowKey flow(int sport) {
    return new FlowKey(0x0A000001, 0x0A000002, sport, 80);
  }

  /** A flow in a bucket of its own relative to 'others'. */
  static FlowKey flowApartFrom(FqCodel q, FlowKey... others) {
    Set<Integer> taken = new HashSet<>();
    SkBuff probe = new SkBuff();
    for (FlowKey f : others) {
      probe.flow = f;
      taken.add(q.classify(probe));
    }
    for (int port = 40000; ; port++) {
      probe.flow = flow(port);
      if (!taken.contains(q.classify(probe))) return probe.flow;
    }
  }

  int bucket(FqCodel q, FlowKey f) {
    SkBuff probe = new SkBuff();
    probe.flow = f;
    return q.classify(probe);
  }

  // ---- defaults and classification ----

  @Test
  void defaults_matchTcQdiscAddFqCodel() {
    FqCodel q = new FqCodel(1500, SEED);
    assertThat(q.limit()).isEqualTo(10240);
    assertThat(q.flows()).isEqualTo(1024);
    assertThat(q.quantum()).isEqualTo(1514);
    assertThat(q.memoryLimit()).isEqualTo(32L << 20);
    assertThat(q.dropBatchSize()).isEqualTo(64);
    assertThat(q.kind()).isEqualTo("fq_codel");
    assertThat(q.canBypass()).isTrue();
  }

  @Test
  void classify_sameSeedSameBucket_bothDirectionsAlike_seedMovesFlows() {
    FqCodel a = new FqCodel(1500, SEED), b = new FqCodel(1500, SEED), c = new FqCodel(1500, SEED + 1);
    int moved = 0;
    for (int port = 1000; port < 1100; port++) {
      FlowKey f = flow(port);
      assertThat(bucket(a, f)).isEqualTo(bucket(b, f)).isBetween(0, 1023);
      assertThat(bucket(a, f.reverse())).isEqualTo(bucket(a, f));
      if (bucket(c, f) != bucket(a, f)) moved++;
    }
    assertThat(moved).isGreaterThan(90);
  }

  @Test
  void classify_10240Flows_spreadOver1024Buckets() {
    FqCodel q = new FqCodel(1500, SEED);
    int[] perBucket = new int[1024];
    for (int i = 0; i < 10240; i++) perBucket[bucket(q, new FlowKey(0x0A000001, 0x0A000002 + (i >> 14), 1024 + (i & 16383), 80))]++;
    int max = 0, empty = 0;
    for (int n : perBucket) {
      max = Math.max(max, n);
      if (n == 0) empty++;
    }
    // Poisson(10): P(0) ≈ 4.5e-5 per bucket, P(>= 30) ≈ 1e-7
    assertThat(empty).isLessThanOrEqualTo(2);
    assertThat(max).isLessThan(30);
  }

  @Test
  void arpSkb_oneFixedBucket() {
    FqCodel q = new FqCodel(1500, SEED);
    SkBuff arp1 = new SkBuff(), arp2 = new SkBuff();
    arp1.protocol = arp2.protocol = SkBuff.ETH_P_ARP;
    arp1.arp = arp2.arp = new byte[28];
    assertThat(q.classify(arp1)).isEqualTo(q.classify(arp2));
    q.enqueue(0, arp1);
    assertThat(q.backlog()).isEqualTo(Qdisc.ETH_HLEN + 28);
    assertThat(q.dequeue(0)).isSameAs(arp1);
  }

  // ---- DRR ----

  @Test
  void twoFlowsOfQuantumSizedSkbs_dequeue_alternate_byteSharesWithinOneQuantum() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey a = flow(40000), b = flowApartFrom(q, a);
    for (int i = 0; i < 50; i++) {
      q.enqueue(0, skb(a, 1460)); // qdisc_pkt_len 1514 = quantum
      q.enqueue(0, skb(b, 1460));
    }
    long bytesA = 0, bytesB = 0;
    for (int i = 0; i < 100; i++) {
      SkBuff s = q.dequeue(0);
      if (s.flow.equals(a)) bytesA += 1514; else bytesB += 1514;
      assertThat(Math.abs(bytesA - bytesB)).isLessThanOrEqualTo(q.quantum());
    }
    assertThat(bytesA).isEqualTo(bytesB);
  }

  @Test
  void twoBackloggedFlows_dequeue_byteSharesWithinAQuantumPlusAPacket() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey a = flow(40000), b = flowApartFrom(q, a);
    for (int i = 0; i < 100; i++) {
      q.enqueue(0, skb(a, 1000));
      q.enqueue(0, skb(b, 1000));
    }
    long bytesA = 0, bytesB = 0;
    for (int i = 0; i < 100; i++) {
      SkBuff s = q.dequeue(0);
      if (s.flow.equals(a)) bytesA += PKT; else bytesB += PKT;
      // deficit round robin: at any point one flow leads by less than a quantum plus a packet
      assertThat(Math.abs(bytesA - bytesB)).isLessThan(q.quantum() + PKT);
    }
    assertThat(bytesA + bytesB).isEqualTo(100L * PKT);
  }

  @Test
  void fatFlowOnOldFlows_newFlowsSyn_dequeuedNext() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey fat = flow(40000), fresh = flowApartFrom(q, fat);
    for (int i = 0; i < 100; i++) q.enqueue(0, skb(fat, 1000));
    for (int i = 0; i < 10; i++) assertThat(q.dequeue(0).flow).isEqualTo(fat);
    assertThat(q.oldFlowsLen()).isEqualTo(1);
    SkBuff syn = skb(fresh, 0);
    syn.tcpFlags = TcpFlags.SYN;
    assertThat(q.enqueue(0, syn)).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.newFlowsLen()).isEqualTo(1);
    assertThat(q.newFlowCount()).isEqualTo(2);
    // a FIFO would send 90 skbs of the fat flow first
    assertThat(q.dequeue(0)).isSameAs(syn);
    assertThat(q.dequeue(0).flow).isEqualTo(fat);
  }

  @Test
  void newFlowEmptied_withOldFlowsWaiting_goesToOldFlowsNotOffTheLists() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey fat = flow(40000), sparse = flowApartFrom(q, fat);
    for (int i = 0; i < 10; i++) q.enqueue(0, skb(fat, 1000));
    assertThat(q.dequeue(0).flow).isEqualTo(fat); // deficit 1514 - 1054 = 460
    q.enqueue(0, skb(sparse, 100)); // new_flows: fat, sparse
    assertThat(q.dequeue(0).flow).isEqualTo(fat); // deficit -594
    // fat's deficit is spent: += quantum (920), to old_flows; sparse is next on new_flows
    assertThat(q.dequeue(0).flow).isEqualTo(sparse);
    assertThat(q.newFlowsLen()).isEqualTo(1);
    // sparse is found empty on new_flows while old_flows is not: list_move_tail to old_flows
    // (not list_del_init), then fat (deficit 920) sends from old_flows
    assertThat(q.dequeue(0).flow).isEqualTo(fat);
    assertThat(q.newFlowsLen()).isZero();
    assertThat(q.oldFlowsLen()).isEqualTo(2);
  }

  // ---- overlimit ----

  @Test
  void overLimit_otherFlowFattest_dropsHalfItsBacklogAnswersSuccess() {
    FqCodel q = new FqCodel(10, 1024, 1514, 5 * MS, 100 * MS, 32 << 20, 64, true, -1, 1514, SEED);
    FlowKey fat = flow(40000), thin = flowApartFrom(q, fat);
    List<SkBuff> fatSkbs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      SkBuff s = skb(fat, 1000);
      fatSkbs.add(s);
      assertThat(q.enqueue(0, s)).isEqualTo(NetXmit.SUCCESS);
    }
    q.enqueue(0, skb(thin, 1000));
    q.enqueue(0, skb(thin, 1000));
    SkBuff arriving = skb(thin, 1000);
    assertThat(q.enqueue(0, arriving)).isEqualTo(NetXmit.SUCCESS);
    // fat holds 8 × 1054; half is 4216 = 4 × 1054: four head drops
    assertThat(q.stats().drops).isEqualTo(4);
    assertThat(q.dropOverlimit()).isEqualTo(4);
    assertThat(q.dropOvermemory()).isZero();
    assertThat(q.qlen()).isEqualTo(7);
    assertThat(q.backlog()).isEqualTo(7L * PKT);
    for (int i = 0; i < 8; i++) assertThat(freed[fatSkbs.get(i).seq]).isEqualTo(i < 4 ? 1 : 0);
    assertThat(freedTotal).isEqualTo(4);
    assertThat(q.flowQlen(bucket(q, fat))).isEqualTo(4);
    assertThat(q.flowBacklog(bucket(q, fat))).isEqualTo(4L * PKT);
  }

  @Test
  void overLimit_ownFlowFattest_answersCn() {
    FqCodel q = new FqCodel(4, 1024, 1514, 5 * MS, 100 * MS, 32 << 20, 64, true, -1, 1514, SEED);
    FlowKey f = flow(40000);
    for (int i = 0; i < 4; i++) assertThat(q.enqueue(0, skb(f, 1000))).isEqualTo(NetXmit.SUCCESS);
    SkBuff arriving = skb(f, 1000);
    assertThat(q.enqueue(0, arriving)).isEqualTo(NetXmit.CN);
    // 5 × 1054 held, threshold 2635: three head drops (3162), the arriving skb survives at the tail
    assertThat(q.stats().drops).isEqualTo(3);
    assertThat(freed[arriving.seq]).isZero();
    assertThat(q.qlen()).isEqualTo(2);
  }

  @Test
  void overLimit_dropBatchSize_capsTheBatch() {
    FqCodel q = new FqCodel(100, 1024, 1514, 5 * MS, 100 * MS, 32 << 20, 2, true, -1, 1514, SEED);
    FlowKey f = flow(40000);
    for (int i = 0; i < 100; i++) q.enqueue(0, skb(f, 1000));
    assertThat(q.enqueue(0, skb(f, 1000))).isEqualTo(NetXmit.CN);
    assertThat(q.stats().drops).isEqualTo(2);
    assertThat(q.qlen()).isEqualTo(99);
  }

  @Test
  void overMemoryLimit_dropsFromFattest_countsOvermemory() {
    int truesize = SkBuff.truesizeFor(1000);
    FqCodel q = new FqCodel(10240, 1024, 1514, 5 * MS, 100 * MS, 10L * truesize, 64, true, -1, 1514, SEED);
    FlowKey f = flow(40000);
    for (int i = 0; i < 10; i++) assertThat(q.enqueue(0, skb(f, 1000))).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.memoryUsage()).isEqualTo(10L * truesize);
    assertThat(q.enqueue(0, skb(f, 1000))).isEqualTo(NetXmit.CN);
    // 11 × 1054 held, threshold 5797: six drops (6324)
    assertThat(q.stats().drops).isEqualTo(6);
    assertThat(q.dropOvermemory()).isEqualTo(6);
    assertThat(q.dropOverlimit()).isEqualTo(6);
    assertThat(q.memoryUsage()).isEqualTo(5L * truesize);
  }

  // ---- CoDel ----

  /**
   * Hand-computed in codel_time_t (1024-ns) units: interval 97656, target 4882. 50 skbs wait from
   * t=0. At 10 ms (9765) the sojourn is above target: first_above_time = 9765 + 97656 = 107421.
   * At 110 ms (107421) now is not after it: no drop. At 111 ms (108398): drop, count 1,
   * rec_inv_sqrt 0xFFFF, drop_next = 108398 + 97656·0xFFFF0000/2^32 = 108398 + 97654 = 206052.
   * Then, one dequeue at each drop_next, the Newton steps give rec_inv_sqrt 32769, 36864, 31968,
   * 28935, 26481 for count 2..6 and drop_next 254881, 309812, 357447, 400563, 440022.
   */
  @Test
  void sojournAboveTargetForInterval_dropsOnTheControlLawSchedule() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey f = flow(40000);
    int idx = bucket(q, f);
    for (int i = 0; i < 50; i++) q.enqueue(0, skb(f, 1000));
    assertThat(q.dequeue(10 * MS).seq).isEqualTo(0);
    assertThat(q.dequeue(110 * MS).seq).isEqualTo(1);
    assertThat(q.stats().drops).isZero();
    assertThat(q.dequeue(111 * MS).seq).isEqualTo(3);
    assertThat(freed[2]).isEqualTo(1);
    assertThat(q.stats().drops).isEqualTo(1);
    assertThat(q.codelDropping(idx)).isTrue();
    assertThat(q.codelCount(idx)).isEqualTo(1);
    assertThat(q.codelDropNext(idx)).isEqualTo(206052);
    // one nanosecond-unit before drop_next: nothing dropped
    assertThat(q.dequeue(206052L * 1024 - 1).seq).isEqualTo(4);
    assertThat(q.stats().drops).isEqualTo(1);

    int[] recInvSqrt = {32769, 36864, 31968, 28935, 26481};
    int[] dropNext = {254881, 309812, 357447, 400563, 440022};
    long at = 206052L * 1024;
    int expectSeq = 6;
    for (int c = 2; c <= 6; c++) {
      SkBuff s = q.dequeue(at);
      assertThat(s.seq).isEqualTo(expectSeq);
      assertThat(freed[expectSeq - 1]).isEqualTo(1);
      assertThat(q.codelCount(idx)).isEqualTo(c);
      assertThat(q.codelRecInvSqrt(idx)).isEqualTo(recInvSqrt[c - 2]);
      assertThat(q.codelDropNext(idx)).isEqualTo(dropNext[c - 2]);
      // the gap shrinks toward interval/sqrt(count) as the Newton steps converge
      if (c >= 3) {
        double gap = dropNext[c - 2] - (c == 2 ? 206052 : dropNext[c - 3]);
        assertThat(gap / (97656 / Math.sqrt(c))).isBetween(0.97, 1.0);
      }
      at = dropNext[c - 2] * 1024L;
      expectSeq += 2;
    }
    assertThat(q.stats().drops).isEqualTo(6);
    assertThat(q.codelDrops()).isEqualTo(6);
    assertThat(q.dropOverlimit()).isZero();
    assertThat(q.qlen()).isEqualTo(50 - 6 - 9); // 9 sent: seq 0, 1, 3, 4, 6, 8, 10, 12, 14
    assertThat(q.maxpacket()).isEqualTo(PKT);
  }

  @Test
  void dropping_sojournFallsBelowTarget_leavesDroppingState() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey f = flow(40000);
    int idx = bucket(q, f);
    for (int i = 0; i < 10; i++) q.enqueue(0, skb(f, 1000)); // seq 0..9
    q.dequeue(10 * MS); // arms first_above_time
    q.dequeue(111 * MS); // drops seq 1, returns 2, dropping until drop_next 206052 (≈ 211 ms)
    assertThat(q.codelDropping(idx)).isTrue();
    for (int i = 0; i < 10; i++) q.enqueue(200 * MS, skb(f, 1000)); // seq 10..19
    // old skbs: sojourn above target but drop_next not reached: sent, still dropping
    for (int seq = 3; seq <= 9; seq++) assertThat(q.dequeue(203 * MS).seq).isEqualTo(seq);
    assertThat(q.codelDropping(idx)).isTrue();
    // the first young skb waited 3 ms < 5 ms: dropping ends, nothing dropped
    assertThat(q.dequeue(203 * MS).seq).isEqualTo(10);
    assertThat(q.codelDropping(idx)).isFalse();
    assertThat(q.stats().drops).isEqualTo(1);
  }

  @Test
  void backlogAtMostOneMtu_neverDrops() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey f = flow(40000);
    q.enqueue(0, skb(f, 1000));
    q.enqueue(0, skb(f, 1000));
    // after dequeue_func the qdisc holds one 1054-byte skb <= 1514: codel_should_drop says no
    assertThat(q.dequeue(10 * MS).seq).isEqualTo(0);
    assertThat(q.dequeue(500 * MS).seq).isEqualTo(1);
    assertThat(q.stats().drops).isZero();
  }

  @Test
  void ectSkb_markedCeInsteadOfDropped() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey f = flow(40000);
    for (int i = 0; i < 10; i++) {
      SkBuff s = skb(f, 1000);
      s.tos = 0x02; // ECT(0)
      q.enqueue(0, s);
    }
    q.dequeue(10 * MS);
    SkBuff s = q.dequeue(111 * MS);
    assertThat(s.seq).isEqualTo(1);
    assertThat(s.tos & 3).isEqualTo(3);
    assertThat(q.ecnMark()).isEqualTo(1);
    assertThat(q.stats().drops).isZero();
  }

  // ---- peek, stats ----

  @Test
  void peek_dequeuesAndHolds_nextDequeueReturnsIt_countedOnce() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey f = flow(40000);
    q.enqueue(0, skb(f, 1000));
    q.enqueue(0, skb(f, 1000));
    SkBuff p = q.peek(0);
    assertThat(p.seq).isZero();
    assertThat(q.peek(0)).isSameAs(p);
    assertThat(q.qlen()).isEqualTo(2);
    assertThat(q.backlog()).isEqualTo(2L * PKT);
    assertThat(q.dequeue(0)).isSameAs(p);
    assertThat(q.qlen()).isEqualTo(1);
    assertThat(q.dequeue(0).seq).isEqualTo(1);
    assertThat(q.dequeue(0)).isNull();
    assertThat(q.stats().packets).isEqualTo(2);
    assertThat(q.stats().bytes).isEqualTo(2L * PKT);
    assertThat(q.backlog()).isZero();
  }

  @Test
  void xstats_flowListsAndCounters() {
    FqCodel q = new FqCodel(1500, SEED);
    FlowKey a = flow(40000), b = flowApartFrom(q, a);
    q.enqueue(0, skb(a, 1000));
    q.enqueue(0, skb(b, 200));
    assertThat(q.newFlowsLen()).isEqualTo(2);
    assertThat(q.newFlowCount()).isEqualTo(2);
    q.dequeue(0);
    q.dequeue(0);
    q.dequeue(0); // both empty: off new_flows (old_flows is empty), qdisc empty
    assertThat(q.newFlowsLen()).isZero();
    assertThat(q.oldFlowsLen()).isZero();
    assertThat(q.maxpacket()).isEqualTo(PKT);
    q.enqueue(0, skb(a, 1000));
    assertThat(q.newFlowCount()).isEqualTo(3);
    assertThat(q.xstats()).contains("maxpacket 1054", "new_flow_count 3", "new_flows_len 1 old_flows_len 0");
  }

  /** Random traffic over few buckets with overlimit and CoDel drops: every skb leaves exactly once. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void randomTraffic_accountingHolds(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    FqCodel q = new FqCodel(200, 16, 1514, 5 * MS, 100 * MS, 32 << 20, 8, true, -1, 1514, seed);
    int enqueued = 0, dequeued = 0;
    boolean[] out = new boolean[100_000];
    long now = 0;
    for (int step = 0; step < 20_000; step++) {
      now += rnd.nextInt(200_000);
      if (rnd.nextInt(100) < 55) {
        SkBuff s = skb(flow(40000 + rnd.nextInt(40)), rnd.nextInt(1449));
        q.enqueue(now, s);
        enqueued++;
      } else {
        if (rnd.nextInt(10) == 0) {
          q.peek(now); // held, still counted in qlen; the next dequeue returns it
        } else {
          SkBuff s = q.dequeue(now);
          if (s != null) {
            assertThat(out[s.seq]).isFalse();
            out[s.seq] = true;
            dequeued++;
            assertThat(freed[s.seq]).isZero();
          }
        }
      }
      assertThat(q.qlen()).isBetween(0, 200);
      assertThat(q.backlog()).isGreaterThanOrEqualTo(0);
    }
    while (q.dequeue(now) != null) dequeued++;
    assertThat(q.qlen()).isZero();
    assertThat(q.backlog()).isZero();
    assertThat(q.memoryUsage()).isZero();
    assertThat(dequeued + freedTotal).isEqualTo(enqueued);
    assertThat(q.stats().drops).isEqualTo(freedTotal);
    assertThat(q.stats().drops).isEqualTo(q.dropOverlimit() + q.codelDrops());
    assertThat(q.dropOverlimit()).isPositive();
    assertThat(q.codelDrops()).isPositive();
  }
}
