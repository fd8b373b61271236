package io.sendpath.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PcapWriterTest {

  static String hex(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) sb.append(String.format("%02x", b[i]));
    return sb.toString();
  }

  @Test
  void newFile_header_isNanosecondPcapLittleEndianEthernet() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new PcapWriter(bytes, 65535).close();
    byte[] b = bytes.toByteArray();
    // magic 4d3cb2a1, 2.4, zone 0, sigfigs 0, snaplen 65535, linktype 1
    assertThat(hex(b, 0, b.length)).isEqualTo("4d3cb2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000");
  }

  @Test
  void oneFrame_record_hasSecondsNanosAndLengths_andSnaplenCutsData() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PcapWriter pcap = new PcapWriter(bytes, 64);
    byte[] frame = new byte[100];
    for (int i = 0; i < 100; i++) frame[i] = (byte) i;
    pcap.frame(3_000_000_123L, frame, 100);
    pcap.close();
    byte[] b = bytes.toByteArray();
    assertThat(b.length).isEqualTo(24 + 16 + 64);
    // ts_sec 3, ts_nsec 123, incl_len 64, orig_len 100
    assertThat(hex(b, 24, 40)).isEqualTo("03000000" + "7b000000" + "40000000" + "64000000");
    assertThat(Arrays.copyOfRange(b, 40, 104)).isEqualTo(Arrays.copyOf(frame, 64));
  }

  @Test
  void earlierTimestampAfterLater_frame_refused() {
    PcapWriter pcap = new PcapWriter(new ByteArrayOutputStream(), 100);
    pcap.frame(10, new byte[60], 60);
    pcap.frame(10, new byte[60], 60);
    assertThatThrownBy(() -> pcap.frame(9, new byte[60], 60)).isInstanceOf(IllegalArgumentException.class);
  }
}
