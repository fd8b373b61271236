package io.sendpath.tcp;

import static io.sendpath.tcp.SocketHarness.ISS;
import static io.sendpath.tcp.SocketHarness.PEER_ISS;
import static io.sendpath.tcp.SocketHarness.us;
import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SO_SNDBUF against a real Linux 6.18 kernel. The numbers below were measured with packetdrill on
 * 6.18.44 (the scripts are launcher/src/test/resources/drill-kernel/sndbuf-*.pkt; sk_wmem_queued
 * read with {@code ss -tmi}'s skmem w field after every write): SO_SNDBUF 8192 before connect()
 * (sk_sndbuf 16384), the peer's MSS 1460, wscale 7 and a 256000-byte window, no timestamps or
 * SACK, CUBIC. Non-blocking writes of what is left; every 10 ms the peer acknowledges all that was
 * sent.
 *
 * <p>sk_sndbuf does not bound sk_wmem_queued: net/ipv4/tcp.c::tcp_sendmsg_locked() checks
 * sk_stream_memory_free() only before it allocates an skb. A full skb at the send head goes out
 * through tcp_push_one(), which sends one TSO packet and leaves the rest (tso_fragment()) as the
 * write-queue tail; the loop tops that tail up to size_goal again, with no memory check, until
 * the congestion window is used up. So one write may queue size_goal plus a whole cwnd, and the
 * overshoot grows with cwnd over slow start, in the kernel as in the core.
 */
class TcpSocketSndbufTest {
  /** What the peer's ACKs advertise: 2000 << wscale 7 = 256000 bytes. */
  static final int PEER_WIN = 2000;

  /** One write's outcome: bytes accepted (or -errno) and sk_wmem_queued right after it. */
  record Write(long accepted, long wmemQueued) {}

  /** Established with sk_sndbuf 16384 as the packetdrill scripts do it, RTT 10 ms. */
  static SocketHarness established() {
    SocketHarness h = new SocketHarness(TcpConfig.linuxDefaults(0), 0);
    h.socket.setSndbuf(0, 8192, 212992);
    h.socket.connect(0);
    h.drain();
    h.now = us(10_000);
    SkBuff synAck = segment(h, TcpFlags.SYN | TcpFlags.ACK, 0, 65535);
    synAck.seq = PEER_ISS;
    synAck.options.mss = 1460;
    synAck.options.wscale = 7;
    h.socket.rcv(h.now, synAck);
    h.drain();
    h.socket.rcv(h.now, segment(h, TcpFlags.ACK, 0, PEER_WIN)); // the window update to 256000
    h.drain();
    h.sent.clear();
    return h;
  }

  /** A peer segment acknowledging 'rel' stream bytes, without timestamps (not negotiated). */
  static SkBuff segment(SocketHarness h, int flags, long rel, int window) {
    SkBuff s = h.peer(flags, (int) (ISS + 1 + rel), window);
    s.options.timestamps = false;
    return s;
  }

  /** Non-blocking writes of what is left of 'total', each ACK round 10 ms after the previous. */
  static List<Write> run(long total) {
    SocketHarness h = established();
    List<Write> out = new ArrayList<>();
    long left = total;
    for (int round = 0; left > 0 && round < 50; round++) {
      if (round > 0) {
        h.now += us(10_000);
        h.socket.rcv(h.now, segment(h, TcpFlags.ACK, h.sentBytes(), PEER_WIN));
        tunDrain(h);
      }
      while (left > 0) {
        int before = h.results.size();
        h.socket.sendmsg(h.now, left, null, MsgFlags.MSG_DONTWAIT, 0);
        tunDrain(h);
        long[] r = h.results.get(before);
        out.add(new Write(r[2] != 0 ? -r[2] : r[1], h.sock.wmemQueued()));
        if (r[2] != 0) break;
        left -= r[1];
      }
    }
    return out;
  }

  /**
   * packetdrill's tun device: tun_net_xmit() orphans each skb, so tcp_wfree() runs before
   * dev_queue_xmit() returns and TSQ never holds the sender back (as the drill host does it).
   */
  static void tunDrain(SocketHarness h) {
    while (h.socket.xmitPending()) {
      h.socket.wfree(h.now, h.sent.get(h.sent.size() - 1).truesize);
      h.socket.xmitResult(h.now, io.sendpath.protocol.ops.NetXmit.SUCCESS);
    }
  }

  /**
   * Kernel skbs are 832 bytes of truesize over their data on 6.18 (skmem w less the payload), ours
   * SkBuff.SKB_OVERHEAD = 768: an skb count 'skbs' moves the kernel's sk_wmem_queued onto our scale.
   * Our core may also hold one skb fewer after a round that tso_fragment() splits differently.
   */
  static void assertLikeLinux(List<Write> actual, long[][] linux) {
    assertThat(actual).hasSize(linux.length);
    for (int i = 0; i < linux.length; i++) {
      long accepted = linux[i][0], wmemQueued = linux[i][1], skbs = linux[i][2];
      assertThat(actual.get(i).accepted()).as("write %d: bytes accepted (or -EAGAIN)", i).isEqualTo(accepted);
      long expected = wmemQueued - skbs * (832 - SkBuff.SKB_OVERHEAD);
      assertThat(actual.get(i).wmemQueued()).as("write %d: sk_wmem_queued (6.18: %d in %d skbs)", i, wmemQueued, skbs)
          .isBetween(expected - SkBuff.SKB_OVERHEAD, expected);
      assertThat(actual.get(i).wmemQueued()).as("write %d: above sk_sndbuf", i).isGreaterThan(16384);
    }
  }

  static final long EAGAIN = -Errno.EAGAIN;

  @Test
  void sndbuf16k_nonblockingWrite64k_acceptsItAll_likeLinux() {
    // 6.18: all 65536 accepted at once; skmem w70528 = 65536 + 6 skbs (5 TSO packets sent, the tail)
    assertLikeLinux(run(65536), new long[][] {{65536, 70528, 6}});
  }

  @Test
  void sndbuf16k_nonblockingWrites256k_overshootGrowsWithCwnd_likeLinux() {
    // 6.18: 78840 = size_goal 64240 + cwnd 10 x 1460 at once; then per ACK round what the tail's
    // top-ups take while cwnd (20, then 40) lasts; EAGAIN while sk_wmem_queued >= sk_sndbuf
    // after the round; the rest once the queue is back under 16384 before the write.
    assertLikeLinux(run(262144), new long[][] {
        {78840, 83832, 6}, {EAGAIN, 83832, 6},
        {29200, 100096, 8}, {EAGAIN, 100096, 8},
        {58400, 129296, 8}, {EAGAIN, 129296, 8},
        {EAGAIN, 67568, 4},
        {95704, 99032, 4}});
  }
}
