package io.sendpath.nic;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.nic.core.NicConfig;
import io.sendpath.nic.core.NicCounters;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.DevQueueOps;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.ops.WireOps;
import io.sendpath.protocol.wire.ArpPacket;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.protocol.wire.FrameSink;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two NICs joined by two WireActors on the virtual clock: host A sends, host B answers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NicWireActorTest {
  final ActorTestKit kit = ActorTestKit.create();
  static final long MAC_A = 0x020000000001L, MAC_B = 0x020000000002L;
  static final int IP_A = 0x0a000001, IP_B = 0x0a000002;
  static final long PROPAGATION_NS = 500;

  @AfterAll
  void shutdown() {
    kit.shutdownTestKit();
  }

  record Stamped<T>(long atNs, T value) {}

  /** Stands in for the DeviceQueueActor: a counted receiver that records TxCompleted with its virtual time. */
  static final class DevQueueStub extends SimActor<DevQueueOps.Command> {
    final List<Stamped<DevQueueOps.TxCompleted>> seen;

    static Behavior<DevQueueOps.Command> create(VirtualClock clock, List<Stamped<DevQueueOps.TxCompleted>> seen) {
      return Behaviors.setup(ctx -> new DevQueueStub(ctx, clock, seen));
    }

    DevQueueStub(ActorContext<DevQueueOps.Command> ctx, VirtualClock clock, List<Stamped<DevQueueOps.TxCompleted>> seen) {
      super(ctx, clock);
      this.seen = seen;
    }

    @Override
    protected Receive<DevQueueOps.Command> handlers() {
      return newHandlers().onMessage(DevQueueOps.TxCompleted.class, m -> {
        synchronized (seen) { seen.add(new Stamped<>(clock.now(), m)); }
        return this;
      }).build();
    }
  }

  static SkBuff dataSkb(int segs, int flags, List<Stamped<SkBuff>> freed, VirtualClock clock) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(IP_A, IP_B, 40000, 5001);
    skb.seq = 1;
    skb.ackSeq = 1;
    skb.tcpFlags = flags;
    skb.window = 502;
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = 100;
    o.tsEcr = 50;
    skb.options = o;
    skb.len = segs * 1448;
    skb.gsoSize = 1448;
    skb.gsoSegs = segs;
    skb.payload = new Payload.Generated(9, 1);
    skb.ipId = 300;
    skb.srcMac = MAC_A;
    skb.dstMac = MAC_B;
    skb.destructor = s -> { synchronized (freed) { freed.add(new Stamped<>(clock.now(), s)); } };
    return skb;
  }

  @Test
  void gsoSkbAndAck_overTwoWires_arriveAtExactVirtualTimesAndDestructorRunsAtCompletion() throws Exception {
    VirtualClock clock = new VirtualClock();
    List<Stamped<byte[]>> rxA = new ArrayList<>(), rxB = new ArrayList<>(), onWire = new ArrayList<>();
    List<Stamped<SkBuff>> freed = new ArrayList<>();
    List<Stamped<DevQueueOps.TxCompleted>> doneA = new ArrayList<>(), doneB = new ArrayList<>();
    Path pcapFile = Files.createDirectories(Path.of("target")).resolve("nic-wire-actor-test.pcap");
    PcapWriter pcap = new PcapWriter(pcapFile);
    FrameSink sink = (t, f, len) -> {
      synchronized (onWire) { onWire.add(new Stamped<>(t, f)); }
      pcap.frame(t, f, len);
    };

    ActorRef<NetDeviceOps.Command> nicA = kit.spawn(NicActor.create(clock, NicConfig.defaults(MAC_A),
        f -> { synchronized (rxA) { rxA.add(new Stamped<>(clock.now(), f)); } }));
    ActorRef<NetDeviceOps.Command> nicB = kit.spawn(NicActor.create(clock, NicConfig.defaults(MAC_B),
        f -> { synchronized (rxB) { rxB.add(new Stamped<>(clock.now(), f)); } }));
    ActorRef<WireOps.Command> wireAB = kit.spawn(WireActor.create(clock, nicB, PROPAGATION_NS, sink));
    ActorRef<WireOps.Command> wireBA = kit.spawn(WireActor.create(clock, nicA, PROPAGATION_NS, sink));
    nicA.tell(new NicActor.AttachWire(wireAB));
    nicB.tell(new NicActor.AttachWire(wireBA));
    nicA.tell(new NicActor.AttachDevQueue(kit.spawn(DevQueueStub.create(clock, doneA))));
    nicB.tell(new NicActor.AttachDevQueue(kit.spawn(DevQueueStub.create(clock, doneB))));

    // A: one 3-segment GSO skb at t=1000 with PSH, then a broadcast ARP request at t=2000
    SkBuff gso = dataSkb(3, TcpFlags.ACK | TcpFlags.PSH, freed, clock);
    SkBuff arp = new SkBuff();
    arp.protocol = SkBuff.ETH_P_ARP;
    arp.arp = new ArpPacket(ArpPacket.ARPOP_REQUEST, MAC_A, IP_A, 0, IP_B).encode();
    arp.srcMac = MAC_A;
    arp.dstMac = FrameCodec.BROADCAST;
    // B: a bare ACK back at t=4000, and a frame addressed to a third station
    SkBuff ack = new SkBuff();
    ack.flow = gso.flow.reverse();
    ack.seq = 1;
    ack.ackSeq = 1 + 3 * 1448;
    ack.tcpFlags = TcpFlags.ACK;
    ack.window = 1000;
    ack.srcMac = MAC_B;
    ack.dstMac = MAC_A;
    SkBuff stray = ack.clone();
    stray.dstMac = 0x020000000099L;

    clock.schedule(1_000, nicA, new NetDeviceOps.NdoStartXmit(gso));
    clock.schedule(2_000, nicA, new NetDeviceOps.NdoStartXmit(arp));
    clock.schedule(4_000, nicB, new NetDeviceOps.NdoStartXmit(ack));
    clock.schedule(4_000, nicB, new NetDeviceOps.NdoStartXmit(stray));
    clock.start();
    long end = clock.finished().get(30, TimeUnit.SECONDS);
    pcap.close();

    // A's line: frames of 1514 bytes take 1230.4 ns: depart 1000, 2230, 3460 (ends 4691.2→4691);
    // the ARP request (60 bytes, 67.2 ns) waits for the line: departs 4691.
    synchronized (rxB) {
      assertThat(rxB).extracting(Stamped::atNs).containsExactly(
          1_000 + 1_230 + PROPAGATION_NS, 2_230 + 1_230 + PROPAGATION_NS, 3_460 + 1_231 + PROPAGATION_NS, 4_691 + 67 + PROPAGATION_NS);
      for (int i = 0; i < 3; i++) {
        Decoded d = FrameCodec.decode(rxB.get(i).value(), MAC_B, IP_B);
        assertThat(d.ok()).as(d.toString()).isTrue();
        assertThat(d.skb().seq).isEqualTo(1 + i * 1448);
        assertThat(d.skb().tcpFlags & TcpFlags.PSH).isEqualTo(i == 2 ? TcpFlags.PSH : 0);
      }
      assertThat(FrameCodec.decode(rxB.get(3).value()).arp().op()).isEqualTo(ArpPacket.ARPOP_REQUEST);
    }
    // B's ACK: 60 bytes at 10G = 67.2 ns; the stray frame is dropped at A's RX filter.
    synchronized (rxA) {
      assertThat(rxA).extracting(Stamped::atNs).containsExactly(4_000 + 67 + PROPAGATION_NS);
    }
    // the GSO skb is freed when its last frame has left (4691), and A's device queue hears of it then
    synchronized (freed) {
      assertThat(freed).extracting(Stamped::atNs).containsExactly(4_691L);
      assertThat(freed.get(0).value()).isSameAs(gso);
    }
    synchronized (doneA) {
      assertThat(doneA).extracting(Stamped::atNs).containsExactly(4_691L, 4_691L + 67);
      assertThat(doneA.get(0).value()).isEqualTo(new DevQueueOps.TxCompleted(1, 1, 3 * 1514));
    }
    synchronized (doneB) {
      // ACK and stray end at 4067 and 4134: two completions
      assertThat(doneB).extracting(Stamped::atNs).containsExactly(4_067L, 4_134L);
    }
    // the shared sink saw every frame in non-decreasing time order
    synchronized (onWire) {
      assertThat(onWire).extracting(Stamped::atNs).containsExactly(1_000L, 2_230L, 3_460L, 4_000L, 4_067L, 4_691L);
    }
    assertThat(end).isEqualTo(4_691 + 67 + PROPAGATION_NS);

    TestProbe<NicCounters> probe = kit.createTestProbe();
    nicB.tell(new NicActor.GetCounters(probe.ref()));
    NicCounters b = probe.receiveMessage();
    assertThat(b.rxPackets).isEqualTo(4);
    assertThat(b.txPackets).isEqualTo(2);
    nicA.tell(new NicActor.GetCounters(probe.ref()));
    NicCounters a = probe.receiveMessage();
    assertThat(a.rxOtherhostDropped).isEqualTo(1);
    assertThat(a.txTsoPackets).isEqualTo(1);
    assertThat(a.txPackets).isEqualTo(4);
    assertThat(Files.size(pcapFile)).isEqualTo(24 + 6 * 16 + 3 * 1514 + 3 * 60);
  }

  /** Stands in for a WireActor: records every Transmit with the virtual time it arrived. */
  static final class WireStub extends SimActor<WireOps.Command> {
    final List<Stamped<WireOps.Transmit>> seen;

    static Behavior<WireOps.Command> create(VirtualClock clock, List<Stamped<WireOps.Transmit>> seen) {
      return Behaviors.setup(ctx -> new WireStub(ctx, clock, seen));
    }

    WireStub(ActorContext<WireOps.Command> ctx, VirtualClock clock, List<Stamped<WireOps.Transmit>> seen) {
      super(ctx, clock);
      this.seen = seen;
    }

    @Override
    protected Receive<WireOps.Command> handlers() {
      return newHandlers().onMessage(WireOps.Transmit.class, m -> {
        synchronized (seen) { seen.add(new Stamped<>(clock.now(), m)); }
        return this;
      }).build();
    }
  }

  @Test
  void gsoSkbThenArp_oneTransmitPerSkb_atItsFirstDeparture() throws Exception {
    VirtualClock clock = new VirtualClock();
    List<Stamped<WireOps.Transmit>> seen = new ArrayList<>();
    ActorRef<NetDeviceOps.Command> nicA = kit.spawn(NicActor.create(clock, NicConfig.defaults(MAC_A), null));
    nicA.tell(new NicActor.AttachWire(kit.spawn(WireStub.create(clock, seen))));
    SkBuff gso = dataSkb(3, TcpFlags.ACK | TcpFlags.PSH, new ArrayList<>(), clock);
    SkBuff arp = new SkBuff();
    arp.protocol = SkBuff.ETH_P_ARP;
    arp.arp = new ArpPacket(ArpPacket.ARPOP_REQUEST, MAC_A, IP_A, 0, IP_B).encode();
    arp.srcMac = MAC_A;
    arp.dstMac = FrameCodec.BROADCAST;
    clock.schedule(1_000, nicA, new NetDeviceOps.NdoStartXmit(gso));
    clock.schedule(2_000, nicA, new NetDeviceOps.NdoStartXmit(arp));
    clock.start();
    clock.finished().get(30, TimeUnit.SECONDS);
    synchronized (seen) {
      assertThat(seen).extracting(Stamped::atNs).containsExactly(1_000L, 4_691L);
      WireOps.Transmit train = seen.get(0).value();
      assertThat(train.frames()).hasNumberOfRows(3);
      assertThat(train.departNs()).containsExactly(1_000L, 2_230L, 3_460L);
      assertThat(train.serializationNs()).containsExactly(1_230L, 1_230L, 1_231L);
      assertThat(seen.get(1).value().frames()).hasNumberOfRows(1);
      assertThat(seen.get(1).value().departNs()).containsExactly(4_691L);
    }
  }

  /** A 3-frame burst from A, and B's ACK departing in the middle of it, over wires in either mode. */
  record Run(List<Stamped<byte[]>> onPcap, List<Stamped<Integer>> pollsAtB, List<Stamped<byte[]>> rxB) {}

  Run burstAndAck(WireActor.Delivery delivery) throws Exception {
    VirtualClock clock = new VirtualClock();
    List<Stamped<byte[]>> onPcap = new ArrayList<>(), rxB = new ArrayList<>();
    List<Stamped<Integer>> pollsB = new ArrayList<>();
    FrameSink recorder = (t, f, len) -> { synchronized (onPcap) { onPcap.add(new Stamped<>(t, f)); } };
    Path pcapFile = Files.createDirectories(Path.of("target")).resolve("nic-wire-train-" + delivery + ".pcap");
    PcapWriter pcap = new PcapWriter(pcapFile);
    FrameSink ordered = new io.sendpath.protocol.wire.TimeOrderedFrameSink((t, f, len) -> {
      recorder.frame(t, f, len);
      pcap.frame(t, f, len); // refuses a frame that goes back in time
    }, clock::now);
    ActorRef<NetDeviceOps.Command> nicA = kit.spawn(NicActor.create(clock, NicConfig.defaults(MAC_A), null));
    ActorRef<NetDeviceOps.Command> nicB = kit.spawn(NicActor.createBatched(clock, NicConfig.defaults(MAC_B), frames -> {
      synchronized (rxB) {
        pollsB.add(new Stamped<>(clock.now(), frames.length));
        for (byte[] f : frames) rxB.add(new Stamped<>(clock.now(), f));
      }
    }));
    nicA.tell(new NicActor.AttachWire(kit.spawn(WireActor.create(clock, nicB, PROPAGATION_NS, ordered, delivery))));
    nicB.tell(new NicActor.AttachWire(kit.spawn(WireActor.create(clock, nicA, PROPAGATION_NS, ordered, delivery))));
    SkBuff gso = dataSkb(3, TcpFlags.ACK, new ArrayList<>(), clock);
    SkBuff ack = new SkBuff();
    ack.flow = gso.flow.reverse();
    ack.seq = 1;
    ack.ackSeq = 1;
    ack.tcpFlags = TcpFlags.ACK;
    ack.window = 1000;
    ack.srcMac = MAC_B;
    ack.dstMac = MAC_A;
    clock.schedule(1_000, nicA, new NetDeviceOps.NdoStartXmit(gso));
    clock.schedule(2_000, nicB, new NetDeviceOps.NdoStartXmit(ack));
    clock.start();
    clock.finished().get(30, TimeUnit.SECONDS);
    ordered.close();
    return new Run(onPcap, pollsB, rxB);
  }

  @Test
  void burst_napiDelivery_onePollAtTheLastFramesArrival_pcapStampsAsFrameByFrame() throws Exception {
    Run perFrame = burstAndAck(WireActor.Delivery.PER_FRAME);
    Run napi = burstAndAck(WireActor.Delivery.NAPI_BURST);
    // the pcap shows every frame at its own departure, in time order, in both modes
    List<Long> stamps = List.of(1_000L, 2_000L, 2_230L, 3_460L);
    assertThat(perFrame.onPcap()).extracting(Stamped::atNs).containsExactlyElementsOf(stamps);
    assertThat(napi.onPcap()).extracting(Stamped::atNs).containsExactlyElementsOf(stamps);
    for (int i = 0; i < 4; i++) assertThat(napi.onPcap().get(i).value()).isEqualTo(perFrame.onPcap().get(i).value());
    // frame by frame: three polls at each frame's arrival; NAPI: one poll of three when the last is in
    assertThat(perFrame.pollsAtB()).extracting(Stamped::atNs).containsExactly(
        1_000L + 1_230 + PROPAGATION_NS, 2_230L + 1_230 + PROPAGATION_NS, 3_460L + 1_231 + PROPAGATION_NS);
    assertThat(napi.pollsAtB()).containsExactly(new Stamped<>(3_460L + 1_231 + PROPAGATION_NS, 3));
    assertThat(napi.rxB()).extracting(Stamped::value).containsExactlyElementsOf(
        perFrame.rxB().stream().map(Stamped::value).toList());
  }
}
