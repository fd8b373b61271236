package io.sendpath.actors.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.nic.PcapWriter;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.protocol.wire.FrameSink;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Whole runs with GRO on (the default) and off: the data frames on the wire are the same kind of
 * TSO bursts, but with GRO the peer sees one skb per burst and ACKs it at once (a GRO skb is more
 * than one full-sized segment, __tcp_ack_snd_check), so about one ACK per burst instead of one
 * per two frames. Every byte is delivered and checked against the payload function either way.
 */
class GroEndToEndTest {

  static final int PEER_IP = 0x0a000002;

  /** 8 connections × 2 MiB over 10 Gbit/s, 1 ms one way. */
  static RunConfig config(boolean gro) {
    RunConfig d = RunConfig.defaults();
    return new RunConfig(8, 2L << 20, 1 << 16, 10_000_000_000L, 1_000_000L, 1500, 100_000, 3,
        d.txRingSize(), true, true, 1, 60_000_000_000L, Sysctls.linuxDefaults(), io.sendpath.fault.FaultPlan.NONE)
        .withPeerGro(gro);
  }

  /** Counts data frames and the peer's ACKs, checks each decodes, and writes a pcap. */
  static final class Census implements FrameSink {
    final PcapWriter pcap;
    long dataFrames, peerAcks, badFrames;
    long lastTime = Long.MIN_VALUE;
    boolean timeWentBack;

    Census(Path file) {
      pcap = new PcapWriter(file);
    }

    @Override
    public synchronized void frame(long timeNs, byte[] frame, int len) {
      if (timeNs < lastTime) timeWentBack = true;
      lastTime = timeNs;
      pcap.frame(timeNs, frame, len);
      Decoded d = FrameCodec.decode(frame);
      if (!d.ok()) {
        badFrames++;
        return;
      }
      if (d.skb() == null || d.arp() != null) return;
      if (d.skb().len > 0) dataFrames++;
      else if (d.skb().flow.saddr() == PEER_IP) peerAcks++;
    }

    @Override
    public void close() {
      pcap.close();
    }
  }

  @Test
  void groOnAndOff_sameBytesDelivered_groAcksAboutOncePerTsoBurst() throws Exception {
    Path dir = Files.createDirectories(Path.of("target"));
    Census on = new Census(dir.resolve("gro-on.pcap"));
    Census off = new Census(dir.resolve("gro-off.pcap"));
    RunResult rOn = Simulation.run(config(true), on, ProgressListener.NONE);
    RunResult rOff = Simulation.run(config(false), off, ProgressListener.NONE);
    for (RunResult r : new RunResult[] {rOn, rOff}) {
      assertThat(r.invariantViolations()).isEmpty();
      assertThat(r.bytesAccepted()).isEqualTo(8L * (2L << 20));
      assertThat(r.bytesDelivered()).isEqualTo(r.bytesAccepted());
      assertThat(r.retransmittedSegments()).isZero();
    }
    for (Census c : new Census[] {on, off}) {
      assertThat(c.badFrames).isZero();
      assertThat(c.timeWentBack).isFalse();
    }
    long skbsOn = rOn.counters().get("nic.tx_skbs");
    System.out.println("gro on: " + on.dataFrames + " data frames in " + skbsOn + " skbs, " + on.peerAcks
        + " ACKs; gro off: " + off.dataFrames + " data frames, " + off.peerAcks + " ACKs");
    // without GRO: an ACK per two full-sized frames (and quick ACKs at the start)
    assertThat(off.peerAcks).isGreaterThanOrEqualTo(off.dataFrames / 2);
    // with GRO: about one ACK per TSO burst (skb), a fraction of the frames
    assertThat(on.peerAcks).isLessThanOrEqualTo(skbsOn + 8 * 4); // handshake, FIN and window-update ACKs aside
    assertThat(on.peerAcks).isGreaterThanOrEqualTo(skbsOn / 2);
    assertThat(on.peerAcks * 5).isLessThan(off.peerAcks);
    // the peer saw fewer, bigger segments (TcpInSegs counts skbs, as tcp_v4_rcv does)
    assertThat(rOn.counters().get("peer.TcpInSegs")).isLessThan(rOff.counters().get("peer.TcpInSegs") / 5);
    tshark(dir.resolve("gro-on.pcap"));
    tshark(dir.resolve("gro-off.pcap"));
  }

  /** tshark, when installed, finds no malformed frame and no bad checksum. */
  static void tshark(Path pcap) throws Exception {
    File tshark = new File("/usr/bin/tshark");
    Assumptions.assumeTrue(tshark.canExecute(), "tshark not installed");
    Process p = new ProcessBuilder(tshark.getPath(), "-r", pcap.toString(), "-o", "tcp.check_checksum:TRUE",
        "-o", "ip.check_checksum:TRUE", "-Y", "_ws.malformed || tcp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\"")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).as("frames tshark flags in " + pcap).isEmpty();
  }
}
