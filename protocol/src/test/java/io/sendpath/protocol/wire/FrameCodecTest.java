package io.sendpath.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  static final long MAC_A = 0x02_00_00_00_00_01L, MAC_B = 0x02_00_00_00_00_02L;
  static final int IP_A = 0x0a000001, IP_B = 0x0a000002;

  static SkBuff dataSkb(int len) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(IP_A, IP_B, 40000, 5001);
    skb.seq = 0xfffffff0; // wraps inside the payload's range
    skb.ackSeq = 12345;
    skb.tcpFlags = TcpFlags.ACK | TcpFlags.PSH;
    skb.window = 502;
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = 1000;
    o.tsEcr = 999;
    skb.options = o;
    skb.len = len;
    skb.payload = new Payload.Generated(7, 3);
    skb.streamOffset = 100_000;
    skb.ipId = 0xfffe;
    skb.tos = 0x02;
    skb.srcMac = MAC_A;
    skb.dstMac = MAC_B;
    return skb;
  }

  @Test
  void tcpSegment_encodeThenDecode_givesBackEveryField() {
    SkBuff skb = dataSkb(1448);
    byte[] f = FrameCodec.encodeTcp(skb);
    assertThat(f.length).isEqualTo(14 + 20 + 32 + 1448);

    Decoded d = FrameCodec.decode(f, MAC_B, IP_B);
    assertThat(d.verdict()).as(d.toString()).isEqualTo(RxVerdict.OK);
    SkBuff rx = d.skb();
    assertThat(rx.flow).isEqualTo(skb.flow);
    assertThat(rx.seq).isEqualTo(skb.seq);
    assertThat(rx.ackSeq).isEqualTo(skb.ackSeq);
    assertThat(rx.tcpFlags).isEqualTo(skb.tcpFlags);
    assertThat(rx.window).isEqualTo(502);
    assertThat(rx.options.timestamps).isTrue();
    assertThat(rx.options.tsVal).isEqualTo(1000);
    assertThat(rx.options.tsEcr).isEqualTo(999);
    assertThat(rx.len).isEqualTo(1448);
    assertThat(rx.ipId).isEqualTo(0xfffe);
    assertThat(rx.ttl).isEqualTo(64);
    assertThat(rx.tos).isEqualTo(0x02);
    assertThat(rx.df).isTrue();
    assertThat(rx.srcMac).isEqualTo(MAC_A);
    assertThat(rx.dstMac).isEqualTo(MAC_B);
    byte[] want = new byte[1448];
    skb.payload.copyTo(100_000, want, 0, 1448);
    assertThat(Arrays.copyOfRange(rx.data, rx.dataOff, rx.dataOff + rx.len)).isEqualTo(want);

    // and back again: a decoded skb re-encodes to the same bytes
    rx.streamOffset = 0;
    assertThat(FrameCodec.encodeTcp(rx)).isEqualTo(f);
  }

  @Test
  void bareAck_under60Bytes_isPaddedAndStillDecodes() {
    SkBuff skb = dataSkb(0);
    skb.options = null;
    skb.tcpFlags = TcpFlags.ACK;
    byte[] f = FrameCodec.encodeTcp(skb);
    assertThat(f.length).isEqualTo(60);
    assertThat(FrameCodec.get16(f, 16)).as("IP total length").isEqualTo(40);
    assertThat(Arrays.copyOfRange(f, 54, 60)).containsOnly(0);
    Decoded d = FrameCodec.decode(f);
    assertThat(d.ok()).as(d.toString()).isTrue();
    assertThat(d.skb().len).isZero();
    assertThat(d.skb().options).isNull();
  }

  @Test
  void arpRequest_encodeThenDecode_isPaddedTo60AndRoundTrips() {
    ArpPacket arp = new ArpPacket(ArpPacket.ARPOP_REQUEST, MAC_A, IP_A, 0, IP_B);
    SkBuff skb = new SkBuff();
    skb.protocol = SkBuff.ETH_P_ARP;
    skb.arp = arp.encode();
    skb.srcMac = MAC_A;
    skb.dstMac = FrameCodec.BROADCAST;
    byte[] f = FrameCodec.encode(skb);
    assertThat(f.length).isEqualTo(60);
    Decoded d = FrameCodec.decode(f, MAC_B, IP_B);
    assertThat(d.ok()).isTrue();
    assertThat(d.arp()).isEqualTo(arp);
    assertThat(d.skb().protocol).isEqualTo(SkBuff.ETH_P_ARP);
    assertThat(d.skb().arp).isEqualTo(skb.arp);
  }

  @Test
  void flippedPayloadBit_decode_saysTcpChecksumWithValues() {
    byte[] f = FrameCodec.encodeTcp(dataSkb(100));
    f[f.length - 1] ^= 0x10;
    Decoded d = FrameCodec.decode(f);
    assertThat(d.verdict()).isEqualTo(RxVerdict.TCP_CSUM);
    assertThat(d.detail()).startsWith("TCP checksum 0x").contains("expected 0x");
  }

  @Test
  void flippedTtl_decode_saysIpChecksumWithExpectedValue() {
    SkBuff skb = dataSkb(10);
    byte[] f = FrameCodec.encodeTcp(skb);
    int stored = FrameCodec.get16(f, 24);
    f[22] = 63;
    Decoded d = FrameCodec.decode(f);
    assertThat(d.verdict()).isEqualTo(RxVerdict.IP_CSUM);
    skb.ttl = 63;
    int good = FrameCodec.get16(FrameCodec.encodeTcp(skb), 24);
    assertThat(d.detail()).isEqualTo(String.format("IP header checksum 0x%04x, expected 0x%04x", stored, good));
  }

  @Test
  void cutShort_decode_saysTooSmall() {
    byte[] f = FrameCodec.encodeTcp(dataSkb(100));
    assertThat(FrameCodec.decode(Arrays.copyOf(f, f.length - 1)).verdict()).isEqualTo(RxVerdict.PKT_TOO_SMALL);
    assertThat(FrameCodec.decode(Arrays.copyOf(f, 20)).verdict()).isEqualTo(RxVerdict.PKT_TOO_SMALL);
    assertThat(FrameCodec.decode(new byte[5]).verdict()).isEqualTo(RxVerdict.PKT_TOO_SMALL);
  }

  @Test
  void badLengths_decode_namesTheHeaderFault() {
    SkBuff skb = dataSkb(100);
    byte[] f = FrameCodec.encodeTcp(skb);
    byte[] badIhl = f.clone();
    badIhl[14] = 0x44;
    assertThat(FrameCodec.decode(badIhl).verdict()).isEqualTo(RxVerdict.IP_INHDR);
    byte[] badDoff = f.clone();
    badDoff[34 + 12] = 0x40; // 4 words
    fixTcpCheck(badDoff, 20 + 12 + 100);
    Decoded d = FrameCodec.decode(badDoff);
    assertThat(d.verdict()).isEqualTo(RxVerdict.TCP_HDR_LEN);
    assertThat(d.detail()).isEqualTo("data offset 4 words in a 132-byte segment");
  }

  @Test
  void otherHostsFrames_decode_saysOtherhost() {
    byte[] f = FrameCodec.encodeTcp(dataSkb(10));
    assertThat(FrameCodec.decode(f, MAC_A, IP_B).verdict()).isEqualTo(RxVerdict.OTHERHOST);
    assertThat(FrameCodec.decode(f, MAC_B, IP_A).verdict()).isEqualTo(RxVerdict.OTHERHOST);
    assertThat(FrameCodec.decode(f, MAC_B, IP_B).verdict()).isEqualTo(RxVerdict.OK);
  }

  @Test
  void udpAndIpv6_decode_unsupportedNamed() {
    byte[] f = FrameCodec.encodeTcp(dataSkb(10));
    byte[] udp = f.clone();
    udp[23] = 17;
    FrameCodec.put16(udp, 24, 0);
    FrameCodec.put16(udp, 24, Checksum.checksum(udp, 14, 20));
    assertThat(FrameCodec.decode(udp).verdict()).isEqualTo(RxVerdict.IP_NOPROTO);
    byte[] v6 = f.clone();
    FrameCodec.put16(v6, 12, 0x86dd);
    assertThat(FrameCodec.decode(v6).verdict()).isEqualTo(RxVerdict.UNHANDLED_PROTO);
  }

  static void fixTcpCheck(byte[] f, int tcpLen) {
    FrameCodec.put16(f, 34 + 16, 0);
    FrameCodec.put16(f, 34 + 16, Checksum.tcpChecksum(f, 34, tcpLen, FrameCodec.get32(f, 26), FrameCodec.get32(f, 30)));
  }
}
