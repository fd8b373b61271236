package io.sendpath.drill;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One parsed packetdrill script: its options, the settings its init command gives the emulated
 * host, and its events in script order.
 *
 * @param path the script file, as given
 * @param toleranceUsecs --tolerance_usecs (default 4000)
 * @param mss --mss: segment size of injected data (0 = not given)
 * @param strictSegments --strict_segments: each '>' line matches exactly one packet
 * @param sysctls sysctl name (without net.ipv4. / net.core.) → value, in the order they were set
 * @param tso false after 'ethtool -K tun0 tso off'
 * @param unsupported the first init-command feature the emulated host cannot do, or null
 * @param unsupportedLine the line of {@code unsupported}
 * @param events the script's events in order
 */
public record DrillScript(
    Path path, long toleranceUsecs, int mss, boolean strictSegments,
    Map<String, String> sysctls, boolean tso, String unsupported, int unsupportedLine,
    List<Event> events) {

  /** Default --tolerance_usecs of packetdrill. */
  public static final long DEFAULT_TOLERANCE_USECS = 4000;

  /** When an event happens, as written in the time column. */
  public record Time(Kind kind, long usecs, boolean rangeEnd, long endUsecs, boolean endRelative, boolean blocking) {
    public enum Kind { ABSOLUTE, RELATIVE, ANY }
  }

  /** An event line. */
  public sealed interface Event permits Packet, Syscall, Assert, Command {
    int line();
    Time time();
  }

  /**
   * A '&lt;' (inbound: injected from the peer) or '&gt;' (outbound: expected from us) packet line.
   * Sequence numbers are relative to each side's initial sequence number.
   *
   * @param ack null when the line gives none (then 0 is expected outbound)
   * @param window null when the line gives none
   * @param options null when the line gives none; {@link #ANY_OPTIONS} for {@code <...>};
   *     otherwise the option tokens in order ("mss 1460", "nop", "sackOK", "wscale 8",
   *     "TS val 100 ecr 0", "sack 1:2 3:4", "eol")
   */
  public record Packet(int line, Time time, boolean inbound, int flags, long startSeq, long endSeq, int len,
      Long ack, Integer window, List<String> options) implements Event {}

  /** Marker list for {@code <...>}: options are not checked. */
  public static final List<String> ANY_OPTIONS = List.of("...");

  /**
   * A system call line: {@code name(args) = result [ERRNO (note)]}.
   *
   * @param args top-level arguments as written (trimmed)
   * @param result the expected return value
   * @param errno the expected errno name when result is -1, else null
   */
  public record Syscall(int line, Time time, String name, List<String> args, long result, String errno) implements Event {}

  /** A %{ }% block of {@code assert expr, msg} lines over tcp_info. */
  public record Assert(int line, Time time, List<String> expressions) implements Event {}

  /** A back-quoted shell command after the first event. */
  public record Command(int line, Time time, String command) implements Event {}
}
