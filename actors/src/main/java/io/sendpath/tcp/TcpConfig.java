package io.sendpath.tcp;

import io.sendpath.protocol.Sysctls;

/**
 * What one TCP socket needs from its host's sysctls, its route (MTU, device GSO) and its own
 * socket options. Built once per connection; read per packet.
 *
 * @param mtu path MTU (dst_mtu), 1500 on Ethernet
 * @param gsoMaxSize device gso_max_size (65536); 0 or tso=false means one MSS per skb
 * @param tso device has NETIF_F_TSO (sk_can_gso)
 * @param tsOffset per-connection tp->tsoffset added to tcp_clock_ms in TS val
 * @param wmem tcp_wmem min/default/max
 * @param rmem tcp_rmem min/default/max
 * @param rmemMax net.core.rmem_max
 * @param nodelay TCP_NODELAY (tp->nonagle = TCP_NAGLE_OFF)
 * @param congestionControl "cubic" or "reno" (tcp_congestion_control)
 */
public record TcpConfig(
    int mtu, int gsoMaxSize, boolean tso, int tsOffset,
    int wmem0, int wmem1, int wmem2, int rmem0, int rmem1, int rmem2, int rmemMax,
    long limitOutputBytes, int minTsoSegs, int tsoRttLog, int tsoWinDivisor,
    int pacingSsRatio, int pacingCaRatio, boolean autocorking, long notsentLowat,
    boolean timestamps, boolean sack, boolean windowScaling, String congestionControl,
    int retries1, int retries2, int synRetries, int synLinearTimeouts, int reordering, int initCwnd, int minSndMss,
    int pacingShift, boolean nodelay) {

  /** Builds a config from sysctl names with the socket defaults (Nagle on, pacing shift 10). */
  public static TcpConfig from(Sysctls s, int mtu, int gsoMaxSize, boolean tso, int tsOffset) {
    return from(s, mtu, gsoMaxSize, tso, tsOffset, false);
  }

  public static TcpConfig from(Sysctls s, int mtu, int gsoMaxSize, boolean tso, int tsOffset, boolean nodelay) {
    return new TcpConfig(mtu, gsoMaxSize, tso, tsOffset,
        s.getVector("tcp_wmem", 0), s.getVector("tcp_wmem", 1), s.getVector("tcp_wmem", 2),
        s.getVector("tcp_rmem", 0), s.getVector("tcp_rmem", 1), s.getVector("tcp_rmem", 2),
        s.getInt("rmem_max"),
        s.getLong("tcp_limit_output_bytes"), s.getInt("tcp_min_tso_segs"), s.getInt("tcp_tso_rtt_log"),
        s.getInt("tcp_tso_win_divisor"), s.getInt("tcp_pacing_ss_ratio"), s.getInt("tcp_pacing_ca_ratio"),
        s.getInt("tcp_autocorking") != 0, s.getLong("tcp_notsent_lowat"),
        s.getInt("tcp_timestamps") != 0, s.getInt("tcp_sack") != 0, s.getInt("tcp_window_scaling") != 0,
        s.get("tcp_congestion_control"),
        s.getInt("tcp_retries1"), s.getInt("tcp_retries2"), s.getInt("tcp_syn_retries"), s.getInt("tcp_syn_linear_timeouts"),
        s.getInt("tcp_reordering"), s.getInt("tcp_init_cwnd"), s.getInt("tcp_min_snd_mss"),
        10, nodelay);
  }

  /** Linux defaults on a 1500-byte MTU TSO device (gso_max_size 65536). */
  public static TcpConfig linuxDefaults(int tsOffset) {
    return from(Sysctls.linuxDefaults(), 1500, 65536, true, tsOffset);
  }

  public TcpConfig withNodelay(boolean on) {
    return new TcpConfig(mtu, gsoMaxSize, tso, tsOffset, wmem0, wmem1, wmem2, rmem0, rmem1, rmem2, rmemMax,
        limitOutputBytes, minTsoSegs, tsoRttLog, tsoWinDivisor, pacingSsRatio, pacingCaRatio, autocorking,
        notsentLowat, timestamps, sack, windowScaling, congestionControl, retries1, retries2, synRetries, synLinearTimeouts,
        reordering, initCwnd, minSndMss, pacingShift, on);
  }

  public TcpConfig withCongestionControl(String name) {
    return new TcpConfig(mtu, gsoMaxSize, tso, tsOffset, wmem0, wmem1, wmem2, rmem0, rmem1, rmem2, rmemMax,
        limitOutputBytes, minTsoSegs, tsoRttLog, tsoWinDivisor, pacingSsRatio, pacingCaRatio, autocorking,
        notsentLowat, timestamps, sack, windowScaling, name, retries1, retries2, synRetries, synLinearTimeouts,
        reordering, initCwnd, minSndMss, pacingShift, nodelay);
  }

  public TcpConfig withAutocorking(boolean on) {
    return new TcpConfig(mtu, gsoMaxSize, tso, tsOffset, wmem0, wmem1, wmem2, rmem0, rmem1, rmem2, rmemMax,
        limitOutputBytes, minTsoSegs, tsoRttLog, tsoWinDivisor, pacingSsRatio, pacingCaRatio, on,
        notsentLowat, timestamps, sack, windowScaling, congestionControl, retries1, retries2, synRetries, synLinearTimeouts,
        reordering, initCwnd, minSndMss, pacingShift, nodelay);
  }

  public TcpConfig withLimitOutputBytes(long bytes) {
    return new TcpConfig(mtu, gsoMaxSize, tso, tsOffset, wmem0, wmem1, wmem2, rmem0, rmem1, rmem2, rmemMax,
        bytes, minTsoSegs, tsoRttLog, tsoWinDivisor, pacingSsRatio, pacingCaRatio, autocorking,
        notsentLowat, timestamps, sack, windowScaling, congestionControl, retries1, retries2, synRetries, synLinearTimeouts,
        reordering, initCwnd, minSndMss, pacingShift, nodelay);
  }

  /** A fresh congestion control instance for tcp_congestion_control. */
  public CongestionControl newCongestionControl() {
    return switch (congestionControl) {
      case "reno" -> new Reno();
      case "cubic" -> new Cubic();
      default -> throw new IllegalArgumentException("tcp_congestion_control '" + congestionControl + "' is not one of cubic, reno");
    };
  }
}
