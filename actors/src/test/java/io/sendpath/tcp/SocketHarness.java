package io.sendpath.tcp;

import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.NetXmit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Packet-script fixture for {@link TcpSocket} over a {@link TcpSock}: a virtual clock of its own
 * that runs the socket's steps and timers in time order, IP that answers every transmit at once
 * (NET_XMIT_SUCCESS) and frees the clone at once unless {@link #autoFree} is off, and the
 * peer's segments. Times in µs for readability.
 */
final class SocketHarness implements TcpSocket.Effects {
  static final int ISS = TcpHarness.ISS, PEER_ISS = TcpHarness.PEER_ISS, PEER_WSCALE = TcpHarness.PEER_WSCALE;

  final TcpSocket socket;
  final TcpSock sock;
  /** Virtual time, ns. */
  long now;
  final List<SkBuff> sent = new ArrayList<>();
  /** Every write result: {time ns, accepted, errno}. */
  final List<long[]> results = new ArrayList<>();
  final List<Long> acked = new ArrayList<>();
  final List<Integer> errors = new ArrayList<>();
  int writeSpace;
  /** Pending steps the socket asked for (virtual times, ns). */
  final List<Long> steps = new ArrayList<>();
  boolean autoFree = true;
  /** Truesize of clones handed down and not yet freed, oldest first. */
  final ArrayDeque<Integer> unfreed = new ArrayDeque<>();
  int peerTsVal = 7777;
  int peerWindow = 4 << 20;

  SocketHarness(TcpConfig cfg, long copyBytesPerSec) {
    socket = new TcpSocket(copyBytesPerSec, this);
    sock = new TcpSock(cfg, TcpHarness.FLOW, 7, ISS, new Payload.Generated(1, 7), socket);
    socket.bind(sock);
  }

  static long us(double u) {
    return (long) (u * 1000);
  }

  /** ESTABLISHED after a SYN at 0 and the SYN-ACK at 'rttUs' (peer MSS 1460, wscale 7, SACK, TS). */
  static SocketHarness established(TcpConfig cfg, long copyBytesPerSec, double rttUs) {
    SocketHarness h = new SocketHarness(cfg, copyBytesPerSec);
    h.socket.connect(0);
    h.drain();
    SkBuff syn = h.sent.get(0);
    h.now = us(rttUs);
    SkBuff synAck = h.peer(TcpFlags.SYN | TcpFlags.ACK, ISS + 1, 65535);
    synAck.seq = PEER_ISS;
    synAck.options.mss = 1460;
    synAck.options.wscale = PEER_WSCALE;
    synAck.options.sackOk = true;
    synAck.options.tsEcr = syn.options.tsVal;
    h.socket.rcv(h.now, synAck);
    h.drain();
    h.sent.clear();
    return h;
  }

  SkBuff peer(int flags, int ack, int window) {
    SkBuff s = new SkBuff();
    s.flow = TcpHarness.FLOW.reverse();
    s.seq = PEER_ISS + 1;
    s.ackSeq = ack;
    s.tcpFlags = flags;
    s.window = window;
    s.truesize = SkBuff.truesizeFor(0);
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = peerTsVal++;
    o.tsEcr = 0;
    s.options = o;
    return s;
  }

  /** An ACK for 'rel' stream bytes, at the current time. */
  SkBuff ackSeg(long rel) {
    return peer(TcpFlags.ACK, (int) (ISS + 1 + rel), peerWindow >> PEER_WSCALE);
  }

  void rcvAck(long rel) {
    socket.rcv(now, ackSeg(rel));
    drain();
  }

  /** Answers pending transmits at once; frees them unless autoFree is off. */
  void drain() {
    ArrayDeque<Integer> toFree = new ArrayDeque<>();
    while (true) {
      while (socket.xmitPending()) {
        SkBuff last = sent.get(sent.size() - 1);
        socket.xmitResult(now, NetXmit.SUCCESS);
        if (autoFree) toFree.add(last.truesize);
        else unfreed.add(last.truesize);
      }
      if (toFree.isEmpty()) return;
      socket.wfree(now, toFree.poll());
    }
  }

  /** TX completion of the oldest clone held back. */
  void freeOne() {
    socket.wfree(now, unfreed.poll());
    drain();
  }

  /** Runs steps and timers in time order up to 'toNs' (inclusive); the clock ends at toNs. */
  void runTo(long toNs) {
    while (runNext(toNs)) { }
    now = Math.max(now, toNs);
  }

  /** Runs the next step or timer if it is due by 'limitNs'; false when none is. */
  boolean runNext(long limitNs) {
    long step = Long.MAX_VALUE;
    for (long s : steps) step = Math.min(step, s);
    long timer = socket.nextTimerAt();
    long next = Math.min(step, timer);
    if (next > limitNs) return false;
    now = Math.max(now, next);
    if (step <= timer) {
      steps.remove(Long.valueOf(step));
      socket.step(now);
    } else {
      socket.onTimer(now);
    }
    drain();
    return true;
  }

  /** Runs events until 'n' write results are in (at most until 'limitNs'). */
  void runUntilResults(int n, long limitNs) {
    while (results.size() < n && runNext(limitNs)) { }
  }

  void write(long bytes, int flags, long sndtimeoNs) {
    socket.sendmsg(now, bytes, null, flags, sndtimeoNs);
    drain();
  }

  long sentBytes() {
    long n = 0;
    for (SkBuff s : sent) n += s.len;
    return n;
  }

  @Override public void queueXmit(SkBuff skb) { sent.add(skb); }
  @Override public void writeSpace() { writeSpace++; }
  @Override public void stateChange(TcpState from, TcpState to) { }
  @Override public void error(int errno) { errors.add(errno); }
  @Override public void scheduleStep(long at) { steps.add(at); }
  @Override public void sendResult(long accepted, int errno) { results.add(new long[] {now, accepted, errno}); }
  @Override public void acked(long streamBytes) { acked.add(streamBytes); }
}
