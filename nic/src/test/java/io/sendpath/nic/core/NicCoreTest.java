package io.sendpath.nic.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NicCoreTest {
  static final long MAC = 0x020000000001L, PEER = 0x020000000002L;

  record Tx(long departNs, byte[] frame, long serNs) {}
  record Done(int descriptors, int skbs, long bytes) {}

  static final class Fx implements NicEffects {
    final List<Tx> tx = new ArrayList<>();
    final List<Long> armed = new ArrayList<>();
    final List<Done> done = new ArrayList<>();
    final List<byte[]> rx = new ArrayList<>();
    /** Frames per transmit call (one call per skb) and per receive call (one per poll). */
    final List<Integer> trains = new ArrayList<>(), polls = new ArrayList<>();

    @Override public void transmit(io.sendpath.protocol.wire.FrameTrain train, long[] departNs, long[] serializationNs) {
      byte[][] frames = train.frames();
      trains.add(frames.length);
      for (int i = 0; i < frames.length; i++) tx.add(new Tx(departNs[i], frames[i], serializationNs[i]));
    }
    @Override public void armTxCompletion(long atNs) { armed.add(atNs); }
    @Override public void txCompleted(int descriptors, int skbs, long bytes) { done.add(new Done(descriptors, skbs, bytes)); }
    @Override public void receive(byte[][] frames) {
      polls.add(frames.length);
      rx.addAll(List.of(frames));
    }
  }

  static SkBuff skb(int segs, List<SkBuff> freed) {
    SkBuff s = TsoTest.gsoSkb(segs, TsoTest.MSS, TcpFlags.ACK);
    s.destructor = freed::add;
    return s;
  }

  @Test
  void idleNic_gsoSkb_framesBackToBackAndOneCompletionAtLastEnd() {
    NicCore nic = new NicCore(NicConfig.defaults(MAC));
    Fx fx = new Fx();
    List<SkBuff> freed = new ArrayList<>();
    SkBuff s = skb(3, freed);
    nic.ndoStartXmit(1_000, s, fx);
    // 1448 payload + 32 TCP + 20 IP + 14 Ethernet = 1514 bytes per frame
    assertThat(fx.tx).extracting(Tx::departNs).containsExactly(1_000L, 2_230L, 3_460L);
    assertThat(fx.tx).extracting(t -> t.frame().length).containsOnly(1514);
    assertThat(fx.armed).containsExactly(1_000L + 3691);
    assertThat(nic.counters().txTsoPackets).isEqualTo(1);
    assertThat(nic.counters().txPackets).isEqualTo(3);

    nic.txCompletionIrq(4_690, fx);
    assertThat(freed).isEmpty();
    nic.txCompletionIrq(4_691, fx);
    assertThat(freed).containsExactly(s);
    assertThat(fx.done).containsExactly(new Done(1, 1, 3 * 1514));
  }

  @Test
  void twoSkbsEndingTogether_withCompletionDelay_batchedIntoOneCompletion() {
    NicCore nic = new NicCore(NicConfig.defaults(MAC).withCompletionDelayNs(10_000));
    Fx fx = new Fx();
    List<SkBuff> freed = new ArrayList<>();
    nic.ndoStartXmit(0, skb(1, freed), fx);
    nic.ndoStartXmit(0, skb(1, freed), fx);
    assertThat(fx.armed).containsExactly(11_230L, 12_460L);
    nic.txCompletionIrq(12_460, fx);
    assertThat(freed).hasSize(2);
    assertThat(fx.done).containsExactly(new Done(2, 2, 2 * 1514));
  }

  @Test
  void fullRing_extraSkb_droppedFreedAndDescriptorReturnedAtOnce() {
    NicCore nic = new NicCore(NicConfig.defaults(MAC).withTxRingSize(1));
    Fx fx = new Fx();
    List<SkBuff> freed = new ArrayList<>();
    nic.ndoStartXmit(0, skb(1, freed), fx);
    SkBuff extra = skb(1, freed);
    nic.ndoStartXmit(0, extra, fx);
    assertThat(freed).containsExactly(extra);
    assertThat(fx.done).containsExactly(new Done(1, 1, 1514));
    assertThat(fx.tx).hasSize(1);
    assertThat(nic.counters().txDropped).isEqualTo(1);
  }

  @Test
  void overMtu_nonGsoSkb_dropped() {
    NicCore nic = new NicCore(NicConfig.defaults(MAC).withMtu(1400));
    Fx fx = new Fx();
    List<SkBuff> freed = new ArrayList<>();
    nic.ndoStartXmit(0, skb(1, freed), fx);
    assertThat(fx.tx).isEmpty();
    assertThat(freed).hasSize(1);
    assertThat(nic.counters().txDropped).isEqualTo(1);
  }

  @Test
  void noTsoBecauseNoChecksumOffload_gsoSkb_sameFramesCountedAsSoftwareGso() {
    NicCore on = new NicCore(NicConfig.defaults(MAC));
    NicCore off = new NicCore(NicConfig.defaults(MAC).withOffloads(true, false, false));
    Fx a = new Fx(), b = new Fx();
    on.ndoStartXmit(0, skb(4, new ArrayList<>()), a);
    off.ndoStartXmit(0, skb(4, new ArrayList<>()), b);
    assertThat(b.tx).hasSize(4);
    for (int i = 0; i < 4; i++) assertThat(b.tx.get(i).frame()).isEqualTo(a.tx.get(i).frame());
    assertThat(off.counters().txSwGso).isEqualTo(1);
    assertThat(off.counters().txTsoPackets).isZero();
    assertThat(off.counters().txCsumPartial).isZero();
    assertThat(on.counters().txCsumPartial).isEqualTo(4);
  }

  @Test
  void rx_otherStationsFrame_droppedAndCounted_oursAndBroadcastPassedUp() {
    NicCore nic = new NicCore(NicConfig.defaults(PEER).withOffloads(true, true, true));
    Fx fx = new Fx();
    SkBuff s = skb(1, new ArrayList<>());
    byte[] ours = FrameCodec.encodeTcp(s);
    s.dstMac = 0x020000000099L;
    byte[] theirs = FrameCodec.encodeTcp(s);
    s.dstMac = FrameCodec.BROADCAST;
    byte[] bcast = FrameCodec.encodeTcp(s);
    byte[] corrupt = ours.clone();
    corrupt[100] ^= 1;
    nic.rx(0, new byte[][] {ours}, fx);
    nic.rx(0, new byte[][] {theirs}, fx);
    nic.rx(0, new byte[][] {bcast}, fx);
    nic.rx(0, new byte[][] {corrupt}, fx);
    nic.rx(0, new byte[][] {new byte[10]}, fx);
    assertThat(fx.rx).containsExactly(ours, bcast, corrupt);
    assertThat(fx.polls).containsExactly(1, 1, 1); // nothing goes up for a poll whose frames were all dropped
    assertThat(nic.counters().rxOtherhostDropped).isEqualTo(1);
    assertThat(nic.counters().rxLengthErrors).isEqualTo(1);
    assertThat(nic.counters().rxCsumErrors).isEqualTo(1);
    assertThat(nic.counters().rxPackets).isEqualTo(3);
  }

  @Test
  void idleNic_gsoSkb_oneTrainWithEachFramesOwnDepartureAndSerialization() {
    NicCore nic = new NicCore(NicConfig.defaults(MAC));
    Fx fx = new Fx();
    nic.ndoStartXmit(1_000, skb(44, new ArrayList<>()), fx);
    nic.ndoStartXmit(1_000, skb(1, new ArrayList<>()), fx);
    assertThat(fx.trains).containsExactly(44, 1);
    // 10 Gbit/s: (1514 + 24) × 8 bits = 1230.4 ns per frame, the fraction carried frame to frame
    for (int i = 0; i < 45; i++) assertThat(fx.tx.get(i).departNs()).isEqualTo(1_000L + (12304L * i) / 10);
    assertThat(fx.tx).extracting(Tx::serNs).containsOnly(1230L, 1231L);
    assertThat(nic.counters().txPackets).isEqualTo(45);
  }

  @Test
  void rx_pollOfFrames_oneCallInArrivalOrderWithStrangersRemoved() {
    NicCore nic = new NicCore(NicConfig.defaults(PEER));
    Fx fx = new Fx();
    SkBuff s = skb(1, new ArrayList<>());
    byte[] a = FrameCodec.encodeTcp(s);
    s.seq += 1448;
    byte[] b = FrameCodec.encodeTcp(s);
    s.dstMac = 0x020000000099L;
    byte[] stranger = FrameCodec.encodeTcp(s);
    nic.rx(0, new byte[][] {a, b}, fx);
    nic.rx(0, new byte[][] {a, stranger, b}, fx);
    assertThat(fx.polls).containsExactly(2, 2);
    assertThat(fx.rx).containsExactly(a, b, a, b);
    assertThat(nic.counters().rxOtherhostDropped).isEqualTo(1);
    assertThat(nic.counters().rxPackets).isEqualTo(4);
  }
}
