package io.sendpath.tcp;

import static io.sendpath.tcp.SocketHarness.ISS;
import static io.sendpath.tcp.SocketHarness.us;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The socket lock, send-buffer waits and TSQ deferral of {@link TcpSocket}, in virtual time. */
class TcpSocketTest {
  static final TcpConfig TSO = TcpConfig.linuxDefaults(0);
  /** No TSO: one MSS (1448 bytes) per skb, so skb counts are easy to follow. */
  static final TcpConfig NO_TSO = TcpConfig.from(Sysctls.linuxDefaults(), 1500, 0, false, 0);
  static final long GBPS = 1_000_000_000L;

  @Nested
  class Lock {
    @Test
    void owned_ackArrives_waitsInBacklog_processedAtRelease() {
      SocketHarness h = SocketHarness.established(TSO, GBPS, 100);
      h.write(60_000, 0, 0); // 31856 + 28144 bytes at 1 GB/s: the write returns at 160 µs
      assertThat(h.socket.owned()).isTrue();
      h.now = us(110);
      h.rcvAck(h.sentBytes());
      assertThat(h.socket.backlogSize()).isEqualTo(1);
      assertThat(h.sock.sndUnaSeq()).as("not processed while the user owns the socket").isEqualTo(ISS + 1);

      h.runTo(us(159));
      assertThat(h.results).isEmpty();
      assertThat(h.sock.sndUnaSeq()).isEqualTo(ISS + 1);
      h.runTo(us(160));
      assertThat(h.results).hasSize(1);
      assertThat(h.results.get(0)).containsExactly(us(160), 60_000, 0);
      assertThat(h.socket.owned()).isFalse();
      assertThat(h.socket.backlogSize()).isZero();
      assertThat(h.sock.sndUnaSeq()).as("release_sock ran the backlog").isNotEqualTo(ISS + 1);
    }

    @Test
    void owned_backlogOverLimit_dropsAndCountsTcpBacklogDrop() {
      SocketHarness h = SocketHarness.established(TSO, GBPS, 100);
      h.write(60_000, 0, 0);
      // tcp_add_backlog(): 2 × sk_rcvbuf + sk_sndbuf / 2 + 64 KiB, against the truesize already queued
      long limit = (h.sock.rcvbuf() << 1) + (h.sock.sndbuf() >> 1) + 65536;
      assertThat(limit).isEqualTo(2 * 131072 + 87040 / 2 + 65536);
      int truesize = 100_000;
      long accepted = limit / truesize + 1;
      for (int i = 0; i < accepted + 3; i++) {
        SkBuff ack = h.ackSeg(0);
        ack.truesize = truesize;
        h.socket.rcv(h.now, ack);
      }
      assertThat(h.socket.backlogSize()).isEqualTo((int) accepted);
      assertThat(h.sock.counters().TcpExtTCPBacklogDrop).isEqualTo(3);
      assertThat(h.sock.info(h.now).backlogDrops()).isEqualTo(3);
      h.runUntilResults(1, us(1000));
      assertThat(h.socket.backlogSize()).isZero();
    }

    @Test
    void owned_writeTimerFires_deferredUntilRelease_thenRuns() {
      SocketHarness h = SocketHarness.established(TSO, 100_000, 100); // 100 kB/s: slow copies
      h.write(1000, 0, 0);
      h.runUntilResults(1, us(20_000));
      h.runTo(us(20_000));
      h.write(60_000, 0, 0);
      long due = h.sock.writeTimerAt();
      assertThat(due).as("a loss probe is armed").isLessThan(us(40_000));
      h.runTo(due + us(1000));
      assertThat(h.socket.owned()).isTrue();
      assertThat(h.socket.deferredFlags() & TcpSocket.WRITE_TIMER_DEFERRED).isNotZero();
      assertThat(h.socket.nextTimerAt()).as("a deferred timer is not asked for again").isGreaterThan(due + us(1000));
      assertThat(h.sock.counters().TcpExtTCPLossProbes).isZero();

      // the write returns after 600 ms of copying (60000 bytes at 100 kB/s), at 620 ms
      h.runTo(us(619_999));
      assertThat(h.socket.owned()).isTrue();
      assertThat(h.sock.writeTimerAt()).as("still due, still deferred").isLessThanOrEqualTo(h.now);
      h.runTo(us(620_000));
      assertThat(h.results).hasSize(2);
      assertThat(h.results.get(1)[0]).isEqualTo(us(620_000));
      // tcp_release_cb ran tcp_write_timer_handler: the loss probe found the window full and re-armed the RTO
      assertThat(h.socket.deferredFlags()).isZero();
      assertThat(h.sock.writeTimerAt()).isGreaterThan(us(620_000));
    }

    @Test
    void owned_tcpWfreeOfThrottledSocket_setsTsqDeferred_transmitsOnlyAfterTheOwnerPushes() {
      SocketHarness h = SocketHarness.established(NO_TSO.withLimitOutputBytes(1), GBPS, 100);
      h.autoFree = false;
      h.write(20 * 1448, 0, 0);
      h.runTo(us(103)); // three 1448-byte copies: the third skb meets TSQ
      assertThat(h.sent).hasSize(2);
      assertThat(h.sock.counters().tsqThrottled).isEqualTo(1);
      h.freeOne();
      h.freeOne();
      assertThat(h.sent).as("tcp_wfree with the user owning the socket only sets TCP_TSQ_DEFERRED").hasSize(2);
      assertThat(h.socket.deferredFlags() & TcpSocket.TSQ_DEFERRED).isNotZero();
      h.runUntilResults(1, us(1000));
      assertThat(h.socket.deferredFlags()).isZero();
      assertThat(h.sent).hasSize(3);
      assertThat(h.sent.get(2).tstampNs).isGreaterThanOrEqualTo(us(103));
    }

    @Test
    void copying_every16thNewSkb_flushesTheBacklog_withoutReleasingTheLock() {
      SocketHarness h = SocketHarness.established(NO_TSO, GBPS, 100);
      h.write(30 * 1448, 0, 0); // one skb per 1.448 µs
      h.runTo(us(102));
      h.rcvAck(1448);
      assertThat(h.socket.backlogSize()).isEqualTo(1);
      h.runTo(us(100) + 16 * 1448 - 1); // 16 skbs allocated
      assertThat(h.sock.sndUnaSeq()).isEqualTo(ISS + 1);
      h.runTo(us(100) + 16 * 1448); // the 17th asks: sk_flush_backlog()
      assertThat(h.socket.backlogSize()).isZero();
      assertThat(h.sock.sndUnaSeq()).isEqualTo(ISS + 1 + 1448);
      assertThat(h.socket.owned()).as("sk_flush_backlog keeps the socket owned").isTrue();
      assertThat(h.results).isEmpty();
      h.runUntilResults(1, us(1000));
      assertThat(h.results.get(0)[1]).isEqualTo(30 * 1448);
    }
  }

  @Nested
  class SendBufferWaits {
    /** A socket with SO_SNDBUF 8192 (sk_sndbuf 16384, locked), copies taking no time. */
    private SocketHarness small(long copyRate) {
      SocketHarness h = SocketHarness.established(TSO, copyRate, 100);
      h.socket.setSndbuf(h.now, 8192, 212992);
      h.drain();
      return h;
    }

    @Test
    void full_blockingWrite_releasesTheLockWhileWaiting_acksProcessedDirectly_oneResultWithEverything() {
      SocketHarness h = small(0);
      h.write(100_000, 0, 0);
      assertThat(h.results).isEmpty();
      assertThat(h.socket.sleeping()).isTrue();
      assertThat(h.socket.owned()).as("sk_stream_wait_memory() releases the lock").isFalse();
      assertThat(h.socket.sndbufWaits()).isEqualTo(1);
      long sent = h.sentBytes();
      h.now += us(100);
      h.rcvAck(sent);
      assertThat(h.socket.backlogSize()).isZero();
      assertThat(h.sock.sndUnaSeq()).as("the ACK is processed at once").isEqualTo((int) (ISS + 1 + sent));
      for (int i = 0; i < 200 && h.results.isEmpty(); i++) {
        h.now += us(100);
        h.rcvAck(h.sentBytes());
        h.runTo(h.now);
      }
      assertThat(h.results).hasSize(1);
      assertThat(h.results.get(0)[1]).isEqualTo(100_000);
      assertThat(h.results.get(0)[2]).isZero();
      assertThat(h.socket.sndbufWaits()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void full_sndtimeoExpires_returnsWhatWasCopied_thenEagainWhenNothingFits() {
      SocketHarness h = small(0);
      long t0 = h.now;
      h.write(100_000, 0, 50_000_000L);
      h.runTo(t0 + 49_999_999L);
      assertThat(h.results).isEmpty();
      h.runTo(t0 + 50_000_000L);
      assertThat(h.results).hasSize(1);
      long[] r = h.results.get(0);
      assertThat(r[0]).isEqualTo(t0 + 50_000_000L);
      assertThat(r[1]).isBetween(1L, 99_999L);
      assertThat(r[2]).isZero();

      long t1 = h.now;
      h.write(100_000, 0, 20_000_000L);
      h.runUntilResults(2, t1 + 30_000_000L);
      assertThat(h.results.get(1)).containsExactly(t1 + 20_000_000L, 0, io.sendpath.tcp.Errno.EAGAIN);
    }

    @Test
    void full_msgDontwait_partialThenEagainAtOnce() {
      SocketHarness h = small(0);
      h.write(100_000, MsgFlags.MSG_DONTWAIT, 0);
      assertThat(h.results).hasSize(1);
      assertThat(h.results.get(0)[1]).isBetween(1L, 99_999L);
      h.write(100_000, MsgFlags.MSG_DONTWAIT, 0);
      assertThat(h.results).hasSize(2);
      assertThat(h.results.get(1)).containsExactly(h.now, 0, io.sendpath.tcp.Errno.EAGAIN);
      assertThat(h.socket.sndbufWaits()).as("MSG_DONTWAIT never sleeps").isZero();
    }

    @Test
    void sleeping_wokenOnlyWhenFreeSpaceIsHalfOfWhatIsQueued() {
      SocketHarness h = small(GBPS);
      h.write(200_000, 0, 0);
      h.runTo(h.now + us(100));
      assertThat(h.socket.sleeping()).isTrue();
      int freeButNotWoken = 0, wakes = 0;
      long acked = 0;
      for (int i = 0; i < 2000 && h.results.isEmpty(); i++) {
        h.now += us(10);
        if (h.socket.sleeping()) {
          int before = h.writeSpace;
          acked = Math.min(acked + 1448, h.sentBytes());
          h.rcvAck(acked);
          long queued = h.sock.wmemQueued(), free = h.sock.sndbuf() - queued;
          if (h.writeSpace > before) {
            wakes++;
            assertThat(free).as("sk_stream_write_space: free >= queued / 2").isGreaterThanOrEqualTo(queued / 2);
            assertThat(h.steps).as("the writer is woken").isNotEmpty();
          } else if (queued < h.sock.sndbuf()) {
            freeButNotWoken++;
            assertThat(h.steps).isEmpty();
          }
        } else {
          acked = h.sentBytes();
          h.rcvAck(acked);
        }
        h.runTo(h.now);
      }
      assertThat(h.results).hasSize(1);
      assertThat(h.results.get(0)[1]).isEqualTo(200_000);
      assertThat(wakes).isPositive();
      assertThat(freeButNotWoken).as("memory free but under the wake threshold happened and did not wake").isPositive();
    }

    @Test
    void notsentLowat_writerSleepsWithSndbufRoom_untilUnsentBytesFallBelowHalfTheMark() {
      SocketHarness h = SocketHarness.established(TSO, 0, 100);
      h.socket.setNotsentLowat(h.now, 10_000);
      h.write(100_000, 0, 0);
      assertThat(h.socket.sleeping()).isTrue();
      assertThat(h.sock.wmemQueued()).isLessThan(h.sock.sndbuf());
      assertThat(h.sock.writeQueueBytes()).isGreaterThanOrEqualTo(10_000);
      int wakes = 0;
      for (int i = 0; i < 500 && h.results.isEmpty(); i++) {
        h.now += us(100);
        boolean sleeping = h.socket.sleeping();
        int before = h.writeSpace;
        h.rcvAck(h.sentBytes());
        if (sleeping && h.writeSpace > before) {
          wakes++;
          // tcp_stream_memory_free(sk, 1): unsent bytes, doubled, under TCP_NOTSENT_LOWAT
          assertThat(h.sock.writeQueueBytes() * 2).isLessThan(10_000);
        }
        h.runTo(h.now);
      }
      assertThat(wakes).isPositive();
      assertThat(h.results).hasSize(1);
      assertThat(h.results.get(0)[1]).isEqualTo(100_000);
    }

    @Test
    void handshake_sndbufExpands_unlessSoSndbufLockedIt() {
      SocketHarness auto = SocketHarness.established(TSO, 0, 100);
      // tcp_sndbuf_expand(): 2 × max(10, cwnd) × (roundup_pow_of_two(1460 + 320 + 320) + 256)
      assertThat(auto.sock.sndbuf()).isEqualTo(2L * 10 * (4096 + 256));

      SocketHarness locked = new SocketHarness(TSO, 0);
      locked.socket.setSndbuf(0, 10_000, 212992);
      locked.socket.connect(0);
      locked.drain();
      SkBuff synAck = locked.peer(io.sendpath.protocol.TcpFlags.SYN | io.sendpath.protocol.TcpFlags.ACK, ISS + 1, 65535);
      synAck.seq = SocketHarness.PEER_ISS;
      synAck.options.mss = 1460;
      synAck.options.wscale = 7;
      locked.now = us(100);
      locked.socket.rcv(locked.now, synAck);
      locked.drain();
      assertThat(locked.sock.state()).isEqualTo(TcpState.TCP_ESTABLISHED);
      assertThat(locked.sock.sndbuf()).as("SOCK_SNDBUF_LOCK: twice SO_SNDBUF").isEqualTo(20_000);
    }
  }

  @Nested
  class Data {
    @Test
    void realBytes_cloneKeepsThemAfterTheAckFreesTheSendBuffer() {
      SocketHarness h = SocketHarness.established(TSO, 0, 100);
      byte[] bytes = new byte[5000];
      new SplittableRandom(42).nextBytes(bytes);
      ByteBuffer[] data = {ByteBuffer.wrap(bytes, 0, 3000).asReadOnlyBuffer(), ByteBuffer.wrap(bytes, 3000, 2000).asReadOnlyBuffer()};
      h.socket.sendmsg(h.now, 5000, data, 0, 0);
      h.drain();
      assertThat(h.results.get(0)[1]).isEqualTo(5000);
      SkBuff clone = h.sent.get(0);
      assertThat(clone.len).isEqualTo(5000);
      h.now += us(100);
      h.rcvAck(5000);
      assertThat(h.socket.sendBuffer().chunks()).as("acknowledged bytes leave the send buffer").isZero();
      byte[] out = new byte[5000];
      clone.payload.copyTo(clone.streamOffset, out, 0, 5000);
      assertThat(out).isEqualTo(bytes);
    }

    @Test
    void notifyAcked_answersOnceWhenSndUnaCoversTheBytes() {
      SocketHarness h = SocketHarness.established(TSO, 0, 100);
      h.write(3000, 0, 0);
      h.socket.notifyAcked(h.now, 2000);
      assertThat(h.acked).isEmpty();
      h.now += us(100);
      h.rcvAck(1448);
      assertThat(h.acked).isEmpty();
      h.rcvAck(3000);
      assertThat(h.acked).containsExactly(2000L);
      h.socket.notifyAcked(h.now, 3000);
      assertThat(h.acked).as("already acknowledged: at once").containsExactly(2000L, 3000L);
    }
  }

  @Nested
  class Errors {
    @Test
    void closed_write_epipe() {
      SocketHarness h = new SocketHarness(TSO, 0);
      h.write(100, 0, 0);
      assertThat(h.results.get(0)).containsExactly(0L, 0, io.sendpath.tcp.Errno.EPIPE);
    }

    @Test
    void sleeping_connectionReset_wakesWithEconnreset() {
      SocketHarness h = SocketHarness.established(TSO, 0, 100);
      h.socket.setSndbuf(h.now, 8192, 212992);
      h.write(100_000, 0, 0);
      long copied = h.sock.writeStreamOffset();
      assertThat(h.socket.sleeping()).isTrue();
      h.now += us(100);
      SkBuff rst = h.peer(io.sendpath.protocol.TcpFlags.RST, ISS + 1, 0);
      h.socket.rcv(h.now, rst);
      h.drain();
      h.runTo(h.now);
      assertThat(h.results).hasSize(1);
      assertThat(h.results.get(0)[1]).as("what was copied is reported, errno 0").isEqualTo(copied);
      assertThat(h.socket.skErr()).as("the error stays on the socket").isEqualTo(io.sendpath.tcp.Errno.ECONNRESET);
    }
  }

  @Nested
  class Chronographs {
    @Test
    void established_windowTooSmall_rwndLimitedUntilTheWindowOpens_busyWhileDataIsQueued() {
      SocketHarness h = SocketHarness.established(TSO, 0, 100);
      h.write(1000, 0, 0); // busy from 100 µs
      h.now = us(200);
      h.peerWindow = 1024;
      h.rcvAck(1000); // everything acknowledged: busy stops; the peer's window shrinks to 1 KiB
      TcpInfo idle = h.sock.info(us(300));
      assertThat(idle.busyUs()).isEqualTo(100);
      h.now = us(300);
      h.write(10_000, 0, 0); // the head skb does not fit the window: rwnd limited from 300 µs
      h.now = us(500);
      h.peerWindow = 4 << 20;
      h.rcvAck(1000); // a window update: tcp_write_xmit sends, the rwnd-limited chronograph stops
      TcpInfo info = h.sock.info(us(600));
      assertThat(info.rwndLimitedUs()).isEqualTo(200);
      assertThat(info.busyUs()).as("busy is the sum of the three chronographs").isEqualTo(100 + 300);
      assertThat(info.sndbufLimitedUs()).isZero();
    }
  }
}
