package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.actors.run.ConnStats;
import io.sendpath.actors.run.ProgressListener;
import io.sendpath.actors.run.RunResult;
import io.sendpath.actors.run.Simulation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * examples/slow-reader.conf and examples/slow-tx-completion.conf, run whole. Needs the connection
 * side of TcpProt (Attach, NotifyAcked, blocking SendMsg) in TcpConnectionActor.
 */
class SlowReaderScenarioTest {

  private static Path example(String name) {
    Path p = Path.of("examples", name);
    return p.toFile().exists() ? p : Path.of("..", "examples", name);
  }

  @Test
  void slowReaderOnConnection0_itsSenderWaitsForSendBufferSpace_theFastOneFarLess() throws Exception {
    // Pinned to GRO off: the bounds below are about the sender's waits, and they assume the
    // receive queue holds ~0.65 MB. With GRO the peer takes 64 KiB skbs, which overshoot sk_rcvbuf
    // by more (tcp_clamp_window grows it to sk_rmem_alloc) and grow rcv_ssthresh by 2 × skb->len
    // (__tcp_grow_window), so the queue holds ~1.6 MB and the slow sender finishes at ~1.29 s.
    Scenario s = Scenario.load(example("slow-reader.conf"), List.of(new Scenario.Setting("peer.gro", "off", "--set")));
    assertThat(s.runConfig().peerReadRateOf(0)).isEqualTo(2_000_000L);
    assertThat(s.runConfig().peerReadRateOf(1)).isZero();
    RunResult r = Simulation.run(s.runConfig(), null, ProgressListener.NONE);
    assertThat(r.invariantViolations()).isEmpty();
    ConnStats slow = r.connectionStats().get(0), fast = r.connectionStats().get(1);
    System.out.println("slow-reader: slow sndbufWaits=" + slow.sndbufWaits() + " sndbufWaitUs=" + slow.sndbufWaitUs()
        + " rwndLimitedUs=" + slow.rwndLimitedUs() + " finish=" + slow.finishNs()
        + " / fast sndbufWaits=" + fast.sndbufWaits() + " sndbufWaitUs=" + fast.sndbufWaitUs()
        + " rwndLimitedUs=" + fast.rwndLimitedUs() + " finish=" + fast.finishNs());
    assertThat(slow.bytesReceivedByPeer()).isEqualTo(4L << 20);
    assertThat(fast.bytesReceivedByPeer()).isEqualTo(4L << 20);
    // the slow one: acknowledged once all but what its receive queue holds is read at 2 MB/s
    assertThat(slow.finishNs()).isGreaterThan(1_500_000_000L); // 4 MiB less what the receive queue holds, at 2 MB/s
    assertThat(fast.finishNs()).isLessThan(500_000_000L);
    // the writer sleeps in sk_stream_wait_memory() for most of the run; the fast one's sleeps are
    // the first round trips, while slow start has not yet grown its window and send buffer
    assertThat(slow.sndbufWaitUs()).isGreaterThan(1_000_000L);
    assertThat(slow.sndbufWaitUs()).isGreaterThan(10 * fast.sndbufWaitUs());
    // Linux's tcpi_sndbuf_limited stays 0 here (the write queue is never empty); the slow one is rwnd-limited
    assertThat(slow.rwndLimitedUs()).isGreaterThan(500_000L);
    assertThat(fast.rwndLimitedUs()).isLessThan(slow.rwndLimitedUs() / 10);
  }

  @Test
  void slowTxCompletion_throttlesThroughTsq_notTheQdisc() throws Exception {
    Scenario slow = Scenario.load(example("slow-tx-completion.conf"), List.of());
    Scenario normal = Scenario.load(example("slow-tx-completion.conf"), List.of(new Scenario.Setting("nic.tx-completion-delay", "0s", "--set")));
    RunResult rs = Simulation.run(slow.runConfig(), null, ProgressListener.NONE);
    RunResult rn = Simulation.run(normal.runConfig(), null, ProgressListener.NONE);
    assertThat(rs.invariantViolations()).isEmpty();
    assertThat(rn.invariantViolations()).isEmpty();
    ConnStats cs = rs.connectionStats().get(0), cn = rn.connectionStats().get(0);
    System.out.println("slow-tx-completion: tsqThrottles " + cs.tsqThrottles() + " (normal " + cn.tsqThrottles() + "), maxWmemAlloc "
        + cs.maxWmemAlloc() + " (normal " + cn.maxWmemAlloc() + "), counters " + rs.counters());
    assertThat(cs.tsqThrottles()).isGreaterThan(cn.tsqThrottles());
    // TSQ keeps what sits below TCP near tcp_limit_output_bytes: the qdisc never fills
    assertThat(cs.maxWmemAlloc()).isLessThanOrEqualTo(1048576 + io.sendpath.protocol.SkBuff.truesizeFor(65536));
  }
}
