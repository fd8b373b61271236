package io.sendpath.actors.fault;

import static io.sendpath.actors.fault.FaultScenarios.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunResult;
import io.sendpath.actors.run.Simulation;
import io.sendpath.fault.FaultPlan;
import io.sendpath.fault.FrameEdit;
import io.sendpath.protocol.wire.Checksum;
import io.sendpath.protocol.wire.FrameCodec;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The run's invariant checks against deliberately broken components (test doubles): a wire or NIC
 * that changes, duplicates or drops one byte of the stream without breaking any checksum, and a
 * driver that leaks one skb. Each must be reported, naming the connection.
 */
class BrokenComponentTest {

  /** Rewrites the payload of the n-th data frame toward the peer with 'edit', then fixes the TCP checksum. */
  static WireFaultActor.FrameTamper onNthDataFrame(int n, java.util.function.Consumer<byte[]> editPayloadRegion) {
    int[] seen = {0};
    return (now, frame) -> {
      if (!FrameEdit.isTcp(frame)) return frame;
      int ip = FrameCodec.IP_OFF, th = FrameCodec.TCP_OFF;
      int totLen = FrameCodec.get16(frame, ip + 2);
      int doff = ((frame[th + 12] & 0xff) >>> 4) * 4;
      int payload = totLen - 20 - doff;
      if (payload < 16 || ++seen[0] != n) return frame;
      byte[] f = frame.clone();
      byte[] region = java.util.Arrays.copyOfRange(f, th + doff, th + doff + payload);
      editPayloadRegion.accept(region);
      System.arraycopy(region, 0, f, th + doff, payload);
      FrameCodec.put16(f, th + 16, 0);
      FrameCodec.put16(f, th + 16, Checksum.tcpChecksum(f, th, totLen - 20, FrameCodec.get32(f, ip + 12), FrameCodec.get32(f, ip + 16)));
      return f;
    };
  }

  static RunResult runWith(UnaryOperator<FaultWiring> doubles) {
    return Simulation.run(small(2, 256 << 10, 1), null, ProgressListener.NONE, doubles);
  }

  @Test
  void wireChangesOneByte_checksumFixed_runReportsDifferingBytes() {
    RunResult r = runWith(w -> w.withTestDoubles(onNthDataFrame(20, p -> p[7] ^= 0x01), null, null));
    assertThat(r.invariantViolations()).anyMatch(v -> v.startsWith("connection ") && v.contains("differ from what was written"));
  }

  @Test
  void wireDuplicatesOneByte_runReportsIt() {
    // byte 3 appears twice: the stream from byte 4 on is shifted by one
    RunResult r = runWith(w -> w.withTestDoubles(onNthDataFrame(15, p -> System.arraycopy(p.clone(), 3, p, 4, p.length - 4)), null, null));
    assertThat(r.invariantViolations()).anyMatch(v -> v.contains("differ from what was written"));
  }

  @Test
  void wireDropsOneByte_runReportsIt() {
    // byte 3 is lost: the rest of the segment moves up one place, its last byte is filler
    RunResult r = runWith(w -> w.withTestDoubles(onNthDataFrame(15, p -> {
      System.arraycopy(p.clone(), 4, p, 3, p.length - 4);
      p[p.length - 1] = (byte) ~p[p.length - 1];
    }), null, null));
    assertThat(r.invariantViolations()).anyMatch(v -> v.contains("differ from what was written"));
  }

  @Test
  void driverLeaksOneSkb_runReportsWmemAllocNotZero() {
    int[] n = {0};
    RunResult r = runWith(w -> w.withTestDoubles(null, null, (now, skb) -> skb.len > 0 && ++n[0] == 5));
    assertThat(r.invariantViolations()).anyMatch(v -> v.contains("sk_wmem_alloc is") && v.contains("an skb was not freed"));
    // The skb was sent again from the retransmit queue: the bytes themselves all arrived.
    assertThat(r.bytesDelivered()).isEqualTo(2L * (256 << 10));
  }

  @Test
  void noDouble_samePlan_noViolation() {
    RunResult r = runWith(UnaryOperator.identity());
    assertThat(r.invariantViolations()).isEmpty();
    assertThat(r.faults()).isEmpty();
    assertThat(FaultPlan.NONE.isEmpty()).isTrue();
  }
}
