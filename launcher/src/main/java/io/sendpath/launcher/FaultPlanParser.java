package io.sendpath.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fault plan of a scenario ({@code faults = [ {...}, ... ]}, or a plan file given with
 * {@code --faults}, which holds the same key). Every entry is checked the way {@link Scenario}
 * checks its keys: an unknown key, a value of the wrong shape or out of range becomes a one-line
 * {@link ScenarioException} naming file:line, the key (as faults[i].key) and the value.
 *
 * <pre>
 * faults = [
 *   { kind = link-down, at = 1s, for = 2s }
 *   { kind = loss, direction = to-peer, probability = 0.01, connections = [0, 3] }
 *   { kind = burst-loss, p = 0.02, r = 0.25, loss-bad = 1.0 }
 *   { kind = delay, delay = 20ms, jitter = 5ms, at = 2s, for = 1s, every = 5s }
 *   { kind = qdisc-drop, host = sender, probability = 0.05, answer = cn }
 *   { kind = peer-reset, at = 300ms, connections = [1] }
 * ]
 * </pre>
 */
final class FaultPlanParser {
  private FaultPlanParser() {}

  static final String KEY = "faults";

  /** Keys every fault may carry. */
  private static final List<String> COMMON = List.of("kind", "where", "at", "for", "every", "connections");

  /** Kinds the issue names that this model does not build yet, with the reason. */
  private static final Map<String, String> NOT_MODELLED = Map.of(
      "memory-pressure", "is spelled mem-pressure");

  /** The keys a kind accepts besides COMMON. */
  static List<String> extraKeys(FaultKind kind) {
    return switch (kind) {
      case LOSS, DUPLICATE, CORRUPT -> List.of("direction", "probability");
      case REORDER -> List.of("direction", "probability", "delay");
      case BURST_LOSS -> List.of("direction", "p", "r", "loss-good", "loss-bad");
      case DELAY -> List.of("direction", "delay", "jitter");
      case LINK_DOWN -> List.of();
      case NEIGH_FAIL, ROUTE_REMOVE, TX_RING_STALL -> List.of("host");
      case QDISC_DROP -> List.of("host", "probability", "answer");
      case SLOW_TX_COMPLETION -> List.of("host", "delay");
      case PEER_ZERO_WINDOW, PEER_STOP_READING, PEER_RESET -> List.of();
      case MEM_PRESSURE -> List.of("tcp-mem");
    };
  }

  /** The plan under 'faults' in config (absent: no faults). 'connections' bounds the connection numbers. */
  static FaultPlan parse(Config config, int connections) throws ScenarioException {
    if (!config.hasPathOrNull(KEY)) return FaultPlan.NONE;
    ConfigValue v = config.getValue(KEY);
    if (v.valueType() != ConfigValueType.LIST) {
      throw new ScenarioException(Scenario.where(v.origin()) + ": " + KEY + ": '" + render(v)
          + "' is not a list of faults (example: faults = [ { kind = loss, probability = 0.01 } ])");
    }
    List<Fault> faults = new ArrayList<>();
    ConfigList list = (ConfigList) v;
    for (int i = 0; i < list.size(); i++) faults.add(fault(list.get(i), i, connections));
    return new FaultPlan(faults);
  }

  private static Fault fault(ConfigValue v, int i, int connections) throws ScenarioException {
    String name = KEY + "[" + i + "]";
    if (v.valueType() != ConfigValueType.OBJECT) {
      throw new ScenarioException(Scenario.where(v.origin()) + ": " + name + ": '" + render(v)
          + "' is not a fault (example: { kind = loss, probability = 0.01 })");
    }
    ConfigObject obj = (ConfigObject) v;
    Config c = obj.toConfig();
    ConfigValue kindValue = obj.get("kind");
    if (kindValue == null) {
      throw new ScenarioException(Scenario.where(v.origin()) + ": " + name + ": a fault needs a kind (" + kindList() + ")");
    }
    String kindText = String.valueOf(kindValue.unwrapped());
    FaultKind kind = kindValue.valueType() == ConfigValueType.STRING ? FaultKind.parse(kindText) : null;
    if (kind == null) {
      String why = NOT_MODELLED.get(kindText);
      if (why != null) throw bad(kindValue, name + ".kind", why);
      String hint = Scenario.closest(kindText, kindNames());
      throw bad(kindValue, name + ".kind", "is not a fault kind"
          + (hint != null ? " (did you mean " + hint + "?)" : " (" + kindList() + ")"));
    }
    List<String> allowed = new ArrayList<>(COMMON);
    allowed.addAll(extraKeys(kind));
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      if (allowed.contains(e.getKey())) continue;
      String hint = Scenario.closest(e.getKey(), allowed);
      throw new ScenarioException(Scenario.where(e.getValue().origin()) + ": " + name + "." + e.getKey()
          + ": unknown key for a " + kind.scenarioName() + " fault"
          + (hint != null ? " (did you mean " + hint + "?)" : " (keys: " + String.join(", ", allowed) + ")"));
    }
    Fault.Builder b = Fault.of(kind).id(i);
    if (obj.containsKey("where")) {
      ConfigValue w = obj.get("where");
      String want = kind.where().scenarioName();
      if (!want.equals(String.valueOf(w.unwrapped()))) {
        throw bad(w, name + ".where", "does not match kind " + kind.scenarioName() + ", which acts at the " + want);
      }
    }
    long at = obj.containsKey("at") ? duration(c, obj, name, "at", 0) : 0;
    long dur = obj.containsKey("for") ? duration(c, obj, name, "for", 1) : Fault.FOREVER;
    long every = obj.containsKey("every") ? duration(c, obj, name, "every", 1) : 0;
    if (every > 0 && every < 1_000_000L) throw bad(obj.get("every"), name + ".every", "must be at least 1ms");
    if (every > 0 && dur >= every) {
      throw bad(obj.get(obj.containsKey("for") ? "for" : "every"), name + (obj.containsKey("for") ? ".for" : ".every"),
          obj.containsKey("for") ? "must be shorter than every (" + Units.formatDuration(every) + ")"
              : "needs a 'for' shorter than every");
    }
    b.at(at).duration(dur).every(every);
    if (obj.containsKey("host")) {
      ConfigValue h = obj.get("host");
      String host = String.valueOf(h.unwrapped());
      if (h.valueType() != ConfigValueType.STRING || !(host.equals("sender") || host.equals("peer"))) {
        throw bad(h, name + ".host", "is not a host (sender or peer)");
      }
      b.host(host);
    }
    if (obj.containsKey("direction")) {
      ConfigValue d = obj.get("direction");
      Fault.Direction dir = null;
      for (Fault.Direction x : Fault.Direction.values()) if (x.scenarioName().equals(String.valueOf(d.unwrapped()))) dir = x;
      if (dir == null || d.valueType() != ConfigValueType.STRING) throw bad(d, name + ".direction", "is not a direction (to-peer, to-sender, both)");
      b.direction(dir);
    }
    if (obj.containsKey("probability")) b.probability(fraction(obj.get("probability"), name + ".probability", true));
    else if (kind.usesProbability()) throw new ScenarioException(Scenario.where(v.origin()) + ": " + name
        + ": a " + kind.scenarioName() + " fault needs a probability (example: probability = 0.01)");
    boolean needsDelay = kind == FaultKind.DELAY || kind == FaultKind.REORDER || kind == FaultKind.SLOW_TX_COMPLETION;
    if (obj.containsKey("delay")) b.delay(duration(c, obj, name, "delay", 1));
    else if (needsDelay) throw new ScenarioException(Scenario.where(v.origin()) + ": " + name
        + ": a " + kind.scenarioName() + " fault needs a delay (example: delay = 10ms)");
    if (obj.containsKey("jitter")) b.jitter(duration(c, obj, name, "jitter", 0));
    if (kind == FaultKind.BURST_LOSS) {
      double p = obj.containsKey("p") ? fraction(obj.get("p"), name + ".p", false) : 0.01;
      double r = obj.containsKey("r") ? fraction(obj.get("r"), name + ".r", true) : 0.3;
      double lg = obj.containsKey("loss-good") ? fraction(obj.get("loss-good"), name + ".loss-good", false) : 0;
      double lb = obj.containsKey("loss-bad") ? fraction(obj.get("loss-bad"), name + ".loss-bad", false) : 1;
      b.gilbertElliott(p, r, lg, lb);
    }
    if (obj.containsKey("answer")) {
      ConfigValue a = obj.get("answer");
      String text = String.valueOf(a.unwrapped());
      if (!text.equals("drop") && !text.equals("cn")) throw bad(a, name + ".answer", "is not an answer (drop: NET_XMIT_DROP, cn: NET_XMIT_CN)");
      b.answerCn(text.equals("cn"));
    }
    if (obj.containsKey("connections")) b.connections(connectionList(obj.get("connections"), name + ".connections", connections));
    if (kind == FaultKind.MEM_PRESSURE) {
      ConfigValue m = obj.get("tcp-mem");
      if (m == null) throw new ScenarioException(Scenario.where(v.origin()) + ": " + name
          + ": a mem-pressure fault needs tcp-mem, the limits in pages while it lasts (example: tcp-mem = \"64 96 128\")");
      long[] t = tcpMemPages(m, name + ".tcp-mem");
      b.tcpMem(t[0], t[1], t[2]);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(Scenario.where(v.origin()) + ": " + name + ": " + e.getMessage());
    }
  }

  /** Three page counts, non-decreasing: "64 96 128" or [64, 96, 128], as the tcp_mem sysctl. */
  private static long[] tcpMemPages(ConfigValue v, String key) throws ScenarioException {
    List<String> parts = new ArrayList<>();
    if (v.valueType() == ConfigValueType.LIST) {
      for (ConfigValue e : (ConfigList) v) parts.add(String.valueOf(e.unwrapped()));
    } else {
      for (String p : String.valueOf(v.unwrapped()).trim().split("\\s+")) parts.add(p);
    }
    long[] t = new long[3];
    try {
      if (parts.size() != 3) throw new NumberFormatException();
      for (int i = 0; i < 3; i++) t[i] = Long.parseLong(parts.get(i));
    } catch (NumberFormatException e) {
      throw bad(v, key, "is not three page counts (example: \"64 96 128\")");
    }
    if (t[0] < 0 || t[1] < t[0] || t[2] < t[1]) throw bad(v, key, "must be non-negative and non-decreasing (min pressure max)");
    return t;
  }

  private static long duration(Config c, ConfigObject obj, String name, String key, long minNs) throws ScenarioException {
    ConfigValue v = obj.get(key);
    long ns;
    try {
      ns = c.getDuration(key, TimeUnit.NANOSECONDS);
    } catch (ConfigException notADuration) {
      throw bad(v, name + "." + key, "is not a duration (examples: 5ms, 100us, 2s)");
    }
    if (ns < minNs) throw bad(v, name + "." + key, minNs == 0 ? "must not be negative" : "must be longer than zero");
    return ns;
  }

  /** A number in [0, 1], or (0, 1] when positive is set. */
  private static double fraction(ConfigValue v, String key, boolean positive) throws ScenarioException {
    double d;
    if (v.valueType() == ConfigValueType.NUMBER) {
      d = ((Number) v.unwrapped()).doubleValue();
    } else if (v.valueType() == ConfigValueType.STRING) {
      try {
        d = Double.parseDouble(((String) v.unwrapped()).trim());
      } catch (NumberFormatException e) {
        throw bad(v, key, "is not a number");
      }
    } else {
      throw bad(v, key, "is not a number");
    }
    if (Double.isNaN(d) || d > 1 || d < 0 || (positive && d == 0)) throw bad(v, key, "must be in " + (positive ? "(0, 1]" : "[0, 1]"));
    return d;
  }

  private static long[] connectionList(ConfigValue v, String key, int connections) throws ScenarioException {
    if (v.valueType() == ConfigValueType.STRING && "all".equals(v.unwrapped())) return new long[0];
    if (v.valueType() != ConfigValueType.LIST) throw bad(v, key, "is not a list of connection numbers (example: [0, 3]) or all");
    ConfigList list = (ConfigList) v;
    if (list.isEmpty()) throw bad(v, key, "is empty; leave it out (or write all) for every connection");
    long[] out = new long[list.size()];
    for (int i = 0; i < list.size(); i++) {
      ConfigValue item = list.get(i);
      Object u = item.unwrapped();
      if (!(u instanceof Integer || u instanceof Long)) throw bad(item, key, "is not a connection number");
      long n = ((Number) u).longValue();
      if (n < 0 || n >= connections) throw bad(item, key, "is not a connection of this run (0.." + (connections - 1) + ")");
      out[i] = n;
    }
    return out;
  }

  private static ScenarioException bad(ConfigValue v, String key, String problem) {
    return new ScenarioException(Scenario.where(v.origin()) + ": " + key + ": '" + render(v) + "' " + problem);
  }

  private static String render(ConfigValue v) {
    if (v.valueType() == ConfigValueType.STRING) return ((String) v.unwrapped()).replace('\n', ' ');
    return v.render(com.typesafe.config.ConfigRenderOptions.concise()).replace('\n', ' ');
  }

  private static List<String> kindNames() {
    List<String> names = new ArrayList<>();
    for (FaultKind k : FaultKind.values()) names.add(k.scenarioName());
    return names;
  }

  private static String kindList() {
    return "kinds: " + String.join(", ", kindNames());
  }

  /** The plan in scenario form (durations as text), JSON-ready, so summary.json can be run again. */
  static List<Map<String, Object>> effective(FaultPlan plan) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Fault f : plan.faults()) {
      Map<String, Object> m = new LinkedHashMap<>();
      FaultKind k = f.kind();
      m.put("kind", k.scenarioName());
      List<String> extra = extraKeys(k);
      if (extra.contains("host")) m.put("host", f.host());
      if (extra.contains("direction")) m.put("direction", f.direction().scenarioName());
      m.put("at", Units.formatDuration(f.atNs()));
      if (f.durationNs() != Fault.FOREVER) m.put("for", Units.formatDuration(f.durationNs()));
      if (f.everyNs() > 0) m.put("every", Units.formatDuration(f.everyNs()));
      if (extra.contains("probability")) m.put("probability", f.probability());
      if (extra.contains("delay")) m.put("delay", Units.formatDuration(f.delayNs()));
      if (extra.contains("jitter")) m.put("jitter", Units.formatDuration(f.jitterNs()));
      if (k == FaultKind.BURST_LOSS) {
        m.put("p", f.geP());
        m.put("r", f.geR());
        m.put("loss-good", f.geLossGood());
        m.put("loss-bad", f.geLossBad());
      }
      if (extra.contains("answer")) m.put("answer", f.answerCn() ? "cn" : "drop");
      if (extra.contains("tcp-mem")) m.put("tcp-mem", f.tcpMem()[0] + " " + f.tcpMem()[1] + " " + f.tcpMem()[2]);
      if (f.connections().length > 0) {
        List<Long> c = new ArrayList<>();
        for (long id : f.connections()) c.add(id);
        m.put("connections", c);
      }
      out.add(m);
    }
    return out;
  }
}
