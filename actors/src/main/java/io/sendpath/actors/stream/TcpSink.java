package io.sendpath.actors.stream;

import io.sendpath.tcp.Errno;
import io.sendpath.actors.TcpProt;
import io.sendpath.actors.TcpProt.Acked;
import io.sendpath.actors.TcpProt.SendResult;
import io.sendpath.actors.TcpProt.SockError;
import io.sendpath.actors.TcpProt.StateChange;
import io.sendpath.actors.TcpProt.WriteSpace;
import io.sendpath.sim.VirtualClock;
import io.sendpath.tcp.MsgFlags;
import io.sendpath.tcp.TcpState;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

/**
 * The application's end of one TCP connection as a Pekko Streams {@code Sink<ByteString>}: each
 * element is one {@code write()} (sock_write_iter → sock_sendmsg → inet_sendmsg → tcp_sendmsg,
 * here one {@link TcpProt.SendMsg} to the connection actor), and the next element is pulled only
 * once that write has returned. A blocking write returns when every byte is copied into the send
 * queue, so while the socket is not writable (sk_stream_wait_memory) nothing is pulled: that is
 * the stream's backpressure, and the time spent there is this socket's sndbuf wait.
 *
 * <pre>{@code
 * CompletionStage<TcpSink.Result> done = Source.from(chunks)
 *     .runWith(TcpSink.create(clock, conn, TcpSinkSettings.defaults()), materializer);
 * }</pre>
 *
 * <p>The materialized value completes when every byte written has been acknowledged by the peer
 * ({@link TcpProt.NotifyAcked} after the last write), with the virtual times of the connection's
 * life; it fails with a {@link TcpSocketException} carrying the errno when the socket reports one
 * (EPIPE, ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ECONNREFUSED; EAGAIN after
 * SO_SNDTIMEO when so configured). An upstream failure aborts the connection (close()) and fails
 * the result with that cause.
 *
 * <p><b>Virtual time.</b> The stage is not a SimActor, yet it takes part in the discrete-event
 * clock (DESIGN §2) by three rules: (1) every socket event reaches it on its stage actor, was
 * counted by the connection's {@code clock.tell}, and is reported with {@code clock.done()} once
 * handled; (2) it calls {@code clock.hold()} before it pulls and {@code clock.release()} once the
 * pushed element's SendMsg is sent (or the upstream completed or failed), so producing the next
 * element takes no virtual time: the application is modelled as always ready to write;
 * (3) materialization is covered the same way: the stage holds the clock when its logic is created
 * (inside {@code run()}, on the materializing thread) and releases it in preStart once its first
 * message to the connection is sent. Consequently the upstream must produce promptly: a Source that
 * waits on the wall clock (a tick, a file, a network) stalls virtual time while it waits. Callbacks
 * registered on the result without an executor run inside the stage's handling of a counted event,
 * so they may use {@code clock.tell}; async callbacks must not touch simulated actors.
 *
 * <p><b>Ownership.</b> The stage attaches itself as the socket's owner ({@link TcpProt.Attach})
 * and stays it while the connection may still send events: until TCP_CLOSE, or, with
 * {@link TcpSinkSettings#withOwnerAfter}, until it has handed the socket over once done. It stops
 * only at the end of a virtual instant, so no event already on its way is lost (a lost event would
 * stop virtual time).
 */
public final class TcpSink {
  private TcpSink() {}

  /**
   * What the writer did, in virtual time (ns; -1 when it did not happen).
   *
   * @param bytesWritten  bytes the socket accepted (sum of write() returns)
   * @param startNs       when the sink was materialized
   * @param connectedNs   when the connection reached ESTABLISHED (-1 without connect)
   * @param firstWriteNs  when the first write() returned
   * @param lastWriteNs   when the last write() returned
   * @param ackedNs       when the peer had acknowledged every byte written
   * @param blockedNs     total time write() calls spent blocked (sk_stream_wait_memory: send-buffer waits)
   * @param blockedWrites write() calls that returned later than they were made
   */
  public record Result(long bytesWritten, long startNs, long connectedNs, long firstWriteNs, long lastWriteNs,
      long ackedNs, long blockedNs, int blockedWrites) {}

  /** Live progress of one sink, for statistics of a run that may be cut short. Called on the stage's thread. */
  public interface Progress {
    /** A write() returned having accepted 'bytes' (maybe 0) after 'blockedNs' of virtual time blocked. */
    void written(long bytes, long blockedNs);

    Progress NONE = (bytes, blockedNs) -> {};
  }

  /** A sink writing to the connection 'conn' (a TcpConnectionActor, or anything speaking TcpProt). */
  public static Sink<ByteString, CompletionStage<Result>> create(VirtualClock clock, ActorRef<TcpProt.Command> conn,
      TcpSinkSettings settings) {
    return create(clock, conn, settings, Progress.NONE);
  }

  /** As {@link #create(VirtualClock, ActorRef, TcpSinkSettings)}, reporting each write to 'progress'. */
  public static Sink<ByteString, CompletionStage<Result>> create(VirtualClock clock, ActorRef<TcpProt.Command> conn,
      TcpSinkSettings settings, Progress progress) {
    return Sink.fromGraph(new Stage(clock, conn, settings, progress));
  }

  /** Delivered to the stage actor by the clock at the end of the instant the stage decided to stop in. */
  private record Linger() implements TcpProt.SockEvent {}

  private static final class Stage extends AbstractGraphStageWithMaterializedValue<SinkShape<ByteString>, CompletionStage<Result>> {
    private final Inlet<ByteString> in = Inlet.create("TcpSink.in");
    private final SinkShape<ByteString> shape = SinkShape.of(in);
    private final VirtualClock clock;
    private final ActorRef<TcpProt.Command> conn;
    private final TcpSinkSettings settings;
    private final Progress progress;

    Stage(VirtualClock clock, ActorRef<TcpProt.Command> conn, TcpSinkSettings settings, Progress progress) {
      this.clock = clock;
      this.conn = conn;
      this.settings = settings;
      this.progress = progress;
    }

    @Override
    public SinkShape<ByteString> shape() {
      return shape;
    }

    @Override
    public Attributes initialAttributes() {
      return Attributes.name("TcpSink");
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<Result>> createLogicAndMaterializedValuePair(Attributes attrs) {
      CompletableFuture<Result> result = new CompletableFuture<>();
      // Rule 3: called inside run(); the hold ends in preStart.
      clock.hold();
      return Pair.create(new Logic(result), result);
    }

    private final class Logic extends GraphStageLogic {
      private final CompletableFuture<Result> result;
      /** The stage actor as the socket's owner; set in preStart. */
      private ActorRef<TcpProt.SockEvent> self;
      /** True while this stage holds the clock (at most one hold at a time). */
      private boolean holding = true;
      /** The socket's state as last reported; ESTABLISHED assumed for a socket connected by someone else. */
      private TcpState state;
      /** The element being written; null when none. */
      private ByteString element;
      /** Bytes of 'element' already accepted; < element.size() while it is set. */
      private int offset;
      /** Bytes asked in the SendMsg whose SendResult is awaited; 0 when none is outstanding. */
      private long inFlight;
      /** A short write waits for WriteSpace (sk_stream_write_space) before writing the rest. */
      private boolean waitingForSpace;
      /** Start of the current wait of this element's write (its SendMsg or a WriteSpace wait). */
      private long waitSinceNs;
      private boolean upstreamDone;
      /** NotifyAcked was sent for bytesWritten. */
      private boolean ackAsked;
      /** The sink will write nothing more (result decided, or about to be once acked). */
      private boolean writingOver;
      /** Attach(ownerAfter) sent or the socket is CLOSE: the stage stops at the end of the instant. */
      private boolean leaving;
      /** A Linger is scheduled for the end of this instant. */
      private boolean lingerScheduled;
      /** The socket has left CLOSE since the sink attached (or was connected by someone else). */
      private boolean sawOpen;
      /** connect() failed while the socket was still CLOSE (no route): the connection will say nothing more. */
      private boolean connectFailed;
      /** The upstream failed: the connection is closed, also if it connects only afterwards. */
      private boolean aborted;
      private long bytesWritten;
      private long startNs;
      private long connectedNs = -1, firstWriteNs = -1, lastWriteNs = -1;
      /** Sum of write() blocking time, ns; never negative. */
      private long blockedNs;
      private int blockedWrites;

      Logic(CompletableFuture<Result> result) {
        super(shape);
        this.result = result;
        this.state = settings.connect() ? TcpState.TCP_CLOSE : TcpState.TCP_ESTABLISHED;
        this.sawOpen = !settings.connect();
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            onElement(grab(in));
          }

          @Override
          public void onUpstreamFinish() {
            upstreamDone = true;
            if (element == null && inFlight == 0 && !writingOver) finishWriting();
            releaseHold();
          }

          @Override
          public void onUpstreamFailure(Throwable cause) {
            upstreamDone = true;
            abort(cause);
            releaseHold();
          }
        });
      }

      @Override
      public void preStart() {
        startNs = clock.now();
        // the socket outlives the upstream: keep running once the inlet is closed, until maybeLeave() says so
        setKeepGoing(true);
        self = Adapter.toTyped(getStageActor(this::onMessage).ref());
        clock.tell(conn, new TcpProt.Attach(self));
        if (settings.connect()) {
          clock.tell(conn, new TcpProt.Connect());
          releaseHold();
        } else {
          pull(in); // the materialization hold now covers the upstream
        }
      }

      private BoxedUnit onMessage(Tuple2<org.apache.pekko.actor.ActorRef, Object> envelope) {
        try {
          Object msg = envelope._2();
          if (msg instanceof SendResult r) onSendResult(r);
          else if (msg instanceof StateChange s) onStateChange(s);
          else if (msg instanceof WriteSpace) onWriteSpace();
          else if (msg instanceof Acked a) onAcked(a);
          else if (msg instanceof SockError e) onSockError(e);
          else if (msg instanceof Linger) onLinger();
        } catch (RuntimeException | Error e) {
          clock.fail(new IllegalStateException("TcpSink failed on " + envelope._2(), e));
          throw e;
        } finally {
          clock.done(); // rule 1
        }
        return BoxedUnit.UNIT;
      }

      private void onElement(ByteString bytes) {
        if (writingOver) {
          releaseHold();
          return;
        }
        if (bytes.isEmpty()) {
          pull(in); // write(fd, buf, 0) copies nothing; keep the hold for the next element
          return;
        }
        element = bytes;
        offset = 0;
        waitSinceNs = clock.now();
        sendRest();
        releaseHold(); // rule 2: the SendMsg is counted now
      }

      /** One write() of what is left of the element. */
      private void sendRest() {
        ByteString rest = offset == 0 ? element : element.drop(offset);
        inFlight = rest.size();
        clock.tell(conn, new TcpProt.SendMsg(inFlight, buffersOf(rest), settings.msgFlags(), settings.sndtimeoNs()));
      }

      private void onSendResult(SendResult r) {
        long now = clock.now();
        long asked = inFlight;
        inFlight = 0;
        long blocked = now - waitSinceNs;
        waitSinceNs = now;
        blockedNs += blocked;
        if (blocked > 0) blockedWrites++;
        long accepted = Math.min(r.accepted(), asked);
        if (accepted > 0) {
          offset += (int) accepted;
          bytesWritten += accepted;
          if (firstWriteNs < 0) firstWriteNs = now;
          lastWriteNs = now;
        }
        progress.written(accepted, blocked);
        if (writingOver) {
          // the result was decided while this write was out (error, upstream failure)
          element = null;
          maybeLeave();
          return;
        }
        if (offset == element.size()) {
          element = null;
          if (upstreamDone) finishWriting();
          else pullNext();
          return;
        }
        boolean timedOut = r.errno() == Errno.EAGAIN || (r.errno() == 0 && settings.sndtimeoNs() > 0
            && (settings.msgFlags() & MsgFlags.MSG_DONTWAIT) == 0);
        if (r.errno() != 0 && r.errno() != Errno.EAGAIN) {
          fail(r.errno());
        } else if ((settings.msgFlags() & MsgFlags.MSG_DONTWAIT) != 0) {
          waitingForSpace = true; // a non-blocking writer polls for POLLOUT
        } else if (timedOut) {
          if (settings.onSndtimeo() == TcpSinkSettings.OnSndtimeo.RESEND) sendRest();
          else fail(Errno.EAGAIN);
        } else {
          // a blocking write without SO_SNDTIMEO came back short: an error is pending on the
          // socket (SockError follows), or space will be signalled; write the rest then
          waitingForSpace = true;
        }
      }

      private void onWriteSpace() {
        if (!waitingForSpace || writingOver) return;
        waitingForSpace = false;
        sendRest();
      }

      private void onStateChange(StateChange s) {
        TcpState from = state;
        state = s.to();
        if (s.to() != TcpState.TCP_CLOSE) sawOpen = true;
        if (s.to() == TcpState.TCP_ESTABLISHED && aborted) clock.tell(conn, new TcpProt.Close());
        if (s.to() == TcpState.TCP_ESTABLISHED && from != TcpState.TCP_ESTABLISHED && settings.connect() && connectedNs < 0) {
          connectedNs = clock.now();
          if (!writingOver && element == null && !upstreamDone && !hasBeenPulled(in)) pullNext();
          else if (upstreamDone && !writingOver && element == null) finishWriting();
        } else if (s.to() == TcpState.TCP_CLOSE) {
          if (!result.isDone()) failWith(new TcpSocketException(io.sendpath.tcp.Errno.EPIPE, bytesWritten));
          maybeLeave();
        }
      }

      private void onSockError(SockError e) {
        if (state == TcpState.TCP_CLOSE && !sawOpen) connectFailed = true;
        fail(e.errno());
      }

      private void onAcked(Acked a) {
        if (!ackAsked || result.isDone() || a.streamBytes() < bytesWritten) return;
        complete();
      }

      private void onLinger() {
        lingerScheduled = false;
        if (inFlight == 0) completeStage();
      }

      private void pullNext() {
        if (isClosed(in)) return;
        holdClock();
        pull(in);
      }

      /** Every element is written and the upstream is done: close() if so set, then wait for the ACK of the last byte. */
      private void finishWriting() {
        writingOver = true;
        if (settings.connect() && connectedNs < 0 && state != TcpState.TCP_CLOSE) {
          // upstream finished before the handshake: decide once ESTABLISHED (onStateChange)
          writingOver = false;
          return;
        }
        if (bytesWritten > 0) {
          ackAsked = true;
          clock.tell(conn, new TcpProt.NotifyAcked(bytesWritten));
        }
        if (settings.onUpstreamFinish() == TcpSinkSettings.OnUpstreamFinish.CLOSE) clock.tell(conn, new TcpProt.Close());
        if (bytesWritten == 0) complete();
      }

      private void complete() {
        if (result.isDone()) return;
        result.complete(new Result(bytesWritten, startNs, connectedNs, firstWriteNs, lastWriteNs, clock.now(), blockedNs, blockedWrites));
        maybeLeave();
      }

      private void fail(int errno) {
        failWith(new TcpSocketException(errno, bytesWritten));
      }

      private void failWith(Throwable cause) {
        writingOver = true;
        waitingForSpace = false;
        if (!isClosed(in)) cancel(in);
        releaseHold();
        if (!result.isDone()) result.completeExceptionally(cause);
        maybeLeave();
      }

      /** Upstream failure: abort the connection (close()) and fail with the cause. */
      private void abort(Throwable cause) {
        boolean wasOver = writingOver;
        aborted = !wasOver;
        if (aborted) clock.tell(conn, new TcpProt.Close());
        failWith(cause);
      }

      /**
       * The stage may go once nothing it sent awaits an answer and its result is decided: it hands
       * the socket over (or the socket is closed) and stops at the end of this instant.
       */
      private void maybeLeave() {
        if (inFlight != 0 || !result.isDone()) return;
        if (!leaving) {
          if (state == TcpState.TCP_CLOSE && (sawOpen || connectFailed)) {
            leaving = true;
          } else if (settings.ownerAfter() != null && !aborted) {
            // (an aborted sink stays: it must still close a socket whose handshake completes late)
            leaving = true;
            clock.tell(conn, new TcpProt.Attach(settings.ownerAfter()));
          }
        }
        if (leaving && !lingerScheduled) {
          lingerScheduled = true;
          clock.schedule(clock.now(), self, new Linger());
        }
      }

      private void holdClock() {
        if (holding) return;
        holding = true;
        clock.hold();
      }

      private void releaseHold() {
        if (!holding) return;
        holding = false;
        clock.release();
      }

      @Override
      public void postStop() {
        // the stream was torn down from outside (materializer shut down): never leave the clock held
        releaseHold();
        if (!result.isDone()) result.completeExceptionally(new IllegalStateException("TcpSink stopped before the result was decided"));
      }
    }
  }

  /** Read-only views of the ByteString's bytes, without copying. */
  static ByteBuffer[] buffersOf(ByteString bytes) {
    int n = 0;
    for (ByteBuffer ignored : bytes.getByteBuffers()) n++;
    ByteBuffer[] out = new ByteBuffer[n];
    int i = 0;
    for (ByteBuffer b : bytes.getByteBuffers()) out[i++] = b;
    return out;
  }
}
