package io.sendpath.actors.fault;

import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultLog;
import io.sendpath.fault.FaultPlan;
import io.sendpath.fault.WireFaults;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What host assembly needs to put the fault wrappers of a plan around the boundaries (DESIGN §5):
 * the plan, the log they report to, the run's seed, how to tell a frame's connection, and — in
 * tests only — test doubles standing for broken components. {@link #NONE} builds no wrapper.
 *
 * @param plan        the run's faults
 * @param log         where wrappers count effects and the director logs the timeline
 * @param seed        the run's seed; each wrapper derives its own generators from it
 * @param connOfFrame connection number of a frame on the wire (-1 for ARP and strangers)
 * @param tamperToPeer   test double on frames toward the peer; null in real runs
 * @param tamperToSender test double on frames toward the sender; null in real runs
 * @param senderDevice   test double between the sender's device queue and NIC; null in real runs
 */
public record FaultWiring(
    FaultPlan plan,
    FaultLog log,
    long seed,
    ToLongFunction<byte[]> connOfFrame,
    WireFaultActor.FrameTamper tamperToPeer,
    WireFaultActor.FrameTamper tamperToSender,
    DeviceTamperActor.SkbTamper senderDevice) {

  public static final FaultWiring NONE = new FaultWiring(FaultPlan.NONE, new FaultLog(FaultPlan.NONE), 0, f -> -1, null, null, null);

  /** The wire fault core for frames travelling in direction d, or null when none acts there. */
  public WireFaults wireFaults(Fault.Direction d) {
    List<Fault> faults = plan.onWire(d);
    return faults.isEmpty() ? null : new WireFaults(faults, d, seed, log, connOfFrame);
  }

  public WireFaultActor.FrameTamper tamper(Fault.Direction d) {
    return d == Fault.Direction.TO_PEER ? tamperToPeer : tamperToSender;
  }

  /** This wiring with test doubles (the test's broken components). */
  public FaultWiring withTestDoubles(WireFaultActor.FrameTamper toPeer, WireFaultActor.FrameTamper toSender,
      DeviceTamperActor.SkbTamper device) {
    return new FaultWiring(plan, log, seed, connOfFrame, toPeer, toSender, device);
  }
}
