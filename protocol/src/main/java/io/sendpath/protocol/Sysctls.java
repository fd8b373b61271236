package io.sendpath.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kernel settings of one emulated host, under their sysctl names (net.ipv4.* and net.core.*
 * without the prefix), with Linux 6.18 defaults (shared/LINUX-FACTS.md). A scenario sets them as
 * {@code sysctl.<name> = value}; an unknown name or a malformed value is rejected with a message
 * naming it. Vector sysctls (tcp_wmem, tcp_rmem) take three integers, "4096 16384 4194304".
 */
public final class Sysctls {

  /** Name → default text, in the order they are documented. */
  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    // net/ipv4/tcp.c::tcp_init()
    DEFAULTS.put("tcp_wmem", "4096 16384 4194304");
    DEFAULTS.put("tcp_rmem", "4096 131072 33554432");
    // tcp_init(): nr_free_buffer_pages() / 16 as tcp_mem[1], 3/4 of it as [0], twice [0] as [2],
    // in pages; these are the values of our 24 GiB machines (sysctl net.ipv4.tcp_mem)
    DEFAULTS.put("tcp_mem", "288459 384612 576918");
    // include/net/sock.h SK_WMEM_MAX / SK_RMEM_MAX
    DEFAULTS.put("wmem_default", "212992");
    DEFAULTS.put("wmem_max", "212992");
    DEFAULTS.put("rmem_default", "212992");
    DEFAULTS.put("rmem_max", "212992");
    // net/ipv4/tcp_ipv4.c::tcp_sk_init()
    DEFAULTS.put("tcp_limit_output_bytes", "4194304");
    DEFAULTS.put("tcp_min_tso_segs", "2");
    DEFAULTS.put("tcp_tso_rtt_log", "9");
    DEFAULTS.put("tcp_tso_win_divisor", "3");
    DEFAULTS.put("tcp_pacing_ss_ratio", "200");
    DEFAULTS.put("tcp_pacing_ca_ratio", "120");
    DEFAULTS.put("tcp_autocorking", "1");
    DEFAULTS.put("tcp_notsent_lowat", "4294967295");
    DEFAULTS.put("tcp_slow_start_after_idle", "1");
    DEFAULTS.put("tcp_timestamps", "1");
    DEFAULTS.put("tcp_sack", "1");
    DEFAULTS.put("tcp_window_scaling", "1");
    DEFAULTS.put("tcp_congestion_control", "cubic");
    DEFAULTS.put("tcp_retries1", "3");
    DEFAULTS.put("tcp_retries2", "15");
    DEFAULTS.put("tcp_syn_retries", "6");
    // 6.5+: the first retransmissions of a SYN keep the 1 s RTO, and add to tcp_syn_retries
    DEFAULTS.put("tcp_syn_linear_timeouts", "4");
    DEFAULTS.put("tcp_reordering", "3");
    DEFAULTS.put("tcp_early_retrans", "3");
    DEFAULTS.put("tcp_recovery", "1");
    DEFAULTS.put("tcp_moderate_rcvbuf", "1");
    DEFAULTS.put("tcp_no_metrics_save", "0");
    DEFAULTS.put("tcp_frto", "2");
    DEFAULTS.put("tcp_mtu_probing", "0");
    DEFAULTS.put("tcp_base_mss", "1024");
    DEFAULTS.put("tcp_min_snd_mss", "48");
    DEFAULTS.put("tcp_ecn", "2");
    DEFAULTS.put("tcp_dsack", "1");
    DEFAULTS.put("tcp_fack", "0");
    DEFAULTS.put("tcp_abort_on_overflow", "0");
    DEFAULTS.put("tcp_invalid_ratelimit", "500");
    DEFAULTS.put("tcp_challenge_ack_limit", "2147483647");
    DEFAULTS.put("tcp_tw_reuse", "2");
    DEFAULTS.put("tcp_fin_timeout", "60");
    DEFAULTS.put("tcp_thin_linear_timeouts", "0");
    // Set by packetdrill's defaults.sh; the send path does not read them (no SYN flood, no TFO,
    // no SYN-ACK retransmission limit reached, no AccECN option).
    DEFAULTS.put("tcp_synack_retries", "5");
    DEFAULTS.put("tcp_syncookies", "1");
    DEFAULTS.put("tcp_fastopen", "1");
    DEFAULTS.put("tcp_fastopen_key", "00000000-00000000-00000000-00000000");
    DEFAULTS.put("tcp_ecn_option", "2");
    // include/net/tcp.h
    DEFAULTS.put("tcp_init_cwnd", "10");
    // net.ipv4.ip_default_ttl, net.ipv4.ip_no_pmtu_disc
    DEFAULTS.put("ip_default_ttl", "64");
    DEFAULTS.put("ip_no_pmtu_disc", "0");
    // net/ipv4/arp.c arp_tbl: neigh parms (net.ipv4.neigh.default.*)
    DEFAULTS.put("neigh.unres_qlen_bytes", "212992");
    DEFAULTS.put("neigh.mcast_solicit", "3");
    DEFAULTS.put("neigh.ucast_solicit", "3");
    DEFAULTS.put("neigh.retrans_time_ms", "1000");
    DEFAULTS.put("neigh.base_reachable_time_ms", "30000");
    DEFAULTS.put("neigh.delay_first_probe_time", "5");
    DEFAULTS.put("neigh.gc_stale_time", "60");
    // net.core
    DEFAULTS.put("default_qdisc", "pfifo_fast");
    DEFAULTS.put("netdev_max_backlog", "1000");
  }

  private final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);

  public static Sysctls linuxDefaults() {
    return new Sysctls();
  }

  /** All names this model knows, with their defaults. */
  public static Map<String, String> defaults() {
    return Collections.unmodifiableMap(DEFAULTS);
  }

  public static boolean isKnown(String name) {
    return DEFAULTS.containsKey(name);
  }

  /**
   * Sets one value after checking it has the shape of the default (one or three integers, or a
   * word for the string settings). Throws IllegalArgumentException with a message naming the
   * setting and the value.
   */
  public Sysctls set(String name, String value) {
    String def = DEFAULTS.get(name);
    if (def == null) throw new IllegalArgumentException("unknown sysctl '" + name + "'");
    String v = value.trim().replaceAll("\\s+", " ");
    String[] want = def.split(" ");
    String[] got = v.split(" ");
    boolean numeric = want[0].chars().allMatch(Character::isDigit);
    if (numeric) {
      if (got.length != want.length)
        throw new IllegalArgumentException("sysctl " + name + " takes " + want.length + " integer(s), got '" + value + "'");
      for (String g : got) {
        try {
          long n = Long.parseLong(g);
          if (n < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("sysctl " + name + ": '" + value + "' is not a non-negative integer");
        }
      }
    } else if (name.equals("tcp_congestion_control") && !v.equals("cubic") && !v.equals("reno")) {
      throw new IllegalArgumentException("sysctl tcp_congestion_control: '" + value + "' is not one of cubic, reno");
    } else if (name.equals("default_qdisc") && !v.equals("pfifo_fast") && !v.equals("pfifo") && !v.equals("fq_codel")) {
      throw new IllegalArgumentException("sysctl default_qdisc: '" + value + "' is not one of pfifo_fast, pfifo, fq_codel");
    }
    values.put(name, v);
    return this;
  }

  public String get(String name) {
    String v = values.get(name);
    if (v == null) throw new IllegalArgumentException("unknown sysctl '" + name + "'");
    return v;
  }

  public long getLong(String name) {
    return Long.parseLong(get(name));
  }

  public int getInt(String name) {
    long v = getLong(name);
    return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
  }

  /** Element i (0, 1, 2) of a vector sysctl such as tcp_wmem. */
  public int getVector(String name, int i) {
    return Integer.parseInt(get(name).split(" ")[i]);
  }

  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  public Sysctls copy() {
    Sysctls c = new Sysctls();
    c.values.putAll(values);
    return c;
  }
}
