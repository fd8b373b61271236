package io.sendpath.actors.run;

/**
 * One connection's numbers at the end of a run, named after struct tcp_info / `ss -ti`
 * (include/uapi/linux/tcp.h). Times in microseconds as tcp_info has them, unless named _ns.
 */
public record ConnStats(
    long id,
    String local,
    String remote,
    String state,
    int cwnd,
    int ssthresh,
    long srttUs,
    long rttvarUs,
    long rtoUs,
    long minRttUs,
    int mss,
    long bytesSent,
    long bytesAcked,
    long bytesRetrans,
    long bytesReceivedByPeer,
    int segsOut,
    int retransSegs,
    int lost,
    int unacked,
    long pacingRate,
    long sndbufLimitedUs,
    long notsentBytes,
    int rtoCount,
    int fastRetransCount,
    long startNs,
    long finishNs,
    String error,
    long maxWmemAlloc,
    long maxWmemQueued,
    long tsqThrottles) {}
