package io.sendpath.actors;

import io.sendpath.ip.Fib;
import io.sendpath.ip.IpSock;
import io.sendpath.ip.InetHashTable;
import io.sendpath.ip.Ipv4Output;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.NeighOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.protocol.wire.Decoded;
import io.sendpath.protocol.wire.FrameCodec;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import io.sendpath.protocol.Sysctls;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * IPv4 of one host (ipv4_specific.queue_xmit down, ip_rcv up). Down: route from the socket's
 * cached dst (revalidated against the FIB generation, like __sk_dst_check), IP header fields, then
 * neigh_output. Up: decode the frame, verify checksums, hand ARP to the neighbour layer and TCP
 * segments to the connection found by inet_lookup_established.
 */
public final class IpActor extends SimActor<AfOps.Command> implements Ipv4Output.Output {

  /** inet_hash(): segments of 'flowAsReceived' (peer → us) go to 'sock'. */
  public record InetHash(FlowKey flowAsReceived, ActorRef<TcpProt.Command> sock) implements AfOps.Command {}

  /** Fault hook (DESIGN §5): change this host's FIB, as `ip route del/add` would (route-remove fault). */
  /** ip_route_connect(): is there a route to daddr? The answer goes to replyTo as ConnectRoute. */
  public record RouteConnect(int daddr, ActorRef<TcpProt.Command> replyTo) implements AfOps.Command {}

  /**
   * An ICMP destination-unreachable this host sent to itself about one of its own skbs
   * (icmp_send from ipv4_link_failure, after arp_error_report): icmp_rcv → icmp_unreach →
   * tcp_v4_err. 'flowAsSent' is the flow of the skb that could not be delivered.
   */
  public record IcmpUnreach(FlowKey flowAsSent, int errno) implements AfOps.Command {}

  public record FibChange(java.util.function.Consumer<Fib> change) implements AfOps.Command {}

  private final Ipv4Output output;
  private final Fib fib;
  private final InetHashTable<ActorRef<TcpProt.Command>> established = new InetHashTable<>();
  private final ActorRef<NeighOps.Command> neigh;
  /** inet_sock per connection: its cached dst (sk_dst_cache) and IP ID counter (inet_id). */
  private final Map<Long, IpSock> ipSocks = new HashMap<>();
  private final long seed;
  /** Who waits for the NET_XMIT answer of the skb being output right now. */
  private ActorRef<NetXmit> currentReplyTo;
  private long icmpHostUnreachToSelf, outNoRoutesAtConnect;
  private long rxDropsChecksum, rxDropsNoSocket, rxDropsOther;

  public static Behavior<AfOps.Command> create(VirtualClock clock, Fib fib, Sysctls sysctls, long seed,
      ActorRef<NeighOps.Command> neigh, java.util.function.Consumer<IpActor> onCreate) {
    return Behaviors.setup(ctx -> {
      IpActor actor = new IpActor(ctx, clock, fib, sysctls, seed, neigh);
      onCreate.accept(actor);
      return actor;
    });
  }

  private IpActor(ActorContext<AfOps.Command> ctx, VirtualClock clock, Fib fib, Sysctls sysctls, long seed,
      ActorRef<NeighOps.Command> neigh) {
    super(ctx, clock);
    this.output = new Ipv4Output(fib, sysctls, this);
    this.fib = fib;
    this.seed = seed;
    this.neigh = neigh;
  }

  /** The initial inet_id of a connection: Linux draws it at random; here from the run's seed. */
  static int initialIpId(long seed, long connId) {
    long z = (seed + connId * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
    return (int) ((z ^ (z >>> 31)) & 0xFFFF);
  }

  @Override
  protected Receive<AfOps.Command> handlers() {
    return newHandlers()
        .onMessage(AfOps.QueueXmit.class, this::onQueueXmit)
        .onMessage(AfOps.IpRcv.class, this::onIpRcv)
        .onMessage(AfOps.IpListRcv.class, this::onIpListRcv)
        .onMessage(InetHash.class, this::onInetHash)
        .onMessage(FibChange.class, this::onFibChange)
        .onMessage(RouteConnect.class, this::onRouteConnect)
        .onMessage(IcmpUnreach.class, this::onIcmpUnreach)
        .build();
  }

  private Behavior<AfOps.Command> onRouteConnect(RouteConnect msg) {
    int errno = fib.lookup(msg.daddr()) == null ? io.sendpath.tcp.Errno.ENETUNREACH : 0;
    if (errno != 0) outNoRoutesAtConnect++;
    clock.tell(msg.replyTo(), new TcpProt.ConnectRoute(errno));
    return this;
  }

  private Behavior<AfOps.Command> onIcmpUnreach(IcmpUnreach msg) {
    icmpHostUnreachToSelf++;
    ActorRef<TcpProt.Command> sock = established.lookup(msg.flowAsSent().reverse());
    if (sock != null) clock.tell(sock, new TcpProt.IcmpError(msg.errno()));
    return this;
  }

  /** ICMP destination-unreachables this host sent to itself: each counts in IcmpOutDestUnreachs and IcmpInDestUnreachs. */
  public long icmpHostUnreachToSelf() { return icmpHostUnreachToSelf; }
  public long outNoRoutesAtConnect() { return outNoRoutesAtConnect; }

  private Behavior<AfOps.Command> onFibChange(FibChange msg) {
    msg.change().accept(fib);
    return this;
  }

  private Behavior<AfOps.Command> onInetHash(InetHash msg) {
    established.insert(msg.flowAsReceived(), msg.sock());
    return this;
  }

  private Behavior<AfOps.Command> onQueueXmit(AfOps.QueueXmit msg) {
    SkBuff skb = msg.skb();
    IpSock sock = ipSocks.get(skb.connId);
    if (sock == null) {
      sock = output.newSock(initialIpId(seed, skb.connId));
      ipSocks.put(skb.connId, sock);
    }
    int seq = skb.seq;
    currentReplyTo = msg.replyTo();
    int rc = output.queueXmit(clock.now(), sock, skb);
    currentReplyTo = null;
    // An error (no route, too big) freed the skb; TCP keeps its original unsent, as it does when
    // queue_xmit returns an error in __tcp_transmit_skb().
    if (rc < 0) clock.tell(msg.replyTo(), new NetXmit(NetXmit.DROP, seq));
    return this;
  }

  @Override
  public void neighOutput(SkBuff skb, int nextHop) {
    clock.tell(neigh, new NeighOps.NeighOutput(skb, nextHop, currentReplyTo));
  }

  private Behavior<AfOps.Command> onIpRcv(AfOps.IpRcv msg) {
    ipRcv(msg.frame());
    return this;
  }

  /**
   * ip_list_rcv(): the frames of one NAPI poll, taken in arrival order. This host receives ACKs,
   * which GRO never merges (no payload), so each frame goes up on its own.
   */
  private Behavior<AfOps.Command> onIpListRcv(AfOps.IpListRcv msg) {
    for (byte[] frame : msg.frames()) ipRcv(frame);
    return this;
  }

  private void ipRcv(byte[] frame) {
    Decoded d = FrameCodec.decode(frame);
    if (!d.ok()) {
      rxDropsChecksum++;
      return;
    }
    if (d.arp() != null) {
      clock.tell(neigh, new NeighOps.ArpRcv(d.arp().encode()));
      return;
    }
    SkBuff seg = d.skb();
    if (seg == null) {
      rxDropsOther++;
      return;
    }
    ActorRef<TcpProt.Command> sock = established.lookup(seg.flow);
    if (sock == null) {
      rxDropsNoSocket++;
      return;
    }
    clock.tell(sock, new TcpProt.Rcv(seg));
  }

  public long rxDropsChecksum() { return rxDropsChecksum; }
  public long rxDropsNoSocket() { return rxDropsNoSocket; }
  public Ipv4Output output() { return output; }
}
