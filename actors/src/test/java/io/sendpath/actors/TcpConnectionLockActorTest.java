package io.sendpath.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import io.sendpath.tcp.MsgFlags;
import io.sendpath.tcp.TcpConfig;
import io.sendpath.tcp.TcpSock;
import io.sendpath.tcp.TcpSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TcpConnectionActor with its socket lock, in virtual time: a running {@link VirtualClock}, a
 * stand-in for IP that answers NET_XMIT_SUCCESS, frees every clone at once and plays a peer that
 * ACKs each skb one RTT later, and an owner that records every SockEvent with its virtual time.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpConnectionLockActorTest {
  @JUnit5TestKit final ActorTestKit kit = ActorTestKit.create();
  private static final FlowKey FLOW = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), 40000, 5001);
  private static final int ISS = 1000, PEER_ISS = 5000;
  private static final long RTT = 100_000; // 100 µs
  private static final long MS = 1_000_000;

  /** A SockEvent with the virtual time it arrived. */
  record Seen(long at, TcpProt.SockEvent event) {}

  /** Records every SockEvent with its virtual time. */
  static final class Owner extends SimActor<TcpProt.SockEvent> {
    private final List<Seen> seen;

    Owner(ActorContext<TcpProt.SockEvent> ctx, VirtualClock clock, List<Seen> seen) {
      super(ctx, clock);
      this.seen = seen;
    }

    @Override
    protected Receive<TcpProt.SockEvent> handlers() {
      return newHandlers().onAnyMessage(e -> {
        seen.add(new Seen(clock.now(), e));
        return this;
      }).build();
    }
  }

  /** IP and a peer in one: answers, frees, and ACKs every skb an RTT later (when 'acking'). */
  static final class PeerIp extends SimActor<AfOps.Command> {
    private final boolean acking;
    /** First transmission of every stream byte, as the NIC would copy it. */
    private final byte[] wire;
    private ActorRef<TcpProt.Command> conn;

    PeerIp(ActorContext<AfOps.Command> ctx, VirtualClock clock, boolean acking, byte[] wire) {
      super(ctx, clock);
      this.acking = acking;
      this.wire = wire;
    }

    @Override
    protected Receive<AfOps.Command> handlers() {
      return newHandlers()
          .onMessage(IpActor.RouteConnect.class, m -> {
            conn = m.replyTo();
            clock.tell(m.replyTo(), new TcpProt.ConnectRoute(0));
            return this;
          })
          .onMessage(AfOps.QueueXmit.class, this::onXmit)
          .build();
    }

    private Behavior<AfOps.Command> onXmit(AfOps.QueueXmit m) {
      SkBuff skb = m.skb();
      clock.tell(m.replyTo(), new NetXmit(NetXmit.SUCCESS, skb.seq));
      if (wire != null && skb.len > 0 && skb.streamOffset + skb.len <= wire.length) {
        skb.payload.copyTo(skb.streamOffset, wire, (int) skb.streamOffset, skb.len);
      }
      long tsVal = skb.options != null ? skb.options.tsVal : 0;
      boolean syn = (skb.tcpFlags & TcpFlags.SYN) != 0;
      int endSeq = skb.endSeq();
      skb.free(); // TX completion at once: tcp_wfree
      if (syn) {
        clock.schedule(clock.now() + RTT, conn, new TcpProt.Rcv(segment(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, ISS + 1, tsVal)));
      } else if (acking && skb.len > 0) {
        clock.schedule(clock.now() + RTT, conn, new TcpProt.Rcv(segment(TcpFlags.ACK, PEER_ISS + 1, endSeq, tsVal)));
      }
      return this;
    }

    private static SkBuff segment(int flags, int seq, int ack, long tsEcr) {
      SkBuff s = new SkBuff();
      s.flow = FLOW.reverse();
      s.seq = seq;
      s.ackSeq = ack;
      s.tcpFlags = flags;
      s.window = 65535;
      s.truesize = SkBuff.truesizeFor(0);
      TcpOptions o = new TcpOptions();
      if ((flags & TcpFlags.SYN) != 0) {
        o.mss = 1460;
        o.wscale = 7;
        o.sackOk = true;
      }
      o.timestamps = true;
      o.tsVal = 1;
      o.tsEcr = (int) tsEcr;
      s.options = o;
      return s;
    }
  }

  /** One connection, its owner and its peer, with 'script' scheduled before the clock starts. */
  private final class World {
    final VirtualClock clock = new VirtualClock();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicReference<TcpConnectionActor> actor = new AtomicReference<>();
    final ActorRef<TcpProt.Command> conn;

    World(long copyBytesPerSec, boolean acking, byte[] wire) {
      TcpConfig cfg = TcpConfig.linuxDefaults(0);
      ActorRef<AfOps.Command> ip = kit.spawn(Behaviors.setup(ctx -> new PeerIp(ctx, clock, acking, wire)));
      ActorRef<TcpProt.SockEvent> owner = kit.spawn(Behaviors.setup(ctx -> new Owner(ctx, clock, seen)));
      conn = kit.spawn(TcpConnectionActor.create(clock, ip, owner,
          out -> new TcpSock(cfg, FLOW, 0, ISS, new Payload.Generated(1, 0), out), copyBytesPerSec, actor::set));
      clock.schedule(0, conn, new TcpProt.Connect());
    }

    void at(long t, TcpProt.Command msg) {
      clock.schedule(t, conn, msg);
    }

    void run(long horizonNs) throws Exception {
      clock.setHorizon(horizonNs);
      clock.start();
      clock.finished().get(30, TimeUnit.SECONDS);
      assertThat(clock.failure()).isNull();
    }

    List<Seen> of(Class<?> type) {
      return seen.stream().filter(s -> type.isInstance(s.event())).toList();
    }
  }

  @Test
  void established_blockingWriteOfAMegabyte_waitsForAcks_oneSendResult_thenAcked() throws Exception {
    World w = new World(TcpSocket.DEFAULT_COPY_BYTES_PER_SEC, true, null);
    w.at(MS, new TcpProt.SendMsg(1 << 20, 0));
    w.at(MS, new TcpProt.NotifyAcked(1 << 20));
    w.run(10_000 * MS);
    List<Seen> results = w.of(TcpProt.SendResult.class);
    assertThat(results).hasSize(1);
    assertThat(results.get(0).event()).isEqualTo(new TcpProt.SendResult(1 << 20, 0));
    assertThat(w.actor.get().socket().sndbufWaits()).as("1 MiB does not fit the 87040-byte sk_sndbuf").isPositive();
    List<Seen> acked = w.of(TcpProt.Acked.class);
    assertThat(acked).hasSize(1);
    assertThat(acked.get(0).event()).isEqualTo(new TcpProt.Acked(1 << 20));
    assertThat(acked.get(0).at()).isGreaterThanOrEqualTo(results.get(0).at());
    assertThat(w.actor.get().core().info(w.clock.now()).busyUs()).isPositive();
  }

  @Test
  void established_slowCopies_acksArriveWhileOwned_goThroughTheSocketBacklog() throws Exception {
    World w = new World(100_000_000L, true, null); // 100 MB/s: 64 KB takes 650 µs, ACKs come after 100 µs
    w.at(MS, new TcpProt.SendMsg(1 << 20, 0));
    w.run(10_000 * MS);
    List<Seen> results = w.of(TcpProt.SendResult.class);
    assertThat(results).hasSize(1);
    assertThat(results.get(0).event()).isEqualTo(new TcpProt.SendResult(1 << 20, 0));
    assertThat(results.get(0).at() - MS).as("copying 1 MiB at 100 MB/s takes 10.5 ms").isGreaterThanOrEqualTo(10_485_760L);
    assertThat(w.actor.get().socket().backlogHighWater()).isPositive();
    assertThat(w.actor.get().core().counters().TcpExtTCPBacklogDrop).isZero();
  }

  @Test
  void established_noAcks_msgDontwait_partialThenEagain() throws Exception {
    World w = new World(TcpSocket.DEFAULT_COPY_BYTES_PER_SEC, false, null);
    w.at(MS, new TcpProt.SendMsg(1 << 20, null, MsgFlags.MSG_DONTWAIT, 0));
    w.at(2 * MS, new TcpProt.SendMsg(1 << 20, null, MsgFlags.MSG_DONTWAIT, 0));
    w.run(3 * MS);
    List<Seen> results = w.of(TcpProt.SendResult.class);
    assertThat(results).hasSize(2);
    TcpProt.SendResult first = (TcpProt.SendResult) results.get(0).event();
    assertThat(first.accepted()).isBetween(1L, (1L << 20) - 1);
    assertThat(first.errno()).isZero();
    assertThat(results.get(0).at()).isLessThan(MS + 20_000);
    assertThat(results.get(1)).isEqualTo(new Seen(2 * MS, new TcpProt.SendResult(0, io.sendpath.tcp.Errno.EAGAIN)));
  }

  @Test
  void established_noAcks_soSndtimeo_returnsWhatWasCopiedWhenItExpires() throws Exception {
    World w = new World(TcpSocket.DEFAULT_COPY_BYTES_PER_SEC, false, null);
    w.at(MS, new TcpProt.SendMsg(1 << 20, null, 0, 50 * MS));
    w.run(100 * MS);
    List<Seen> results = w.of(TcpProt.SendResult.class);
    assertThat(results).hasSize(1);
    TcpProt.SendResult r = (TcpProt.SendResult) results.get(0).event();
    assertThat(r.accepted()).isBetween(1L, (1L << 20) - 1);
    assertThat(r.errno()).isZero();
    // the timeout counts sleeping time only: 50 ms after the copies (a few µs) ended
    assertThat(results.get(0).at()).isBetween(51 * MS, 51 * MS + 50_000);
  }

  @Test
  void established_writeWithData_everyByteReachesIpUnchanged() throws Exception {
    byte[] data = new byte[300_000];
    new SplittableRandom(7).nextBytes(data);
    byte[] wire = new byte[data.length];
    World w = new World(TcpSocket.DEFAULT_COPY_BYTES_PER_SEC, true, wire);
    ByteBuffer[] bufs = {ByteBuffer.wrap(data, 0, 100_001).slice().asReadOnlyBuffer(),
        ByteBuffer.wrap(data, 100_001, data.length - 100_001).slice().asReadOnlyBuffer()};
    w.at(MS, new TcpProt.SendMsg(data.length, bufs, 0, 0));
    w.run(10_000 * MS);
    assertThat(w.of(TcpProt.SendResult.class)).hasSize(1);
    assertThat(wire).isEqualTo(data);
    assertThat(w.actor.get().socket().sendBuffer().chunks()).as("everything acknowledged was let go").isZero();
  }
}
