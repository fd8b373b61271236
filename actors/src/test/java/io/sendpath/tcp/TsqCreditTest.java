package io.sendpath.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** tcp_small_queue_check()'s limit and the TSQ_THROTTLED credit cycle. */
class TsqCreditTest {
  static final int SHIFT = 10;

  @Test
  void limit_isTwoSkbsOrOneMsOfPacing_cappedByLimitOutputBytes() {
    // two 64 KiB skbs beat 1 ms at 10 MB/s
    assertThat(TsqCredit.limit(66_000, 10_000_000L, SHIFT, 4 << 20, 0)).isEqualTo(132_000);
    // 1 ms (>> 10) of 1 GB/s beats two skbs
    assertThat(TsqCredit.limit(66_000, 1_000_000_000L, SHIFT, 4 << 20, 0)).isEqualTo(1_000_000_000L >> 10);
    // an unpaced flow (rate ~0 = Long.MAX_VALUE before an RTT sample) is capped by tcp_limit_output_bytes
    assertThat(TsqCredit.limit(66_000, Long.MAX_VALUE, SHIFT, 65536, 0)).isEqualTo(65536);
  }

  @Test
  void limit_retransmit_doubled() {
    assertThat(TsqCredit.limit(66_000, 10_000_000L, SHIFT, 4 << 20, 1)).isEqualTo(264_000);
    assertThat(TsqCredit.limit(66_000, Long.MAX_VALUE, SHIFT, 65536, 1)).isEqualTo(131072);
  }

  @Test
  void overLimit_rtxQueueEmptyOrSingleSkb_alwaysSends() {
    TsqCredit tsq = new TsqCredit();
    tsq.charge(200_000);
    assertThat(tsq.smallQueueCheck(0, 132_000, true)).isFalse();
    assertThat(tsq.throttled()).isFalse();
    assertThat(tsq.throttles()).isZero();
  }

  @Test
  void overLimit_throttlesOnce_wfreeGivesCreditBack_andEndsTheThrottleTime() {
    TsqCredit tsq = new TsqCredit();
    tsq.charge(66_768);
    tsq.charge(66_768);
    // sk_wmem_alloc counts its base reference: 133536 + 1 > 133536 throttles
    assertThat(tsq.smallQueueCheck(1_000, 133_536, false)).isTrue();
    assertThat(tsq.smallQueueCheck(2_000, 133_536, false)).isTrue();
    assertThat(tsq.throttles()).as("a set TSQ_THROTTLED is not counted again").isEqualTo(1);
    assertThat(tsq.throttledNs(3_000)).isEqualTo(2_000);
    assertThat(tsq.wfree(5_000, 66_768)).as("tcp_wfree of a throttled socket: service it").isTrue();
    assertThat(tsq.throttled()).isFalse();
    assertThat(tsq.wmemAlloc()).isEqualTo(66_768);
    assertThat(tsq.throttledNs(9_000)).isEqualTo(4_000);
    assertThat(tsq.wfree(6_000, 66_768)).as("not throttled: credit only").isFalse();
    assertThat(tsq.smallQueueCheck(7_000, 133_536, false)).isFalse();
  }

  @Test
  void underLimit_atExactlyTheLimitLessTheBaseReference_sends() {
    TsqCredit tsq = new TsqCredit();
    tsq.charge(133_535);
    assertThat(tsq.smallQueueCheck(0, 133_536, false)).isFalse();
  }
}
