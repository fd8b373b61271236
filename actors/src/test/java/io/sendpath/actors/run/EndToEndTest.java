package io.sendpath.actors.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.protocol.wire.FrameSink;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole runs through every layer, in virtual time, checked at the end by the run's invariants. */
class EndToEndTest {

  static RunConfig small(int conns, long bytes, long seed, long jitterNs) {
    RunConfig d = RunConfig.defaults();
    return new RunConfig(conns, bytes, 16384, 1_000_000_000L, 1_000_000L, 1500, jitterNs, seed,
        d.txRingSize(), true, true, 1, 60_000_000_000L, Sysctls.linuxDefaults(), io.sendpath.fault.FaultPlan.NONE);
  }

  /**
   * Hashes every frame with its timestamp, in time order (ties: the sending MAC, then the wire's
   * own order), and checks each one decodes with good checksums. The two wires call it from their
   * clock domains' threads, each in time order but up to a lookahead apart from the other, so the
   * frames are put in time order here, as a time-ordered pcap writer would store them.
   */
  static final class DigestSink implements FrameSink {
    record Seen(long timeNs, long srcMac, long order, byte[] frame) {}

    final List<Seen> seen = new ArrayList<>();
    long frames, badFrames;
    /** Last timestamp per sending MAC: each wire's frames come in time order. */
    final Map<Long, Long> lastTime = new HashMap<>();
    boolean timeWentBack;

    @Override
    public synchronized void frame(long timeNs, byte[] frame, int len) {
      frames++;
      long src = 0;
      for (int i = 6; i < 12; i++) src = (src << 8) | (frame[i] & 0xFF);
      Long last = lastTime.put(src, timeNs);
      if (last != null && timeNs < last) timeWentBack = true;
      byte[] copy = java.util.Arrays.copyOf(frame, len);
      seen.add(new Seen(timeNs, src, frames, copy));
      Decoded d = FrameCodec.decode(java.util.Arrays.copyOf(frame, len));
      if (!d.ok()) badFrames++;
    }

    synchronized String hex() throws Exception {
      List<Seen> sorted = new ArrayList<>(seen);
      sorted.sort(Comparator.comparingLong(Seen::timeNs).thenComparingLong(Seen::srcMac).thenComparingLong(Seen::order));
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Seen f : sorted) {
        for (int i = 0; i < 8; i++) md.update((byte) (f.timeNs() >>> (8 * i)));
        md.update(f.frame());
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }

  @Test
  void twentyConnections_deliverEveryByte_withNoViolations() throws Exception {
    DigestSink sink = new DigestSink();
    RunResult r = Simulation.run(small(20, 256 * 1024, 1, 1_000_000), sink, ProgressListener.NONE);
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.bytesAccepted()).isEqualTo(20L * 256 * 1024);
    assertThat(r.bytesDelivered()).isEqualTo(r.bytesAccepted());
    assertThat(r.framesEmitted()).isEqualTo(sink.frames);
    assertThat(sink.badFrames).isZero();
    assertThat(sink.timeWentBack).isFalse();
    assertThat(r.retransmittedSegments()).isZero();
    assertThat(r.connectionStats()).allSatisfy(c -> {
      assertThat(c.state()).isEqualTo("TCP_TIME_WAIT");
      assertThat(c.bytesAcked()).isGreaterThanOrEqualTo(256 * 1024);
    });
    // 256 KiB over a 1 Gbit/s link shared by 20, 2 ms RTT: several RTTs, well under a second.
    assertThat(r.simulatedSeconds()).isBetween(0.005, 1.0);
  }

  /** One fast flow: TSQ keeps sk_wmem_alloc within tcp_limit_output_bytes plus one skb. */
  @Test
  void oneFastFlow_tsqLimit_boundsBytesBelowTcp() throws Exception {
    RunConfig d = RunConfig.defaults();
    Sysctls tight = Sysctls.linuxDefaults().set("tcp_limit_output_bytes", "65536");
    RunResult capped = Simulation.run(new RunConfig(1, 16L << 20, 1 << 16, 10_000_000_000L, 1_000_000L, 1500, 0, 1,
        d.txRingSize(), true, true, 1, 60_000_000_000L, tight, io.sendpath.fault.FaultPlan.NONE), null, ProgressListener.NONE);
    RunResult free = Simulation.run(new RunConfig(1, 16L << 20, 1 << 16, 10_000_000_000L, 1_000_000L, 1500, 0, 1,
        d.txRingSize(), true, true, 1, 60_000_000_000L, Sysctls.linuxDefaults(), io.sendpath.fault.FaultPlan.NONE), null, ProgressListener.NONE);
    assertThat(capped.invariantViolations()).isEmpty();
    ConnStats c = capped.connectionStats().get(0);
    // tcp_small_queue_check() stops once sk_wmem_alloc is above the limit: one more skb (at most
    // a 64 KiB TSO skb's truesize) can be below TCP when it does
    assertThat(c.maxWmemAlloc()).isGreaterThan(65536).isLessThanOrEqualTo(65536 + io.sendpath.protocol.SkBuff.truesizeFor(65536));
    assertThat(c.tsqThrottles()).isPositive();
    // without the cap the limit is pacing_rate >> sk_pacing_shift (about 1 ms of data): more is below TCP
    assertThat(free.connectionStats().get(0).maxWmemAlloc()).isGreaterThan(c.maxWmemAlloc());
  }

  @Test
  void sameSeed_sameFrames_otherSeed_otherFrames() throws Exception {
    DigestSink a = new DigestSink(), b = new DigestSink(), c = new DigestSink();
    Simulation.run(small(8, 64 * 1024, 7, 500_000), a, ProgressListener.NONE);
    Simulation.run(small(8, 64 * 1024, 7, 500_000), b, ProgressListener.NONE);
    Simulation.run(small(8, 64 * 1024, 8, 500_000), c, ProgressListener.NONE);
    String ha = a.hex(), hb = b.hex(), hc = c.hex();
    assertThat(a.frames).isGreaterThan(8 * 45);
    assertThat(ha).isEqualTo(hb);
    assertThat(hc).isNotEqualTo(ha);
  }
}
