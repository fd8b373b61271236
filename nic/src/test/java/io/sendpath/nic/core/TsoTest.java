package io.sendpath.nic.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TsoTest {
  static final int MSS = 1448;

  static SkBuff gsoSkb(int segs, int lastLen, int flags) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(0x0a000001, 0x0a000002, 40000, 5001);
    skb.seq = 1_000_000;
    skb.ackSeq = 77;
    skb.tcpFlags = flags;
    skb.window = 1000;
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = 5;
    o.tsEcr = 6;
    skb.options = o;
    skb.len = (segs - 1) * MSS + lastLen;
    skb.gsoSize = MSS;
    skb.gsoSegs = segs;
    skb.payload = new Payload.Generated(1, 2);
    skb.streamOffset = 4096;
    skb.ipId = 0xfffe; // wraps during the burst
    skb.srcMac = 0x020000000001L;
    skb.dstMac = 0x020000000002L;
    return skb;
  }

  @Test
  void fiveSegmentSkbWithPshFin_segment_flagsOnlyOnLastConsecutiveSeqAndIds() {
    SkBuff skb = gsoSkb(5, 1000, TcpFlags.ACK | TcpFlags.PSH | TcpFlags.FIN | TcpFlags.CWR);
    byte[][] frames = Tso.segment(skb);
    assertThat(frames.length).isEqualTo(5);
    assertThat(Tso.segments(skb)).isEqualTo(5);

    byte[] whole = new byte[skb.len];
    skb.payload.copyTo(skb.streamOffset, whole, 0, skb.len);
    for (int i = 0; i < 5; i++) {
      Decoded d = FrameCodec.decode(frames[i]);
      assertThat(d.ok()).as("frame %d: %s", i, d).isTrue();
      SkBuff seg = d.skb();
      int want = i < 4 ? MSS : 1000;
      assertThat(seg.len).isEqualTo(want);
      assertThat(seg.seq).isEqualTo(1_000_000 + i * MSS);
      assertThat(seg.ipId).isEqualTo((0xfffe + i) & 0xffff);
      assertThat(seg.ackSeq).isEqualTo(77);
      assertThat(seg.window).isEqualTo(1000);
      assertThat(seg.options.tsVal).isEqualTo(5);
      int flags = TcpFlags.ACK | (i == 4 ? TcpFlags.PSH | TcpFlags.FIN : 0) | (i == 0 ? TcpFlags.CWR : 0);
      assertThat(TcpFlags.toString(seg.tcpFlags)).as("flags of frame %d", i).isEqualTo(TcpFlags.toString(flags));
      assertThat(FrameCodec.get16(frames[i], 16)).as("IP total length").isEqualTo(20 + 32 + want);
      assertThat(Arrays.copyOfRange(seg.data, seg.dataOff, seg.dataOff + seg.len))
          .isEqualTo(Arrays.copyOfRange(whole, i * MSS, i * MSS + want));
    }
    assertThat(Tso.wireBytes(skb)).isEqualTo(Arrays.stream(frames).mapToLong(f -> f.length).sum());
  }

  @Test
  void gsoSegsDisagreesWithLength_segment_trustsLength() {
    SkBuff skb = gsoSkb(3, MSS, TcpFlags.ACK);
    skb.gsoSegs = 7;
    assertThat(Tso.segment(skb).length).isEqualTo(3);
  }

  @Test
  void nonGsoSkb_segment_isOneFrameIdenticalToEncode() {
    SkBuff skb = gsoSkb(1, 500, TcpFlags.ACK | TcpFlags.PSH);
    byte[][] frames = Tso.segment(skb);
    assertThat(frames.length).isEqualTo(1);
    assertThat(frames[0]).isEqualTo(FrameCodec.encodeTcp(skb));
  }

  @Test
  void segmentsOfGsoSkb_equalOneByOneEncodedSkbs_softwarePathSameBytes() {
    SkBuff skb = gsoSkb(4, 10, TcpFlags.ACK | TcpFlags.PSH);
    byte[][] frames = Tso.segment(skb);
    for (int i = 0; i < 4; i++) {
      SkBuff one = skb.clone();
      one.gsoSize = 0;
      one.gsoSegs = 1;
      one.seq = skb.seq + i * MSS;
      one.streamOffset = skb.streamOffset + (long) i * MSS;
      one.len = i < 3 ? MSS : 10;
      one.ipId = (skb.ipId + i) & 0xffff;
      one.tcpFlags = i < 3 ? TcpFlags.ACK : TcpFlags.ACK | TcpFlags.PSH;
      assertThat(frames[i]).isEqualTo(FrameCodec.encodeTcp(one));
    }
  }
}
