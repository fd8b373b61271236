package io.sendpath.tcp;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.Payload;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.protocol.ops.NetXmit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Packet-script fixture for {@link TcpSock}: collects what the core hands down, answers every
 * queueXmit at the same instant (NET_XMIT_SUCCESS unless a test queues another answer), and
 * builds the peer's segments. Times are in ms for readability.
 */
final class TcpHarness implements TcpOutput {
  static final FlowKey FLOW = new FlowKey(0x0A000001, 0x0A000002, 40000, 5001);
  static final int ISS = 1000;
  static final int PEER_ISS = 5000;
  static final int PEER_WSCALE = 7;

  final TcpSock sock;
  /** Every skb handed down, in order. */
  final List<SkBuff> sent = new ArrayList<>();
  /** Index of the first skb not yet taken by expect*(). */
  int cursor;
  final List<String> stateChanges = new ArrayList<>();
  final List<Integer> errors = new ArrayList<>();
  int writeSpace;
  /** Answers for the next queueXmit calls; SUCCESS when empty. */
  final ArrayDeque<Integer> answers = new ArrayDeque<>();
  /** When true, clones are freed (wfree) right after a SUCCESS answer. */
  boolean autoFree = true;
  /** Truesize of clones handed down but not yet freed, oldest first. */
  final ArrayDeque<Integer> unfreed = new ArrayDeque<>();
  /** The peer's next sequence number (PEER_ISS + 1 after the SYN, + 1 after its FIN). */
  int peerSeq = PEER_ISS + 1;
  /** Peer's TS val clock. */
  int peerTsVal = 7777;
  /** Peer's receive window in bytes (advertised with PEER_WSCALE). */
  int peerWindow = 4 << 20;

  TcpHarness(TcpConfig cfg) {
    sock = new TcpSock(cfg, FLOW, 7, ISS, new Payload.Generated(1, 7), this);
  }

  static long ms(double m) {
    return (long) (m * 1_000_000L);
  }

  /** A socket in ESTABLISHED after SYN at 0 and SYN-ACK at rttMs (peer MSS 1460, wscale 7, SACK, TS). */
  static TcpHarness established(TcpConfig cfg, double rttMs) {
    return established(cfg, rttMs, true);
  }

  /** As above; without 'sack' the peer offers no SACK, so the sender counts duplicate ACKs (a Reno sender). */
  static TcpHarness established(TcpConfig cfg, double rttMs, boolean sack) {
    TcpHarness h = new TcpHarness(cfg);
    h.sock.connect(0);
    h.drain(0);
    SkBuff syn = h.next();
    SkBuff synAck = h.peerSegment(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, ISS + 1, 65535);
    synAck.options.mss = 1460;
    synAck.options.wscale = PEER_WSCALE;
    synAck.options.sackOk = sack;
    synAck.options.tsEcr = syn.options.tsVal;
    h.sock.rcv(ms(rttMs), synAck);
    h.drain(ms(rttMs));
    SkBuff ack = h.next();
    if (ack.tcpFlags != TcpFlags.ACK) throw new AssertionError("expected the handshake ACK, got " + ack);
    return h;
  }

  /** Answers pending transmits until the core is idle; with autoFree, TX completion follows. */
  void drain(long now) {
    ArrayDeque<Integer> toFree = new ArrayDeque<>();
    while (true) {
      while (sock.xmitPending()) {
        int code = answers.isEmpty() ? NetXmit.SUCCESS : answers.poll();
        SkBuff last = sent.get(sent.size() - 1);
        sock.xmitResult(now, code);
        if (code == NetXmit.DROP || autoFree) toFree.add(last.truesize);
        else unfreed.add(last.truesize);
      }
      if (toFree.isEmpty()) return;
      sock.wfree(now, toFree.poll());
    }
  }

  /** Frees the oldest clone held back (TX completion). */
  void freeOne(double nowMs) {
    long now = ms(nowMs);
    sock.wfree(now, unfreed.poll());
    drain(now);
  }

  SkBuff peerSegment(int flags, int seq, int ack, int window) {
    SkBuff s = new SkBuff();
    s.flow = FLOW.reverse();
    s.seq = seq;
    s.ackSeq = ack;
    s.tcpFlags = flags;
    s.window = window;
    TcpOptions o = new TcpOptions();
    o.timestamps = true;
    o.tsVal = peerTsVal;
    SkBuff lastData = lastSent();
    o.tsEcr = lastData != null && lastData.options != null ? lastData.options.tsVal : 0;
    s.options = o;
    return s;
  }

  SkBuff lastSent() {
    return sent.isEmpty() ? null : sent.get(sent.size() - 1);
  }

  /** The peer ACKs up to 'ack' (absolute) at 'nowMs'. */
  void ack(double nowMs, int ack) {
    peerTsVal++;
    SkBuff s = peerSegment(TcpFlags.ACK, peerSeq, ack, peerWindow >> PEER_WSCALE);
    long now = ms(nowMs);
    sock.rcv(now, s);
    drain(now);
  }

  /** The peer ACKs 'rel' bytes of data (relative to the first data byte). */
  void ackRel(double nowMs, long rel) {
    ack(nowMs, (int) (ISS + 1 + rel));
  }

  void peerFin(double nowMs, int ack) {
    peerTsVal++;
    SkBuff s = peerSegment(TcpFlags.FIN | TcpFlags.ACK, peerSeq, ack, peerWindow >> PEER_WSCALE);
    peerSeq++; // the FIN takes a sequence number: later segments come after it
    long now = ms(nowMs);
    sock.rcv(now, s);
    drain(now);
  }

  long send(double nowMs, long bytes, int flags) {
    long now = ms(nowMs);
    long n = sock.sendmsg(now, bytes, flags);
    drain(now);
    return n;
  }

  void timer(double nowMs) {
    long now = ms(nowMs);
    sock.onTimer(now);
    drain(now);
  }

  SkBuff next() {
    if (cursor >= sent.size()) throw new AssertionError("expected a segment, none was sent");
    return sent.get(cursor++);
  }

  /** Expects the next segment: relative data seq, payload length, flags, segment count. */
  SkBuff expect(long relSeq, int len, int flags, int segs) {
    SkBuff s = next();
    int seq = (int) (ISS + 1 + relSeq);
    if (s.seq != seq || s.len != len || s.tcpFlags != flags || s.gsoSegs != segs) {
      throw new AssertionError("expected seq=" + relSeq + " len=" + len + " flags=" + TcpFlags.toString(flags)
          + " segs=" + segs + ", got relseq=" + (s.seq - ISS - 1) + " " + s);
    }
    return s;
  }

  void expectNothing() {
    if (cursor != sent.size()) throw new AssertionError("expected nothing, got " + sent.get(cursor));
  }

  /** Takes every remaining segment; returns the total wire segments. */
  int takeAllSegs() {
    int n = 0;
    while (cursor < sent.size()) n += sent.get(cursor++).gsoSegs;
    return n;
  }

  long takeAllBytes() {
    long n = 0;
    while (cursor < sent.size()) n += sent.get(cursor++).len;
    return n;
  }

  @Override public void queueXmit(SkBuff skb) {
    if (skb.truesize <= 0) throw new AssertionError("skb without truesize: " + skb);
    sent.add(skb);
  }

  @Override public void writeSpace() { writeSpace++; }

  @Override public void stateChange(TcpState from, TcpState to) { stateChanges.add(from + ">" + to); }

  @Override public void error(int errno) { errors.add(errno); }
}
