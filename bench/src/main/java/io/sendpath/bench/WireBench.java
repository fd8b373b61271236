package io.sendpath.bench;

import io.sendpath.nic.core.Tso;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.wire.Checksum;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-frame byte work of a run: TSO cutting a GSO skb into frames (the NIC, per skb), the
 * Internet checksum over a full frame, decoding and verifying a received frame (the peer and the
 * sender's NIC RX, per frame), and producing one segment's payload (per frame, twice: the NIC
 * builds it, the peer checks it). Average time per call; inputs are built once, from a seed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireBench {
  /** MSS with timestamps on a 1500-byte MTU (tcp_mtu_to_mss() minus TCPOLEN_TSTAMP_ALIGNED). */
  static final int MSS = 1448;
  /** Segments in the GSO skb: 44 × 1448 = 63,712 bytes, the largest multiple of the MSS under gso_max_size 65536. */
  static final int GSO_SEGS = 44;
  /** Bytes of a full Ethernet frame without FCS: 14 + 1500. */
  static final int FULL_FRAME = FrameCodec.ETH_HLEN + 1500;

  /** A 44-segment GSO skb as TCP hands it down (tcp_transmit_skb on a TSO device). */
  SkBuff gsoSkb;
  /** 1500 seeded random bytes for the checksum. */
  byte[] ipPacket;
  /** One full-sized TCP frame (1448 payload bytes, timestamps), both checksums correct. */
  byte[] frame;
  /** Destination of payload copies, one segment long. */
  byte[] segmentBuf;
  Payload.Generated payload;
  /** Stream offset of the next payload copy; walks the stream so no call repeats the last one's input. */
  long payloadOffset;

  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(6);
    payload = new Payload.Generated(1, 42);
    gsoSkb = dataSkb(GSO_SEGS * MSS);
    gsoSkb.gsoSize = MSS;
    gsoSkb.gsoSegs = GSO_SEGS;
    ipPacket = new byte[1500];
    for (int i = 0; i < ipPacket.length; i++) ipPacket[i] = (byte) rnd.nextInt(256);
    frame = FrameCodec.encodeTcp(dataSkb(MSS));
    if (frame.length != FULL_FRAME) throw new IllegalStateException("frame of " + frame.length + " bytes, expected " + FULL_FRAME);
    Decoded check = FrameCodec.decode(frame);
    if (check.skb() == null) throw new IllegalStateException("the benchmark frame does not decode: " + check);
    segmentBuf = new byte[MSS];
  }

  private SkBuff dataSkb(int len) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), 10000, 5001);
    skb.seq = 0x12345678;
    skb.ackSeq = 0x0badcafe;
    skb.tcpFlags = TcpFlags.ACK | TcpFlags.PSH;
    skb.window = 502;
    TcpOptions options = new TcpOptions();
    options.timestamps = true;
    options.tsVal = 100_000;
    options.tsEcr = 99_000;
    skb.options = options;
    skb.len = len;
    skb.payload = payload;
    skb.streamOffset = 1 << 20;
    skb.ipId = 777;
    skb.srcMac = 0x02_00_00_00_00_01L;
    skb.dstMac = 0x02_00_00_00_00_02L;
    skb.truesize = SkBuff.truesizeFor(len);
    return skb;
  }

  /** net/ipv4/tcp_offload.c::tcp_gso_segment() as the NIC does it: 44 frames with headers, payload and checksums. */
  @Benchmark
  public byte[][] tsoSegment44() {
    return Tso.segment(gsoSkb);
  }

  /** csum_partial + csum_fold over 1500 bytes (the IP packet of a full frame). */
  @Benchmark
  public int checksum1500() {
    return Checksum.checksum(ipPacket, 0, ipPacket.length);
  }

  /** ip_rcv_core + tcp_v4_rcv's header checks: decode a full frame and verify both checksums. */
  @Benchmark
  public Decoded frameDecodeFull() {
    return FrameCodec.decode(frame);
  }

  /** One segment's payload from the payload function (what building or checking a frame costs in bytes). */
  @Benchmark
  public byte[] payloadCopy1448() {
    payload.copyTo(payloadOffset, segmentBuf, 0, MSS);
    payloadOffset += MSS;
    return segmentBuf;
  }
}
