package io.sendpath.tcp;

/**
 * A struct tcp_info snapshot (net/ipv4/tcp.c::tcp_get_info()), in its units: times in
 * microseconds, rates in bytes per second, windows in segments.
 */
public record TcpInfo(
    TcpState state, TcpCaState caState, int backoff,
    int cwnd, int ssthresh, long srttUs, long rttvarUs, long rtoUs, long minRttUs, int sndMss,
    long bytesSent, long bytesAcked, long bytesRetrans, long segsOut, long totalRetrans,
    int lost, int unacked, int retrans, int sacked, long pacingRate, long notsentBytes,
    long wmemQueued, long wmemAlloc, long sndbuf, int sndWnd,
    long rtoCount, long fastRetransCount) {}
