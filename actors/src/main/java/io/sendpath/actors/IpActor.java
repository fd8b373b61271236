package io.sendpath.actors;

import io.sendpath.ip.Fib;
import io.sendpath.ip.FibResult;
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
public final class IpActor extends SimActor<AfOps.Command> {

  /** inet_hash(): segments of 'flowAsReceived' (peer → us) go to 'sock'. */
  public record InetHash(FlowKey flowAsReceived, ActorRef<TcpProt.Command> sock) implements AfOps.Command {}

  private final Fib fib;
  private final Ipv4Output output;
  private final InetHashTable<ActorRef<TcpProt.Command>> established = new InetHashTable<>();
  private final ActorRef<NeighOps.Command> neigh;
  /** sk->sk_dst_cache per connection: the route and the FIB generation it was looked up in. */
  private final Map<Long, FibResult> dstCache = new HashMap<>();
  private long rxDropsChecksum, rxDropsNoSocket, rxDropsOther, outNoRoutes;

  public static Behavior<AfOps.Command> create(VirtualClock clock, Fib fib, Ipv4Output output,
      ActorRef<NeighOps.Command> neigh, java.util.function.Consumer<IpActor> onCreate) {
    return Behaviors.setup(ctx -> {
      IpActor actor = new IpActor(ctx, clock, fib, output, neigh);
      onCreate.accept(actor);
      return actor;
    });
  }

  private IpActor(ActorContext<AfOps.Command> ctx, VirtualClock clock, Fib fib, Ipv4Output output,
      ActorRef<NeighOps.Command> neigh) {
    super(ctx, clock);
    this.fib = fib;
    this.output = output;
    this.neigh = neigh;
  }

  @Override
  protected Receive<AfOps.Command> handlers() {
    return newReceiveBuilder()
        .onMessage(AfOps.QueueXmit.class, this::onQueueXmit)
        .onMessage(AfOps.IpRcv.class, this::onIpRcv)
        .onMessage(InetHash.class, this::onInetHash)
        .build();
  }

  private Behavior<AfOps.Command> onInetHash(InetHash msg) {
    established.put(msg.flowAsReceived(), msg.sock());
    return this;
  }

  private Behavior<AfOps.Command> onQueueXmit(AfOps.QueueXmit msg) {
    SkBuff skb = msg.skb();
    FibResult route = dstCache.get(skb.connId);
    if (route == null || route.generation() != fib.generation()) {
      route = fib.lookup(skb.flow.daddr());
      if (route == null) {
        outNoRoutes++;
        skb.free();
        clock.tell(msg.replyTo(), new NetXmit(NetXmit.DROP, skb.seq));
        return this;
      }
      dstCache.put(skb.connId, route);
    }
    int nextHop = output.queueXmit(clock.now(), skb, route);
    clock.tell(neigh, new NeighOps.NeighOutput(skb, nextHop, msg.replyTo()));
    return this;
  }

  private Behavior<AfOps.Command> onIpRcv(AfOps.IpRcv msg) {
    Decoded d = FrameCodec.decode(msg.frame());
    if (!d.ok()) {
      rxDropsChecksum++;
      return this;
    }
    if (d.arp() != null) {
      clock.tell(neigh, new NeighOps.ArpRcv(d.arp().encode()));
      return this;
    }
    SkBuff seg = d.skb();
    if (seg == null) {
      rxDropsOther++;
      return this;
    }
    ActorRef<TcpProt.Command> sock = established.get(seg.flow);
    if (sock == null) {
      rxDropsNoSocket++;
      return this;
    }
    clock.tell(sock, new TcpProt.Rcv(seg));
    return this;
  }

  public long rxDropsChecksum() { return rxDropsChecksum; }
  public long rxDropsNoSocket() { return rxDropsNoSocket; }
  public long outNoRoutes() { return outNoRoutes; }
  public Ipv4Output output() { return output; }
}
