package io.sendpath.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sendpath.drill.DrillScript.Assert;
import io.sendpath.drill.DrillScript.Packet;
import io.sendpath.drill.DrillScript.Syscall;
import io.sendpath.drill.DrillScript.Time;
import io.sendpath.protocol.TcpFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillParserTest {

  @TempDir Path dir;

  private DrillScript parse(String text) throws Exception {
    return DrillParser.parse(dir.resolve("t.pkt"), text);
  }

  @Test
  void options_and_initCommand_becomeSettings() throws Exception {
    Files.writeString(dir.resolve("defaults.sh"), """
        #!/bin/bash
        ip tcp_metrics flush all > /dev/null 2>&1
        sysctl -q net.ipv4.tcp_rmem="4096 540000 $((15*1024*1024))"
        sysctl -q net.ipv4.tcp_early_retrans=4 net.ipv4.tcp_recovery=1
        sysctl -q net.ipv4.tcp_fastopen=0x70403
        tc qdisc add dev tun0 root pfifo
        """);
    DrillScript s = parse("""
        --tolerance_usecs=10000
        --mss=1000
        --strict_segments
        `./defaults.sh
         ./set_sysctls.py /proc/sys/net/ipv4/tcp_min_tso_segs=10 \\
                          /proc/sys/net/ipv4/tcp_slow_start_after_idle=1
        ethtool -K tun0 tso off gso off
        `
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        """);
    assertThat(s.toleranceUsecs()).isEqualTo(10000);
    assertThat(s.mss()).isEqualTo(1000);
    assertThat(s.strictSegments()).isTrue();
    assertThat(s.unsupported()).isNull();
    assertThat(s.tso()).isFalse();
    assertThat(s.sysctls()).containsEntry("tcp_rmem", "4096 540000 15728640")
        .containsEntry("tcp_early_retrans", "4").containsEntry("tcp_recovery", "1")
        .containsEntry("tcp_fastopen", "459779").containsEntry("tcp_min_tso_segs", "10")
        .containsEntry("tcp_slow_start_after_idle", "1").containsEntry("default_qdisc", "pfifo");
  }

  @Test
  void unknownInitCommand_isUnsupportedWithItsLine() throws Exception {
    DrillScript s = parse("\n`ip link set dev tun0 mtu 1400`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    assertThat(s.unsupported()).contains("ip link set dev tun0 mtu 1400");
    assertThat(s.unsupportedLine()).isEqualTo(2);
  }

  @Test
  void timeColumn_allForms() throws Exception {
    DrillScript s = parse("""
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +.1 close(3) = 0
        +0~+.04 > . 1:1(0) ack 1002
        0.300~0.310 > . 1:1(0) ack 1002
        +0...0.200 accept(3, ..., ...) = 4
        * > . 1:1(0) ack 1
        """);
    List<Time> t = s.events().stream().map(DrillScript.Event::time).toList();
    assertThat(t.get(0)).isEqualTo(new Time(Time.Kind.ABSOLUTE, 0, false, 0, false, false));
    assertThat(t.get(1)).isEqualTo(new Time(Time.Kind.RELATIVE, 100_000, false, 0, false, false));
    assertThat(t.get(2)).isEqualTo(new Time(Time.Kind.RELATIVE, 0, true, 40_000, true, false));
    assertThat(t.get(3)).isEqualTo(new Time(Time.Kind.ABSOLUTE, 300_000, true, 310_000, false, false));
    assertThat(t.get(4)).isEqualTo(new Time(Time.Kind.RELATIVE, 0, false, 200_000, false, true));
    assertThat(t.get(5).kind()).isEqualTo(Time.Kind.ANY);
  }

  @Test
  void packetLines_flagsSeqAckWinOptions() throws Exception {
    DrillScript s = parse("""
        +0 < S 0:0(0) win 65535 <mss 1000,sackOK,nop,nop,nop,wscale 8>
        +0 > S. 0:0(0) ack 1 <...>
        +0 < . 1:1(0) ack 1 win 320 <sack 4001:5001,nop,nop>
        +0 > P. 1:1001(1000) ack 1
        +0 > R 2:2(0)
        """);
    Packet syn = (Packet) s.events().get(0);
    assertThat(syn.inbound()).isTrue();
    assertThat(syn.flags()).isEqualTo(TcpFlags.SYN);
    assertThat(syn.window()).isEqualTo(65535);
    assertThat(syn.options()).containsExactly("mss 1000", "sackOK", "nop", "nop", "nop", "wscale 8");
    Packet synAck = (Packet) s.events().get(1);
    assertThat(synAck.flags()).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
    assertThat(synAck.options()).isSameAs(DrillScript.ANY_OPTIONS);
    assertThat(((Packet) s.events().get(2)).options()).containsExactly("sack 4001:5001", "nop", "nop");
    Packet data = (Packet) s.events().get(3);
    assertThat(data.startSeq()).isEqualTo(1);
    assertThat(data.len()).isEqualTo(1000);
    assertThat(data.ack()).isEqualTo(1L);
    assertThat(data.options()).isNull();
    Packet rst = (Packet) s.events().get(4);
    assertThat(rst.flags()).isEqualTo(TcpFlags.RST);
    assertThat(rst.ack()).isNull();
  }

  @Test
  void syscalls_multiLineSendmsg_errno() throws Exception {
    DrillScript s = parse("""
        +0 sendmsg(4, {msg_name(...)=...,
                       msg_iov(3)=[{..., 100}, {..., 200}, {..., 195}],
                       msg_flags=0}, MSG_MORE) = 495
        +0 write(4, ..., 1000) = -1 EPIPE (Broken pipe)
        +0 setsockopt(4, SOL_SOCKET, SO_SNDBUF, [21000], 4) = 0
        """);
    Syscall sendmsg = (Syscall) s.events().get(0);
    assertThat(sendmsg.line()).isEqualTo(1);
    assertThat(sendmsg.name()).isEqualTo("sendmsg");
    assertThat(sendmsg.args()).hasSize(3);
    assertThat(sendmsg.args().get(2)).isEqualTo("MSG_MORE");
    assertThat(sendmsg.result()).isEqualTo(495);
    Syscall write = (Syscall) s.events().get(1);
    assertThat(write.line()).isEqualTo(4);
    assertThat(write.result()).isEqualTo(-1);
    assertThat(write.errno()).isEqualTo("EPIPE");
    assertThat(((Syscall) s.events().get(2)).args()).containsExactly("4", "SOL_SOCKET", "SO_SNDBUF", "[21000]", "4");
  }

  @Test
  void assertBlocks_singleAndMultiLine() throws Exception {
    DrillScript s = parse("""
        +0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%
        +0 %{
        assert tcpi_snd_cwnd == 2, tcpi_snd_cwnd
        assert tcpi_snd_ssthresh == 7, tcpi_snd_ssthresh
        }%
        +.1 %{ assert tcpi_advmss == 1100, tcpi_advmss; assert tcpi_snd_mss == 1100, tcpi_snd_mss }%
        """);
    assertThat(((Assert) s.events().get(0)).expressions()).containsExactly("tcpi_snd_cwnd == 10");
    assertThat(((Assert) s.events().get(1)).expressions()).containsExactly("tcpi_snd_cwnd == 2", "tcpi_snd_ssthresh == 7");
    assertThat(((Assert) s.events().get(1)).line()).isEqualTo(2);
    assertThat(((Assert) s.events().get(2)).expressions()).containsExactly("tcpi_advmss == 1100", "tcpi_snd_mss == 1100");
  }

  @Test
  void comments_areIgnored_lineNumbersKept() throws Exception {
    DrillScript s = parse("// a comment\n/* block\n comment */\n   +0 close(3) = 0 // trailing\n");
    assertThat(s.events()).hasSize(1);
    assertThat(s.events().get(0).line()).isEqualTo(4);
  }

  @Test
  void unparsableLine_isAnErrorNamingFileAndLine() {
    assertThatThrownBy(() -> parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 frobnicate the socket\n"))
        .isInstanceOf(DrillParseException.class)
        .hasMessage(dir.resolve("t.pkt") + ":2: cannot parse system call: frobnicate the socket");
    assertThatThrownBy(() -> parse("+0 < . 1:1(0) ack 1\n"))
        .hasMessageEndingWith("t.pkt:1: an inbound packet needs 'win N'");
    assertThatThrownBy(() -> parse("hello\n")).hasMessageEndingWith("t.pkt:1: cannot parse line: hello");
    assertThatThrownBy(() -> parse("+0 > . 1:5(3) ack 1\n")).hasMessageEndingWith("t.pkt:1: sequence range 1:5 does not hold 3 bytes");
  }

  @Test
  void everyConformanceScript_parses() throws IOException, DrillParseException {
    Path root = Path.of("../../shared/conformance/packetdrill");
    if (!Files.isDirectory(root)) root = Path.of("../shared/conformance/packetdrill");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(root), "no conformance folder");
    List<Path> scripts;
    try (var w = Files.walk(root)) {
      scripts = w.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
    }
    assertThat(scripts).hasSizeGreaterThanOrEqualTo(26);
    for (Path p : scripts) {
      DrillScript s = DrillParser.parse(p);
      assertThat(s.events()).as(p.toString()).isNotEmpty();
      assertThat(s.unsupported()).as(p.toString()).isNull();
    }
  }
}
