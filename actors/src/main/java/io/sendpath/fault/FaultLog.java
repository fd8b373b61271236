package io.sendpath.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When each fault fired and what it did: a timeline of events (a window opening or closing, an
 * action such as a carrier change or an RST) and, per fault, a count of every {@link Effect} with
 * the times of the first and last one. Written by the fault wrappers from their actors (so its
 * methods are synchronized; they run only when a fault acts, never per frame otherwise) and read
 * once the run is over.
 */
public final class FaultLog {

  /** One line of the timeline. */
  public record Event(long timeNs, int faultId, String fault, String what) {}

  private final FaultPlan plan;
  private final List<Event> events = new ArrayList<>();
  /** effects[fault][effect.ordinal()]: how often the fault had that effect; never decreases. */
  private final long[][] effects;
  /** Virtual time of each fault's first and last effect; -1 while it had none. */
  private final long[] firstEffectNs, lastEffectNs;

  public FaultLog(FaultPlan plan) {
    this.plan = plan;
    int n = plan.faults().size();
    effects = new long[n][Effect.values().length];
    firstEffectNs = new long[n];
    lastEffectNs = new long[n];
    java.util.Arrays.fill(firstEffectNs, -1);
    java.util.Arrays.fill(lastEffectNs, -1);
  }

  public FaultPlan plan() {
    return plan;
  }

  /**
   * Fault 'faultId' had 'effect' at 'now'. The hosts report from their own clock domains, not in
   * time order across them: first and last are the earliest and latest times, not the first and
   * last reports.
   */
  public synchronized void count(int faultId, Effect effect, long now) {
    effects[faultId][effect.ordinal()]++;
    if (firstEffectNs[faultId] < 0 || now < firstEffectNs[faultId]) firstEffectNs[faultId] = now;
    lastEffectNs[faultId] = Math.max(lastEffectNs[faultId], now);
  }

  /** A timeline line for fault 'faultId' (-1: a reaction not tied to one fault). */
  public synchronized void event(long now, int faultId, String what) {
    String label = faultId >= 0 ? plan.faults().get(faultId).label() : "reaction";
    events.add(new Event(now, faultId, label, what));
  }

  public synchronized long effects(int faultId, Effect effect) {
    return effects[faultId][effect.ordinal()];
  }

  /** Sum of every effect of one fault. */
  public synchronized long totalEffects(int faultId) {
    long s = 0;
    for (long v : effects[faultId]) s += v;
    return s;
  }

  /**
   * The timeline ordered by time, then by fault (reactions last), then by the order events were
   * logged: each fault is logged from one clock domain, so the order does not depend on how the
   * domains' threads interleaved.
   */
  public synchronized List<Event> timeline() {
    List<Event> copy = new ArrayList<>(events);
    copy.sort(Comparator.comparingLong(Event::timeNs).thenComparingInt(e -> e.faultId() < 0 ? Integer.MAX_VALUE : e.faultId()));
    return copy;
  }

  /** Per fault: its plan entry and its effect counters (only nonzero ones), JSON-ready. */
  public synchronized List<Map<String, Object>> summary() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Fault f : plan.faults()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", f.id());
      m.put("kind", f.kind().scenarioName());
      m.put("where", f.kind().where().scenarioName());
      m.put("host", f.host());
      if (f.kind().where() == FaultKind.Where.WIRE) m.put("direction", f.direction().scenarioName());
      m.put("at_ns", f.atNs());
      m.put("for_ns", f.durationNs() == Fault.FOREVER ? null : f.durationNs());
      m.put("every_ns", f.everyNs());
      if (f.kind().usesProbability()) m.put("probability", f.probability());
      if (f.connections().length > 0) {
        List<Long> c = new ArrayList<>();
        for (long id : f.connections()) c.add(id);
        m.put("connections", c);
      }
      Map<String, Long> eff = new LinkedHashMap<>();
      for (Effect e : Effect.values()) {
        long v = effects[f.id()][e.ordinal()];
        if (v != 0) eff.put(e.jsonName, v);
      }
      m.put("effects", eff);
      m.put("first_effect_ns", firstEffectNs[f.id()] < 0 ? null : firstEffectNs[f.id()]);
      m.put("last_effect_ns", lastEffectNs[f.id()] < 0 ? null : lastEffectNs[f.id()]);
      out.add(m);
    }
    return out;
  }
}
