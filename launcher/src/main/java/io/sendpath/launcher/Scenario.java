package io.sendpath.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.sendpath.actors.run.RunConfig;
import io.sendpath.fault.FaultPlan;
import io.sendpath.protocol.Sysctls;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A validated experiment: the embedded default scenario, overlaid by the user's HOCON file, overlaid
 * by command-line settings, turned into a {@link RunConfig}. Every key is checked: an unknown key,
 * a value of the wrong shape or out of range, a HOCON syntax error or an unreadable file becomes a
 * {@link ScenarioException} whose one-line message names the file and line (or the option), the
 * key and the offending value.
 *
 * <p>Keys (defaults in {@code default.conf}): connections, bytes-per-connection, write-size,
 * link.rate, link.delay, link.mtu, start-jitter, seed, nic.tx-ring, nic.tso,
 * nic.tx-checksum-offload, threads, max-simulated-time, hold-until, socket.copy-rate,
 * socket.sndbuf, socket.notsent-lowat, socket.user-timeout, nic.tx-completion-delay, peer.gro,
 * peer.readers, and sysctl.&lt;name&gt; for every name of
 * {@link Sysctls#defaults()}. Sizes follow HOCON (1MiB, 64KiB, 1048576; K = KiB = 1024, kB = 1000),
 * durations follow HOCON (5ms, 100us, 1s; a bare number is milliseconds), rates see {@link Units}.
 */
public final class Scenario {

  /** The embedded default experiment, a class-path resource next to this class. */
  static final String DEFAULT_RESOURCE = "default.conf";

  /** Every key a scenario may set besides sysctl.*, in the order summary.json lists them. */
  static final List<String> KEYS = List.of(
      "connections", "bytes-per-connection", "write-size",
      "link.rate", "link.delay", "link.mtu",
      "start-jitter", "seed",
      "nic.tx-ring", "nic.tso", "nic.tx-checksum-offload",
      "threads", "max-simulated-time", "hold-until",
      "socket.copy-rate", "socket.sndbuf", "socket.notsent-lowat", "socket.user-timeout",
      "nic.tx-completion-delay", "peer.gro");

  /** The peer application's per-connection read rates: a list of { connections, read-rate }. */
  static final String PEER_READERS = "peer.readers";

  /** Prefix of the kernel settings; what follows is a name of Sysctls.defaults(). */
  static final String SYSCTL = "sysctl.";

  /** include/uapi/linux/if_ether.h ETH_MIN_MTU: the smallest MTU an Ethernet device accepts. */
  static final int MIN_MTU = 68;
  /** The IPv4 total-length field is 16 bits, so no IP packet, hence no MTU, exceeds this. */
  static final int MAX_MTU = 65535;

  /** One command-line setting: "--set key=value", "--seed N" or "--threads N". */
  public record Setting(String key, String value, String option) {}

  private final RunConfig runConfig;
  /** Effective settings as nested maps in KEYS order, then "sysctl" with every sysctl; JSON-ready. */
  private final Map<String, Object> effective;
  /** The scenario file as the user named it, or "default.conf (embedded)". */
  private final String source;

  private Scenario(RunConfig runConfig, Map<String, Object> effective, String source) {
    this.runConfig = runConfig;
    this.effective = effective;
    this.source = source;
  }

  public RunConfig runConfig() {
    return runConfig;
  }

  /** The settings the run used, every key and every sysctl, as a scenario could state them. */
  public Map<String, Object> effectiveSettings() {
    return effective;
  }

  public String source() {
    return source;
  }

  /** "--set key=value" text → Setting; the value may contain '=' after the first. */
  public static Setting parseSet(String keyEqualsValue) throws ScenarioException {
    int eq = keyEqualsValue.indexOf('=');
    if (eq <= 0) {
      throw new ScenarioException("--set: '" + keyEqualsValue + "' is not key=value (example: --set link.rate=1Gbit)");
    }
    return new Setting(keyEqualsValue.substring(0, eq).trim(), keyEqualsValue.substring(eq + 1), "--set");
  }

  /** Loads the embedded default, then file (when not null), then settings in order; validates all. */
  public static Scenario load(Path file, List<Setting> settings) throws ScenarioException {
    return load(file, settings, null);
  }

  /**
   * As {@link #load(Path, List)}, then, when faultsFile is not null, its {@code faults = [...]}
   * replaces the scenario's fault plan (the file may hold no other key).
   */
  public static Scenario load(Path file, List<Setting> settings, Path faultsFile) throws ScenarioException {
    Config defaults = embeddedDefault();
    Config user = ConfigFactory.empty();
    String source = DEFAULT_RESOURCE + " (embedded)";
    if (file != null) {
      user = parseFile(file);
      source = file.toString();
    }
    Config overrides = ConfigFactory.empty();
    for (Setting s : settings) {
      try {
        overrides = overrides.withValue(s.key(), ConfigValueFactory.fromAnyRef(s.value(), s.option()));
      } catch (ConfigException e) {
        throw new ScenarioException(s.option() + ": '" + s.key() + "' is not a key (example: link.rate)");
      }
    }
    Config merged;
    try {
      merged = overrides.withFallback(user).withFallback(defaults)
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    } catch (ConfigException e) {
      throw new ScenarioException(hoconProblem(e, source));
    }
    Config faults = null;
    if (faultsFile != null) {
      faults = parseFile(faultsFile);
      for (Map.Entry<String, ConfigValue> e : sortedEntries(faults)) {
        if (!e.getKey().equals(FaultPlanParser.KEY)) {
          throw new ScenarioException(where(e.getValue().origin()) + ": " + e.getKey()
              + ": unknown key in a fault plan file (it holds only faults = [...])");
        }
      }
      if (!faults.hasPath(FaultPlanParser.KEY)) throw new ScenarioException(faultsFile + ": no faults = [...] in the fault plan file");
    }
    return validate(merged, source, faults);
  }

  private static Config embeddedDefault() {
    try (InputStream in = Scenario.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " missing from the launcher jar");
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
      return ConfigFactory.parseReader(reader, ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF).setOriginDescription(DEFAULT_RESOURCE));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded " + DEFAULT_RESOURCE, e);
    }
  }

  private static Config parseFile(Path file) throws ScenarioException {
    if (!Files.exists(file)) throw new ScenarioException(file + ": no such scenario file");
    if (Files.isDirectory(file)) throw new ScenarioException(file + ": is a directory, not a scenario file");
    if (!Files.isReadable(file)) throw new ScenarioException(file + ": cannot read the scenario file (permission denied)");
    try {
      // .json files are parsed as JSON, everything else as HOCON (a JSON file is valid HOCON too)
      ConfigSyntax syntax = file.toString().endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
      return ConfigFactory.parseFile(new File(file.toString()),
          ConfigParseOptions.defaults().setSyntax(syntax).setAllowMissing(false));
    } catch (ConfigException e) {
      return rethrow(hoconProblem(e, file.toString()));
    }
  }

  private static Config rethrow(String message) throws ScenarioException {
    throw new ScenarioException(message);
  }

  /** A Typesafe Config exception as "file:line: problem", without its own origin prefix. */
  private static String hoconProblem(ConfigException e, String fallbackWhere) {
    ConfigOrigin origin = e.origin();
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String where = fallbackWhere;
    if (origin != null) {
      String prefix = origin.description() + ": ";
      if (message.startsWith(prefix)) message = message.substring(prefix.length());
      where = where(origin);
    }
    return where + ": " + oneLine(message);
  }

  /** "file:line", "file", or the option that set the value ("--set"). */
  static String where(ConfigOrigin origin) {
    String name = originName(origin);
    return origin.lineNumber() > 0 ? name + ":" + origin.lineNumber() : name;
  }

  /** The file, resource or option an origin names, without its line. */
  private static String originName(ConfigOrigin origin) {
    String name = origin.filename();
    if (name == null && origin.resource() != null) name = origin.resource();
    if (name == null) {
      String d = origin.description();
      // descriptions look like "name: 7" or "name @ url: 7"; keep the name part
      int colon = d.indexOf(": ");
      name = colon > 0 ? d.substring(0, colon) : d;
      int at = name.indexOf(" @ ");
      if (at > 0) name = name.substring(0, at);
    }
    return name;
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  private static Scenario validate(Config merged, String source, Config faultsFile) throws ScenarioException {
    checkKeys(merged);
    int connections = (int) integer(merged, "connections", 1, Integer.MAX_VALUE);
    long bytesPerConnection = size(merged, "bytes-per-connection", 0, Long.MAX_VALUE);
    int writeSize = (int) size(merged, "write-size", 1, Integer.MAX_VALUE);
    long linkRate = rate(merged, "link.rate");
    long linkDelay = duration(merged, "link.delay", 0);
    int mtu = (int) integer(merged, "link.mtu", MIN_MTU, MAX_MTU);
    long startJitter = duration(merged, "start-jitter", 0);
    long seed = integer(merged, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    int txRing = (int) integer(merged, "nic.tx-ring", 1, 65536);
    boolean tso = bool(merged, "nic.tso");
    boolean txCsum = bool(merged, "nic.tx-checksum-offload");
    int threads = (int) integer(merged, "threads", 1, 4096);
    long maxSimulated = duration(merged, "max-simulated-time", 1);
    long holdUntil = duration(merged, "hold-until", 0);
    long copyRate = byteRate(merged.getValue("socket.copy-rate"), "socket.copy-rate");
    long txCompletionDelay = duration(merged, "nic.tx-completion-delay", 0);
    List<RunConfig.PeerReader> readers = peerReaders(merged, connections);
    boolean peerGro = bool(merged, "peer.gro");
    // setsockopt() values; 0 = not set. SO_SNDBUF takes an int (the kernel doubles it), and
    // TCP_USER_TIMEOUT is an unsigned int of ms that the kernel rejects above INT_MAX.
    int sndbuf = (int) size(merged, "socket.sndbuf", 0, Integer.MAX_VALUE / 2);
    long notsentLowat = size(merged, "socket.notsent-lowat", 0, Integer.MAX_VALUE);
    long userTimeoutNs = duration(merged, "socket.user-timeout", 0);
    if (userTimeoutNs / 1_000_000L > Integer.MAX_VALUE)
      throw bad(merged.getValue("socket.user-timeout"), "socket.user-timeout", "must be at most " + Integer.MAX_VALUE + " ms");
    if (userTimeoutNs % 1_000_000L != 0)
      throw bad(merged.getValue("socket.user-timeout"), "socket.user-timeout", "must be whole milliseconds (TCP_USER_TIMEOUT is in ms)");
    if (bytesPerConnection > 0 && connections > Long.MAX_VALUE / bytesPerConnection) {
      ConfigValue v = merged.getValue("bytes-per-connection");
      throw new ScenarioException(where(v.origin()) + ": bytes-per-connection: " + connections
          + " connections × " + bytesPerConnection + " bytes does not fit in 63 bits");
    }

    Sysctls sysctls = Sysctls.linuxDefaults();
    for (Map.Entry<String, ConfigValue> e : sortedEntries(merged)) {
      String key = e.getKey();
      if (!key.startsWith(SYSCTL)) continue;
      String name = key.substring(SYSCTL.length());
      ConfigValue v = e.getValue();
      String text = sysctlText(v);
      if (text == null) {
        throw bad(v, key, "is not a sysctl value (a number, a word, or three numbers such as \"4096 16384 4194304\")");
      }
      try {
        sysctls.set(name, text);
      } catch (IllegalArgumentException rejected) {
        throw new ScenarioException(where(v.origin()) + ": " + key + ": " + sysctlReason(name, text, rejected.getMessage()));
      }
    }

    FaultPlan plan = FaultPlanParser.parse(faultsFile != null ? faultsFile : merged, connections);
    RunConfig cfg = new RunConfig(connections, bytesPerConnection, writeSize, linkRate, linkDelay, mtu,
        startJitter, seed, txRing, tso, txCsum, threads, maxSimulated, sysctls, plan, holdUntil,
        copyRate, txCompletionDelay, readers, peerGro,
        new RunConfig.SocketOptions(sndbuf, notsentLowat, (int) (userTimeoutNs / 1_000_000L)));
    return new Scenario(cfg, effectiveOf(cfg), source);
  }

  /** Rejects any leaf that is neither one of KEYS nor sysctl.<known name>. */
  private static void checkKeys(Config merged) throws ScenarioException {
    for (Map.Entry<String, ConfigValue> e : sortedEntries(merged)) {
      String key = e.getKey();
      ConfigValue v = e.getValue();
      if (KEYS.contains(key) || key.equals(FaultPlanParser.KEY) || key.equals(PEER_READERS)) continue;
      if (key.startsWith(SYSCTL)) {
        String name = key.substring(SYSCTL.length());
        if (Sysctls.isKnown(name)) continue;
        String hint = closest(name, Sysctls.defaults().keySet());
        throw new ScenarioException(where(v.origin()) + ": " + key + ": unknown sysctl '" + name + "'"
            + (hint == null ? " (see Sysctls for the names this model knows)" : " (did you mean sysctl." + hint + "?)"));
      }
      List<String> inside = keysUnder(key);
      if (!inside.isEmpty()) {
        throw new ScenarioException(where(v.origin()) + ": " + key + ": '" + render(v)
            + "' is not allowed here, " + key + " is a section (" + String.join(", ", inside) + ")");
      }
      List<String> all = new ArrayList<>(KEYS);
      all.add("sysctl.<name>");
      String hint = closest(key, KEYS);
      throw new ScenarioException(where(v.origin()) + ": " + key + ": unknown key"
          + (hint == null ? " (known keys: " + String.join(", ", all) + ")" : " (did you mean " + hint + "?)"));
    }
  }

  /** Known keys that sit under section, e.g. "link" → link.rate, link.delay, link.mtu. */
  private static List<String> keysUnder(String section) {
    List<String> inside = new ArrayList<>();
    for (String k : KEYS) if (k.startsWith(section + ".")) inside.add(k);
    if (PEER_READERS.startsWith(section + ".")) inside.add(PEER_READERS);
    if ("sysctl".equals(section)) inside.add("sysctl.<name>");
    return inside;
  }

  /** Leaves as plain dotted keys, ordered by where they were written, for a stable first error. */
  private static List<Map.Entry<String, ConfigValue>> sortedEntries(Config config) {
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      entries.add(Map.entry(String.join(".", ConfigUtil.splitPath(e.getKey())), e.getValue()));
    }
    entries.sort((a, b) -> {
      int c = originName(a.getValue().origin()).compareTo(originName(b.getValue().origin()));
      if (c != 0) return c;
      c = Integer.compare(a.getValue().origin().lineNumber(), b.getValue().origin().lineNumber());
      return c != 0 ? c : a.getKey().compareTo(b.getKey());
    });
    return entries;
  }

  private static ConfigValue value(Config config, String key) throws ScenarioException {
    try {
      return config.getValue(key);
    } catch (ConfigException.Null e) {
      throw new ScenarioException(where(e.origin()) + ": " + key + ": 'null' is not allowed, give a value or leave the key out");
    } catch (ConfigException e) {
      throw new ScenarioException(hoconProblem(e, key));
    }
  }

  private static long integer(Config config, String key, long min, long max) throws ScenarioException {
    ConfigValue v = value(config, key);
    Long n = null;
    if (v.valueType() == ConfigValueType.NUMBER) {
      Number num = (Number) v.unwrapped();
      if (num instanceof Integer || num instanceof Long) n = num.longValue();
      else if (num.doubleValue() == Math.rint(num.doubleValue()) && Math.abs(num.doubleValue()) < 9e18) n = num.longValue();
    } else if (v.valueType() == ConfigValueType.STRING) {
      try {
        n = Long.parseLong(((String) v.unwrapped()).trim());
      } catch (NumberFormatException notAnInteger) {
        n = null;
      }
    }
    if (n == null) throw bad(v, key, "is not an integer");
    if (n < min) throw bad(v, key, "must be at least " + min);
    if (n > max) throw bad(v, key, "must be at most " + max);
    return n;
  }

  private static long size(Config config, String key, long min, long max) throws ScenarioException {
    ConfigValue v = value(config, key);
    long n;
    try {
      n = config.getBytes(key);
    } catch (ConfigException notASize) {
      throw bad(v, key, "is not a size (examples: 1MiB, 64KiB, 1048576)");
    }
    if (n < min) throw bad(v, key, "must be at least " + min + " bytes");
    if (n > max) throw bad(v, key, "must be at most " + max + " bytes");
    return n;
  }

  private static long duration(Config config, String key, long minNs) throws ScenarioException {
    ConfigValue v = value(config, key);
    long ns;
    try {
      ns = config.getDuration(key, TimeUnit.NANOSECONDS);
    } catch (ConfigException notADuration) {
      throw bad(v, key, "is not a duration (examples: 5ms, 100us, 2s)");
    }
    if (ns < minNs) throw bad(v, key, minNs == 0 ? "must not be negative" : "must be longer than zero");
    return ns;
  }

  private static long rate(Config config, String key) throws ScenarioException {
    ConfigValue v = value(config, key);
    long bps = -1;
    if (v.valueType() == ConfigValueType.NUMBER || v.valueType() == ConfigValueType.STRING) {
      bps = Units.parseRate(String.valueOf(v.unwrapped()));
    }
    if (bps < 0) throw bad(v, key, "is not a rate (" + Units.RATE_EXAMPLES + ")");
    if (bps == 0) throw bad(v, key, "must be faster than 0 bit/s");
    return bps;
  }

  /** number, optional blank, a byte unit (B, kB, KB, KiB, MB, MiB, GB, GiB), "/s". */
  private static final java.util.regex.Pattern BYTE_RATE =
      java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)/s");

  /** Bytes per second of text such as "2 MB/s" or "512KiB/s" (kB = 1000, KiB = 1024); -1 when it is not one. */
  static long parseByteRate(String text) {
    java.util.regex.Matcher m = BYTE_RATE.matcher(text.trim());
    if (!m.matches()) return -1;
    long unit = switch (m.group(2)) {
      case "kB", "KB" -> 1000L;
      case "KiB" -> 1024L;
      case "MB" -> 1_000_000L;
      case "MiB" -> 1L << 20;
      case "GB" -> 1_000_000_000L;
      case "GiB" -> 1L << 30;
      default -> 1L;
    };
    try {
      return new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit)).stripTrailingZeros().longValueExact();
    } catch (ArithmeticException notWholeOrTooLarge) {
      return -1;
    }
  }

  private static long byteRate(ConfigValue v, String key) throws ScenarioException {
    long rate = v.valueType() == ConfigValueType.STRING ? parseByteRate((String) v.unwrapped()) : -1;
    if (rate < 0) throw bad(v, key, "is not a rate in bytes per second (examples: \"2 MB/s\", \"512KiB/s\", \"10 GB/s\")");
    if (rate == 0) throw bad(v, key, "must be faster than 0 B/s");
    return rate;
  }

  /** peer.readers = [ { connections = [0, 2] (or all), read-rate = "2 MB/s" }, ... ]; absent: none. */
  private static List<RunConfig.PeerReader> peerReaders(Config merged, int connections) throws ScenarioException {
    if (!merged.hasPath(PEER_READERS)) return List.of();
    ConfigValue list = merged.getValue(PEER_READERS);
    if (list.valueType() != ConfigValueType.LIST) {
      throw bad(list, PEER_READERS, "is not a list of readers (example: [ { connections = [0], read-rate = \"2 MB/s\" } ])");
    }
    List<RunConfig.PeerReader> readers = new ArrayList<>();
    com.typesafe.config.ConfigList items = (com.typesafe.config.ConfigList) list;
    for (int i = 0; i < items.size(); i++) {
      ConfigValue item = items.get(i);
      String name = PEER_READERS + "[" + i + "]";
      if (item.valueType() != ConfigValueType.OBJECT) throw bad(item, name, "is not a reader { connections = [...], read-rate = \"...\" }");
      com.typesafe.config.ConfigObject obj = (com.typesafe.config.ConfigObject) item;
      for (String k : obj.keySet()) {
        if (!k.equals("connections") && !k.equals("read-rate")) {
          throw new ScenarioException(where(obj.get(k).origin()) + ": " + name + "." + k + ": unknown key (a reader has connections and read-rate)");
        }
      }
      if (!obj.containsKey("read-rate")) throw new ScenarioException(where(item.origin()) + ": " + name + ": read-rate is missing (example: \"2 MB/s\")");
      long rate = byteRate(obj.get("read-rate"), name + ".read-rate");
      long[] conns = new long[0];
      if (obj.containsKey("connections")) conns = readerConnections(obj.get("connections"), name + ".connections", connections);
      readers.add(new RunConfig.PeerReader(conns, rate));
    }
    return readers;
  }

  /** [0, 3], a single number, or all (every connection: an empty array). */
  private static long[] readerConnections(ConfigValue v, String key, int connections) throws ScenarioException {
    if (v.valueType() == ConfigValueType.STRING && "all".equals(v.unwrapped())) return new long[0];
    List<ConfigValue> values = new ArrayList<>();
    if (v.valueType() == ConfigValueType.LIST) values.addAll((com.typesafe.config.ConfigList) v);
    else values.add(v);
    if (values.isEmpty()) throw bad(v, key, "is empty; leave it out (or write all) for every connection");
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      ConfigValue item = values.get(i);
      Object u = item.unwrapped();
      Long n = null;
      if (u instanceof Integer || u instanceof Long) n = ((Number) u).longValue();
      else if (u instanceof String str && str.trim().matches("\\d+")) n = Long.parseLong(str.trim());
      if (n == null) throw bad(item, key, "is not a connection number (example: [0, 3]) or all");
      if (n < 0 || n >= connections) throw bad(item, key, "is not a connection of this run (0.." + (connections - 1) + ")");
      out[i] = n;
    }
    return out;
  }

  private static boolean bool(Config config, String key) throws ScenarioException {
    ConfigValue v = value(config, key);
    try {
      return config.getBoolean(key);
    } catch (ConfigException notABoolean) {
      throw bad(v, key, "is not a boolean (true or false)");
    }
  }

  private static ScenarioException bad(ConfigValue v, String key, String problem) {
    return new ScenarioException(where(v.origin()) + ": " + key + ": '" + render(v) + "' " + problem);
  }

  /** The value as the user wrote it, near enough: strings bare, lists and objects rendered. */
  private static String render(ConfigValue v) {
    if (v.valueType() == ConfigValueType.STRING) return oneLine((String) v.unwrapped());
    if (v.valueType() == ConfigValueType.NULL) return "null";
    return oneLine(v.render(com.typesafe.config.ConfigRenderOptions.concise()));
  }

  /** A sysctl value as Sysctls.set wants it: "10", "cubic", "4096 16384 4194304"; null if no such text. */
  private static String sysctlText(ConfigValue v) {
    switch (v.valueType()) {
      case NUMBER:
      case STRING:
      case BOOLEAN:
        return String.valueOf(v.unwrapped());
      case LIST: {
        List<?> items = (List<?>) v.unwrapped();
        List<String> parts = new ArrayList<>();
        for (Object o : items) {
          if (o instanceof List || o instanceof Map || o == null) return null;
          parts.add(String.valueOf(o));
        }
        return String.join(" ", parts);
      }
      default:
        return null;
    }
  }

  /** Sysctls.set's reason without its own "sysctl name" prefix, starting with the value. */
  private static String sysctlReason(String name, String value, String message) {
    String reason = message == null ? "rejected" : message;
    for (String prefix : new String[] {"sysctl " + name + ": ", "sysctl " + name + " "}) {
      if (reason.startsWith(prefix)) {
        reason = reason.substring(prefix.length());
        break;
      }
    }
    String quoted = "'" + value + "'";
    return reason.startsWith(quoted) ? reason : quoted + " rejected: " + reason;
  }

  /** The known name within edit distance 2 of typed, or null. */
  static String closest(String typed, Iterable<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = editDistance(typed, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The run's settings in scenario form (sizes in bytes, exact durations and rates), JSON-ready. */
  private static Map<String, Object> effectiveOf(RunConfig cfg) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("connections", cfg.connections());
    root.put("bytes-per-connection", cfg.bytesPerConnection());
    root.put("write-size", cfg.writeSize());
    Map<String, Object> link = new LinkedHashMap<>();
    link.put("rate", Units.formatRate(cfg.linkRateBps()));
    link.put("delay", Units.formatDuration(cfg.linkDelayNs()));
    link.put("mtu", cfg.mtu());
    root.put("link", link);
    root.put("start-jitter", Units.formatDuration(cfg.startJitterNs()));
    root.put("seed", cfg.seed());
    Map<String, Object> nic = new LinkedHashMap<>();
    nic.put("tx-ring", cfg.txRingSize());
    nic.put("tso", cfg.tso());
    nic.put("tx-checksum-offload", cfg.txCsumOffload());
    root.put("nic", nic);
    root.put("threads", cfg.workerThreads());
    root.put("max-simulated-time", Units.formatDuration(cfg.maxSimulatedNs()));
    root.put("hold-until", Units.formatDuration(cfg.holdUntilNs()));
    nic.put("tx-completion-delay", Units.formatDuration(cfg.txCompletionDelayNs()));
    Map<String, Object> socket = new LinkedHashMap<>();
    socket.put("copy-rate", cfg.copyRateBytesPerSec() + " B/s");
    socket.put("sndbuf", cfg.socket().sndbuf());
    socket.put("notsent-lowat", cfg.socket().notsentLowat());
    socket.put("user-timeout", Units.formatDuration(cfg.socket().userTimeoutMs() * 1_000_000L));
    root.put("socket", socket);
    Map<String, Object> peer = new LinkedHashMap<>();
    peer.put("gro", cfg.peerGro());
    root.put("peer", peer);
    if (!cfg.peerReaders().isEmpty()) {
      List<Object> readers = new ArrayList<>();
      for (RunConfig.PeerReader r : cfg.peerReaders()) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.connections().length == 0) {
          m.put("connections", "all");
        } else {
          List<Long> c = new ArrayList<>();
          for (long id : r.connections()) c.add(id);
          m.put("connections", c);
        }
        m.put("read-rate", r.readRateBytesPerSec() + " B/s");
        readers.add(m);
      }
      peer.put("readers", readers);
    }
    Map<String, Object> sysctl = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : cfg.sysctls().asMap().entrySet()) {
      sysctl.put(e.getKey(), sysctlJson(e.getValue()));
    }
    root.put("sysctl", sysctl);
    if (!cfg.faults().isEmpty()) root.put(FaultPlanParser.KEY, FaultPlanParser.effective(cfg.faults()));
    return Collections.unmodifiableMap(root);
  }

  /** "10" → 10 (a JSON number), anything else stays text. */
  private static Object sysctlJson(String text) {
    if (!text.isEmpty() && text.length() < 19 && text.chars().allMatch(Character::isDigit)) return Long.parseLong(text);
    return text;
  }
}
