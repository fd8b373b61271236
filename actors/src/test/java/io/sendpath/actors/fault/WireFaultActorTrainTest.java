package io.sendpath.actors.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.fault.Fault;
import io.sendpath.fault.FaultKind;
import io.sendpath.fault.FaultLog;
import io.sendpath.fault.FaultPlan;
import io.sendpath.fault.WireFaults;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.ops.NetDeviceOps;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults stay per frame: the same 40 frames handed to a WireFaultActor as one NAPI train, or one by
 * one at their own arrivals, meet the same fate (lost, duplicated, delayed) frame for frame, with
 * the same arrival times; only frames delayed past the train's end leave it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFaultActorTrainTest {
  final ActorTestKit kit = ActorTestKit.create();
  static final long SPACING = 1_230, FIRST = 1_000_000;

  @AfterAll
  void shutdown() {
    kit.shutdownTestKit();
  }

  record Arrival(long atNs, int tag) {}

  /** The receiving NIC: records every frame with its arrival time, and how many WireRx came. */
  static final class NicStub extends SimActor<NetDeviceOps.Command> {
    final List<Arrival> got;
    final int[] messages;

    NicStub(ActorContext<NetDeviceOps.Command> ctx, VirtualClock clock, List<Arrival> got, int[] messages) {
      super(ctx, clock);
      this.got = got;
      this.messages = messages;
    }

    @Override
    protected Receive<NetDeviceOps.Command> handlers() {
      return newHandlers().onMessage(NetDeviceOps.WireRx.class, m -> {
        synchronized (got) {
          messages[0]++;
          for (int i = 0; i < m.frames().length; i++) {
            assertThat(m.arrivalNs()[i]).isLessThanOrEqualTo(clock.now());
            got.add(new Arrival(m.arrivalNs()[i], m.frames()[i][FrameCodec.TCP_OFF + 7] & 0xff));
          }
        }
        return this;
      }).build();
    }
  }

  static byte[] frame(int tag) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), 40000, 5001);
    skb.seq = tag; // the tag sits in the low byte of the sequence number
    skb.ackSeq = 77;
    skb.tcpFlags = TcpFlags.ACK;
    skb.window = 500;
    skb.len = 100;
    skb.payload = new io.sendpath.protocol.Payload.Generated(1, 0);
    skb.dstMac = 2;
    skb.srcMac = 1;
    return FrameCodec.encodeTcp(skb);
  }

  List<Arrival> run(boolean asTrain, long reorderDelayNs, int[] messages) throws Exception {
    List<Fault> plan = List.of(
        Fault.of(FaultKind.LOSS).probability(0.2).build(),
        Fault.of(FaultKind.DUPLICATE).probability(0.2).id(1).build(),
        Fault.of(FaultKind.REORDER).probability(0.3).delay(reorderDelayNs).id(2).build());
    WireFaults faults = new WireFaults(plan, Fault.Direction.TO_PEER, 7, new FaultLog(new FaultPlan(plan)), f -> -1);
    VirtualClock clock = new VirtualClock();
    List<Arrival> got = new ArrayList<>();
    ActorRef<NetDeviceOps.Command> nic = kit.spawn(Behaviors.setup(ctx -> new NicStub(ctx, clock, got, messages)));
    ActorRef<NetDeviceOps.Command> wrapped = kit.spawn(WireFaultActor.create(clock, nic, faults, null));
    int n = 40;
    byte[][] frames = new byte[n][];
    long[] at = new long[n];
    for (int i = 0; i < n; i++) {
      frames[i] = frame(i);
      at[i] = FIRST + i * SPACING;
    }
    if (asTrain) {
      clock.schedule(at[n - 1], wrapped, new NetDeviceOps.WireRx(frames, at));
    } else {
      for (int i = 0; i < n; i++) clock.schedule(at[i], wrapped, new NetDeviceOps.WireRx(frames[i], at[i]));
    }
    clock.start();
    clock.finished().get(30, TimeUnit.SECONDS);
    synchronized (got) {
      List<Arrival> sorted = new ArrayList<>(got);
      sorted.sort(java.util.Comparator.comparingLong(Arrival::atNs)); // stable
      return sorted;
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {2_000, 100_000})
  void sameFramesSameFates_trainOrFrameByFrame(long reorderDelayNs) throws Exception {
    int[] trainMsgs = new int[1], singleMsgs = new int[1];
    List<Arrival> train = run(true, reorderDelayNs, trainMsgs);
    List<Arrival> single = run(false, reorderDelayNs, singleMsgs);
    assertThat(train).isNotEmpty();
    assertThat(train.size()).isNotEqualTo(40); // some were lost or duplicated
    assertThat(train).containsExactlyElementsOf(single);
    long delayedPastTrain = train.stream().filter(a -> a.atNs() > FIRST + 39 * SPACING).count();
    assertThat(trainMsgs[0]).isEqualTo(1 + delayedPastTrain);
  }
}
