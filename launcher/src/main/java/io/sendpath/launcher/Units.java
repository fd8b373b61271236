package io.sendpath.launcher;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Link rates and the short forms the launcher prints. Rates are decimal, as tc(8) and ethtool
 * write them: "10Gbit" = 10 × 10^9 bit/s; "Gbps" is read as gigabits per second (the network
 * engineer's use, not tc's bytes); a bare number is bits per second.
 */
final class Units {
  private Units() {}

  /** What a rate error message offers as examples. */
  static final String RATE_EXAMPLES = "examples: 10Gbit, 100Mbit, 1000000000";

  /** number, optional blank, optional SI prefix followed by bit, bit/s or bps. */
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kKMGT]?)(bit|bit/s|bps))?");

  /** Bits per second of text such as "10Gbit", or -1 when text is not a rate. */
  static long parseRate(String text) {
    Matcher m = RATE.matcher(text.trim());
    if (!m.matches()) return -1;
    BigDecimal value = new BigDecimal(m.group(1));
    String prefix = m.group(2) == null ? "" : m.group(2);
    int exponent = switch (prefix) {
      case "k", "K" -> 3;
      case "M" -> 6;
      case "G" -> 9;
      case "T" -> 12;
      default -> 0;
    };
    BigDecimal bits = value.scaleByPowerOfTen(exponent);
    try {
      return bits.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException notWholeOrTooLarge) {
      return -1;
    }
  }

  /** The shortest exact form of a rate: 10000000000 → "10Gbit", 1500 → "1500bit". */
  static String formatRate(long bitsPerSecond) {
    String[] prefixes = {"T", "G", "M", "k"};
    long[] scales = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < scales.length; i++) {
      if (bitsPerSecond >= scales[i] && bitsPerSecond % scales[i] == 0) {
        return (bitsPerSecond / scales[i]) + prefixes[i] + "bit";
      }
    }
    return bitsPerSecond + "bit";
  }

  /** The shortest exact HOCON duration for ns: 5000000 → "5ms", 600000000000 → "600s". */
  static String formatDuration(long ns) {
    if (ns != 0 && ns % 1_000_000_000L == 0) return (ns / 1_000_000_000L) + "s";
    if (ns != 0 && ns % 1_000_000L == 0) return (ns / 1_000_000L) + "ms";
    if (ns != 0 && ns % 1_000L == 0) return (ns / 1_000L) + "us";
    return ns + "ns";
  }

  /** 1048576000 → "1048576000 (1000.0 MiB)" for the human summary. */
  static String formatBytes(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%d (%.1f %s)", bytes, v, units[u]);
  }
}
