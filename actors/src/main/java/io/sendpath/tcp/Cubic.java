package io.sendpath.tcp;

/**
 * CUBIC with HyStart, as net/ipv4/tcp_cubic.c computes it: integer arithmetic with the same
 * scaling (BICTCP_HZ = 10, beta 717/1024, bic_scale 41), the table-plus-Newton cube root, fast
 * convergence, TCP friendliness, and HyStart's ACK-train and delay detection. u32 fields of
 * struct bictcp are Java ints read as unsigned. HZ is 1000 (jiffies are milliseconds).
 */
public final class Cubic implements CongestionControl {
  static final int BICTCP_BETA_SCALE = 1024;
  static final int BICTCP_HZ = 10;
  static final int HZ = 1000;
  static final int HYSTART_ACK_TRAIN = 0x1, HYSTART_DELAY = 0x2;
  static final int HYSTART_MIN_SAMPLES = 8;
  static final int HYSTART_DELAY_MIN = 4000, HYSTART_DELAY_MAX = 16000;

  // Module parameters (tcp_cubic.c defaults).
  static final boolean FAST_CONVERGENCE = true;
  static final int BETA = 717;
  static final int BIC_SCALE = 41;
  static final boolean TCP_FRIENDLINESS = true;
  static final boolean HYSTART = true;
  static final int HYSTART_DETECT = HYSTART_ACK_TRAIN | HYSTART_DELAY;
  static final int HYSTART_LOW_WINDOW = 16;
  static final int HYSTART_ACK_DELTA_US = 2000;

  /** cubictcp_register(): 8*(1024+717)/3/(1024-717) = 15. */
  static final int BETA_SCALE = 8 * (BICTCP_BETA_SCALE + BETA) / 3 / (BICTCP_BETA_SCALE - BETA);
  /** cubictcp_register(): bic_scale * 10 = 410 (1024*c/rtt). */
  static final long CUBE_RTT_SCALE = BIC_SCALE * 10;
  /** cubictcp_register(): 2^40 / (bic_scale * 10). */
  static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / (BIC_SCALE * 10);

  // ---- struct bictcp ----
  /** Increase cwnd by 1 after this many ACKed packets (>= 2 after bictcp_update). */
  int cnt;
  /** W_max: cwnd before the last reduction (fast-convergence adjusted). */
  int lastMaxCwnd;
  /** cwnd when cnt was last computed. */
  int lastCwnd;
  /** Jiffies when cnt was last computed. */
  int lastTime;
  /** Origin point (cwnd) of the cubic function in this epoch. */
  int bicOriginPoint;
  /** Time from epoch start to the origin point, in 1/1024 s. */
  int bicK;
  /** Minimum RTT seen, us; 0 = none yet. */
  int delayMin;
  /** Jiffies at the start of this epoch; 0 = no epoch (recompute on next update). */
  int epochStart;
  /** ACKed packets counted for the Reno-friendly estimate. */
  int ackCnt;
  /** Estimated Reno cwnd (TCP friendliness). */
  int tcpCwnd;
  /** HyStart samples taken this round (0..HYSTART_MIN_SAMPLES). */
  int sampleCnt;
  /** HyStart found the exit point. */
  boolean found;
  /** us clock at the beginning of the HyStart round. */
  int roundStart;
  /** snd_nxt when the round began; the round ends once snd_una passes it. */
  int endSeq;
  /** us clock of the last ACK close to its predecessor (ACK train). */
  int lastAck;
  /** Minimum RTT of the current round, us (~0 = none). */
  int currRtt;

  @Override public String name() { return "cubic"; }

  static int jiffies(long now) {
    return (int) (now / 1_000_000L);
  }

  static int clockUs(long now) {
    return (int) (now / 1_000L);
  }

  /** include/linux/jiffies.h usecs_to_jiffies() for HZ=1000: rounds up. */
  static long usecsToJiffies(long us) {
    return (us + 999) / 1000;
  }

  /** tcp_cubic.c::bictcp_reset(). */
  void reset() {
    cnt = 0; lastMaxCwnd = 0; lastCwnd = 0; lastTime = 0; bicOriginPoint = 0; bicK = 0;
    delayMin = 0; epochStart = 0; ackCnt = 0; tcpCwnd = 0; sampleCnt = 0; found = false;
    roundStart = 0; endSeq = 0; lastAck = 0; currRtt = 0;
  }

  /** tcp_cubic.c::bictcp_hystart_reset(). */
  void hystartReset(CcHost conn, long now) {
    roundStart = lastAck = clockUs(now);
    endSeq = conn.sndNxt();
    currRtt = ~0;
    sampleCnt = 0;
  }

  /** tcp_cubic.c::cubictcp_init(). initial_ssthresh is 0, so ssthresh stays infinite. */
  @Override public void init(CcHost conn, long now) {
    reset();
    if (HYSTART) hystartReset(conn, now);
  }

  /** tcp_cubic.c::cubictcp_cwnd_event(): shift the epoch over an idle (application-limited) period. */
  @Override public void onEvent(CcHost conn, CaEvent event, long now) {
    if (event != CaEvent.CA_EVENT_TX_START) return;
    int nowJ = jiffies(now);
    int delta = nowJ - conn.lsndtime();
    if (epochStart != 0 && delta > 0) {
      epochStart += delta;
      if (epochStart - nowJ > 0) epochStart = nowJ;
    }
  }

  /** tcp_cubic.c::cubic_root(): table lookup then one Newton-Raphson step (avg error 0.195%). */
  static int cubicRoot(long a) {
    int b = 64 - Long.numberOfLeadingZeros(a);
    if (b < 7) {
      // a in [0..63]
      return (CBRT_V[(int) a] + 35) >>> 6;
    }
    b = ((b * 84) >> 8) - 1;
    int shift = (int) (a >>> (b * 3));
    long x = (((long) (CBRT_V[shift] + 10) << b) & 0xffffffffL) >>> 6;
    long div = Long.divideUnsigned(a, x * (x - 1));
    x = (2 * x + (div & 0xffffffffL)) & 0xffffffffL;
    x = ((x * 341) & 0xffffffffL) >>> 10;
    return (int) x;
  }

  /** cbrt(x << 18) - 1 for x in [0..63], refined by hand (tcp_cubic.c). */
  private static final int[] CBRT_V = {
      0, 54, 54, 54, 118, 118, 118, 118,
      123, 129, 134, 138, 143, 147, 151, 156,
      157, 161, 164, 168, 170, 173, 176, 179,
      181, 185, 187, 190, 192, 194, 197, 199,
      200, 202, 204, 206, 209, 211, 213, 215,
      217, 219, 221, 222, 224, 225, 227, 229,
      231, 232, 234, 236, 237, 239, 240, 242,
      244, 245, 246, 248, 250, 251, 252, 254,
  };

  /** tcp_cubic.c::bictcp_update(): compute cnt for the current cwnd. */
  void update(int cwnd, int acked, long now) {
    int nowJ = jiffies(now);
    ackCnt += acked;

    // Update 32 times per second if RTT > 1/32 s, or every RTT if RTT < 1/32 s, even when
    // last_cwnd == cwnd ("tcp_cubic: fix to run bictcp_update() at least once per RTT").
    if (lastCwnd == cwnd && (nowJ - lastTime) <= (int) Math.min(HZ / 32, usecsToJiffies(delayMin & 0xffffffffL))) return;

    // The CUBIC function can update cnt at most once per jiffy.
    if (!(epochStart != 0 && nowJ == lastTime)) {
      lastCwnd = cwnd;
      lastTime = nowJ;

      if (epochStart == 0) {
        epochStart = nowJ;
        ackCnt = acked;
        tcpCwnd = cwnd;
        if (Integer.compareUnsigned(lastMaxCwnd, cwnd) <= 0) {
          bicK = 0;
          bicOriginPoint = cwnd;
        } else {
          bicK = cubicRoot(CUBE_FACTOR * ((lastMaxCwnd - cwnd) & 0xffffffffL));
          bicOriginPoint = lastMaxCwnd;
        }
      }

      long t = nowJ - epochStart; // (s32) difference
      t += usecsToJiffies(delayMin & 0xffffffffL);
      t <<= BICTCP_HZ;
      t = Long.divideUnsigned(t, HZ);
      long k = bicK & 0xffffffffL;
      long offs = t < k ? k - t : t - k;
      long delta = ((CUBE_RTT_SCALE * offs * offs * offs) >>> (10 + 3 * BICTCP_HZ)) & 0xffffffffL;
      long target = t < k ? (bicOriginPoint - delta) : (bicOriginPoint + delta);
      target &= 0xffffffffL;
      long cw = cwnd & 0xffffffffL;
      long c = target > cw ? cw / (target - cw) : 100 * cw;
      // The initial growth of the cubic function may be too conservative when the available
      // bandwidth is still unknown.
      if (lastMaxCwnd == 0 && c > 20) c = 20;
      cnt = (int) c;
    }

    // tcp_friendliness:
    if (TCP_FRIENDLINESS) {
      long delta = ((cwnd & 0xffffffffL) * BETA_SCALE >>> 3) & 0xffffffffL;
      long ack = ackCnt & 0xffffffffL;
      if (ack > delta && delta != 0) {
        long n = ack / delta;
        ack -= n * delta;
        tcpCwnd += (int) n;
      }
      ackCnt = (int) ack;
      if (Integer.compareUnsigned(tcpCwnd, cwnd) > 0) {
        int d = tcpCwnd - cwnd;
        int maxCnt = Integer.divideUnsigned(cwnd, d);
        if (Integer.compareUnsigned(cnt, maxCnt) > 0) cnt = maxCnt;
      }
    }
    // At most 1 packet per 2 packets ACKed: cwnd grows at 1.5x per RTT.
    if (Integer.compareUnsigned(cnt, 2) < 0) cnt = 2;
  }

  /** tcp_cubic.c::cubictcp_cong_avoid(). */
  @Override public void congAvoid(CcHost conn, int ack, int acked, long now) {
    if (!conn.isCwndLimited()) return;
    if (CongestionControl.inSlowStart(conn)) {
      acked = CongestionControl.tcpSlowStart(conn, acked);
      if (acked == 0) return;
    }
    update(conn.cwnd(), acked, now);
    CongestionControl.tcpCongAvoidAi(conn, cnt, acked);
  }

  /** tcp_cubic.c::cubictcp_recalc_ssthresh(). */
  @Override public int ssthresh(CcHost conn) {
    int cwnd = conn.cwnd();
    epochStart = 0; // end of epoch
    // W_max and fast convergence
    if (Integer.compareUnsigned(cwnd, lastMaxCwnd) < 0 && FAST_CONVERGENCE) {
      lastMaxCwnd = (int) (((cwnd & 0xffffffffL) * (BICTCP_BETA_SCALE + BETA)) / (2 * BICTCP_BETA_SCALE));
    } else {
      lastMaxCwnd = cwnd;
    }
    return (int) Math.max(((cwnd & 0xffffffffL) * BETA) / BICTCP_BETA_SCALE, 2);
  }

  /** tcp_cubic.c::cubictcp_state(). */
  @Override public void setState(CcHost conn, TcpCaState state, long now) {
    if (state == TcpCaState.TCP_CA_Loss) {
      reset();
      hystartReset(conn, now);
    }
  }

  /** tcp_cubic.c::hystart_ack_delay(): TSO/GRO cushion, at most 1 ms. */
  static long hystartAckDelay(CcHost conn) {
    long rate = conn.pacingRate();
    if (rate == 0) return 0;
    return Math.min(1000L, (long) conn.gsoMaxSize() * 4 * 1_000_000L / rate);
  }

  /** tcp_cubic.c::hystart_update(). Pacing status is SK_PACING_NONE (no fq, no BBR). */
  void hystartUpdate(CcHost conn, int delay, long now) {
    if (conn.sndUna() - endSeq > 0) hystartReset(conn, now);

    if ((HYSTART_DETECT & HYSTART_ACK_TRAIN) != 0) {
      int nowUs = clockUs(now);
      // first detection parameter - ack-train detection
      if (nowUs - lastAck <= HYSTART_ACK_DELTA_US) {
        lastAck = nowUs;
        long threshold = (delayMin & 0xffffffffL) + hystartAckDelay(conn);
        // Pacing might have delayed packets up to RTT/2 during slow start; not paced here.
        threshold >>= 1;
        if ((long) (nowUs - roundStart) > threshold) {
          found = true;
          conn.counters().TcpExtTCPHystartTrainDetect++;
          conn.counters().TcpExtTCPHystartTrainCwnd += conn.cwnd();
          conn.setSsthresh(conn.cwnd());
        }
      }
    }

    if ((HYSTART_DETECT & HYSTART_DELAY) != 0) {
      // obtain the minimum delay of more than sampling packets
      if (Integer.compareUnsigned(currRtt, delay) > 0) currRtt = delay;
      if (sampleCnt < HYSTART_MIN_SAMPLES) {
        sampleCnt++;
      } else {
        long dm = delayMin & 0xffffffffL;
        long thresh = Math.max(HYSTART_DELAY_MIN, Math.min(HYSTART_DELAY_MAX, dm >>> 3));
        if ((currRtt & 0xffffffffL) > dm + thresh) {
          found = true;
          conn.counters().TcpExtTCPHystartDelayDetect++;
          conn.counters().TcpExtTCPHystartDelayCwnd += conn.cwnd();
          conn.setSsthresh(conn.cwnd());
        }
      }
    }
  }

  /** tcp_cubic.c::cubictcp_acked(). */
  @Override public void pktsAcked(CcHost conn, int acked, long rttUs, long now) {
    // Some calls are for duplicates without timestamps.
    if (rttUs < 0) return;
    // Discard delay samples right after fast recovery.
    if (epochStart != 0 && jiffies(now) - epochStart < HZ) return;
    int delay = (int) rttUs;
    if (delay == 0) delay = 1;
    // first time call or link delay decreases
    if (delayMin == 0 || Integer.compareUnsigned(delayMin, delay) > 0) delayMin = delay;
    // hystart triggers when cwnd is larger than some threshold
    if (!found && CongestionControl.inSlowStart(conn) && HYSTART && conn.cwnd() >= HYSTART_LOW_WINDOW) {
      hystartUpdate(conn, delay, now);
    }
  }

  /** tcp_cong.c::tcp_reno_undo_cwnd() (cubic's .undo_cwnd). */
  @Override public int undoCwnd(CcHost conn, int priorCwnd) {
    return Math.max(conn.cwnd(), priorCwnd);
  }
}
