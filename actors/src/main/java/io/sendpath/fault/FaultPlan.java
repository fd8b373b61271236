package io.sendpath.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults of one run, in the order the scenario lists them (ids 0..n-1). Empty for a run
 * without faults; then no wrapper is built and the path costs nothing extra.
 */
public record FaultPlan(List<Fault> faults) {

  public static final FaultPlan NONE = new FaultPlan(List.of());

  public FaultPlan {
    faults = List.copyOf(faults);
    for (int i = 0; i < faults.size(); i++) {
      if (faults.get(i).id() != i) throw new IllegalArgumentException("fault " + i + " has id " + faults.get(i).id());
    }
  }

  public boolean isEmpty() {
    return faults.isEmpty();
  }

  /** The faults that act on frames crossing the wire in direction d. */
  public List<Fault> onWire(Fault.Direction d) {
    List<Fault> out = new ArrayList<>();
    for (Fault f : faults) {
      if (!f.kind().actsOnWire()) continue;
      if (f.kind() == FaultKind.NEIGH_FAIL) {
        // ARP replies travel toward the host whose resolutions fail.
        if (d == (f.host().equals("peer") ? Fault.Direction.TO_PEER : Fault.Direction.TO_SENDER)) out.add(f);
      } else if (f.kind() == FaultKind.PEER_ZERO_WINDOW) {
        if (d == Fault.Direction.TO_SENDER) out.add(f);
      } else if (f.direction().includes(d)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The faults of 'kind' on host 'host'. */
  public List<Fault> of(FaultKind kind, String host) {
    List<Fault> out = new ArrayList<>();
    for (Fault f : faults) if (f.kind() == kind && f.host().equals(host)) out.add(f);
    return out;
  }

  public boolean has(FaultKind kind, String host) {
    for (Fault f : faults) if (f.kind() == kind && f.host().equals(host)) return true;
    return false;
  }
}
