package io.sendpath.actors.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.actors.TcpProt;
import io.sendpath.protocol.Payload;
import io.sendpath.sim.VirtualClock;
import io.sendpath.tcp.Errno;
import io.sendpath.tcp.TcpState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sink against a fake connection: a probe that answers like a socket would. The clock is never
 * started, so virtual time stays 0; what is checked is the message order and the clock's count of
 * outstanding work (each message the fake sends is counted with clock.tell, as a connection does).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpSinkTest {
  private final ActorTestKit kit = ActorTestKit.create();
  private final Materializer mat = Materializer.matFromSystem(kit.system());

  @AfterAll
  void shutdown() {
    kit.shutdownTestKit();
  }

  private static ByteString bytes(int n, int from) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (from + i);
    return ByteString.fromArrayUnsafe(b);
  }

  private static byte[] concat(ByteBuffer[] data) {
    int n = 0;
    for (ByteBuffer b : data) n += b.remaining();
    byte[] out = new byte[n];
    int off = 0;
    for (ByteBuffer b : data) {
      ByteBuffer d = b.duplicate();
      int len = d.remaining();
      d.get(out, off, len);
      off += len;
    }
    return out;
  }

  /** Waits until the clock's count of outstanding work is 'n' (the stage works on another thread). */
  private static void awaitOutstanding(VirtualClock clock, long n) throws InterruptedException {
    for (int i = 0; i < 500 && clock.outstanding() != n; i++) Thread.sleep(10);
    assertThat(clock.outstanding()).isEqualTo(n);
  }

  @Test
  void closed_connectThenThreeWrites_eachPulledAfterTheLastReturned_closesAndCompletesOnAck() throws Exception {
    VirtualClock clock = new VirtualClock();
    TestProbe<TcpProt.Command> conn = kit.createTestProbe();
    CompletionStage<TcpSink.Result> done = Source.from(List.of(bytes(100, 0), bytes(50, 100), bytes(10, 150)))
        .runWith(TcpSink.create(clock, conn.getRef(), TcpSinkSettings.defaults()), mat);

    TcpProt.Attach attach = conn.expectMessageClass(TcpProt.Attach.class);
    ActorRef<TcpProt.SockEvent> sock = attach.owner();
    conn.expectMessageClass(TcpProt.Connect.class);
    // the materialization hold is released once Attach and Connect are counted; the probe does not report them
    awaitOutstanding(clock, 2);
    conn.expectNoMessage(Duration.ofMillis(50)); // nothing is written before ESTABLISHED

    clock.tell(sock, new TcpProt.StateChange(TcpState.TCP_SYN_SENT, TcpState.TCP_ESTABLISHED));
    TcpProt.SendMsg first = conn.expectMessageClass(TcpProt.SendMsg.class);
    assertThat(first.bytes()).isEqualTo(100);
    assertThat(concat(first.data())).isEqualTo(bytes(100, 0).toArray());
    assertThat(first.data()[0].isReadOnly()).isTrue();
    conn.expectNoMessage(Duration.ofMillis(50)); // the next element waits for the SendResult
    awaitOutstanding(clock, 3); // Attach, Connect, SendMsg: the event and the pull's hold are done

    clock.tell(sock, new TcpProt.SendResult(100));
    assertThat(conn.expectMessageClass(TcpProt.SendMsg.class).bytes()).isEqualTo(50);
    clock.tell(sock, new TcpProt.SendResult(50));
    assertThat(conn.expectMessageClass(TcpProt.SendMsg.class).bytes()).isEqualTo(10);
    clock.tell(sock, new TcpProt.SendResult(10));
    assertThat(conn.expectMessageClass(TcpProt.NotifyAcked.class).streamBytes()).isEqualTo(160);
    conn.expectMessageClass(TcpProt.Close.class);
    assertThat(done.toCompletableFuture().isDone()).isFalse();

    clock.tell(sock, new TcpProt.Acked(160));
    TcpSink.Result r = done.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(r.bytesWritten()).isEqualTo(160);
    assertThat(r.connectedNs()).isZero();
    assertThat(r.ackedNs()).isZero();
    // the stage stays the socket's owner until TCP_CLOSE; every event it took was reported
    clock.tell(sock, new TcpProt.StateChange(TcpState.TCP_ESTABLISHED, TcpState.TCP_FIN_WAIT1));
    awaitOutstanding(clock, 7); // Attach, Connect, 3 SendMsg, NotifyAcked, Close
  }

  @Test
  void established_connectionReset_failsWithEconnreset_andTheErrnoName() throws Exception {
    VirtualClock clock = new VirtualClock();
    TestProbe<TcpProt.Command> conn = kit.createTestProbe();
    CompletionStage<TcpSink.Result> done = Source.repeat(bytes(1000, 0))
        .runWith(TcpSink.create(clock, conn.getRef(), TcpSinkSettings.defaults().withConnect(false)), mat);
    ActorRef<TcpProt.SockEvent> sock = conn.expectMessageClass(TcpProt.Attach.class).owner();
    conn.expectMessageClass(TcpProt.SendMsg.class);
    clock.tell(sock, new TcpProt.SendResult(1000));
    conn.expectMessageClass(TcpProt.SendMsg.class);
    clock.tell(sock, new TcpProt.SockError(Errno.ECONNRESET));
    clock.tell(sock, new TcpProt.SendResult(0, Errno.ECONNRESET));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> done.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(TcpSocketException.class);
    TcpSocketException t = (TcpSocketException) e.getCause();
    assertThat(t.errno()).isEqualTo(Errno.ECONNRESET);
    assertThat(t.errnoName()).isEqualTo("ECONNRESET");
    assertThat(t.bytesWritten()).isEqualTo(1000);
    conn.expectNoMessage(Duration.ofMillis(50)); // no further write after the error
  }

  @Test
  void established_writeCutShortBySndtimeo_resendsTheRest_orFailsWithEagain() throws Exception {
    for (TcpSinkSettings.OnSndtimeo mode : TcpSinkSettings.OnSndtimeo.values()) {
      VirtualClock clock = new VirtualClock();
      TestProbe<TcpProt.Command> conn = kit.createTestProbe();
      TcpSinkSettings settings = TcpSinkSettings.defaults().withConnect(false).withSndtimeo(Duration.ofMillis(5)).withOnSndtimeo(mode);
      CompletionStage<TcpSink.Result> done = Source.single(bytes(100, 0)).runWith(TcpSink.create(clock, conn.getRef(), settings), mat);
      ActorRef<TcpProt.SockEvent> sock = conn.expectMessageClass(TcpProt.Attach.class).owner();
      TcpProt.SendMsg m = conn.expectMessageClass(TcpProt.SendMsg.class);
      assertThat(m.sndtimeoNs()).isEqualTo(5_000_000L);
      clock.tell(sock, new TcpProt.SendResult(30)); // SO_SNDTIMEO ran out after 30 bytes
      if (mode == TcpSinkSettings.OnSndtimeo.RESEND) {
        TcpProt.SendMsg rest = conn.expectMessageClass(TcpProt.SendMsg.class);
        assertThat(rest.bytes()).isEqualTo(70);
        assertThat(concat(rest.data())).isEqualTo(bytes(70, 30).toArray());
        clock.tell(sock, new TcpProt.SendResult(70));
        conn.expectMessageClass(TcpProt.NotifyAcked.class);
        clock.tell(sock, new TcpProt.Acked(100));
        assertThat(done.toCompletableFuture().get(5, TimeUnit.SECONDS).bytesWritten()).isEqualTo(100);
      } else {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> done.toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertThat(((TcpSocketException) e.getCause()).errnoName()).isEqualTo("EAGAIN");
      }
    }
  }

  @Test
  void established_upstreamFails_closesTheConnection_andFailsWithTheCause() throws Exception {
    VirtualClock clock = new VirtualClock();
    TestProbe<TcpProt.Command> conn = kit.createTestProbe();
    IllegalStateException boom = new IllegalStateException("boom");
    CompletionStage<TcpSink.Result> done = Source.<ByteString>failed(boom)
        .runWith(TcpSink.create(clock, conn.getRef(), TcpSinkSettings.defaults().withConnect(false)), mat);
    conn.expectMessageClass(TcpProt.Attach.class);
    conn.expectMessageClass(TcpProt.Close.class);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> done.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertThat(e.getCause()).isSameAs(boom);
    awaitOutstanding(clock, 2); // Attach and Close, counted for the fake; no hold left behind
  }

  @Test
  void generatedPayload_windowsCrossingTheTableEnd_matchThePayloadFunction() {
    Payload.Generated p = new Payload.Generated(5, 3);
    long crossing = Payload.Generated.PERIOD - p.tablePosition(0) - 100; // a window that wraps
    for (long off : new long[] {0, 12345, crossing}) {
      ByteString w = PayloadSource.window(p, off, 4096);
      byte[] expected = new byte[4096];
      p.copyTo(off, expected, 0, 4096);
      assertThat(w.toArray()).isEqualTo(expected);
    }
    assertThat(TcpSink.buffersOf(PayloadSource.window(p, crossing, 4096))).hasSize(2);
  }
}
