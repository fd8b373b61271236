package io.sendpath.actors.stream;

import io.sendpath.actors.TcpProt;
import java.time.Duration;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a {@link TcpSink} uses its socket. Immutable; every {@code withX} returns a copy. The
 * defaults are those of a plain blocking {@code write()} loop: connect first, no SO_SNDTIMEO,
 * no flags, close() when the upstream completes.
 */
public final class TcpSinkSettings {

  /** What the sink does with the socket once its upstream completes and every byte is written. */
  public enum OnUpstreamFinish {
    /** close(): tcp_close() queues the FIN behind the data. */
    CLOSE,
    /** Leave the socket open (established, idle); the application closes it later itself. */
    KEEP_OPEN
  }

  /** What a write() that SO_SNDTIMEO cut short (or answered EAGAIN) leads to. */
  public enum OnSndtimeo {
    /** write() the rest again, as a loop around write() does. */
    RESEND,
    /** Fail the stream with EAGAIN. */
    FAIL
  }

  private static final TcpSinkSettings DEFAULTS =
      new TcpSinkSettings(0, true, OnUpstreamFinish.CLOSE, 0, OnSndtimeo.RESEND, null);

  /** SO_SNDTIMEO in ns; 0 blocks without limit (Linux's default). Never negative. */
  private final long sndtimeoNs;
  /** True: connect() at materialization and write only once ESTABLISHED. */
  private final boolean connect;
  private final OnUpstreamFinish onUpstreamFinish;
  /** MsgFlags (MSG_DONTWAIT, MSG_MORE, MSG_EOR) given to every write(). */
  private final int msgFlags;
  private final OnSndtimeo onSndtimeo;
  /** Where the socket's events go once the sink is done with it; null: the sink keeps them until TCP_CLOSE. */
  private final ActorRef<TcpProt.SockEvent> ownerAfter;

  private TcpSinkSettings(long sndtimeoNs, boolean connect, OnUpstreamFinish onUpstreamFinish, int msgFlags,
      OnSndtimeo onSndtimeo, ActorRef<TcpProt.SockEvent> ownerAfter) {
    this.sndtimeoNs = sndtimeoNs;
    this.connect = connect;
    this.onUpstreamFinish = onUpstreamFinish;
    this.msgFlags = msgFlags;
    this.onSndtimeo = onSndtimeo;
    this.ownerAfter = ownerAfter;
  }

  public static TcpSinkSettings defaults() {
    return DEFAULTS;
  }

  /** setsockopt(SO_SNDTIMEO) in virtual time; Duration.ZERO blocks without limit. */
  public TcpSinkSettings withSndtimeo(Duration timeout) {
    return withSndtimeoNs(timeout.toNanos());
  }

  public TcpSinkSettings withSndtimeoNs(long ns) {
    if (ns < 0) throw new IllegalArgumentException("SO_SNDTIMEO must not be negative: " + ns);
    return new TcpSinkSettings(ns, connect, onUpstreamFinish, msgFlags, onSndtimeo, ownerAfter);
  }

  /** False for a socket that is connected (or connecting) already: the sink writes at once. */
  public TcpSinkSettings withConnect(boolean connectFirst) {
    return new TcpSinkSettings(sndtimeoNs, connectFirst, onUpstreamFinish, msgFlags, onSndtimeo, ownerAfter);
  }

  public TcpSinkSettings withOnUpstreamFinish(OnUpstreamFinish what) {
    return new TcpSinkSettings(sndtimeoNs, connect, Objects.requireNonNull(what), msgFlags, onSndtimeo, ownerAfter);
  }

  /** send(2) flags for every write (io.sendpath.tcp.MsgFlags). */
  public TcpSinkSettings withMsgFlags(int flags) {
    return new TcpSinkSettings(sndtimeoNs, connect, onUpstreamFinish, flags, onSndtimeo, ownerAfter);
  }

  public TcpSinkSettings withOnSndtimeo(OnSndtimeo what) {
    return new TcpSinkSettings(sndtimeoNs, connect, onUpstreamFinish, msgFlags, Objects.requireNonNull(what), ownerAfter);
  }

  /**
   * Once the sink is done (its result completed or failed, no write outstanding) it hands the
   * socket to 'owner' with TcpProt.Attach and stops, instead of staying the socket's owner until
   * TCP_CLOSE. The owner must report each event to the virtual clock (a SimActor or its adapter).
   * Keeps nothing of the stream alive for a socket that stays open or lingers in TIME_WAIT.
   */
  public TcpSinkSettings withOwnerAfter(ActorRef<TcpProt.SockEvent> owner) {
    return new TcpSinkSettings(sndtimeoNs, connect, onUpstreamFinish, msgFlags, onSndtimeo, owner);
  }

  public long sndtimeoNs() { return sndtimeoNs; }
  public boolean connect() { return connect; }
  public OnUpstreamFinish onUpstreamFinish() { return onUpstreamFinish; }
  public int msgFlags() { return msgFlags; }
  public OnSndtimeo onSndtimeo() { return onSndtimeo; }
  public ActorRef<TcpProt.SockEvent> ownerAfter() { return ownerAfter; }

  @Override
  public String toString() {
    return "TcpSinkSettings[sndtimeoNs=" + sndtimeoNs + ", connect=" + connect + ", onUpstreamFinish=" + onUpstreamFinish
        + ", msgFlags=0x" + Integer.toHexString(msgFlags) + ", onSndtimeo=" + onSndtimeo + ", ownerAfter=" + ownerAfter + "]";
  }
}
