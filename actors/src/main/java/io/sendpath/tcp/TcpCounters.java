package io.sendpath.tcp;

/**
 * Per-connection SNMP/netstat counters under their nstat names; a host sums them with
 * {@link #addTo}. Plain longs, bumped on the per-packet path without allocation.
 */
public final class TcpCounters {
  public long TcpActiveOpens;
  public long TcpOutSegs;
  public long TcpRetransSegs;
  public long TcpEstabResets;
  public long TcpOutRsts;
  public long TcpExtTCPTimeouts;
  public long TcpExtTCPFastRetrans;
  public long TcpExtTCPSlowStartRetrans;
  public long TcpExtTCPSynRetrans;
  public long TcpExtTCPAutoCorking;
  public long TcpExtTCPRenoRecovery;
  public long TcpExtTCPSackRecovery;
  public long TcpExtTCPRetransFail;
  /** LINUX_MIB_TCPWINPROBE: zero-window probes sent (tcp_xmit_probe_skb from the probe timer). */
  public long TcpExtTCPWinProbe;
  public long TcpExtTCPLossProbes;
  public long TcpExtTCPHystartTrainDetect;
  public long TcpExtTCPHystartTrainCwnd;
  public long TcpExtTCPHystartDelayDetect;
  public long TcpExtTCPHystartDelayCwnd;
  /** LINUX_MIB_TCPBACKLOGDROP: segments dropped because the socket backlog was full (tcp_add_backlog()). */
  public long TcpExtTCPBacklogDrop;
  /** Not a kernel counter: how often tcp_small_queue_check() set TSQ_THROTTLED. */
  public long tsqThrottled;

  /** Adds every counter of this connection into 'sum'. */
  public void addTo(TcpCounters sum) {
    sum.TcpActiveOpens += TcpActiveOpens;
    sum.TcpOutSegs += TcpOutSegs;
    sum.TcpRetransSegs += TcpRetransSegs;
    sum.TcpEstabResets += TcpEstabResets;
    sum.TcpOutRsts += TcpOutRsts;
    sum.TcpExtTCPWinProbe += TcpExtTCPWinProbe;
    sum.TcpExtTCPTimeouts += TcpExtTCPTimeouts;
    sum.TcpExtTCPFastRetrans += TcpExtTCPFastRetrans;
    sum.TcpExtTCPSlowStartRetrans += TcpExtTCPSlowStartRetrans;
    sum.TcpExtTCPSynRetrans += TcpExtTCPSynRetrans;
    sum.TcpExtTCPAutoCorking += TcpExtTCPAutoCorking;
    sum.TcpExtTCPRenoRecovery += TcpExtTCPRenoRecovery;
    sum.TcpExtTCPSackRecovery += TcpExtTCPSackRecovery;
    sum.TcpExtTCPRetransFail += TcpExtTCPRetransFail;
    sum.TcpExtTCPLossProbes += TcpExtTCPLossProbes;
    sum.TcpExtTCPHystartTrainDetect += TcpExtTCPHystartTrainDetect;
    sum.TcpExtTCPHystartTrainCwnd += TcpExtTCPHystartTrainCwnd;
    sum.TcpExtTCPHystartDelayDetect += TcpExtTCPHystartDelayDetect;
    sum.TcpExtTCPHystartDelayCwnd += TcpExtTCPHystartDelayCwnd;
    sum.TcpExtTCPBacklogDrop += TcpExtTCPBacklogDrop;
    sum.tsqThrottled += tsqThrottled;
  }
}
