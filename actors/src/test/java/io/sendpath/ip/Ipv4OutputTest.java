package io.sendpath.ip;

import static io.sendpath.protocol.FlowKey.parseIp;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ipv4OutputTest {
  final Fib fib = new Fib();
  final List<SkBuff> sent = new ArrayList<>();
  final List<Integer> hops = new ArrayList<>();
  int freed;
  final Ipv4Output ip = new Ipv4Output(fib, Sysctls.linuxDefaults(), (skb, hop) -> {
    sent.add(skb);
    hops.add(hop);
  });
  final FlowKey flow = new FlowKey(parseIp("10.0.0.1"), parseIp("10.0.0.2"), 40000, 80);

  Ipv4OutputTest() {
    fib.addRoute(parseIp("10.0.0.0"), 24, 0, 1, parseIp("10.0.0.1"), 0);
    fib.addDefaultRoute(parseIp("10.0.0.254"), 1, 0, 0);
  }

  SkBuff skb(FlowKey f, int len, int gsoSegs, int gsoSize) {
    SkBuff skb = new SkBuff();
    skb.flow = f;
    skb.len = len;
    skb.gsoSegs = gsoSegs;
    skb.gsoSize = gsoSize;
    skb.ttl = 0;
    skb.df = false;
    skb.truesize = SkBuff.truesizeFor(len);
    skb.destructor = s -> freed++;
    return skb;
  }

  @Test
  void connectedSock_gsoSkbs_ipIdAdvancesByGsoSegs() {
    IpSock sock = ip.newSock(0xFFFE);
    assertThat(ip.queueXmit(0, sock, skb(flow, 1448 * 3, 3, 1448))).isZero();
    assertThat(ip.queueXmit(0, sock, skb(flow, 1448, 1, 0))).isZero();
    assertThat(ip.queueXmit(0, sock, skb(flow, 1448 * 10, 10, 1448))).isZero();
    assertThat(sent.get(0).ipId).isEqualTo(0xFFFE);
    assertThat(sent.get(1).ipId).isEqualTo(0x0001); // 0xFFFE + 3 wraps at 16 bits
    assertThat(sent.get(2).ipId).isEqualTo(0x0002);
    assertThat(sock.nextIpId()).isEqualTo(0x000C);
    assertThat(ip.ipOutRequests()).isEqualTo(3);
  }

  @Test
  void defaults_queueXmit_ttl64DfSetTosFromSocketEcnFromSkb() {
    IpSock sock = ip.newSock(1).tos(0x10);
    SkBuff s = skb(flow, 100, 1, 0);
    s.tos = 0x02; // ECT(0) set by TCP
    ip.queueXmit(5, sock, s);
    assertThat(s.ttl).isEqualTo(64);
    assertThat(s.df).isTrue();
    assertThat(s.tos).isEqualTo(0x12);
    assertThat(hops).containsExactly(parseIp("10.0.0.2"));
  }

  @Test
  void noPmtuDisc_queueXmit_dfClear() {
    Ipv4Output noPmtu = new Ipv4Output(fib, Sysctls.linuxDefaults().set("ip_no_pmtu_disc", "1").set("ip_default_ttl", "32"),
        (skb, hop) -> sent.add(skb));
    SkBuff s = skb(flow, 100, 1, 0);
    noPmtu.queueXmit(0, noPmtu.newSock(0), s);
    assertThat(s.df).isFalse();
    assertThat(s.ttl).isEqualTo(32);
  }

  @Test
  void offLink_queueXmit_nextHopIsGateway() {
    IpSock sock = ip.newSock(0);
    ip.queueXmit(0, sock, skb(new FlowKey(parseIp("10.0.0.1"), parseIp("8.8.8.8"), 1, 2), 10, 1, 0));
    assertThat(hops).containsExactly(parseIp("10.0.0.254"));
  }

  @Test
  void defaultRouteRemoved_queueXmit_revalidatesAndFailsEhostunreachFreeingSkb() {
    IpSock sock = ip.newSock(0);
    FlowKey far = new FlowKey(parseIp("10.0.0.1"), parseIp("8.8.8.8"), 1, 2);
    assertThat(ip.queueXmit(0, sock, skb(far, 10, 1, 0))).isZero();
    assertThat(sock.dst()).isNotNull();
    fib.removeRoute(0, 0);
    SkBuff s = skb(far, 10, 1, 0);
    assertThat(ip.queueXmit(1, sock, s)).isEqualTo(-Ipv4Output.EHOSTUNREACH);
    assertThat(freed).isEqualTo(1);
    assertThat(ip.ipOutNoRoutes()).isEqualTo(1);
    assertThat(sent).hasSize(1);
  }

  @Test
  void routeChanged_queueXmit_usesNewRoute() {
    IpSock sock = ip.newSock(0);
    FlowKey far = new FlowKey(parseIp("10.0.0.1"), parseIp("8.8.8.8"), 1, 2);
    ip.queueXmit(0, sock, skb(far, 10, 1, 0));
    fib.addRoute(parseIp("8.8.8.0"), 24, parseIp("10.0.0.253"), 1, 0, 0);
    ip.queueXmit(1, sock, skb(far, 10, 1, 0));
    assertThat(hops).containsExactly(parseIp("10.0.0.254"), parseIp("10.0.0.253"));
  }

  @Test
  void nonGsoAboveMtu_queueXmit_emsgsizeAndFragFails_gsoPassesWhole() {
    IpSock sock = ip.newSock(0);
    assertThat(ip.queueXmit(0, sock, skb(flow, 1460, 1, 0))).isZero(); // 1500 exactly
    assertThat(ip.queueXmit(0, sock, skb(flow, 1461, 1, 0))).isEqualTo(-Ipv4Output.EMSGSIZE);
    assertThat(ip.ipFragFails()).isEqualTo(1);
    assertThat(freed).isEqualTo(1);
    assertThat(ip.queueXmit(0, sock, skb(flow, 1460 * 40, 40, 1460))).isZero();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).gsoSegs).isEqualTo(40);
    assertThat(ip.ipOutTransmits()).isEqualTo(2);
    assertThat(ip.ipOutOctets()).isEqualTo(1500L + 1500L * 40);
  }
}
