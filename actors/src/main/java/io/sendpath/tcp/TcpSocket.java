package io.sendpath.tcp;

import io.sendpath.protocol.SkBuff;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The socket lock and the system calls around one {@link TcpSock}: sk_lock.owned, the socket
 * backlog, the deferred flags of tcp_release_cb(), and tcp_sendmsg() spread over virtual time.
 * A pure core: the caller (the TcpConnectionActor, or the drill host) turns its effects into
 * messages and calls back {@link #step} when asked.
 *
 * <pre>
 *  sendmsg ─► lock_sock ─► tcp_sendmsg_locked, one skb per step (bytes / copyBytesPerSec each)
 *                │ every 16 new skbs: sk_flush_backlog()           ▲ scheduleStep(t)
 *                │ no memory: sk_stream_wait_memory() ─► release_sock ─► sleep until
 *                │      sk_stream_write_space / sk_err / SO_SNDTIMEO ─► lock_sock, go on
 *                ▼
 *           release_sock: the backlog, then tcp_release_cb ─► sendResult(copied, errno)
 *
 *  rcv (tcp_v4_rcv): owned ? tcp_add_backlog (bounded, TcpExtTCPBacklogDrop) : tcp_v4_do_rcv
 *  onTimer: owned ? TCP_WRITE_TIMER_DEFERRED / TCP_DELACK_TIMER_DEFERRED : the handler
 *  wfree (tcp_wfree): TSQ_THROTTLED ? (owned ? TCP_TSQ_DEFERRED : tcp_tsq_write) : credit only
 * </pre>
 *
 * <p>The core hands one skb down at a time ({@link TcpSock#xmitPending()}); the caller holds every
 * input but {@link #xmitResult} meanwhile (bh_lock_sock spinning), and work this class still has
 * (backlog, deferred flags, copy steps) resumes after the answer. With copyBytesPerSec 0 a write
 * runs to its end (or its first wait) within the sendmsg call, as the drill host needs.
 *
 * <p>Copy timing: a step appends one skb's worth at its start time and the next step follows
 * bytes / rate later; the write returns once the last chunk's copy time has passed.
 */
public final class TcpSocket implements TcpOutput {
  /** What the socket tells its caller, besides the core's {@link TcpOutput} effects. */
  public interface Effects extends TcpOutput {
    /** Call {@link TcpSocket#step} at virtual time 'at' (the next copy step, or a woken writer). */
    void scheduleStep(long at);

    /** The write() returns: 'accepted' bytes copied, or none and 'errno' (EAGAIN, EPIPE, ...). */
    void sendResult(long accepted, int errno);

    /** Answer to {@link TcpSocket#notifyAcked}: the first 'streamBytes' bytes written are acknowledged. */
    void acked(long streamBytes);
  }

  /** Default user copy speed (copy_from_iter into the skb pages): 10 GB/s. */
  public static final long DEFAULT_COPY_BYTES_PER_SEC = 10_000_000_000L;
  /** TCP_TSQ_DEFERRED, TCP_WRITE_TIMER_DEFERRED, TCP_DELACK_TIMER_DEFERRED (sk_tsq_flags). */
  static final int TSQ_DEFERRED = 1, WRITE_TIMER_DEFERRED = 2, DELACK_TIMER_DEFERRED = 4;

  /** The user context: what the writer is doing. */
  private enum Phase {
    /** No write in progress. */
    IDLE,
    /** Owned; copying skb by skb; the next step runs when stepDue. */
    COPYING,
    /** Owned; release_sock() or sk_flush_backlog() in progress: backlog, then tcp_release_cb. */
    RELEASING,
    /** Not owned; asleep in sk_stream_wait_memory() or sk_stream_wait_connect(). */
    SLEEPING
  }

  /** What follows a release. */
  private static final int AFTER_RETURN = 0, AFTER_SLEEP = 1, AFTER_FLUSH = 2;

  private final Effects out;
  /** User copy speed, bytes per second; 0: copies take no time. */
  private final long copyBytesPerSec;
  private TcpSock core;

  // ---- the lock ----
  /** sk_lock.owned: a user context holds the socket; segments go to the backlog, timers are deferred. */
  private boolean owned;
  /** sk_backlog: segments that arrived while owned, in order; bounded by backlogLen against the limit. */
  private final ArrayDeque<SkBuff> backlog = new ArrayDeque<>(4);
  /** sk_backlog.len: truesize queued since the release began (reset only when the backlog is drained). */
  private long backlogLen;
  /** TSQ_DEFERRED | WRITE_TIMER_DEFERRED | DELACK_TIMER_DEFERRED: work for tcp_release_cb(). */
  private int deferred;

  // ---- the write in progress ----
  private Phase phase = Phase.IDLE;
  /** What the RELEASING phase leads to (AFTER_*). */
  private int afterRelease;
  /** A step may run now (scheduled time reached, or no copy time). */
  private boolean stepDue;
  /** Bytes the write asked for, and copied so far. */
  private long wantBytes, copied;
  /** The write's data (null: generated payload): read-only views whose remaining() sum to wantBytes. */
  private ByteBuffer[] data;
  private int flags;
  /** SO_SNDTIMEO left, ns; Long.MAX_VALUE: blocks without limit; 0: nonblocking (MSG_DONTWAIT). */
  private long timeoLeft;
  /** While SLEEPING: when the sleep began, and its deadline (Long.MAX_VALUE: none). */
  private long sleepStart, sleepDeadline = Long.MAX_VALUE;
  /** The sleeper was woken (write space, an error, a state change) and a step is scheduled. */
  private boolean woken;
  /** Asleep in sk_stream_wait_connect() rather than sk_stream_wait_memory(). */
  private boolean waitingConnect;
  /** The errno the write ends with when it copied nothing (set before AFTER_RETURN). */
  private int resultErrno;
  /** close() was called while a write was copying: it runs right after that write's release. */
  private boolean closeAfterWrite;

  // ---- sk_err, real bytes, NotifyAcked ----
  /** sk->sk_err: the last hard error, taken (and cleared) by the next system call that reports it. */
  private int skErr;
  /** Written bytes kept until acknowledged; null while only generated payload was written. */
  private SendBuffer sendBuffer;
  /** Pending NotifyAcked thresholds in stream bytes, in arrival order (bounded by the caller's asks). */
  private long[] notify = new long[4];
  private int notifyCount;

  // ---- statistics ----
  /** sk_stream_wait_memory() entries that slept. */
  private long sndbufWaits;
  /** Time writers slept in sk_stream_wait_memory(), ns. */
  private long sndbufWaitNs;
  /** Most segments ever held in the backlog at once. */
  private int backlogHighWater;

  public TcpSocket(long copyBytesPerSec, Effects out) {
    if (copyBytesPerSec < 0) throw new IllegalArgumentException("copyBytesPerSec < 0");
    this.copyBytesPerSec = copyBytesPerSec;
    this.out = out;
  }

  /** Binds the core; the core must have been built with this socket as its {@link TcpOutput}. */
  public void bind(TcpSock core) {
    if (this.core != null) throw new IllegalStateException("already bound");
    this.core = core;
  }

  public TcpSock core() {
    return core;
  }

  /** The core is inside tcp_transmit_skb: hold every input but {@link #xmitResult}. */
  public boolean xmitPending() {
    return core.xmitPending();
  }

  /** sock_owned_by_user(). */
  public boolean owned() {
    return owned;
  }

  // =====================================================================================
  // User context
  // =====================================================================================

  /**
   * tcp_sendmsg(): a write of 'bytes' bytes ('data' holds them as read-only views, or null for the
   * generated payload), with MsgFlags 'flags' and SO_SNDTIMEO 'sndtimeoNs' (0: no limit).
   * Answered by exactly one {@link Effects#sendResult}, now or later.
   */
  public void sendmsg(long now, long bytes, ByteBuffer[] data, int flags, long sndtimeoNs) {
    if (phase != Phase.IDLE) throw new IllegalStateException("a write is already in progress");
    if (core.xmitPending()) throw new IllegalStateException("sendmsg while a transmit is pending");
    this.wantBytes = bytes;
    this.copied = 0;
    this.data = data;
    this.dataStaged = false;
    this.flags = flags;
    // sock_sndtimeo(): MSG_DONTWAIT makes it 0; SO_SNDTIMEO 0 means MAX_SCHEDULE_TIMEOUT
    this.timeoLeft = (flags & MsgFlags.MSG_DONTWAIT) != 0 ? 0 : sndtimeoNs > 0 ? sndtimeoNs : Long.MAX_VALUE;
    this.resultErrno = 0;
    owned = true; // lock_sock()
    phase = Phase.COPYING;
    if (!beginWrite(now)) {
      release(AFTER_RETURN);
    } else {
      stepDue = true;
    }
    drive(now);
  }

  /**
   * The start of tcp_sendmsg_locked(): waits for a connection (sk_stream_wait_connect), then the
   * restart checks. Returns false when the write ends here (resultErrno set) or sleeps.
   */
  private boolean beginWrite(long now) {
    TcpState st = core.state();
    if (st != TcpState.TCP_ESTABLISHED && st != TcpState.TCP_CLOSE_WAIT) {
      // sk_stream_wait_connect()
      if (skErr != 0) { resultErrno = sockError(); return false; }
      if (st != TcpState.TCP_SYN_SENT && st != TcpState.TCP_SYN_RECV) { resultErrno = Errno.EPIPE; return false; }
      if (timeoLeft == 0) { resultErrno = Errno.EAGAIN; return false; }
      waitingConnect = true;
      release(AFTER_SLEEP);
      return false;
    }
    return restart(now);
  }

  /** The restart label: tcp_send_mss(), then sk_err or SEND_SHUTDOWN end the write with EPIPE. */
  private boolean restart(long now) {
    core.sendmsgRestart();
    if (skErr != 0 || core.sendShutdown()) {
      resultErrno = Errno.EPIPE;
      return false;
    }
    return true;
  }

  /** net/core/stream.c::sk_stream_error(): EPIPE becomes sk_err when one is pending. */
  private int streamError(int err) {
    if (err == Errno.EPIPE) {
      int e = sockError();
      return e != 0 ? e : Errno.EPIPE;
    }
    return err;
  }

  /** A scheduled step is due: the next copy, or a woken writer retrying. */
  public void step(long now) {
    if (phase == Phase.COPYING) {
      stepDue = true;
    } else if (phase == Phase.SLEEPING && woken) {
      wake(now);
    }
    drive(now);
  }

  /** The sleeper gets the lock back and re-checks what it waited for. */
  private void wake(long now) {
    woken = false;
    if (timeoLeft != Long.MAX_VALUE) timeoLeft = Math.max(0, timeoLeft - (now - sleepStart));
    if (!waitingConnect) sndbufWaitNs += now - sleepStart;
    sleepDeadline = Long.MAX_VALUE;
    owned = true; // lock_sock()
    phase = Phase.COPYING;
    if (waitingConnect) {
      waitingConnect = false;
      if (!beginWrite(now)) {
        if (phase == Phase.COPYING) release(AFTER_RETURN);
        return;
      }
      stepDue = true;
      return;
    }
    // sk_stream_wait_memory()'s loop
    if (waitMemoryEnds(now)) return;
    if (!core.streamMemoryFree()) {
      core.setSockNospace(); // set again before each sleep
      sleep(now);
      return;
    }
    // tcp_send_mss() again after the wait, then copy on
    if (!restart(now)) {
      endWrite(now);
      return;
    }
    stepDue = true;
  }

  /** One copy step at 'now' (owned, not pending). */
  private void copyStep(long now) {
    stepDue = false;
    long left = wantBytes - copied;
    if (left <= 0) {
      endWrite(now);
      return;
    }
    stageData();
    long n = core.sendmsgStep(now, left, flags, copied, !backlog.isEmpty());
    if (n == TcpSock.SEND_FLUSH) {
      release(AFTER_FLUSH); // sk_flush_backlog(): the lock stays owned
      return;
    }
    if (n == TcpSock.SEND_WAIT) {
      waitMemory(now);
      return;
    }
    copied += n;
    long dt = copyBytesPerSec == 0 ? 0 : (n * 1_000_000_000L + copyBytesPerSec - 1) / copyBytesPerSec;
    if (copied == wantBytes) core.sendmsgEnd(now, flags, copied); // tcp_push() at the end of the loop
    if (dt == 0) {
      stepDue = true;
    } else {
      out.scheduleStep(now + dt);
    }
  }

  /**
   * Before the first copy of a write with data: its bytes join the send buffer at the stream
   * offset they will take, so that the clone tcp_push_one() hands down within this very step
   * already carries them. A write that ends early gives back what it did not copy ({@link
   * SendBuffer#truncate}). Ranges written without data need nothing: the generated payload covers
   * every offset no chunk holds.
   */
  private void stageData() {
    if (data == null || dataStaged) return;
    dataStaged = true;
    if (sendBuffer == null) {
      sendBuffer = new SendBuffer(core.payload()); // the generated payload covers what was written without data
      core.setPayload(sendBuffer);
    }
    dataStart = core.writeStreamOffset();
    long at = dataStart, room = wantBytes;
    for (ByteBuffer b : data) {
      int n = (int) Math.min(b.remaining(), room);
      if (n <= 0) continue;
      sendBuffer.append(at, b.slice(b.position(), n).asReadOnlyBuffer(), n);
      at += n;
      room -= n;
    }
  }

  /** The write's data is in the send buffer. */
  private boolean dataStaged;
  /** Stream offset of the write's first byte (valid once staged). */
  private long dataStart;

  /**
   * The head of sk_stream_wait_memory()'s loop: an error or a shut-down send side ends the write
   * with EPIPE, a spent SO_SNDTIMEO with EAGAIN (endWrite returns what was copied, if anything).
   * True when the write has ended.
   */
  private boolean waitMemoryEnds(long now) {
    if (skErr != 0 || core.sendShutdown()) resultErrno = Errno.EPIPE;
    else if (timeoLeft == 0) resultErrno = Errno.EAGAIN;
    else return false;
    endWrite(now);
    return true;
  }

  /** wait_for_space: the core set SOCK_NOSPACE and pushed; now sk_stream_wait_memory(). */
  private void waitMemory(long now) {
    if (waitMemoryEnds(now)) return;
    if (core.streamMemoryFree()) {
      // sk_stream_memory_free() and no vm_wait: go on at once
      if (!restart(now)) endWrite(now);
      else stepDue = true;
      return;
    }
    sndbufWaits++;
    sleep(now);
  }

  /** sk_wait_event(): release_sock(), then sleep until woken or the timeout. */
  private void sleep(long now) {
    sleepStart = now;
    sleepDeadline = timeoLeft == Long.MAX_VALUE ? Long.MAX_VALUE : now + timeoLeft;
    release(AFTER_SLEEP);
  }

  /** The write is over: tcp_push() what was copied (do_error / out), then release_sock() and return. */
  private void endWrite(long now) {
    if (copied > 0 && copied < wantBytes) core.sendmsgEnd(now, flags, copied);
    release(AFTER_RETURN);
  }

  /** Starts release_sock() (or sk_flush_backlog() for AFTER_FLUSH); drive() carries it out. */
  private void release(int after) {
    afterRelease = after;
    phase = Phase.RELEASING;
  }

  /**
   * Runs the user context as far as it can go without a transmit pending: release steps, copy
   * steps, a woken sleeper. Called at the end of every entry point.
   */
  private void drive(long now) {
    while (!core.xmitPending()) {
      if (phase == Phase.RELEASING) {
        if (!releaseWork(now)) finishRelease(now);
      } else if (phase == Phase.COPYING && stepDue) {
        copyStep(now);
      } else if (!owned && (deferred & TSQ_DEFERRED) != 0) {
        deferred &= ~TSQ_DEFERRED; // a free that came while a transmit was pending
        core.tcpTsqWrite(now);
      } else {
        break;
      }
    }
    if (phase == Phase.SLEEPING && !woken && wakeCondition()) scheduleWake(now);
    afterInput(now);
  }

  /** One piece of __release_sock() / tcp_release_cb(); false when nothing is left. */
  private boolean releaseWork(long now) {
    SkBuff seg = backlog.poll();
    if (seg != null) {
      core.rcv(now, seg); // sk_backlog_rcv → tcp_v4_do_rcv
      return true;
    }
    // net/ipv4/tcp_output.c::tcp_release_cb(): TSQ first, then the write and delayed-ACK timers
    if ((deferred & TSQ_DEFERRED) != 0) {
      deferred &= ~TSQ_DEFERRED;
      core.tcpTsqWrite(now);
      return true;
    }
    if ((deferred & WRITE_TIMER_DEFERRED) != 0) {
      deferred &= ~WRITE_TIMER_DEFERRED;
      core.writeTimerHandler(now);
      return true;
    }
    if ((deferred & DELACK_TIMER_DEFERRED) != 0) {
      deferred &= ~DELACK_TIMER_DEFERRED;
      core.delackTimerHandler(now);
      return true;
    }
    return false;
  }

  private void finishRelease(long now) {
    backlogLen = 0; // __release_sock() resets sk_backlog.len once the backlog is empty
    switch (afterRelease) {
      case AFTER_FLUSH -> {
        phase = Phase.COPYING; // sk_flush_backlog() keeps ownership; goto restart
        if (!restart(now)) endWrite(now);
        else stepDue = true;
      }
      case AFTER_SLEEP -> {
        owned = false; // sock_release_ownership()
        phase = Phase.SLEEPING; // woken meanwhile (the backlog made room): drive() wakes it at once
        if (closeAfterWrite) {
          closeAfterWrite = false;
          core.close(now); // the close() that waited for the lock; the writer wakes with EPIPE
        }
      }
      default -> {
        owned = false;
        phase = Phase.IDLE;
        long accepted = copied;
        // do_error: a write that copied something returns it and leaves sk_err for the next call
        int err = accepted > 0 ? 0 : streamError(resultErrno);
        if (dataStaged && accepted < wantBytes) sendBuffer.truncate(dataStart + accepted);
        dataStaged = false;
        data = null;
        out.sendResult(accepted, err);
        if (closeAfterWrite) {
          closeAfterWrite = false;
          close(now);
        }
      }
    }
  }

  /** What wakes a sleeper: memory free (write space), sk_err, SEND_SHUTDOWN, a connection that left SYN_SENT. */
  private boolean wakeCondition() {
    if (skErr != 0 || core.sendShutdown()) return true;
    if (waitingConnect) {
      TcpState st = core.state();
      return st != TcpState.TCP_SYN_SENT && st != TcpState.TCP_SYN_RECV;
    }
    return core.streamMemoryFree() && !core.sockNospace();
  }

  private void scheduleWake(long now) {
    if (woken) return;
    woken = true;
    out.scheduleStep(now);
  }

  /** Answers due NotifyAcked and lets acknowledged bytes go. */
  private void afterInput(long now) {
    if (notifyCount == 0 && sendBuffer == null) return;
    long acked = core.ackedStreamBytes();
    if (sendBuffer != null) sendBuffer.ackedTo(acked);
    int kept = 0;
    for (int i = 0; i < notifyCount; i++) {
      if (notify[i] <= acked) out.acked(notify[i]);
      else notify[kept++] = notify[i];
    }
    notifyCount = kept;
  }

  /** Asks for one {@link Effects#acked} once the first 'streamBytes' bytes written are acknowledged. */
  public void notifyAcked(long now, long streamBytes) {
    if (notifyCount == notify.length) notify = java.util.Arrays.copyOf(notify, notifyCount * 2);
    notify[notifyCount++] = streamBytes;
    afterInput(now);
  }

  /**
   * close(): lock_sock, tcp_close, release_sock. While a write is copying (the lock is owned by
   * it) close waits for that write to return; a sleeping writer is woken and fails with EPIPE.
   */
  public void close(long now) {
    if (phase == Phase.COPYING || phase == Phase.RELEASING) {
      closeAfterWrite = true;
      return;
    }
    userCall(now, () -> core.close(now));
  }

  /** shutdown(2). */
  public void shutdown(long now, boolean rd, boolean wr) {
    userCall(now, () -> core.shutdown(now, rd, wr));
  }

  /** recvmsg(): up to 'max' in-order bytes. */
  public long recv(long now, long max) {
    long[] n = new long[1];
    userCall(now, () -> n[0] = core.recv(now, max));
    return n[0];
  }

  /** connect() once the route is known (tcp_v4_connect → tcp_connect). */
  public void connect(long now) {
    userCall(now, () -> core.connect(now));
  }

  /** A SYN for the listener this socket is created from (tcp_conn_request; softirq, no lock). */
  public void synRecv(long now, SkBuff syn) {
    core.synRecv(now, syn);
    drive(now);
  }

  /** setsockopt(SO_SNDBUF). */
  public void setSndbuf(long now, int val, int wmemMax) {
    userCall(now, () -> core.setSndbuf(now, val, wmemMax));
  }

  /** setsockopt(TCP_NOTSENT_LOWAT). */
  public void setNotsentLowat(long now, long bytes) {
    userCall(now, () -> core.setNotsentLowat(now, bytes));
  }

  /** setsockopt(TCP_NODELAY). */
  public void setNodelay(long now, boolean on) {
    userCall(now, () -> core.setNodelay(now, on));
  }

  /** setsockopt(TCP_CORK). */
  public void setCork(long now, boolean on) {
    userCall(now, () -> core.setCork(now, on));
  }

  /** A system call other than write: lock_sock, the call, release_sock (the backlog is empty then). */
  private void userCall(long now, Runnable call) {
    if (owned) throw new IllegalStateException("the socket is owned by a write in progress");
    if (core.xmitPending()) throw new IllegalStateException("a system call while a transmit is pending");
    call.run();
    drive(now);
  }

  /** sock_error(): takes sk_err (0 when none). */
  public int sockError() {
    int e = skErr;
    skErr = 0;
    return e;
  }

  /** sk->sk_err without taking it. */
  public int skErr() {
    return skErr;
  }

  // =====================================================================================
  // Softirq context
  // =====================================================================================

  /** tcp_v4_rcv(): a segment for this socket; to the backlog while the user owns the socket. */
  public void rcv(long now, SkBuff seg) {
    if (owned) {
      tcpAddBacklog(seg);
    } else {
      core.rcv(now, seg);
    }
    drive(now);
  }

  /**
   * net/ipv4/tcp_ipv4.c::tcp_add_backlog() without coalescing: the limit is twice sk_rcvbuf plus
   * half sk_sndbuf plus 64 KiB, against sk_backlog.len (truesize, reset only when a release has
   * drained the backlog); a segment over it is dropped (TcpExtTCPBacklogDrop).
   */
  private void tcpAddBacklog(SkBuff seg) {
    long limit = (core.rcvbuf() << 1) + (core.sndbuf() >> 1) + 64 * 1024;
    limit = Math.min(limit, 0xffffffffL);
    if (backlogLen > limit) { // sk_rcvqueues_full(): sk_rmem_alloc is 0 on this sender
      core.counters().TcpExtTCPBacklogDrop++;
      return;
    }
    backlogLen += seg.truesize > 0 ? seg.truesize : SkBuff.truesizeFor(seg.len);
    backlog.add(seg);
    if (backlog.size() > backlogHighWater) backlogHighWater = backlog.size();
  }

  /** tcp_wfree(): the credit comes back; a throttled socket is serviced now or at release (TCP_TSQ_DEFERRED). */
  public void wfree(long now, int truesize) {
    if (core.wfreeCredit(now, truesize)) {
      // tcp_tsq_handler(): serviced at once unless the user owns the socket (or, for a device
      // that frees inside its xmit, a transmit is still pending: then right after its answer)
      if (owned || core.xmitPending()) deferred |= TSQ_DEFERRED;
      else core.tcpTsqWrite(now);
    }
    drive(now);
  }

  /** The NET_XMIT answer for the skb last handed down; then any work held back goes on. */
  public void xmitResult(long now, int netXmitCode) {
    core.xmitResult(now, netXmitCode);
    drive(now);
  }

  /** Timers due at 'now': run, or, while owned, deferred to tcp_release_cb(); also SO_SNDTIMEO. */
  public void onTimer(long now) {
    if (phase == Phase.SLEEPING && sleepDeadline <= now) {
      sleepDeadline = Long.MAX_VALUE;
      timeoLeft = 0;
      scheduleWake(now);
    }
    if (core.unlockedTimerAt() <= now) {
      core.onTimer(now); // TIME_WAIT expiry or a tcp_mem vm_wait: no lock needed
    } else if (owned) {
      if (core.writeTimerAt() <= now) deferred |= WRITE_TIMER_DEFERRED;
      if (core.delackTimerAt() <= now) deferred |= DELACK_TIMER_DEFERRED;
    } else if (core.nextTimerAt() <= now) {
      core.onTimer(now);
    }
    drive(now);
  }

  /** When {@link #onTimer} must next be called; Long.MAX_VALUE when never. */
  public long nextTimerAt() {
    long t;
    if (owned) {
      t = core.unlockedTimerAt();
      if ((deferred & WRITE_TIMER_DEFERRED) == 0) t = Math.min(t, core.writeTimerAt());
      if ((deferred & DELACK_TIMER_DEFERRED) == 0) t = Math.min(t, core.delackTimerAt());
    } else {
      t = core.nextTimerAt();
    }
    return Math.min(t, sleepDeadline);
  }

  /** tcp_v4_err(): an ICMP error. */
  public void icmpError(long now, int errno) {
    core.icmpError(now, errno);
    drive(now);
  }

  // =====================================================================================
  // TcpOutput: the core's effects pass through; a sleeping writer watches them
  // =====================================================================================

  @Override
  public void queueXmit(SkBuff skb) {
    out.queueXmit(skb);
  }

  @Override
  public void writeSpace() {
    out.writeSpace(); // a sleeping writer sees it through wakeCondition() when the core call returns
  }

  @Override
  public void stateChange(TcpState from, TcpState to) {
    out.stateChange(from, to);
  }

  @Override
  public void error(int errno) {
    skErr = errno;
    out.error(errno);
  }

  // =====================================================================================
  // Statistics
  // =====================================================================================

  /** sk_stream_wait_memory() sleeps so far. */
  public long sndbufWaits() {
    return sndbufWaits;
  }

  /** Time writers slept waiting for memory, ns (closed sleeps). */
  public long sndbufWaitNs() {
    return sndbufWaitNs;
  }

  /** The deferred flags tcp_release_cb() will run (TSQ_DEFERRED | WRITE_TIMER_DEFERRED | DELACK_TIMER_DEFERRED). */
  int deferredFlags() {
    return deferred;
  }

  /** Asleep in sk_stream_wait_memory() or sk_stream_wait_connect(). */
  public boolean sleeping() {
    return phase == Phase.SLEEPING;
  }

  /** Segments in the backlog now. */
  public int backlogSize() {
    return backlog.size();
  }

  /** Most segments ever held in the backlog. */
  public int backlogHighWater() {
    return backlogHighWater;
  }

  /** The send buffer of written bytes; null while only generated payload was written. */
  public SendBuffer sendBuffer() {
    return sendBuffer;
  }
}
