package io.sendpath.actors;

import io.sendpath.actors.TcpProt.*;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.SkbDestructor;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.protocol.ops.NetXmit;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import io.sendpath.tcp.TcpOutput;
import io.sendpath.tcp.TcpSock;
import io.sendpath.tcp.TcpState;
import java.util.ArrayDeque;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The shell around one {@link TcpSock}: turns tcp_prot messages into core calls and the core's
 * effects into messages (to IP, to the socket, to itself through the clock).
 *
 * <p>While the core is inside tcp_transmit_skb (an skb handed to IP whose NET_XMIT answer has not
 * come back yet) every other input waits in {@link #backlog}, in arrival order, and is replayed
 * when the answer arrives — the socket is owned, as bh_lock_sock makes it in Linux. The backlog
 * is bounded in practice by what can arrive in one instant; its high-water mark is kept.
 */
public final class TcpConnectionActor extends SimActor<TcpProt.Command> implements TcpOutput {

  private final TcpSock core;
  private final ActorRef<AfOps.Command> ip;
  private final ActorRef<SockEvent> socket;
  private final ActorRef<NetXmit> xmitReplyTo;
  private final Wakeup<TcpProt.Command> wakeup;
  private final SkbDestructor tcpWfree;
  private final ArrayDeque<TcpProt.Command> backlog = new ArrayDeque<>(4);
  /** Most inputs ever held back while an xmit answer was pending. */
  private int backlogHighWater;

  public static Behavior<TcpProt.Command> create(VirtualClock clock, ActorRef<AfOps.Command> ip,
      ActorRef<SockEvent> socket, Function<TcpOutput, TcpSock> coreFactory,
      java.util.function.Consumer<TcpConnectionActor> onCreate) {
    return Behaviors.setup(ctx -> {
      TcpConnectionActor actor = new TcpConnectionActor(ctx, clock, ip, socket, coreFactory);
      onCreate.accept(actor);
      return actor;
    });
  }

  private TcpConnectionActor(ActorContext<TcpProt.Command> ctx, VirtualClock clock, ActorRef<AfOps.Command> ip,
      ActorRef<SockEvent> socket, Function<TcpOutput, TcpSock> coreFactory) {
    super(ctx, clock);
    this.ip = ip;
    this.socket = socket;
    this.core = coreFactory.apply(this);
    this.xmitReplyTo = ctx.messageAdapter(NetXmit.class, XmitAnswer::new);
    this.wakeup = new Wakeup<>(clock, ctx.getSelf(), Tick::new);
    ActorRef<TcpProt.Command> self = ctx.getSelf();
    this.tcpWfree = skb -> clock.tell(self, new Wfree(skb.truesize));
  }

  /** The core, for end-of-run statistics once the clock has stopped (never during a run). */
  public TcpSock core() {
    return core;
  }

  @Override
  protected Receive<TcpProt.Command> handlers() {
    return newHandlers()
        .onMessage(XmitAnswer.class, this::onXmitAnswer)
        .onMessage(GetInfo.class, this::onGetInfo)
        .onAnyMessage(this::onInput)
        .build();
  }

  private Behavior<TcpProt.Command> onInput(TcpProt.Command msg) {
    if (core.xmitPending()) {
      backlog.add(msg);
      if (backlog.size() > backlogHighWater) backlogHighWater = backlog.size();
    } else {
      apply(msg);
      wakeup.arm(core.nextTimerAt());
    }
    return this;
  }

  private Behavior<TcpProt.Command> onXmitAnswer(XmitAnswer msg) {
    long now = clock.now();
    core.xmitResult(now, msg.result().code());
    // release_sock(): run what arrived while the socket was owned, in order.
    while (!core.xmitPending() && !backlog.isEmpty()) apply(backlog.poll());
    wakeup.arm(core.nextTimerAt());
    return this;
  }

  private Behavior<TcpProt.Command> onGetInfo(GetInfo msg) {
    msg.replyTo().tell(core.info(clock.now()));
    return this;
  }

  private void apply(TcpProt.Command msg) {
    long now = clock.now();
    if (msg instanceof Rcv m) {
      core.rcv(now, m.seg());
    } else if (msg instanceof Wfree m) {
      core.wfree(now, m.truesize());
    } else if (msg instanceof Tick m) {
      wakeup.fired(m.at());
      if (core.nextTimerAt() <= now) core.onTimer(now);
    } else if (msg instanceof SendMsg m) {
      long accepted = core.sendmsg(now, m.bytes(), m.flags());
      clock.tell(socket, new SendResult(accepted));
    } else if (msg instanceof Connect) {
      // tcp_v4_connect() → ip_route_connect(): the SYN is built only once a route exists.
      clock.tell(ip, new IpActor.RouteConnect(core.flow().daddr(), getContext().getSelf()));
    } else if (msg instanceof ConnectRoute m) {
      if (m.errno() == 0) {
        core.connect(now);
      } else {
        // connect() fails at once; the socket never left CLOSE
        clock.tell(socket, new SockError(m.errno()));
      }
    } else if (msg instanceof IcmpError m) {
      core.icmpError(now, m.errno());
    } else if (msg instanceof Close) {
      core.close(now);
    } else {
      throw new IllegalArgumentException("unexpected " + msg);
    }
  }

  public int backlogHighWater() {
    return backlogHighWater;
  }

  // ---- TcpOutput: the core's effects ----

  @Override
  public void queueXmit(SkBuff skb) {
    skb.destructor = tcpWfree;
    clock.tell(ip, new AfOps.QueueXmit(skb, xmitReplyTo));
  }

  @Override
  public void writeSpace() {
    clock.tell(socket, new WriteSpace());
  }

  @Override
  public void stateChange(TcpState from, TcpState to) {
    clock.tell(socket, new StateChange(from, to));
  }

  @Override
  public void error(int errno) {
    clock.tell(socket, new SockError(errno));
  }
}
