package io.sendpath.nic.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.wire.ArpPacket;
import io.sendpath.protocol.wire.FrameTrain;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TsoTrainTest {

  @ParameterizedTest
  @CsvSource({"1, 1", "1, 1448", "2, 1", "5, 1000", "45, 1448", "3, 7"})
  void payloadSkb_train_announcesTheLengthsAndBuildsTheSameFramesAsSegment(int segs, int lastLen) {
    SkBuff skb = TsoTest.gsoSkb(segs, lastLen, TcpFlags.ACK | TcpFlags.PSH);
    FrameTrain train = Tso.train(skb);
    byte[][] eager = Tso.segment(skb);
    assertThat(train.size()).isEqualTo(eager.length);
    long bytes = 0;
    for (int i = 0; i < eager.length; i++) {
      assertThat(train.length(i)).as("frame %d", i).isEqualTo(eager[i].length).isEqualTo(Tso.frameLength(skb, i));
      bytes += eager[i].length;
    }
    assertThat(train.bytes()).isEqualTo(bytes);
    byte[][] built = train.frames();
    assertThat(built).isDeepEqualTo(eager);
    assertThat(train.frames()).as("built once, the same array after").isSameAs(built);
  }

  @Test
  void pureAck_train_isBuiltAtOnce() {
    SkBuff ack = TsoTest.gsoSkb(1, 0, TcpFlags.ACK);
    ack.len = 0;
    FrameTrain a = Tso.train(ack);
    assertThat(a).isNotInstanceOf(FrameTrain.Lazy.class);
    assertThat(a.frames()[0].length).isEqualTo(Tso.frameLength(ack, 0)).isEqualTo(14 + 20 + 32); // Ethernet, IPv4, TCP with timestamps
  }

  @Test
  void lazyTrain_isBuiltFromTheSkbAsItWasSent_evenOnAnotherThread() throws Exception {
    SkBuff skb = TsoTest.gsoSkb(4, 500, TcpFlags.ACK);
    byte[][] eager = Tso.segment(skb);
    FrameTrain train = Tso.train(skb);
    AtomicReference<byte[][]> seen = new AtomicReference<>();
    Thread far = new Thread(() -> seen.set(train.frames()));
    far.start();
    far.join();
    assertThat(seen.get()).isDeepEqualTo(eager);
    assertThat(train.frames()).isSameAs(seen.get());
  }

  @Test
  void arpSkb_frameLength_isThePaddedArpFrame() {
    SkBuff arp = new SkBuff();
    arp.protocol = SkBuff.ETH_P_ARP;
    arp.arp = new byte[ArpPacket.LENGTH];
    arp.srcMac = 0x020000000001L;
    arp.dstMac = 0xFFFF_FFFF_FFFFL;
    FrameTrain t = Tso.train(arp);
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.length(0)).isEqualTo(Tso.frameLength(arp, 0)).isEqualTo(t.frames()[0].length).isEqualTo(60);
  }
}
