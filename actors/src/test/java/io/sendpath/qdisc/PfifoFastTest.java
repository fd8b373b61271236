package io.sendpath.qdisc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.ops.NetXmit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PfifoFastTest {
  final QdiscTestSkbs skbs = new QdiscTestSkbs();

  @ParameterizedTest(name = "tos {0} → priority {1} → band {2}")
  @CsvSource({
      "0x00, 0, 1", // best effort
      "0x02, 0, 1", // ECT(0) alone is ignored
      "0x04, 0, 1", // IPTOS_RELIABILITY
      "0x08, 2, 2", // IPTOS_THROUGHPUT → bulk
      "0x10, 6, 0", // IPTOS_LOWDELAY → interactive
      "0x18, 4, 1", // lowdelay|throughput → interactive bulk
      "0x12, 6, 0", // lowdelay with ECT
  })
  void band_fromTos_matchesPrio2band(String tos, int prio, int band) {
    int t = Integer.decode(tos);
    assertThat(PfifoFast.rtTos2Priority(t)).isEqualTo(prio);
    assertThat(PfifoFast.band(skbs.skb(0, 100, t))).isEqualTo(band);
  }

  @Test
  void mixedBands_dequeue_band0ThenBand1ThenBand2FifoWithin() {
    PfifoFast q = new PfifoFast(10);
    q.enqueue(skbs.skb(1, 100, 0x08)); // band 2
    q.enqueue(skbs.skb(2, 100, 0x00)); // band 1
    q.enqueue(skbs.skb(3, 100, 0x10)); // band 0
    q.enqueue(skbs.skb(4, 100, 0x00)); // band 1
    q.enqueue(skbs.skb(5, 100, 0x10)); // band 0
    assertThat(q.qlen()).isEqualTo(5);
    assertThat(q.backlog()).isEqualTo(5L * QdiscTestSkbs.wire(100));
    assertThat(q.peek().seq).isEqualTo(3);
    int[] order = new int[5];
    for (int i = 0; i < 5; i++) order[i] = q.dequeue().seq;
    assertThat(order).containsExactly(3, 5, 2, 4, 1);
    assertThat(q.dequeue()).isNull();
    assertThat(q.stats().packets).isEqualTo(5);
    assertThat(q.stats().bytes).isEqualTo(5L * QdiscTestSkbs.wire(100));
    assertThat(q.backlog()).isZero();
  }

  @Test
  void bandFull_enqueue_answersDropFreesOnceOtherBandsStillAccept() {
    PfifoFast q = new PfifoFast(2);
    assertThat(q.enqueue(skbs.skb(1, 100, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.enqueue(skbs.skb(2, 100, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.enqueue(skbs.skb(3, 100, 0))).isEqualTo(NetXmit.DROP);
    assertThat(skbs.freedBySeq[3]).isEqualTo(1);
    assertThat(skbs.freed).isEqualTo(1);
    assertThat(q.stats().drops).isEqualTo(1);
    assertThat(q.stats().overlimits).isZero();
    // each band has its own txqueuelen ring
    assertThat(q.enqueue(skbs.skb(4, 100, 0x10))).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.enqueue(skbs.skb(5, 100, 0x08))).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.qlen()).isEqualTo(4);
    assertThat(q.bandQlen(1)).isEqualTo(2);
  }

  @Test
  void pfifo_overLimit_answersDropAndFrees() {
    Pfifo q = new Pfifo(3);
    for (int i = 1; i <= 3; i++) assertThat(q.enqueue(skbs.skb(i, 10, 0x10))).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.enqueue(skbs.skb(4, 10, 0))).isEqualTo(NetXmit.DROP);
    assertThat(skbs.freedBySeq[4]).isEqualTo(1);
    assertThat(q.dequeue().seq).isEqualTo(1);
    assertThat(q.enqueue(skbs.skb(5, 10, 0))).isEqualTo(NetXmit.SUCCESS);
    assertThat(q.stats().drops).isEqualTo(1);
    assertThat(q.qlen()).isEqualTo(3);
  }
}
