package io.sendpath.peer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.nic.core.Tso;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The GRO core against frames as the sender's NIC cuts them (Tso) and the receiver decodes them
 * (FrameCodec): what one NAPI poll passes up, per the rules of net/ipv4/tcp_offload.c::
 * tcp_gro_receive() and include/net/gro.h::inet_gro_flush().
 */
class TcpGroTest {

  static final int MSS = 1448;
  static final FlowKey FLOW_A = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), 40000, 5001);
  static final FlowKey FLOW_B = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), 40001, 5001);
  static final long MAC_A = 0x020000000001L, MAC_B = 0x020000000002L;
  static final Payload PAYLOAD = new Payload.Generated(7, 1);
  static final int ISN = 1_000_000;

  final TcpGro gro = new TcpGro();
  final List<SkBuff> up = new ArrayList<>();
  final TcpGro.Out out = up::add;

  /** The sender's skb template for flow f: ACK, window 502, timestamps, DF, TTL 64. */
  static SkBuff skb(FlowKey f, long streamOff, int len, int flags) {
    SkBuff s = new SkBuff();
    s.flow = f;
    s.seq = ISN + (int) streamOff;
    s.ackSeq = 77;
    s.tcpFlags = flags;
    s.window = 502;
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = 5000;
    o.tsEcr = 4000;
    s.options = o;
    s.len = len;
    s.payload = PAYLOAD;
    s.streamOffset = streamOff;
    s.ipId = 100 + (int) (streamOff / MSS);
    s.srcMac = MAC_A;
    s.dstMac = MAC_B;
    if (len > MSS) {
      s.gsoSize = MSS;
      s.gsoSegs = (len + MSS - 1) / MSS;
    }
    return s;
  }

  /** The frames of skb as the NIC sends them, decoded by the receiver. */
  static List<SkBuff> wire(SkBuff skb) {
    List<SkBuff> segs = new ArrayList<>();
    for (byte[] f : Tso.segment(skb)) segs.add(decode(f));
    return segs;
  }

  static SkBuff decode(byte[] frame) {
    Decoded d = FrameCodec.decode(frame);
    assertThat(d.ok()).as("%s", d).isTrue();
    return d.skb();
  }

  /** One segment with an edit to the sender's skb before it is framed. */
  static SkBuff seg(FlowKey f, long streamOff, int len, int flags, Consumer<SkBuff> edit) {
    SkBuff s = skb(f, streamOff, len, flags);
    edit.accept(s);
    return decode(FrameCodec.encodeTcp(s));
  }

  static SkBuff seg(FlowKey f, long streamOff, int len, int flags) {
    return seg(f, streamOff, len, flags, s -> { });
  }

  void receive(List<SkBuff> segs) {
    for (SkBuff s : segs) gro.receive(s, out);
  }

  void receive(SkBuff... segs) {
    receive(Arrays.asList(segs));
  }

  /** Every payload byte of a passed-up skb, from its frames, in sequence order. */
  static byte[] payloadOf(SkBuff skb) {
    byte[] b = new byte[skb.len];
    if (skb.groFrames == null) {
      System.arraycopy(skb.data, skb.dataOff, b, 0, skb.len);
      return b;
    }
    int part = skb.gsoSize, at = Math.min(part, skb.len);
    System.arraycopy(skb.data, skb.dataOff, b, 0, at);
    for (byte[] f : skb.groFrames) {
      int n = Math.min(part, skb.len - at);
      System.arraycopy(f, skb.dataOff, b, at, n);
      at += n;
    }
    assertThat(at).isEqualTo(skb.len);
    return b;
  }

  static byte[] expected(long off, int len) {
    byte[] b = new byte[len];
    PAYLOAD.copyTo(off, b, 0, len);
    return b;
  }

  // ---- merging ----

  @Test
  void tsoBurstOf44WithPsh_mergedIntoOneSkb_passedUpAtThePshSegment() {
    receive(wire(skb(FLOW_A, 0, 44 * MSS, TcpFlags.ACK | TcpFlags.PSH)));
    assertThat(up).hasSize(1); // the PSH segment ends the skb at once, before the poll ends
    SkBuff m = up.get(0);
    assertThat(m.seq).isEqualTo(ISN);
    assertThat(m.len).isEqualTo(44 * MSS);
    assertThat(m.gsoSize).isEqualTo(MSS);
    assertThat(m.gsoSegs).isEqualTo(44);
    assertThat(m.tcpFlags).isEqualTo(TcpFlags.ACK | TcpFlags.PSH);
    assertThat(m.endSeq()).isEqualTo(ISN + 44 * MSS);
    assertThat(m.groFrames.length).isEqualTo(43);
    assertThat(payloadOf(m)).isEqualTo(expected(0, 44 * MSS));
    // 44 frames of 1514 bytes charged 1514 + 768 each, less the 43 merged skbs' heads
    assertThat(m.truesize).isEqualTo(44 * SkBuff.truesizeFor(1514) - 43 * TcpGro.SKB_HEAD_TRUESIZE);
    assertThat(gro.held()).isZero();
    assertThat(gro.merged()).isEqualTo(43);
  }

  @Test
  void burstWithoutPsh_heldUntilThePollEnds() {
    receive(wire(skb(FLOW_A, 0, 10 * MSS, TcpFlags.ACK)));
    assertThat(up).isEmpty();
    assertThat(gro.held()).isEqualTo(1);
    gro.flush(out);
    assertThat(up).hasSize(1);
    assertThat(up.get(0).gsoSegs).isEqualTo(10);
    assertThat(gro.held()).isZero();
  }

  @Test
  void loneSegment_heldThenPassedUpUnchanged() {
    SkBuff one = seg(FLOW_A, 0, MSS, TcpFlags.ACK);
    receive(one);
    gro.flush(out);
    assertThat(up).containsExactly(one);
    assertThat(one.gsoSize).isZero();
    assertThat(one.gsoSegs).isEqualTo(1);
    assertThat(one.groFrames).isNull();
  }

  @Test
  void fiftySegments_groMaxSize_splitAt45() {
    // IP length 20 + 32 + 45 × 1448 = 65212 < 65536; a 46th segment would pass 65536 (skb_gro_receive -E2BIG)
    receive(wire(skb(FLOW_A, 0, 25 * MSS, TcpFlags.ACK)));
    receive(wire(skb(FLOW_A, 25L * MSS, 25 * MSS, TcpFlags.ACK)));
    gro.flush(out);
    assertThat(up).extracting(s -> s.gsoSegs).containsExactly(45, 5);
    assertThat(up.get(1).seq).isEqualTo(ISN + 45 * MSS);
    assertThat(payloadOf(up.get(1))).isEqualTo(expected(45L * MSS, 5 * MSS));
  }

  // ---- flush rules ----

  @Test
  void gapInSequence_heldSkbPassedUpAndNextStartsAnew() {
    receive(seg(FLOW_A, 0, MSS, TcpFlags.ACK), seg(FLOW_A, MSS, MSS, TcpFlags.ACK),
        seg(FLOW_A, 3L * MSS, MSS, TcpFlags.ACK, s -> s.ipId = 102));
    gro.flush(out);
    assertThat(up).extracting(s -> s.seq, s -> s.len).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ISN, 2 * MSS), org.assertj.core.groups.Tuple.tuple(ISN + 3 * MSS, MSS));
  }

  @Test
  void differentAckNumber_flushes() {
    assertSplit(s -> s.ackSeq = 78);
  }

  @Test
  void differentTsVal_optionsBytesDiffer_flushes() {
    assertSplit(s -> s.options.tsVal = 5001);
  }

  @Test
  void differentWindow_flushes() {
    assertSplit(s -> s.window = 503);
  }

  @Test
  void differentTos_ecnCe_flushes() {
    assertSplit(s -> s.tos = 0x03);
  }

  @Test
  void differentTtl_flushes() {
    assertSplit(s -> s.ttl = 63);
  }

  @Test
  void differentDf_flushes() {
    assertSplit(s -> s.df = false);
  }

  @Test
  void ipIdNotIncrementing_flushes() {
    assertSplit(s -> s.ipId = 500);
  }

  @Test
  void fixedIpIdWithDf_decidedAtSecondSegment_merges() {
    receive(seg(FLOW_A, 0, MSS, TcpFlags.ACK, s -> s.ipId = 9),
        seg(FLOW_A, MSS, MSS, TcpFlags.ACK, s -> s.ipId = 9),
        seg(FLOW_A, 2L * MSS, MSS, TcpFlags.ACK, s -> s.ipId = 9),
        seg(FLOW_A, 3L * MSS, MSS, TcpFlags.ACK, s -> s.ipId = 10)); // fixed flow: an increment now flushes
    gro.flush(out);
    assertThat(up).extracting(s -> s.gsoSegs).containsExactly(3, 1);
  }

  /** Two in-order segments whose second is changed by 'edit': two skbs of one segment each. */
  void assertSplit(Consumer<SkBuff> edit) {
    SkBuff first = seg(FLOW_A, 0, MSS, TcpFlags.ACK);
    SkBuff second = seg(FLOW_A, MSS, MSS, TcpFlags.ACK, edit);
    receive(first, second);
    assertThat(up).containsExactly(first); // the mismatch passes the held skb up; the second is held
    gro.flush(out);
    assertThat(up).containsExactly(first, second);
    assertThat(gro.merged()).isZero();
  }

  @Test
  void pshInTheMiddle_mergedUpToItThenANewSkb() {
    receive(seg(FLOW_A, 0, MSS, TcpFlags.ACK), seg(FLOW_A, MSS, MSS, TcpFlags.ACK | TcpFlags.PSH),
        seg(FLOW_A, 2L * MSS, MSS, TcpFlags.ACK, s -> s.ipId = 102));
    assertThat(up).hasSize(1);
    assertThat(up.get(0).gsoSegs).isEqualTo(2);
    assertThat(up.get(0).tcpFlags & TcpFlags.PSH).isNotZero();
    gro.flush(out);
    assertThat(up).extracting(s -> s.gsoSegs).containsExactly(2, 1);
  }

  @Test
  void fin_mergedAndEndsTheSkb() {
    receive(seg(FLOW_A, 0, MSS, TcpFlags.ACK), seg(FLOW_A, MSS, 100, TcpFlags.ACK | TcpFlags.FIN | TcpFlags.PSH));
    assertThat(up).hasSize(1);
    SkBuff m = up.get(0);
    assertThat(m.len).isEqualTo(MSS + 100);
    assertThat(m.tcpFlags & TcpFlags.FIN).isNotZero();
    assertThat(m.endSeq()).isEqualTo(ISN + MSS + 100 + 1);
  }

  @Test
  void urgRstSyn_neverMerged_heldSkbGoesFirst() {
    for (int flag : new int[] {TcpFlags.URG, TcpFlags.RST, TcpFlags.SYN}) {
      TcpGro g = new TcpGro();
      List<SkBuff> got = new ArrayList<>();
      SkBuff first = seg(FLOW_A, 0, MSS, TcpFlags.ACK);
      SkBuff flagged = seg(FLOW_A, MSS, MSS, TcpFlags.ACK | flag);
      g.receive(first, got::add);
      g.receive(flagged, got::add);
      assertThat(got).as("flag %s", TcpFlags.toString(flag)).containsExactly(first, flagged);
      assertThat(g.held()).isZero();
      assertThat(g.merged()).isZero();
    }
  }

  @Test
  void cwr_notMergedIntoTheHeldSkb_startsTheNextOne() {
    receive(seg(FLOW_A, 0, MSS, TcpFlags.ACK),
        seg(FLOW_A, MSS, MSS, TcpFlags.ACK | TcpFlags.CWR),
        seg(FLOW_A, 2L * MSS, MSS, TcpFlags.ACK, s -> s.ipId = 102));
    gro.flush(out);
    assertThat(up).extracting(s -> s.gsoSegs).containsExactly(1, 2);
    assertThat(up.get(1).tcpFlags & TcpFlags.CWR).isNotZero();
  }

  @Test
  void segmentLongerThanGsoSize_flushes_shorterOneMergesAndEnds() {
    receive(seg(FLOW_A, 0, 1000, TcpFlags.ACK), seg(FLOW_A, 1000, MSS, TcpFlags.ACK, s -> s.ipId = 101));
    assertThat(up).hasSize(1);
    assertThat(up.get(0).len).isEqualTo(1000);
    gro.flush(out);
    assertThat(up).extracting(s -> s.len).containsExactly(1000, MSS); // the longer one was held on its own
    up.clear();
    receive(seg(FLOW_A, 5000, MSS, TcpFlags.ACK), seg(FLOW_A, 5000 + MSS, 700, TcpFlags.ACK, s -> s.ipId = 104));
    assertThat(up).hasSize(1); // shorter than gso_size: merged, and the skb is finished
    assertThat(up.get(0).len).isEqualTo(MSS + 700);
    assertThat(up.get(0).gsoSize).isEqualTo(MSS);
    assertThat(gro.held()).isZero();
  }

  @Test
  void pureAck_neverMerged_heldDataOfItsFlowGoesFirst() {
    SkBuff data = seg(FLOW_A, 0, MSS, TcpFlags.ACK);
    SkBuff ack = seg(FLOW_A, MSS, 0, TcpFlags.ACK);
    receive(data, ack);
    assertThat(up).containsExactly(data, ack);
    SkBuff lone = seg(FLOW_B, 0, 0, TcpFlags.ACK);
    receive(lone);
    assertThat(up).containsExactly(data, ack, lone); // a pure ACK is never held
  }

  @Test
  void paddedFrame_ipLengthShorterThanFrame_neverHeld() {
    SkBuff small = seg(FLOW_A, 0, 4, TcpFlags.ACK, s -> s.options = null); // 58 bytes, padded to 60
    assertThat(small.data.length).isEqualTo(FrameCodec.ETH_ZLEN);
    receive(small);
    assertThat(up).containsExactly(small);
  }

  // ---- several flows ----

  @Test
  void twoFlowsInterleaved_eachMergedAndOrderKeptWithinEachFlow() {
    SkBuff a0 = seg(FLOW_A, 0, MSS, TcpFlags.ACK), b0 = seg(FLOW_B, 0, MSS, TcpFlags.ACK);
    SkBuff a1 = seg(FLOW_A, MSS, MSS, TcpFlags.ACK), b1 = seg(FLOW_B, MSS, MSS, TcpFlags.ACK);
    SkBuff aAck = seg(FLOW_A, 2L * MSS, 0, TcpFlags.ACK);
    receive(a0, b0, a1, b1, aAck);
    assertThat(up).hasSize(2);
    assertThat(up.get(0).flow).isEqualTo(FLOW_A);
    assertThat(up.get(0).gsoSegs).isEqualTo(2);
    assertThat(up.get(1)).isSameAs(aAck);
    gro.flush(out);
    assertThat(up).hasSize(3);
    assertThat(up.get(2).flow).isEqualTo(FLOW_B);
    assertThat(up.get(2).gsoSegs).isEqualTo(2);
    assertThat(payloadOf(up.get(2))).isEqualTo(expected(0, 2 * MSS));
  }

  @Test
  void ninthFlowInABucket_oldestHeldPassedUp() {
    int bucket = TcpGro.bucketOf(FLOW_A);
    List<FlowKey> same = new ArrayList<>();
    for (int port = 30000; same.size() < TcpGro.MAX_GRO_SKBS + 1; port++) {
      FlowKey f = new FlowKey(FLOW_A.saddr(), FLOW_A.daddr(), port, 5001);
      if (TcpGro.bucketOf(f) == bucket) same.add(f);
    }
    for (FlowKey f : same) receive(seg(f, 0, MSS, TcpFlags.ACK));
    assertThat(up).hasSize(1);
    assertThat(up.get(0).flow).isEqualTo(same.get(0));
    assertThat(gro.held()).isEqualTo(TcpGro.MAX_GRO_SKBS);
    gro.flush(out);
    assertThat(up).extracting(s -> s.flow).containsExactlyElementsOf(same);
  }

  @Test
  void flushAtPollEnd_bucketByBucketOldestFirst() {
    List<FlowKey> flows = new ArrayList<>();
    for (int port = 30000; port < 30020; port++) flows.add(new FlowKey(FLOW_A.saddr(), FLOW_A.daddr(), port, 5001));
    for (FlowKey f : flows) receive(seg(f, 0, MSS, TcpFlags.ACK));
    gro.flush(out);
    List<FlowKey> want = new ArrayList<>(flows);
    want.sort(java.util.Comparator.comparingInt(TcpGro::bucketOf)); // stable: arrival order within a bucket
    assertThat(up).extracting(s -> s.flow).containsExactlyElementsOf(want);
  }
}
