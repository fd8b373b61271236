package io.sendpath.actors.run;

/**
 * One connection's numbers at the end of a run, named after struct tcp_info / `ss -ti`
 * (include/uapi/linux/tcp.h). Times in microseconds as tcp_info has them, unless named _ns.
 * busyUs, rwndLimitedUs and sndbufLimitedUs are the tcp_info chronographs (tcpi_busy_time,
 * tcpi_rwnd_limited, tcpi_sndbuf_limited); tsqThrottles / tsqThrottledUs count TSQ throttles and
 * their time; sndbufWaits counts the writer's sleeps in sk_stream_wait_memory() and sndbufWaitUs
 * their total time. Note that tcpi_sndbuf_limited only runs while the write queue is empty
 * (net/ipv4/tcp_output.c::tcp_cwnd_validate()), so a writer held up by a slow reader shows
 * rwnd_limited and sndbuf waits, not sndbuf_limited.
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
    long tsqThrottles,
    long busyUs,
    long rwndLimitedUs,
    long tsqThrottledUs,
    long sndbufWaits,
    long sndbufWaitUs) {}
