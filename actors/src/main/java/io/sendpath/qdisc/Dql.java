package io.sendpath.qdisc;

/**
 * Byte Queue Limits, one TX queue's dynamic limit on bytes handed to the driver and not yet
 * completed (lib/dynamic_queue_limits.c, include/linux/dynamic_queue_limits.h).
 *
 * <p>Counters are unsigned 32-bit values that wrap, as in the kernel: they are Java ints compared
 * with signed differences (POSDIFF, AFTER_EQ) or {@link Integer#compareUnsigned}. Time is virtual
 * nanoseconds turned into jiffies at HZ = 1000, so the slack hold time of HZ jiffies is one second.
 * The stall detector (dql->stall_thrs, off by default) is not modelled.
 */
public final class Dql {
  /** HZ of the modelled kernel: one jiffy is 1 ms of virtual time. */
  public static final long NSEC_PER_JIFFY = 1_000_000L;
  /** include/linux/dynamic_queue_limits.h DQL_MAX_OBJECT = UINT_MAX / 16. */
  public static final int DQL_MAX_OBJECT = (int) (0xFFFF_FFFFL / 16);
  /** DQL_MAX_LIMIT = UINT_MAX / 2 - DQL_MAX_OBJECT. */
  public static final int DQL_MAX_LIMIT = (int) (0xFFFF_FFFFL / 2 - (0xFFFF_FFFFL / 16));
  /** net/core/net-sysfs.c: netdev_queue BQL hold time defaults to HZ (1 s). */
  public static final int DEFAULT_HOLD_TIME_JIFFIES = 1000;

  /** Total bytes ever queued (wraps). num_queued - num_completed = bytes in the driver. */
  private int numQueued;
  /** limit + numCompleted: dql_avail() is adjLimit - numQueued. */
  private int adjLimit;
  /** Bytes of the last dql_queued() call. */
  private int lastObjCnt;
  /** Current limit on bytes in flight to the driver; starts at 0 and grows on starvation. */
  private int limit;
  /** Total bytes ever completed (wraps); never passes numQueued. */
  private int numCompleted;
  /** Bytes over the limit seen at the previous completion; 0 after a limit change. */
  private int prevOvlimit;
  /** numQueued at the previous completion: the start of the current interval. */
  private int prevNumQueued;
  /** lastObjCnt at the previous completion. */
  private int prevLastObjCnt;
  /** Smallest slack seen since slackStartTime; UINT_MAX (-1) when none yet. */
  private int lowestSlack;
  /** Jiffy at which the current slack measurement began. */
  private long slackStartTime;
  /** limit_max (sysfs byte_queue_limits/limit_max), unsigned. */
  private int maxLimit;
  /** limit_min (sysfs byte_queue_limits/limit_min), unsigned. */
  private int minLimit;
  /** hold_time in jiffies: how long slack must persist before the limit shrinks. */
  private int slackHoldTime;

  /** lib/dynamic_queue_limits.c::dql_init() with the default hold time, at virtual time now. */
  public Dql(long now) {
    this(now, DEFAULT_HOLD_TIME_JIFFIES);
  }

  /** dql_init(dql, holdTimeJiffies). */
  public Dql(long now, int holdTimeJiffies) {
    maxLimit = DQL_MAX_LIMIT;
    minLimit = 0;
    slackHoldTime = holdTimeJiffies;
    reset(now);
  }

  static long jiffies(long now) {
    return now / NSEC_PER_JIFFY;
  }

  /** lib/dynamic_queue_limits.c::dql_reset(). */
  public void reset(long now) {
    limit = 0;
    numQueued = 0;
    numCompleted = 0;
    lastObjCnt = 0;
    prevNumQueued = 0;
    prevLastObjCnt = 0;
    prevOvlimit = 0;
    lowestSlack = -1;
    slackStartTime = jiffies(now);
    adjLimit = limit + numCompleted;
  }

  /** include/linux/dynamic_queue_limits.h::dql_queued(): 'count' bytes were handed to the driver. */
  public void queued(int count) {
    if (Integer.compareUnsigned(count, DQL_MAX_OBJECT) > 0)
      throw new IllegalArgumentException("dql_queued: " + count + " bytes exceeds DQL_MAX_OBJECT");
    lastObjCnt = count;
    numQueued += count;
  }

  /** dql_avail(): bytes that may still be queued; negative when over the limit. */
  public int avail() {
    return adjLimit - numQueued;
  }

  private static int posdiff(int a, int b) {
    return (a - b) > 0 ? a - b : 0;
  }

  /** lib/dynamic_queue_limits.c::dql_completed(): the driver reclaimed 'count' bytes. */
  public void completed(long now, int count) {
    if (Integer.compareUnsigned(count, numQueued - numCompleted) > 0)
      throw new IllegalStateException("dql_completed: " + Integer.toUnsignedString(count)
          + " bytes completed but only " + Integer.toUnsignedString(numQueued - numCompleted) + " in flight");
    long jiffies = jiffies(now);
    int completed = numCompleted + count;
    int newLimit = limit;
    int ovlimit = posdiff(numQueued - numCompleted, newLimit);
    int inprogress = numQueued - completed;
    int prevInprogress = prevNumQueued - numCompleted;
    boolean allPrevCompleted = (completed - prevNumQueued) >= 0; // AFTER_EQ

    if ((ovlimit != 0 && inprogress == 0) || (prevOvlimit != 0 && allPrevCompleted)) {
      // Starved: over the limit and the driver ran dry, so grow by what was sent and completed
      // in the last interval plus the previous over-limit.
      newLimit += posdiff(completed, prevNumQueued) + prevOvlimit;
      slackStartTime = jiffies;
      lowestSlack = -1;
    } else if (inprogress != 0 && prevInprogress != 0 && !allPrevCompleted) {
      // Busy for the whole interval: track the smallest excess and shed it after the hold time.
      int slack = posdiff(newLimit + prevOvlimit, 2 * (completed - numCompleted));
      int slackLastObjs = prevOvlimit != 0 ? posdiff(prevLastObjCnt, prevOvlimit) : 0;
      if (Integer.compareUnsigned(slackLastObjs, slack) > 0) slack = slackLastObjs;
      if (Integer.compareUnsigned(slack, lowestSlack) < 0) lowestSlack = slack;
      if (jiffies > slackStartTime + Integer.toUnsignedLong(slackHoldTime)) { // time_after
        newLimit = posdiff(newLimit, lowestSlack);
        slackStartTime = jiffies;
        lowestSlack = -1;
      }
    }

    // clamp(limit, min_limit, max_limit), unsigned
    if (Integer.compareUnsigned(newLimit, minLimit) < 0) newLimit = minLimit;
    if (Integer.compareUnsigned(newLimit, maxLimit) > 0) newLimit = maxLimit;

    if (newLimit != limit) {
      limit = newLimit;
      ovlimit = 0;
    }
    adjLimit = newLimit + completed;
    prevOvlimit = ovlimit;
    prevLastObjCnt = lastObjCnt;
    numCompleted = completed;
    prevNumQueued = numQueued;
  }

  /** Current limit in bytes (sysfs byte_queue_limits/limit). */
  public int limit() {
    return limit;
  }

  /** Bytes handed to the driver and not yet completed (sysfs byte_queue_limits/inflight). */
  public int inflight() {
    return numQueued - numCompleted;
  }

  public int minLimit() {
    return minLimit;
  }

  public int maxLimit() {
    return maxLimit;
  }

  /** sysfs byte_queue_limits/limit_min (takes effect at the next completion, as in Linux). */
  public void setMinLimit(int bytes) {
    minLimit = bytes;
  }

  /** sysfs byte_queue_limits/limit_max (takes effect at the next completion, as in Linux). */
  public void setMaxLimit(int bytes) {
    maxLimit = bytes;
  }

  /** sysfs byte_queue_limits/hold_time in jiffies (ms). */
  public void setHoldTime(int jiffies) {
    slackHoldTime = jiffies;
  }

  @Override
  public String toString() {
    return "dql{limit=" + Integer.toUnsignedString(limit) + " inflight=" + Integer.toUnsignedString(inflight()) + "}";
  }
}
