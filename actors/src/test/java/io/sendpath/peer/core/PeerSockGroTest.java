package io.sendpath.peer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.nic.core.Tso;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The peer socket fed GRO skbs (frames cut by TSO, decoded, merged by {@link TcpGro}): the
 * receive path of net/ipv4/tcp_input.c must treat one skb of n full-sized segments as Linux does.
 */
class PeerSockGroTest {

  static final long MS = PeerSockTest.MS;

  /** The sender's TSO skb of 'segs' full segments at stream offset 'off', as the peer's GRO passes it up. */
  static List<SkBuff> burst(PeerSockTest.Script s, long now, long off, int segs, int flags) {
    SkBuff skb = s.base(now, off, TcpFlags.ACK | flags);
    skb.len = segs * s.mss;
    skb.payload = s.payload;
    skb.streamOffset = off;
    skb.gsoSize = s.mss;
    skb.gsoSegs = segs;
    skb.ipId = 1 + (int) (off / s.mss);
    TcpGro gro = new TcpGro();
    List<SkBuff> up = new ArrayList<>();
    for (byte[] f : Tso.segment(skb)) gro.receive(FrameCodec.decode(f).skb(), up::add);
    gro.flush(up::add);
    return up;
  }

  @Test
  void established_groSkbOf44Segments_oneAckAtOnceForAllOfIt_everyByteChecked() {
    PeerSockTest.Script s = new PeerSockTest.Script(true);
    PeerSock sock = s.handshake(10 * MS);
    // leave quick-ACK mode behind: the stretch-ACK rule alone must send the ACK
    for (int i = 0; i < 40; i++) {
      s.send(11 * MS + i, s.data(11 * MS + i, (long) i * s.mss, s.mss, 0));
      s.track(s.out.take());
    }
    s.runTimers(100 * MS);
    s.track(s.out.take());
    assertThat(sock.quick()).isZero();
    long off = 40L * s.mss;
    List<SkBuff> skbs = burst(s, 200 * MS, off, 44, 0);
    assertThat(skbs).hasSize(1);
    SkBuff gro = skbs.get(0);
    assertThat(gro.gsoSegs).isEqualTo(44);
    long segsBefore = sock.segsIn(), dataSegsBefore = sock.dataSegsIn();
    s.send(200 * MS, gro);
    List<SkBuff> acks = s.out.take();
    // __tcp_ack_snd_check(): more than one full-sized segment unacknowledged → ACK now
    assertThat(acks).hasSize(1);
    assertThat(acks.get(0).ackSeq).isEqualTo(PeerSockTest.ISN + 1 + (int) off + 44 * s.mss);
    // tcp_measure_rcv_mss() takes gso_size, not the skb's length
    assertThat(sock.rcvMss()).isEqualTo(s.mss);
    // tcp_segs_in(): the skb counts as its 44 segments
    assertThat(sock.segsIn() - segsBefore).isEqualTo(44);
    assertThat(sock.dataSegsIn() - dataSegsBefore).isEqualTo(44);
    assertThat(sock.payloadErrors()).isZero();
    assertThat(sock.bytesReceived()).isEqualTo(off + 44L * s.mss);
    assertThat(s.out.delivered).isEqualTo(off + 44L * s.mss);
  }

  @Test
  void groSkb_wrongByteInItsThirtiethFrame_reportedAtItsStreamOffset() {
    PeerSockTest.Script s = new PeerSockTest.Script(true);
    PeerSock sock = s.handshake(10 * MS);
    SkBuff gro = burst(s, 20 * MS, 0, 44, TcpFlags.PSH).get(0);
    byte[] thirtieth = gro.groFrames[28]; // frame 30 of the burst: the first is gro.data
    thirtieth[gro.dataOff + 100] ^= 0x5a; // a broken component after the checksum check
    s.send(20 * MS, gro);
    assertThat(sock.payloadErrors()).isEqualTo(1);
    assertThat(sock.firstMismatchOffset()).isEqualTo(29L * s.mss + 100);
    assertThat(s.out.errors).containsExactly(29L * s.mss + 100);
  }

  @Test
  void outOfOrderGroSkb_queuedAsOneRange_sackedAndFilledByTheHole() {
    PeerSockTest.Script s = new PeerSockTest.Script(true);
    PeerSock sock = s.handshake(10 * MS);
    SkBuff later = burst(s, 20 * MS, 10L * s.mss, 10, 0).get(0);
    s.send(20 * MS, later);
    List<SkBuff> dup = s.out.take();
    assertThat(dup).hasSize(1);
    assertThat(dup.get(0).ackSeq).isEqualTo(PeerSockTest.ISN + 1);
    TcpOptions o = dup.get(0).options;
    assertThat(o.sackBlocks).containsExactly(PeerSockTest.ISN + 1 + 10 * s.mss, PeerSockTest.ISN + 1 + 20 * s.mss);
    assertThat(sock.outOfOrderRanges()).isEqualTo(1);
    SkBuff hole = burst(s, 21 * MS, 0, 10, 0).get(0);
    s.send(21 * MS, hole);
    List<SkBuff> acks = s.out.take();
    assertThat(acks).hasSize(1);
    assertThat(acks.get(0).ackSeq).isEqualTo(PeerSockTest.ISN + 1 + 20 * s.mss);
    assertThat(sock.outOfOrderRanges()).isZero();
    assertThat(sock.payloadErrors()).isZero();
    assertThat(sock.bytesReceived()).isEqualTo(20L * s.mss);
  }
}
