package io.sendpath.tcp;

/**
 * A struct tcp_info snapshot (net/ipv4/tcp.c::tcp_get_info()), in its units: times in
 * microseconds, rates in bytes per second, windows in segments.
 *
 * <p>busyUs, rwndLimitedUs and sndbufLimitedUs are tcpi_busy_time, tcpi_rwnd_limited and
 * tcpi_sndbuf_limited (net/ipv4/tcp.c::tcp_get_info_chrono_stats(): busy is the sum of the three
 * chronographs), kept in ns and not rounded to jiffies. tsqThrottles and tsqThrottledUs count
 * tcp_small_queue_check() throttles and their time (no kernel field); backlogDrops is this
 * socket's share of TcpExtTCPBacklogDrop.
 */
public record TcpInfo(
    TcpState state, TcpCaState caState, int backoff,
    int cwnd, int ssthresh, long srttUs, long rttvarUs, long rtoUs, long minRttUs, int sndMss,
    long bytesSent, long bytesAcked, long bytesRetrans, long segsOut, long totalRetrans,
    int lost, int unacked, int retrans, int sacked, long pacingRate, long notsentBytes,
    long wmemQueued, long wmemAlloc, long sndbuf, int sndWnd,
    long rtoCount, long fastRetransCount,
    long busyUs, long rwndLimitedUs, long sndbufLimitedUs,
    long tsqThrottles, long tsqThrottledUs, long backlogDrops) {}
