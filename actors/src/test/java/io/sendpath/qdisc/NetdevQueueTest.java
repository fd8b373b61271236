package io.sendpath.qdisc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.NetXmit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetdevQueueTest {
  final QdiscTestSkbs skbs = new QdiscTestSkbs();

  /** A driver that accepts every skb unless told to answer busy. */
  static final class Driver implements NetdevQueue.Output {
    final List<SkBuff> sent = new ArrayList<>();
    int schedules;
    boolean busy;

    @Override
    public int startXmit(SkBuff skb) {
      if (busy) return NetdevQueue.NETDEV_TX_BUSY;
      sent.add(skb);
      return NetdevQueue.NETDEV_TX_OK;
    }

    @Override
    public void netifSchedule() {
      schedules++;
    }

    int[] seqs() {
      int[] s = new int[sent.size()];
      for (int i = 0; i < s.length; i++) s[i] = sent.get(i).seq;
      return s;
    }
  }

  final Driver driver = new Driver();

  @Test
  void ringFull_xmit_stopsQueueAndResumesOnCompletion() {
    NetdevQueue dev = new NetdevQueue(0, new PfifoFast(1000), 2, driver).bql(false);
    assertThat(dev.xmit(0, skbs.skb(1, 1000, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(dev.xmit(0, skbs.skb(2, 1000, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(dev.drvXoff()).isTrue();
    assertThat(dev.ringFree()).isZero();
    assertThat(dev.xmit(0, skbs.skb(3, 1000, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(dev.xmit(0, skbs.skb(4, 1000, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(driver.seqs()).containsExactly(1, 2);
    assertThat(dev.qdisc().qlen()).isEqualTo(2);

    dev.txCompleted(10, 1, 1, QdiscTestSkbs.wire(1000));
    assertThat(driver.seqs()).containsExactly(1, 2, 3);
    assertThat(dev.drvXoff()).isTrue();
    dev.txCompleted(20, 2, 2, 2L * QdiscTestSkbs.wire(1000));
    assertThat(driver.seqs()).containsExactly(1, 2, 3, 4);
    assertThat(dev.drvXoff()).isFalse();
    assertThat(dev.ringFree()).isEqualTo(1);
    assertThat(dev.drvStops()).isEqualTo(2);
    assertThat(dev.drvWakes()).isEqualTo(2);
    assertThat(dev.qdisc().stats().packets).isEqualTo(4);
    assertThat(skbs.freed).isZero();
  }

  @Test
  void qdiscFull_xmit_answersDropAndFreesExactlyOnce() {
    NetdevQueue dev = new NetdevQueue(0, new PfifoFast(2), 1, driver).bql(false);
    dev.xmit(0, skbs.skb(1, 100, 0)); // bypass to the driver; ring now full, queue stopped
    dev.xmit(0, skbs.skb(2, 100, 0)); // empty qdisc: bypass tried, stopped ⇒ requeued to gso_skb
    assertThat(dev.qdisc().stats().requeues).isEqualTo(1);
    assertThat(dev.xmit(0, skbs.skb(3, 100, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(dev.xmit(0, skbs.skb(4, 100, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(dev.xmit(0, skbs.skb(5, 100, 0))).isEqualTo(NetXmit.DROP);
    assertThat(skbs.freedBySeq[5]).isEqualTo(1);
    assertThat(skbs.freed).isEqualTo(1);
    assertThat(dev.qdisc().stats().drops).isEqualTo(1);
    assertThat(dev.qdisc().qlen()).isEqualTo(3);
    long held = dev.qdisc().stats().backlog;
    dev.txCompleted(5, 1, 1, QdiscTestSkbs.wire(100));
    // the peaks stay where they were when the qdisc held the most
    assertThat(dev.qdisc().stats().maxQlen).isEqualTo(3);
    assertThat(dev.qdisc().stats().maxBacklog).isEqualTo(held).isGreaterThan(dev.qdisc().stats().backlog);
    assertThat(driver.seqs()).containsExactly(1, 2);
    assertThat(skbs.freed).isEqualTo(1);
  }

  /** Each skb is 1000 BQL bytes; the limits follow dql_completed() by hand (see DqlTest). */
  @Test
  void bql_limitZeroAtStart_stopsAfterFirstSkbAndGrowsOnCompletion() {
    NetdevQueue dev = new NetdevQueue(0, new PfifoFast(1000), 256, driver);
    for (int i = 1; i <= 6; i++) dev.xmit(0, skbs.skb(i, 946, 0));
    assertThat(driver.seqs()).containsExactly(1);
    assertThat(dev.stackXoff()).isTrue();
    assertThat(dev.bqlStops()).isEqualTo(1);

    dev.txCompleted(1_000_000, 1, 1, 1000);
    // starved: limit 1000, avail 1000. skb 2 brings avail to 0 (not over), skb 3 to -1000 (stop)
    assertThat(dev.dql().limit()).isEqualTo(1000);
    assertThat(driver.seqs()).containsExactly(1, 2, 3);
    assertThat(dev.stackXoff()).isTrue();

    dev.txCompleted(2_000_000, 1, 1, 1000);
    // still busy, no starvation: limit stays 1000, avail back to 0 ⇒ one more skb
    assertThat(dev.dql().limit()).isEqualTo(1000);
    assertThat(driver.seqs()).containsExactly(1, 2, 3, 4);

    dev.txCompleted(3_000_000, 1, 1, 1000);
    // over the limit in the previous interval and all of it completed ⇒ limit += prev_ovlimit 1000
    assertThat(dev.dql().limit()).isEqualTo(2000);
    assertThat(driver.seqs()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(dev.dql().inflight()).isEqualTo(3000);
  }

  @Test
  void driverBusy_requeue_countsAndSendsFirstWhenDriverRecovers() {
    NetdevQueue dev = new NetdevQueue(0, new PfifoFast(1000), 16, driver).bql(false);
    driver.busy = true;
    dev.xmit(0, skbs.skb(1, 100, 0));
    assertThat(dev.qdisc().stats().requeues).isEqualTo(1);
    assertThat(dev.qdisc().qlen()).isEqualTo(1);
    assertThat(dev.requeued()).isEqualTo(1);
    assertThat(driver.schedules).isEqualTo(1);
    dev.xmit(0, skbs.skb(2, 100, 0x10)); // band 0, but the requeued skb goes first
    driver.busy = false;
    dev.run(1);
    assertThat(driver.seqs()).containsExactly(1, 2);
    assertThat(dev.qdisc().qlen()).isZero();
    assertThat(dev.qdisc().backlog()).isZero();
    assertThat(dev.qdisc().stats().packets).isEqualTo(2);
  }

  @Test
  void manyQueued_run_stopsAfterQuotaAndReschedules() {
    NetdevQueue big = new NetdevQueue(0, new PfifoFast(1000), 1000, driver).bql(false);
    // a busy driver leaves skb 1 requeued and 2..100 in the qdisc
    driver.busy = true;
    for (int i = 1; i <= 100; i++) big.xmit(0, skbs.skb(i, 100, 0));
    assertThat(big.qdisc().qlen()).isEqualTo(100);
    driver.busy = false;
    int before = driver.schedules;
    big.run(1);
    assertThat(driver.sent).hasSize(NetdevQueue.DEV_TX_WEIGHT);
    assertThat(driver.schedules).isEqualTo(before + 1);
    assertThat(big.quotaReschedules()).isEqualTo(1);
    big.run(1);
    assertThat(driver.sent).hasSize(100);
    assertThat(driver.seqs()[0]).isEqualTo(1);
    assertThat(driver.seqs()[99]).isEqualTo(100);
  }

  @Test
  void completion_moreDescriptorsThanInUse_rejected() {
    NetdevQueue dev = new NetdevQueue(0, new PfifoFast(10), 4, driver);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.txCompleted(0, 1, 1, 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
