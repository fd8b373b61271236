package io.sendpath.actors.run;

import java.util.List;
import java.util.Map;

/**
 * What a run produced. bytesAccepted counts bytes the sockets accepted from write(); bytesDelivered
 * counts bytes the peer received in order and found equal to the payload function.
 *
 * @param counters          host counters under nstat / tc names (TcpOutSegs, TcpRetransSegs, ...)
 * @param invariantViolations one line each, naming the connection and what broke; empty when every check held
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
    List<String> invariantViolations) {}
