package io.sendpath.actors;

import io.sendpath.actors.TcpProt.*;
import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.ops.AfOps;
import io.sendpath.tcp.TcpOutput;
import io.sendpath.tcp.TcpSock;
import java.util.function.Consumer;
import java.util.function.Function;
import io.sendpath.sim.SimActor;
import io.sendpath.sim.VirtualClock;
import io.sendpath.tcp.TcpState;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The socket layer (socket_file_ops / inet_stream_ops: sock_write_iter → sock_sendmsg →
 * inet_sendmsg) with the load generator's bulk-send application on top: after connect() it
 * write()s bytesTotal bytes in writeSize calls, then close()s — at once, or, with a hold, when the
 * virtual clock reaches holdUntilNs (the connection stays established and idle meanwhile). A write
 * that is only partly accepted blocks (sk_stream_wait_memory) until the connection signals write space.
 */
public final class SocketActor extends SimActor<SockEvent> {

  /** Starts the application: connect(). Scheduled at the connection's start time. */
  public record Start() implements SockEvent {}

  /** The hold is over: close(). Scheduled for holdUntilNs once every byte is written. */
  private record HoldExpired() implements SockEvent {}

  private final ActorRef<TcpProt.Command> tcp;
  private final RunMonitor monitor;
  /** The connection's flow as this host sends it; names it to the run monitor. */
  private FlowKey flow;
  private final long bytesTotal;
  private final int writeSize;
  /** Virtual time before which a connection that has written everything stays open; 0 = no hold. */
  private final long holdUntilNs;
  /** True once HoldExpired is scheduled (at most once). */
  private boolean holding;
  /** Bytes the socket accepted so far (sum of SendResult). Never exceeds bytesTotal. */
  private long bytesAccepted;
  /** Bytes asked in the SendMsg whose answer is awaited; 0 when none is outstanding. */
  private long asked;
  /** True while a write() is blocked in sk_stream_wait_memory. */
  private boolean waitingForSpace;
  private boolean closed;
  private boolean finished;
  private int error;
  private long startNs = -1;
  private long finishNs = -1;
  private long blockedSinceNs = -1;
  /** Total time writes spent waiting for send-buffer space (tcp_info sndbuf_limited), ns. */
  private long sndbufLimitedNs;
  private int sndbufWaits;

  /**
   * A socket with its TCP connection as a child actor (the socket owns struct sock), registered in
   * the host's established hash under 'flow' (as this host sends it).
   */
  public static Behavior<SockEvent> create(VirtualClock clock, ActorRef<AfOps.Command> ip, FlowKey flow,
      Function<TcpOutput, TcpSock> coreFactory, RunMonitor monitor, long bytesTotal, int writeSize,
      Consumer<SocketActor> onCreate, Consumer<TcpConnectionActor> onConnCreate) {
    return create(clock, ip, flow, coreFactory, monitor, bytesTotal, writeSize, 0, onCreate, onConnCreate);
  }

  /** As above; after writing bytesTotal the socket stays open until virtual time holdUntilNs (0: no hold). */
  public static Behavior<SockEvent> create(VirtualClock clock, ActorRef<AfOps.Command> ip, FlowKey flow,
      Function<TcpOutput, TcpSock> coreFactory, RunMonitor monitor, long bytesTotal, int writeSize, long holdUntilNs,
      Consumer<SocketActor> onCreate, Consumer<TcpConnectionActor> onConnCreate) {
    return Behaviors.setup(ctx -> {
      ActorRef<TcpProt.Command> tcp = ctx.spawnAnonymous(
          TcpConnectionActor.create(clock, ip, ctx.getSelf(), coreFactory, onConnCreate));
      clock.tell(ip, new IpActor.InetHash(flow.reverse(), tcp));
      SocketActor actor = new SocketActor(ctx, clock, tcp, monitor, bytesTotal, writeSize, holdUntilNs);
      actor.flow = flow;
      onCreate.accept(actor);
      return actor;
    });
  }

  private SocketActor(ActorContext<SockEvent> ctx, VirtualClock clock, ActorRef<TcpProt.Command> tcp,
      RunMonitor monitor, long bytesTotal, int writeSize, long holdUntilNs) {
    super(ctx, clock);
    this.holdUntilNs = holdUntilNs;
    this.tcp = tcp;
    this.monitor = monitor;
    this.bytesTotal = bytesTotal;
    this.writeSize = writeSize;
  }

  @Override
  protected Receive<SockEvent> handlers() {
    return newHandlers()
        .onMessage(Start.class, this::onStart)
        .onMessage(StateChange.class, this::onStateChange)
        .onMessage(SendResult.class, this::onSendResult)
        .onMessage(WriteSpace.class, this::onWriteSpace)
        .onMessage(SockError.class, this::onError)
        .onMessage(HoldExpired.class, this::onHoldExpired)
        .build();
  }

  private Behavior<SockEvent> onStart(Start msg) {
    startNs = clock.now();
    clock.tell(tcp, new Connect());
    return this;
  }

  private Behavior<SockEvent> onStateChange(StateChange msg) {
    if (msg.to() == TcpState.TCP_ESTABLISHED && msg.from() == TcpState.TCP_SYN_SENT) {
      writeMore();
    } else if (msg.to() == TcpState.TCP_TIME_WAIT || msg.to() == TcpState.TCP_CLOSE) {
      finish();
    }
    return this;
  }

  private Behavior<SockEvent> onSendResult(SendResult msg) {
    bytesAccepted += msg.accepted();
    boolean partial = msg.accepted() < asked;
    asked = 0;
    if (partial) {
      waitingForSpace = true;
      blockedSinceNs = clock.now();
      sndbufWaits++;
    } else {
      writeMore();
    }
    return this;
  }

  private Behavior<SockEvent> onWriteSpace(WriteSpace msg) {
    if (waitingForSpace) {
      waitingForSpace = false;
      sndbufLimitedNs += clock.now() - blockedSinceNs;
      writeMore();
    }
    return this;
  }

  private Behavior<SockEvent> onError(SockError msg) {
    if (error == 0) error = msg.errno();
    finish();
    return this;
  }

  private Behavior<SockEvent> onHoldExpired(HoldExpired msg) {
    writeMore();
    return this;
  }

  private void writeMore() {
    if (finished || closed || asked != 0) return;
    long left = bytesTotal - bytesAccepted;
    if (left > 0) {
      asked = Math.min(left, writeSize);
      clock.tell(tcp, new SendMsg(asked, 0));
    } else if (clock.now() < holdUntilNs) {
      if (!holding) {
        holding = true;
        clock.schedule(holdUntilNs, getContext().getSelf(), new HoldExpired());
      }
    } else {
      closed = true;
      clock.tell(tcp, new Close());
    }
  }

  private void finish() {
    if (finished) return;
    finished = true;
    finishNs = clock.now();
    monitor.senderFinished(flow, error);
  }

  public long bytesAccepted() { return bytesAccepted; }
  public int error() { return error; }
  public long startNs() { return startNs; }
  public long finishNs() { return finishNs; }
  public long sndbufLimitedNs() { return sndbufLimitedNs; }
  public int sndbufWaits() { return sndbufWaits; }
  public boolean finished() { return finished; }
}
