package io.sendpath.actors.run;

import io.sendpath.fault.FaultLog;
import java.util.List;
import java.util.Map;

/**
 * What a run produced. bytesAccepted counts bytes the sockets accepted from write(); bytesDelivered
 * counts bytes the peer received in order and found equal to the payload function.
 *
 * @param counters          host counters under nstat / tc names (TcpOutSegs, TcpRetransSegs, ...)
 * @param invariantViolations one line each, naming the connection and what broke; empty when every check held
 * @param faults            per fault of the plan: its settings and what it did (effect counters, first and last time)
 * @param faultTimeline     when each fault window opened and closed, what the fault hooks changed, and how
 *                          the applications were told (socket errors), in time order
 */
public record RunResult(
    int connections,
    long bytesAccepted,
    long bytesDelivered,
    long framesEmitted,
    long retransmittedSegments,
    double simulatedSeconds,
    double wallSeconds,
    long eventsDelivered,
    List<ConnStats> connectionStats,
    Map<String, Long> counters,
    List<String> invariantViolations,
    List<Map<String, Object>> faults,
    List<FaultLog.Event> faultTimeline) {

  /** A result of a run without a fault plan. */
  public RunResult(int connections, long bytesAccepted, long bytesDelivered, long framesEmitted, long retransmittedSegments,
      double simulatedSeconds, double wallSeconds, long eventsDelivered, List<ConnStats> connectionStats,
      Map<String, Long> counters, List<String> invariantViolations) {
    this(connections, bytesAccepted, bytesDelivered, framesEmitted, retransmittedSegments, simulatedSeconds, wallSeconds,
        eventsDelivered, connectionStats, counters, invariantViolations, List.of(), List.of());
  }
}
