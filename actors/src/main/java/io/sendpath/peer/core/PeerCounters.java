package io.sendpath.peer.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Host-wide TCP counters of the peer host under their nstat names (include/uapi/linux/snmp.h:
 * TCP_MIB_* print as Tcp*, LINUX_MIB_* as TcpExt*). Plain fields: incremented on the per-packet
 * path without boxing; {@link #snapshot()} is for reports only.
 */
public final class PeerCounters {
  public long TcpPassiveOpens;
  public long TcpAttemptFails;
  public long TcpEstabResets;
  public long TcpInSegs;
  public long TcpOutSegs;
  public long TcpRetransSegs;
  public long TcpOutRsts;
  public long TcpExtDelayedACKs;
  public long TcpExtDelayedACKLost;
  public long TcpExtTCPDSACKOldSent;
  public long TcpExtTCPDSACKOfoSent;
  public long TcpExtTCPOFOQueue;
  public long TcpExtTCPOFOMerge;
  public long TcpExtTCPOFODrop;
  public long TcpExtTCPRcvQDrop;
  public long TcpExtTCPRcvPruned;
  public long TcpExtTCPZeroWindowDrop;
  public long TcpExtTCPToZeroWindowAdv;
  public long TcpExtTCPFromZeroWindowAdv;
  public long TcpExtTCPWantZeroWindowAdv;
  public long TcpExtTCPACKCompressed;
  public long TcpExtPAWSEstab;
  public long TcpExtTCPChallengeACK;
  public long TcpExtTCPSYNChallenge;
  public long TcpExtListenDrops;
  public long TcpExtTCPReqQFullDrop;
  public long TcpExtSyncookiesSent;
  public long TcpExtTCPSynRetrans;
  public long TcpExtTCPTimeouts;

  /** Every counter by name, in declaration order (reflection-free, for reports). */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("TcpPassiveOpens", TcpPassiveOpens);
    m.put("TcpAttemptFails", TcpAttemptFails);
    m.put("TcpEstabResets", TcpEstabResets);
    m.put("TcpInSegs", TcpInSegs);
    m.put("TcpOutSegs", TcpOutSegs);
    m.put("TcpRetransSegs", TcpRetransSegs);
    m.put("TcpOutRsts", TcpOutRsts);
    m.put("TcpExtDelayedACKs", TcpExtDelayedACKs);
    m.put("TcpExtDelayedACKLost", TcpExtDelayedACKLost);
    m.put("TcpExtTCPDSACKOldSent", TcpExtTCPDSACKOldSent);
    m.put("TcpExtTCPDSACKOfoSent", TcpExtTCPDSACKOfoSent);
    m.put("TcpExtTCPOFOQueue", TcpExtTCPOFOQueue);
    m.put("TcpExtTCPOFOMerge", TcpExtTCPOFOMerge);
    m.put("TcpExtTCPOFODrop", TcpExtTCPOFODrop);
    m.put("TcpExtTCPRcvQDrop", TcpExtTCPRcvQDrop);
    m.put("TcpExtTCPRcvPruned", TcpExtTCPRcvPruned);
    m.put("TcpExtTCPZeroWindowDrop", TcpExtTCPZeroWindowDrop);
    m.put("TcpExtTCPToZeroWindowAdv", TcpExtTCPToZeroWindowAdv);
    m.put("TcpExtTCPFromZeroWindowAdv", TcpExtTCPFromZeroWindowAdv);
    m.put("TcpExtTCPWantZeroWindowAdv", TcpExtTCPWantZeroWindowAdv);
    m.put("TcpExtTCPACKCompressed", TcpExtTCPACKCompressed);
    m.put("TcpExtPAWSEstab", TcpExtPAWSEstab);
    m.put("TcpExtTCPChallengeACK", TcpExtTCPChallengeACK);
    m.put("TcpExtTCPSYNChallenge", TcpExtTCPSYNChallenge);
    m.put("TcpExtListenDrops", TcpExtListenDrops);
    m.put("TcpExtTCPReqQFullDrop", TcpExtTCPReqQFullDrop);
    m.put("TcpExtSyncookiesSent", TcpExtSyncookiesSent);
    m.put("TcpExtTCPSynRetrans", TcpExtTCPSynRetrans);
    m.put("TcpExtTCPTimeouts", TcpExtTCPTimeouts);
    return m;
  }
}
