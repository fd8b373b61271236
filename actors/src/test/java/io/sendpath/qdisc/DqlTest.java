package io.sendpath.qdisc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DqlTest {
  static final long MS = 1_000_000L;

  @Test
  void init_nothingQueued_limitZeroAndAvailZero() {
    Dql dql = new Dql(0);
    assertThat(dql.limit()).isZero();
    assertThat(dql.avail()).isZero();
    dql.queued(1000);
    assertThat(dql.avail()).isEqualTo(-1000);
  }

  /** Hand computation: see dql_completed(); every number below follows from its formulas. */
  @Test
  void starved_completions_limitGrowsByCompletedPlusPrevOvlimit() {
    Dql dql = new Dql(0);
    dql.queued(1000);
    dql.completed(1 * MS, 1000);
    // ovlimit 1000, nothing in progress ⇒ starved: limit += (1000 - 0) + 0
    assertThat(dql.limit()).isEqualTo(1000);
    assertThat(dql.avail()).isEqualTo(1000);

    dql.queued(1000);
    dql.queued(1000);
    dql.queued(1000);
    assertThat(dql.avail()).isEqualTo(2000 - 4000);
    dql.completed(2 * MS, 1000);
    // ovlimit = 3000 - 1000 = 2000 but 2000 still in progress and prev_ovlimit was 0: no change
    assertThat(dql.limit()).isEqualTo(1000);
    assertThat(dql.avail()).isEqualTo(3000 - 4000);

    dql.completed(3 * MS, 2000);
    // over limit (2000 > 1000) and drained ⇒ limit += posdiff(4000, 4000) + prev_ovlimit 2000
    assertThat(dql.limit()).isEqualTo(3000);
    assertThat(dql.avail()).isEqualTo(3000);
    assertThat(dql.inflight()).isZero();
  }

  private static Dql atLimit3000() {
    Dql dql = new Dql(0);
    dql.queued(1000);
    dql.completed(1 * MS, 1000);
    dql.queued(3000);
    dql.completed(2 * MS, 1000);
    dql.completed(3 * MS, 2000);
    assertThat(dql.limit()).isEqualTo(3000);
    return dql;
  }

  @Test
  void busy_slackPersistsPastHoldTime_limitShrinksByLowestSlack() {
    Dql dql = atLimit3000();
    dql.queued(3000);
    dql.completed(10 * MS, 1000); // prev interval empty: no slack measured
    assertThat(dql.limit()).isEqualTo(3000);
    dql.queued(1000);
    dql.completed(20 * MS, 1000); // slack = 3000 - 2*1000 = 1000, hold time not over
    assertThat(dql.limit()).isEqualTo(3000);
    dql.queued(1000);
    dql.completed(1100 * MS, 1000); // 1100 > 3 + 1000 jiffies: limit -= lowest slack 1000
    assertThat(dql.limit()).isEqualTo(2000);
    assertThat(dql.avail()).isZero();
  }

  @Test
  void busy_holdTimeExactlyReached_noShrinkYet() {
    Dql dql = atLimit3000();
    dql.queued(3000);
    dql.completed(10 * MS, 1000);
    dql.queued(1000);
    dql.completed(20 * MS, 1000);
    dql.queued(1000);
    dql.completed(1003 * MS, 1000); // time_after is strict: 1003 is not after 3 + 1000
    assertThat(dql.limit()).isEqualTo(3000);
    dql.queued(1000);
    dql.completed(1004 * MS, 1000);
    assertThat(dql.limit()).isEqualTo(2000);
  }

  @Test
  void limits_minAndMax_clampAtNextCompletion() {
    Dql dql = new Dql(0);
    dql.setMinLimit(5000);
    dql.queued(100);
    dql.completed(1 * MS, 100);
    assertThat(dql.limit()).isEqualTo(5000);
    dql.setMaxLimit(4000);
    dql.queued(6000);
    dql.completed(2 * MS, 6000);
    assertThat(dql.limit()).isEqualTo(4000);
  }

  @Test
  void completed_moreThanInFlight_rejected() {
    Dql dql = new Dql(0);
    dql.queued(10);
    assertThatThrownBy(() -> dql.completed(0, 11)).isInstanceOf(IllegalStateException.class);
  }
}
