package io.sendpath.peer.core;

import io.sendpath.protocol.Sysctls;

/**
 * The peer host's receive-side settings, by sysctl name where Linux has one. Immutable; built
 * from {@link Sysctls} plus the few settings Sysctls does not carry (their 6.18 defaults here).
 */
public final class PeerConfig {
  /** net.ipv4.tcp_rmem min / default / max (bytes of truesize). */
  public final int tcpRmem0, tcpRmem1, tcpRmem2;
  /** net.core.rmem_max: also a floor for the window-scale choice (tcp_select_initial_window). */
  public final int rmemMax;
  public final boolean tcpTimestamps, tcpSack, tcpWindowScaling, tcpDsack, tcpModerateRcvbuf;
  /** tcp_ecn: 2 = answer ECN when the SYN asks for it (the only part of ECN the peer models). */
  public final int tcpEcn;
  /** Our interface MTU; advmss = mtu - 40 (tcp_mtu_to_mss without options). */
  public final int mtu;
  /** net.core.somaxconn: ceiling on the listen backlog (6.18: 4096). */
  public final int somaxconn;
  /** net.ipv4.tcp_max_syn_backlog: request socks a listener keeps (6.18 default 4096 on big hosts). */
  public final int tcpMaxSynBacklog;
  /** net.ipv4.tcp_syncookies: 1 = answer a SYN even when the SYN queue is full. */
  public final int tcpSyncookies;
  /** net.ipv4.tcp_synack_retries (5). */
  public final int tcpSynackRetries;
  /** net.ipv4.tcp_retries2 (15): FIN retransmissions before giving up in LAST_ACK. */
  public final int tcpRetries2;
  /** net.ipv4.tcp_comp_sack_delay_ns (1 ms) and tcp_comp_sack_nr (44). */
  public final long tcpCompSackDelayNs;
  public final int tcpCompSackNr;
  /** net.ipv4.tcp_app_win (31). */
  public final int tcpAppWin;
  /** Seeds the initial sequence numbers and timestamp offsets (secure_tcp_seq / secure_tcp_ts_off). */
  public final long seed;
  /** Peer application: read everything as soon as it arrives (default true). */
  public final boolean reading;
  /** Peer application: close() as soon as it reads EOF (default true). */
  public final boolean closeOnEof;

  private PeerConfig(Builder b) {
    Sysctls s = b.sysctls;
    tcpRmem0 = s.getVector("tcp_rmem", 0);
    tcpRmem1 = s.getVector("tcp_rmem", 1);
    tcpRmem2 = s.getVector("tcp_rmem", 2);
    rmemMax = s.getInt("rmem_max");
    tcpTimestamps = s.getInt("tcp_timestamps") != 0;
    tcpSack = s.getInt("tcp_sack") != 0;
    tcpWindowScaling = s.getInt("tcp_window_scaling") != 0;
    tcpDsack = s.getInt("tcp_dsack") != 0;
    tcpModerateRcvbuf = s.getInt("tcp_moderate_rcvbuf") != 0;
    tcpEcn = s.getInt("tcp_ecn");
    tcpRetries2 = s.getInt("tcp_retries2");
    mtu = b.mtu;
    somaxconn = b.somaxconn;
    tcpMaxSynBacklog = b.tcpMaxSynBacklog;
    tcpSyncookies = b.tcpSyncookies;
    tcpSynackRetries = b.tcpSynackRetries;
    tcpCompSackDelayNs = b.tcpCompSackDelayNs;
    tcpCompSackNr = b.tcpCompSackNr;
    tcpAppWin = b.tcpAppWin;
    seed = b.seed;
    reading = b.reading;
    closeOnEof = b.closeOnEof;
  }

  public static PeerConfig linuxDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private Sysctls sysctls = Sysctls.linuxDefaults();
    private int mtu = 1500;
    private int somaxconn = 4096;
    private int tcpMaxSynBacklog = 4096;
    private int tcpSyncookies = 1;
    private int tcpSynackRetries = 5;
    private long tcpCompSackDelayNs = 1_000_000L;
    private int tcpCompSackNr = 44;
    private int tcpAppWin = 31;
    private long seed = 1;
    private boolean reading = true;
    private boolean closeOnEof = true;

    public Builder sysctls(Sysctls s) { this.sysctls = s.copy(); return this; }
    public Builder mtu(int v) { this.mtu = v; return this; }
    public Builder somaxconn(int v) { this.somaxconn = v; return this; }
    public Builder tcpMaxSynBacklog(int v) { this.tcpMaxSynBacklog = v; return this; }
    public Builder tcpSyncookies(int v) { this.tcpSyncookies = v; return this; }
    public Builder tcpSynackRetries(int v) { this.tcpSynackRetries = v; return this; }
    public Builder tcpCompSackDelayNs(long v) { this.tcpCompSackDelayNs = v; return this; }
    public Builder tcpCompSackNr(int v) { this.tcpCompSackNr = v; return this; }
    public Builder seed(long v) { this.seed = v; return this; }
    public Builder reading(boolean v) { this.reading = v; return this; }
    public Builder closeOnEof(boolean v) { this.closeOnEof = v; return this; }

    public PeerConfig build() {
      if (mtu < 128) throw new IllegalArgumentException("mtu " + mtu + " is below 128");
      return new PeerConfig(this);
    }
  }
}
