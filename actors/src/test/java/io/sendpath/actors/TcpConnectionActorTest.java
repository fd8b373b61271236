package io.sendpath.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.sim.VirtualClock;
import io.sendpath.tcp.TcpConfig;
import io.sendpath.tcp.TcpSock;
import io.sendpath.tcp.TcpState;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The TCP connection's shell with probes standing in for IP and the socket. The clock is never
 * started: virtual time stays at 0 and only message order is under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpConnectionActorTest {
  private final ActorTestKit kit = ActorTestKit.create();
  private static final FlowKey FLOW = new FlowKey(FlowKey.parseIp("10.0.0.1"), FlowKey.parseIp("10.0.0.2"), 40000, 5001);
  private static final int ISS = 1000, PEER_ISS = 5000;

  @AfterAll
  void shutdown() {
    kit.shutdownTestKit();
  }

  private ActorRef<TcpProt.Command> spawn(VirtualClock clock, TestProbe<AfOps.Command> ip, TestProbe<TcpProt.SockEvent> sock) {
    TcpConfig cfg = TcpConfig.linuxDefaults(0);
    return kit.spawn(TcpConnectionActor.create(clock, ip.getRef(), sock.getRef(),
        out -> new TcpSock(cfg, FLOW, 0, ISS, new Payload.Generated(1, 0), out), a -> {}));
  }

  private static SkBuff synAck() {
    SkBuff s = new SkBuff();
    s.flow = FLOW.reverse();
    s.seq = PEER_ISS;
    s.ackSeq = ISS + 1;
    s.tcpFlags = TcpFlags.SYN | TcpFlags.ACK;
    s.window = 65535;
    TcpOptions o = new TcpOptions();
    o.mss = 1460;
    o.sackOk = true;
    o.wscale = 7;
    o.timestamps = true;
    o.tsVal = 1;
    o.tsEcr = 0;
    s.options = o;
    return s;
  }

  @Test
  void closed_connect_asksForARouteThenSendsTheSyn_andHoldsInputUntilTheXmitAnswer() {
    VirtualClock clock = new VirtualClock();
    TestProbe<AfOps.Command> ip = kit.createTestProbe();
    TestProbe<TcpProt.SockEvent> sock = kit.createTestProbe();
    ActorRef<TcpProt.Command> conn = spawn(clock, ip, sock);

    conn.tell(new TcpProt.Connect());
    IpActor.RouteConnect route = ip.expectMessageClass(IpActor.RouteConnect.class);
    assertThat(route.daddr()).isEqualTo(FLOW.daddr());
    route.replyTo().tell(new TcpProt.ConnectRoute(0));

    AfOps.QueueXmit syn = ip.expectMessageClass(AfOps.QueueXmit.class);
    assertThat(syn.skb().tcpFlags).isEqualTo(TcpFlags.SYN);
    assertThat(syn.skb().seq).isEqualTo(ISS);
    assertThat(syn.skb().destructor).as("tcp_wfree is set on every skb handed down").isNotNull();
    TcpProt.StateChange synSent = sock.expectMessageClass(TcpProt.StateChange.class);
    assertThat(synSent.to()).isEqualTo(TcpState.TCP_SYN_SENT);

    // The SYN-ACK arrives while the SYN's NET_XMIT answer is still pending: it waits in the backlog.
    conn.tell(new TcpProt.Rcv(synAck()));
    ip.expectNoMessage(Duration.ofMillis(100));
    sock.expectNoMessage(Duration.ZERO);

    syn.replyTo().tell(new NetXmit(NetXmit.SUCCESS, ISS));
    TcpProt.StateChange established = sock.expectMessageClass(TcpProt.StateChange.class);
    assertThat(established.from()).isEqualTo(TcpState.TCP_SYN_SENT);
    assertThat(established.to()).isEqualTo(TcpState.TCP_ESTABLISHED);
    AfOps.QueueXmit ack = ip.expectMessageClass(AfOps.QueueXmit.class);
    assertThat(ack.skb().tcpFlags).isEqualTo(TcpFlags.ACK);
    assertThat(ack.skb().ackSeq).isEqualTo(PEER_ISS + 1);
  }

  @Test
  void closed_connectWithoutRoute_failsWithEnetunreach_andSendsNothing() {
    VirtualClock clock = new VirtualClock();
    TestProbe<AfOps.Command> ip = kit.createTestProbe();
    TestProbe<TcpProt.SockEvent> sock = kit.createTestProbe();
    ActorRef<TcpProt.Command> conn = spawn(clock, ip, sock);

    conn.tell(new TcpProt.Connect());
    ip.expectMessageClass(IpActor.RouteConnect.class).replyTo().tell(new TcpProt.ConnectRoute(101));
    assertThat(sock.expectMessageClass(TcpProt.SockError.class).errno()).isEqualTo(101);
    ip.expectNoMessage(Duration.ofMillis(100));
  }
}
