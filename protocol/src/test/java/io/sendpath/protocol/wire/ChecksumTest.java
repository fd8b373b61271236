package io.sendpath.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChecksumTest {

  static byte[] hex(String s) {
    s = s.replace(" ", "");
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return b;
  }

  /** Word-at-a-time reference, written the slow way RFC 1071 §4.1 does. */
  static int reference(byte[] b, int off, int len) {
    long sum = 0;
    int i = 0;
    for (; i + 1 < len; i += 2) sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
    if (i < len) sum += (b[off + i] & 0xff) << 8;
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    return (int) (~sum & 0xffff);
  }

  @Test
  void rfc1071Example_foldedSumIsDdf2() {
    // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, so the checksum is 220d.
    byte[] b = hex("0001f203f4f5f6f7");
    assertThat(Checksum.fold(Checksum.add(0, b, 0, b.length))).isEqualTo(0xddf2);
    assertThat(Checksum.checksum(b, 0, b.length)).isEqualTo(0x220d);
  }

  @Test
  void ipv4Header_knownCapture_checksumIsB861() {
    // A captured IPv4 header (192.168.0.1 > 192.168.0.199) whose stored checksum is b861.
    byte[] h = hex("45000073000040004011 0000 c0a80001c0a800c7");
    assertThat(Checksum.checksum(h, 0, 20)).isEqualTo(0xb861);
    FrameCodec.put16(h, 10, 0xb861);
    assertThat(Checksum.verifies(0, h, 0, 20)).isTrue();
  }

  @Test
  void ackFrame_checkedByWireshark_ipAndTcpChecksumsRecomputed() {
    // 10.0.0.2:5001 > 10.0.0.1:40000 ACK, no options, padded to 60 bytes. Wireshark 4.0.17 with
    // ip.check_checksum and tcp.check_checksum reports IP 0x26ce [good] and TCP 0xd726 [good].
    byte[] f = hex("020000000001 020000000002 0800"
        + "4500 0028 0000 4000 4006 26ce 0a000002 0a000001"
        + "1389 9c40 00000001 000010f9 5010 03e8 d726 0000"
        + "000000000000");
    assertThat(Checksum.verifies(0, f, 14, 20)).isTrue();
    assertThat(Checksum.verifies(Checksum.pseudoHeader(0x0a000002, 0x0a000001, 6, 20), f, 34, 20)).isTrue();
    FrameCodec.put16(f, 24, 0);
    FrameCodec.put16(f, 50, 0);
    assertThat(Checksum.checksum(f, 14, 20)).isEqualTo(0x26ce);
    assertThat(Checksum.tcpChecksum(f, 34, 20, 0x0a000002, 0x0a000001)).isEqualTo(0xd726);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234567})
  void randomBuffers_anyOffsetAndLength_matchWordAtATimeReference(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int n = 0; n < 500; n++) {
      byte[] b = new byte[rnd.nextInt(1, 1600)];
      rnd.nextBytes(b);
      int off = rnd.nextInt(b.length);
      int len = rnd.nextInt(b.length - off + 1);
      assertThat(Checksum.checksum(b, off, len)).as("off %d len %d", off, len).isEqualTo(reference(b, off, len));
    }
  }

  @Test
  void allOnesData_sumFoldsToFfff_notZero() {
    byte[] b = new byte[4096];
    java.util.Arrays.fill(b, (byte) 0xff);
    assertThat(Checksum.fold(Checksum.add(0, b, 0, b.length))).isEqualTo(0xffff);
    assertThat(Checksum.checksum(b, 0, b.length)).isEqualTo(reference(b, 0, b.length));
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void incrementalUpdate_afterFieldChange_equalsRecomputed(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int n = 0; n < 1000; n++) {
      byte[] b = new byte[40];
      rnd.nextBytes(b);
      FrameCodec.put16(b, 10, 0);
      int check = Checksum.checksum(b, 0, 40);
      int old16 = FrameCodec.get16(b, 4), new16 = rnd.nextInt(0x10000);
      int old32 = FrameCodec.get32(b, 24), new32 = rnd.nextInt();
      FrameCodec.put16(b, 4, new16);
      int c16 = Checksum.update16(check, old16, new16);
      FrameCodec.put32(b, 24, new32);
      int c32 = Checksum.update32(c16, old32, new32);
      int recomputed = Checksum.checksum(b, 0, 40);
      // RFC 1624 may give 0x0000 where a fresh sum gives 0xffff (or the reverse): both mean the same.
      assertThat(c32 == recomputed || (c32 ^ recomputed) == 0xffff && (c32 == 0 || c32 == 0xffff)).isTrue();
      FrameCodec.put16(b, 10, c32);
      assertThat(Checksum.verifies(0, b, 0, 40)).isTrue();
    }
  }

  @Test
  void tcpPseudoHeader_segmentWithItsChecksum_verifies() {
    byte[] seg = hex("d4c2 0050 00000001 00000000 5002 ffff 0000 0000 68656c6c6f");
    int saddr = 0x0a000001, daddr = 0x0a000002;
    int c = Checksum.tcpChecksum(seg, 0, seg.length, saddr, daddr);
    FrameCodec.put16(seg, 16, c);
    assertThat(Checksum.verifies(Checksum.pseudoHeader(saddr, daddr, 6, seg.length), seg, 0, seg.length)).isTrue();
    assertThat(Checksum.verifies(Checksum.pseudoHeader(saddr, daddr + 1, 6, seg.length), seg, 0, seg.length)).isFalse();
  }
}
