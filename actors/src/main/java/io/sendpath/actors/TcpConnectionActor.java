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
import io.sendpath.tcp.TcpSocket;
import io.sendpath.tcp.TcpState;
import java.util.ArrayDeque;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The shell around one {@link TcpSocket} (the socket lock and system calls) and its {@link TcpSock}:
 * turns tcp_prot messages into core calls and the core's effects into messages (to IP, to the
 * socket's owner, to itself through the clock).
 *
 * <p>While the core is inside tcp_transmit_skb (an skb handed to IP whose NET_XMIT answer has not
 * come back yet) every other input waits in {@link #backlog}, in arrival order, and is replayed
 * when the answer arrives: bh_lock_sock spinning, as in Linux. The socket lock of a user context
 * (a write in progress) is the TcpSocket's: segments then go to its bounded socket backlog.
 */
public final class TcpConnectionActor extends SimActor<TcpProt.Command> implements TcpSocket.Effects {

  /** The next copy step of a write, or a woken writer (TcpSocket.Effects.scheduleStep). */
  private record Step(long at) implements TcpProt.Command {}

  private final TcpSocket socket;
  private final TcpSock core;
  private final ActorRef<AfOps.Command> ip;
  /** Where SockEvents go: the socket's owner (Attach replaces it). */
  private ActorRef<SockEvent> owner;
  private final ActorRef<NetXmit> xmitReplyTo;
  private final Wakeup<TcpProt.Command> wakeup;
  private final SkbDestructor tcpWfree;
  /** Inputs held while an xmit answer is pending; bounded by what arrives in one instant. */
  private final ArrayDeque<TcpProt.Command> backlog = new ArrayDeque<>(4);
  /** Most inputs ever held back while an xmit answer was pending. */
  private int backlogHighWater;

  public static Behavior<TcpProt.Command> create(VirtualClock clock, ActorRef<AfOps.Command> ip,
      ActorRef<SockEvent> socket, Function<TcpOutput, TcpSock> coreFactory,
      java.util.function.Consumer<TcpConnectionActor> onCreate) {
    return create(clock, ip, socket, coreFactory, TcpSocket.DEFAULT_COPY_BYTES_PER_SEC, onCreate);
  }

  /** As above, with the user copy speed of writes (bytes per second; 0: copies take no time). */
  public static Behavior<TcpProt.Command> create(VirtualClock clock, ActorRef<AfOps.Command> ip,
      ActorRef<SockEvent> socket, Function<TcpOutput, TcpSock> coreFactory, long copyBytesPerSec,
      java.util.function.Consumer<TcpConnectionActor> onCreate) {
    return Behaviors.setup(ctx -> {
      TcpConnectionActor actor = new TcpConnectionActor(ctx, clock, ip, socket, coreFactory, copyBytesPerSec);
      onCreate.accept(actor);
      return actor;
    });
  }

  private TcpConnectionActor(ActorContext<TcpProt.Command> ctx, VirtualClock clock, ActorRef<AfOps.Command> ip,
      ActorRef<SockEvent> owner, Function<TcpOutput, TcpSock> coreFactory, long copyBytesPerSec) {
    super(ctx, clock);
    this.ip = ip;
    this.owner = owner;
    this.socket = new TcpSocket(copyBytesPerSec, this);
    this.core = coreFactory.apply(socket);
    socket.bind(core);
    this.xmitReplyTo = ctx.messageAdapter(NetXmit.class, XmitAnswer::new);
    this.wakeup = new Wakeup<>(clock, ctx.getSelf(), Tick::new);
    ActorRef<TcpProt.Command> self = ctx.getSelf();
    this.tcpWfree = skb -> clock.tell(self, new Wfree(skb.truesize));
  }

  /** The core, for end-of-run statistics once the clock has stopped (never during a run). */
  public TcpSock core() {
    return core;
  }

  /** The socket (lock, waits, statistics), for end-of-run statistics once the clock has stopped. */
  public TcpSocket socket() {
    return socket;
  }

  @Override
  protected Receive<TcpProt.Command> handlers() {
    return newHandlers()
        .onMessage(XmitAnswer.class, this::onXmitAnswer)
        .onMessage(GetInfo.class, this::onGetInfo)
        .onMessage(Attach.class, this::onAttach)
        .onAnyMessage(this::onInput)
        .build();
  }

  private Behavior<TcpProt.Command> onInput(TcpProt.Command msg) {
    if (socket.xmitPending()) {
      backlog.add(msg);
      if (backlog.size() > backlogHighWater) backlogHighWater = backlog.size();
    } else {
      apply(msg);
      wakeup.arm(socket.nextTimerAt());
    }
    return this;
  }

  private Behavior<TcpProt.Command> onXmitAnswer(XmitAnswer msg) {
    long now = clock.now();
    socket.xmitResult(now, msg.result().code());
    // bh_unlock_sock(): run what arrived while the transmit was pending, in order.
    while (!socket.xmitPending() && !backlog.isEmpty()) apply(backlog.poll());
    wakeup.arm(socket.nextTimerAt());
    return this;
  }

  private Behavior<TcpProt.Command> onGetInfo(GetInfo msg) {
    msg.replyTo().tell(core.info(clock.now()));
    return this;
  }

  private Behavior<TcpProt.Command> onAttach(Attach msg) {
    owner = msg.owner();
    return this;
  }

  private void apply(TcpProt.Command msg) {
    long now = clock.now();
    if (msg instanceof Rcv m) {
      socket.rcv(now, m.seg());
    } else if (msg instanceof Wfree m) {
      socket.wfree(now, m.truesize());
    } else if (msg instanceof Tick m) {
      wakeup.fired(m.at());
      if (socket.nextTimerAt() <= now) socket.onTimer(now);
    } else if (msg instanceof Step) {
      socket.step(now);
    } else if (msg instanceof SendMsg m) {
      socket.sendmsg(now, m.bytes(), m.data(), m.flags(), m.sndtimeoNs());
    } else if (msg instanceof NotifyAcked m) {
      socket.notifyAcked(now, m.streamBytes());
    } else if (msg instanceof Connect) {
      // tcp_v4_connect() → ip_route_connect(): the SYN is built only once a route exists.
      clock.tell(ip, new IpActor.RouteConnect(core.flow().daddr(), getContext().getSelf()));
    } else if (msg instanceof ConnectRoute m) {
      if (m.errno() == 0) {
        socket.connect(now);
      } else {
        // connect() fails at once; the socket never left CLOSE
        clock.tell(owner, new SockError(m.errno()));
      }
    } else if (msg instanceof IcmpError m) {
      socket.icmpError(now, m.errno());
    } else if (msg instanceof Close) {
      socket.close(now);
    } else {
      throw new IllegalArgumentException("unexpected " + msg);
    }
  }

  /** First sk_err reported to the owner and when (read once the clock has stopped). */
  private int firstErrno;
  private long firstErrorNs;

  public int backlogHighWater() {
    return backlogHighWater;
  }

  // ---- TcpSocket.Effects: the socket's and the core's effects ----

  @Override
  public void queueXmit(SkBuff skb) {
    skb.destructor = tcpWfree;
    clock.tell(ip, new AfOps.QueueXmit(skb, xmitReplyTo));
  }

  @Override
  public void writeSpace() {
    clock.tell(owner, new WriteSpace());
  }

  @Override
  public void stateChange(TcpState from, TcpState to) {
    clock.tell(owner, new StateChange(from, to));
  }

  @Override
  public void error(int errno) {
    if (firstErrno == 0) {
      firstErrno = errno;
      firstErrorNs = clock.now();
    }
    clock.tell(owner, new SockError(errno));
  }

  /** The first sk_err this socket reported to its owner (0: none), for end-of-run statistics. */
  public int firstErrno() {
    return firstErrno;
  }

  /** Virtual time of {@link #firstErrno()}; meaningless while it is 0. */
  public long firstErrorNs() {
    return firstErrorNs;
  }

  @Override
  public void scheduleStep(long at) {
    if (at <= clock.now()) clock.tell(getContext().getSelf(), new Step(at));
    else clock.schedule(at, getContext().getSelf(), new Step(at));
  }

  @Override
  public void sendResult(long accepted, int errno) {
    clock.tell(owner, new SendResult(accepted, errno));
  }

  @Override
  public void acked(long streamBytes) {
    clock.tell(owner, new Acked(streamBytes));
  }
}
