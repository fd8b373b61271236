package io.sendpath.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

  @ParameterizedTest
  @CsvSource({
      "10Gbit, 10000000000",
      "10 Gbit, 10000000000",
      "100Mbit, 100000000",
      "1Gbps, 1000000000",
      "2.5Gbit, 2500000000",
      "64kbit, 64000",
      "64Kbit/s, 64000",
      "1Tbit, 1000000000000",
      "1000000000, 1000000000",
      "9600bit, 9600"})
  void parseRate_knownForms_giveBitsPerSecond(String text, long bps) {
    assertThat(Units.parseRate(text)).isEqualTo(bps);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10 Gbits", "fast", "10G", "-1Gbit", "1.5bit", "", "10 Gb it", "1e9", "99999999999999999999bit"})
  void parseRate_malformed_isMinusOne(String text) {
    assertThat(Units.parseRate(text)).isEqualTo(-1);
  }

  @ParameterizedTest
  @CsvSource({"10000000000, 10Gbit", "2500000000, 2500Mbit", "1500, 1500bit", "64000, 64kbit"})
  void formatRate_isExactAndParsesBack(long bps, String text) {
    assertThat(Units.formatRate(bps)).isEqualTo(text);
    assertThat(Units.parseRate(text)).isEqualTo(bps);
  }

  @ParameterizedTest
  @CsvSource({"5000000, 5ms", "600000000000, 600s", "100000, 100us", "250, 250ns", "0, 0ns", "1500000, 1500us"})
  void formatDuration_isExact(long ns, String text) {
    assertThat(Units.formatDuration(ns)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(value = {"512; 512 B", "1048576000; 1048576000 (1000.0 MiB)", "1536; 1536 (1.5 KiB)"}, delimiter = ';')
  void formatBytes_showsBinaryUnits(long bytes, String text) {
    assertThat(Units.formatBytes(bytes)).isEqualTo(text);
  }
}
