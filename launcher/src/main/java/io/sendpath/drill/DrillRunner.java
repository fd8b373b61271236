package io.sendpath.drill;

import io.sendpath.drill.DrillScript.Assert;
import io.sendpath.drill.DrillScript.Command;
import io.sendpath.drill.DrillScript.Event;
import io.sendpath.drill.DrillScript.Packet;
import io.sendpath.drill.DrillScript.Syscall;
import io.sendpath.drill.DrillScript.Time;
import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.Sysctls;
import io.sendpath.protocol.TcpFlags;
import io.sendpath.protocol.TcpOptions;
import io.sendpath.tcp.MsgFlags;
import io.sendpath.tcp.TcpInfo;
import io.sendpath.tcp.TcpState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one packetdrill script against the emulated TCP (shared/conformance/README.md): one
 * emulated host per script ({@link DrillHost}), virtual time, events in script order.
 *
 * <p>Timing: an event's script time is absolute, or relative to the previous event's script
 * time; after a '&gt;' line with a range or '*' it is relative to when that packet actually left,
 * and after a blocking call to when the call started. Inbound packets and calls happen exactly
 * at their script time (or at once when the emulator is already later, within tolerance). A
 * '&gt;' packet must leave within max(--tolerance_usecs, 12.5 % of the gap since the previous
 * event's script time) of its time or range.
 */
public final class DrillRunner {
  private static final long NS_PER_US = 1000;
  private static final long FOREVER_US = Long.MAX_VALUE / 4 / NS_PER_US;
  /** How long past a '>' line's deadline the runner looks for the packet, to report it as late. */
  private static final long LATE_LOOKAHEAD_US = 10_000_000;

  private final DrillScript script;
  private final String name;
  private final DrillHost host;
  /** Script time (µs) relative times count from. */
  private long baseUs;
  /** Script time (µs) of the previous event, for the tolerance's 12.5 % rule. */
  private long prevScriptUs;
  /** A blocking call in progress, or null. */
  private Blocked blocked;
  /** Next file descriptor socket() or accept() hands out. */
  private int nextFd = 3;
  /** The file descriptors in use: a listener or a connection. */
  private final Map<Integer, Object> fds = new java.util.HashMap<>();

  private DrillRunner(DrillScript script, String name, DrillHost host) {
    this.script = script;
    this.name = name;
    this.host = host;
  }

  /** Parses and runs the script at 'path'; a script the parser cannot read FAILs at its line. */
  public static DrillResult run(Path path) {
    String name = path.toString();
    DrillScript s;
    try {
      s = DrillParser.parse(path);
    } catch (DrillParseException e) {
      String msg = e.getMessage();
      String prefix = name + ":" + e.line() + ": ";
      return new DrillResult(DrillResult.Status.FAIL, name, e.line(), msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg);
    } catch (IOException e) {
      return new DrillResult(DrillResult.Status.FAIL, name, 0, "cannot read the script: " + e.getMessage());
    }
    return run(s);
  }

  /** Runs a parsed script. */
  public static DrillResult run(DrillScript s) {
    String name = s.path().toString();
    if (s.unsupported() != null) return new DrillResult(DrillResult.Status.UNSUPPORTED, name, s.unsupportedLine(), s.unsupported());
    Sysctls sysctls = Sysctls.linuxDefaults();
    for (Map.Entry<String, String> e : s.sysctls().entrySet()) {
      if (!Sysctls.isKnown(e.getKey())) {
        return new DrillResult(DrillResult.Status.UNSUPPORTED, name, firstEventLine(s), "sysctl " + e.getKey() + " is not modelled");
      }
      try {
        sysctls.set(e.getKey(), e.getValue());
      } catch (IllegalArgumentException ex) {
        return new DrillResult(DrillResult.Status.UNSUPPORTED, name, firstEventLine(s), ex.getMessage());
      }
    }
    DrillHost host;
    try {
      host = new DrillHost(sysctls, s.tso());
    } catch (IllegalArgumentException ex) {
      return new DrillResult(DrillResult.Status.UNSUPPORTED, name, firstEventLine(s), ex.getMessage());
    }
    DrillRunner r = new DrillRunner(s, name, host);
    try {
      r.runEvents();
      return DrillResult.pass(name);
    } catch (DrillStop stop) {
      return new DrillResult(stop.status, name, stop.line, stop.getMessage());
    }
  }

  private static int firstEventLine(DrillScript s) {
    return s.events().isEmpty() ? 1 : s.events().get(0).line();
  }

  // =====================================================================================
  // The event loop
  // =====================================================================================

  private void runEvents() {
    for (Event e : script.events()) {
      Time time = e.time();
      long startUs = switch (time.kind()) {
        case ABSOLUTE -> time.usecs();
        case RELATIVE -> baseUs + time.usecs();
        case ANY -> nowUs();
      };
      long tolUs = Math.max(script.toleranceUsecs(), (startUs - prevScriptUs) / 8);
      if (blocked != null && startUs > blocked.endUs + blocked.tolUs) {
        advanceTo(blocked.endUs + blocked.tolUs);
        if (blocked != null) {
          throw DrillStop.fail(blocked.line, "expected " + blocked.what + " to return at " + secs(blocked.endUs)
              + " s, actual: still blocked at " + secs(nowUs()) + " s");
        }
      }
      long nextBase = startUs;
      if (e instanceof Packet p && p.inbound()) {
        advanceTo(startUs);
        host.deliver(inbound(p));
        checkBlocked();
      } else if (e instanceof Packet p) {
        boolean any = time.kind() == Time.Kind.ANY;
        long endUs = startUs;
        if (any) endUs = FOREVER_US;
        else if (time.rangeEnd()) endUs = time.endRelative() ? baseUs + time.endUsecs() : time.endUsecs();
        long actualUs = expectOutbound(p, any ? 0 : startUs - tolUs, any ? FOREVER_US : endUs + tolUs, startUs, endUs);
        if (time.rangeEnd() || any) nextBase = actualUs;
      } else if (e instanceof Syscall c) {
        advanceTo(startUs);
        syscall(c, startUs, tolUs);
      } else if (e instanceof Assert a) {
        advanceTo(startUs);
        evalAsserts(a);
      } else if (e instanceof Command c) {
        String cmd = c.command().trim();
        if (!cmd.matches("/tmp/sysctl_restore_\\$\\{PPID\\}\\.sh")) throw DrillStop.unsupported(c.line(), "shell command: " + cmd);
        // Restoring the sysctls after the test changes nothing the emulated host still does.
      }
      prevScriptUs = startUs;
      baseUs = nextBase;
    }
    if (blocked != null) {
      advanceTo(blocked.endUs + blocked.tolUs);
      if (blocked != null) {
        throw DrillStop.fail(blocked.line, "expected " + blocked.what + " to return at " + secs(blocked.endUs)
            + " s, actual: still blocked at " + secs(nowUs()) + " s");
      }
    }
  }

  private long nowUs() {
    return host.now / NS_PER_US;
  }

  private static String secs(long us) {
    return String.format("%.6f", us / 1e6);
  }

  /** The next instant anything is due: a socket timer or a blocked call's own timeout. */
  private long nextEventAt() {
    long next = host.nextTimerAt();
    return blocked != null ? Math.min(next, blocked.wakeAtNs) : next;
  }

  /** Moves virtual time to 'us', running every timer due on the way. */
  private void advanceTo(long us) {
    long target = us * NS_PER_US;
    while (true) {
      long next = nextEventAt();
      if (next > target) break;
      host.now = Math.max(host.now, next);
      host.runTimers();
      checkBlocked();
    }
    host.now = Math.max(host.now, target);
    checkBlocked();
  }

  // =====================================================================================
  // Packets
  // =====================================================================================

  private SkBuff inbound(Packet p) {
    SkBuff s = new SkBuff();
    s.flow = host.flow.reverse();
    s.seq = DrillHost.PEER_ISS + (int) p.startSeq();
    s.len = p.len();
    s.tcpFlags = p.flags();
    long ack = p.ack() == null ? 0 : p.ack();
    s.ackSeq = (p.flags() & TcpFlags.ACK) != 0 ? DrillHost.OUR_ISS + (int) ack : (int) ack;
    s.window = p.window();
    s.options = inboundOptions(p);
    s.truesize = SkBuff.truesizeFor(p.len());
    return s;
  }

  private TcpOptions inboundOptions(Packet p) {
    if (p.options() == null) return null;
    if (p.options() == DrillScript.ANY_OPTIONS) throw DrillStop.unsupported(p.line(), "<...> on an injected packet");
    TcpOptions o = new TcpOptions();
    for (String t : p.options()) {
      String[] w = t.split(" ");
      try {
        switch (w[0]) {
          case "nop", "eol" -> { }
          case "mss" -> o.mss = Integer.parseInt(w[1]);
          case "sackOK" -> o.sackOk = true;
          case "wscale" -> o.wscale = Integer.parseInt(w[1]);
          case "TS" -> {
            o.timestamps = true;
            o.tsVal = (int) Long.parseLong(w[2]);
            o.tsEcr = (int) Long.parseLong(w[4]);
          }
          case "sack" -> {
            o.sackBlocks = new int[2 * (w.length - 1)];
            for (int i = 1; i < w.length; i++) {
              String[] lr = w[i].split(":");
              o.sackBlocks[2 * (i - 1)] = DrillHost.OUR_ISS + (int) Long.parseLong(lr[0]);
              o.sackBlocks[2 * (i - 1) + 1] = DrillHost.OUR_ISS + (int) Long.parseLong(lr[1]);
            }
          }
          default -> throw DrillStop.unsupported(p.line(), "TCP option '" + t + "' on an injected packet");
        }
      } catch (RuntimeException ex) {
        if (ex instanceof DrillStop d) throw d;
        throw DrillStop.fail(p.line(), "malformed TCP option '" + t + "'");
      }
    }
    return o;
  }

  /** Waits for packets until 'hiUs'; returns false when none left TCP by then. */
  private boolean waitForPacket(long hiUs) {
    long hi = hiUs >= FOREVER_US ? Long.MAX_VALUE : hiUs * NS_PER_US;
    while (host.outQueue.isEmpty()) {
      long next = nextEventAt();
      if (next > hi || next == Long.MAX_VALUE) return false;
      host.now = Math.max(host.now, next);
      host.runTimers();
      checkBlocked();
    }
    return true;
  }

  /** Matches a '>' line; returns the time (µs) its first packet left. */
  private long expectOutbound(Packet p, long loUs, long hiUs, long startUs, long endUs) {
    String want = describe(p) + " at " + (startUs == endUs ? secs(startUs) : secs(startUs) + "~" + (endUs >= FOREVER_US ? "*" : secs(endUs))) + " s";
    if (!waitForPacket(hiUs)) {
      if (hiUs < FOREVER_US) host.now = Math.max(host.now, hiUs * NS_PER_US);
      // Say what came instead, if anything comes later: a late packet is a timing error.
      long deadlineUs = hiUs >= FOREVER_US ? hiUs : hiUs + LATE_LOOKAHEAD_US;
      if (hiUs < FOREVER_US && waitForPacket(deadlineUs)) {
        DrillHost.Out late = host.outQueue.peek();
        throw DrillStop.fail(p.line(), "expected " + want + " (tolerance " + (hiUs - endUs) + " us), actual "
            + describe(late.skb(), late.skb().tcpFlags, late.skb().len, 1) + " at " + secs(late.timeNs() / NS_PER_US) + " s");
      }
      throw DrillStop.fail(p.line(), "expected " + want + ", actual: no packet");
    }
    DrillHost.Out first = host.outQueue.poll();
    long firstUs = first.timeNs() / NS_PER_US;
    List<DrillHost.Out> parts = new ArrayList<>();
    parts.add(first);
    long total = first.skb().len;
    if (!script.strictSegments() && p.len() > 0) {
      while (total < p.len()) {
        if (!waitForPacket(hiUs)) break;
        DrillHost.Out n = host.outQueue.peek();
        SkBuff prev = parts.get(parts.size() - 1).skb();
        if (n.skb().len == 0 || n.skb().seq != prev.seq + prev.len || (n.skb().tcpFlags & (TcpFlags.SYN | TcpFlags.RST)) != 0) break;
        host.outQueue.poll();
        parts.add(n);
        total += n.skb().len;
      }
    }
    SkBuff head = first.skb();
    SkBuff last = parts.get(parts.size() - 1).skb();
    int flags = (head.tcpFlags & ~(TcpFlags.PSH | TcpFlags.FIN)) | (last.tcpFlags & (TcpFlags.PSH | TcpFlags.FIN));
    String got = describe(head, flags, total, parts.size()) + " at " + secs(firstUs) + " s";
    long seqRel = Integer.toUnsignedLong(head.seq - DrillHost.OUR_ISS);
    if (seqRel != p.startSeq() || total != p.len() || flags != p.flags()) {
      throw DrillStop.fail(p.line(), "expected " + want + ", actual " + got);
    }
    long ackRel = (head.tcpFlags & TcpFlags.ACK) != 0 ? Integer.toUnsignedLong(head.ackSeq - DrillHost.PEER_ISS) : Integer.toUnsignedLong(head.ackSeq);
    long wantAck = p.ack() == null ? 0 : p.ack();
    if (ackRel != wantAck) throw DrillStop.fail(p.line(), "expected " + want + ", actual " + got);
    if (p.window() != null && head.window != p.window()) throw DrillStop.fail(p.line(), "expected " + want + ", actual " + got);
    if (p.options() != DrillScript.ANY_OPTIONS && !optionsMatch(p.options(), head.options)) {
      throw DrillStop.fail(p.line(), "expected " + want + ", actual " + got);
    }
    for (DrillHost.Out o : parts) {
      SkBuff s = o.skb();
      if (s.len > 0 && !zeros(s)) throw DrillStop.fail(p.line(), "expected zero payload in " + want + ", actual other bytes");
    }
    if (firstUs < loUs || firstUs > hiUs) {
      throw DrillStop.fail(p.line(), "expected " + want + " (tolerance " + (hiUs - endUs) + " us), actual " + got);
    }
    return firstUs;
  }

  private static boolean zeros(SkBuff s) {
    if (s.payload == null) return false;
    byte[] b = new byte[s.len];
    s.payload.copyTo(s.streamOffset, b, 0, s.len);
    for (byte x : b) if (x != 0) return false;
    return true;
  }

  /** Compares option tokens in order, nops included; TS val is not compared. */
  private static boolean optionsMatch(List<String> want, TcpOptions got) {
    List<String> have = optionTokens(got);
    List<String> w = want == null ? List.of() : want;
    if (have.size() != w.size()) return false;
    for (int i = 0; i < w.size(); i++) {
      String a = w.get(i), b = have.get(i);
      if (a.startsWith("TS ") && b.startsWith("TS ")) {
        String[] x = a.split(" "), y = b.split(" ");
        if (x.length != 5 || !x[3].equals("ecr") || !x[4].equals(y[4])) return false;
      } else if (!a.equals(b)) {
        return false;
      }
    }
    return true;
  }

  /** The options as packetdrill prints them, in wire order with nops (from the encoded bytes). */
  static List<String> optionTokens(TcpOptions o) {
    List<String> out = new ArrayList<>();
    if (o == null) return out;
    byte[] b = new byte[64];
    int n = o.encode(b, 0);
    int p = 0;
    while (p < n) {
      int kind = b[p] & 0xff;
      if (kind == TcpOptions.KIND_EOL) { out.add("eol"); p++; continue; }
      if (kind == TcpOptions.KIND_NOP) { out.add("nop"); p++; continue; }
      int len = b[p + 1] & 0xff;
      switch (kind) {
        case TcpOptions.KIND_MSS -> out.add("mss " + (((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff)));
        case TcpOptions.KIND_SACK_PERM -> out.add("sackOK");
        case TcpOptions.KIND_WSCALE -> out.add("wscale " + (b[p + 2] & 0xff));
        case TcpOptions.KIND_TIMESTAMP -> out.add("TS val " + Integer.toUnsignedString(getInt(b, p + 2)) + " ecr " + Integer.toUnsignedString(getInt(b, p + 6)));
        case TcpOptions.KIND_SACK -> {
          StringBuilder sb = new StringBuilder("sack");
          for (int q = p + 2; q + 8 <= p + len; q += 8) {
            sb.append(' ').append(Integer.toUnsignedString(getInt(b, q) - DrillHost.PEER_ISS))
                .append(':').append(Integer.toUnsignedString(getInt(b, q + 4) - DrillHost.PEER_ISS));
          }
          out.add(sb.toString());
        }
        default -> out.add("kind " + kind);
      }
      p += Math.max(len, 2);
    }
    return out;
  }

  private static int getInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
  }

  private static String describe(Packet p) {
    StringBuilder sb = new StringBuilder(TcpFlags.toString(p.flags())).append(' ')
        .append(p.startSeq()).append(':').append(p.endSeq()).append('(').append(p.len()).append(')');
    sb.append(" ack ").append(p.ack() == null ? 0 : p.ack());
    if (p.window() != null) sb.append(" win ").append(p.window());
    if (p.options() == DrillScript.ANY_OPTIONS) sb.append(" <...>");
    else if (p.options() != null) sb.append(" <").append(String.join(",", p.options())).append('>');
    return sb.toString();
  }

  private static String describe(SkBuff s, int flags, long len, int packets) {
    long seq = Integer.toUnsignedLong(s.seq - DrillHost.OUR_ISS);
    long ack = (s.tcpFlags & TcpFlags.ACK) != 0 ? Integer.toUnsignedLong(s.ackSeq - DrillHost.PEER_ISS) : Integer.toUnsignedLong(s.ackSeq);
    StringBuilder sb = new StringBuilder(TcpFlags.toString(flags)).append(' ')
        .append(seq).append(':').append(seq + len).append('(').append(len).append(')')
        .append(" ack ").append(ack).append(" win ").append(s.window);
    List<String> opts = optionTokens(s.options);
    if (!opts.isEmpty()) sb.append(" <").append(String.join(",", opts)).append('>');
    if (packets > 1) sb.append(" [").append(packets).append(" packets]");
    return sb.toString();
  }

  // =====================================================================================
  // System calls
  // =====================================================================================

  /** A call that has not returned yet. */
  private abstract static class Blocked {
    int line;
    String what;
    long endUs, tolUs;
    long wantResult;
    String wantErrno;
    /** Virtual time (ns) the call wakes up by itself (a poll timeout); MAX when never. */
    long wakeAtNs = Long.MAX_VALUE;
    /** Tries to finish; true when the call returned (result/errno set). */
    abstract boolean tryComplete();
    long result;
    String errno;
  }

  private void checkBlocked() {
    Blocked b = blocked;
    if (b == null || !b.tryComplete()) return;
    blocked = null;
    long at = nowUs();
    checkResult(b.line, b.what, b.wantResult, b.wantErrno, b.result, b.errno);
    if (Math.abs(at - b.endUs) > b.tolUs) {
      throw DrillStop.fail(b.line, "expected " + b.what + " to return at " + secs(b.endUs) + " s, actual at " + secs(at) + " s");
    }
  }

  private static void checkResult(int line, String what, long want, String wantErrno, long got, String gotErrno) {
    boolean ok = want == got && (want != -1 || java.util.Objects.equals(wantErrno, gotErrno));
    if (!ok) {
      throw DrillStop.fail(line, "expected " + what + " = " + want + (wantErrno != null ? " " + wantErrno : "")
          + ", actual " + got + (gotErrno != null ? " " + gotErrno : ""));
    }
  }

  private void syscall(Syscall c, long startUs, long tolUs) {
    String what = c.name() + "()";
    Call call = new Call(c);
    Blocked b = call.start();
    if (b == null) {
      if (c.time().blocking() && c.time().endUsecs() - c.time().usecs() > tolUs) {
        throw DrillStop.fail(c.line(), "expected " + what + " to block until " + secs(startUs - c.time().usecs() + c.time().endUsecs())
            + " s, actual: returned at " + secs(nowUs()) + " s");
      }
      checkResult(c.line(), what, c.result(), c.errno(), call.result, call.errno);
      return;
    }
    if (!c.time().blocking()) {
      throw DrillStop.fail(c.line(), "expected " + what + " = " + c.result() + " at once, actual: the call blocks");
    }
    b.line = c.line();
    b.what = what;
    // T2 counts from the same base as T1.
    b.endUs = c.time().kind() == Time.Kind.ABSOLUTE ? c.time().endUsecs() : startUs - c.time().usecs() + c.time().endUsecs();
    b.tolUs = Math.max(script.toleranceUsecs(), (b.endUs - startUs) / 8);
    b.wantResult = c.result();
    b.wantErrno = c.errno();
    if (blocked != null) throw DrillStop.unsupported(c.line(), "a second blocking call while one is in progress");
    blocked = b;
  }

  private static final Map<String, Integer> ERRNO = Map.of(
      "EPIPE", 32, "EAGAIN", 11, "ECONNRESET", 104, "ENOTCONN", 107, "EINVAL", 22, "ETIMEDOUT", 110,
      "ECONNREFUSED", 111, "EBADF", 9, "EINPROGRESS", 115);

  private static String errnoName(int errno) {
    for (Map.Entry<String, Integer> e : ERRNO.entrySet()) if (e.getValue() == errno) return e.getKey();
    return "E" + errno;
  }

  /** One system call: its arguments and, once done, its result. */
  private final class Call {
    final Syscall c;
    final List<String> args;
    long result;
    String errno;

    Call(Syscall c) {
      this.c = c;
      this.args = c.args();
    }

    private DrillStop unsupported(String feature) {
      return DrillStop.unsupported(c.line(), feature);
    }

    private void ret(long v) {
      result = v;
      errno = null;
    }

    private void err(String e) {
      result = -1;
      errno = e;
    }

    private int fdArg() {
      return (int) intArg(0);
    }

    private long intArg(int i) {
      if (i >= args.size()) throw unsupported(c.name() + "() with " + args.size() + " arguments");
      String a = args.get(i).trim();
      if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1).trim();
      try {
        return Long.decode(a);
      } catch (NumberFormatException e) {
        throw unsupported(c.name() + "() argument '" + args.get(i) + "'");
      }
    }

    private int msgFlags(String text) {
      int f = 0;
      for (String t : text.split("\\|")) {
        switch (t.trim()) {
          case "0" -> { }
          case "MSG_MORE" -> f |= MsgFlags.MSG_MORE;
          case "MSG_EOR" -> f |= MsgFlags.MSG_EOR;
          case "MSG_DONTWAIT" -> f |= MsgFlags.MSG_DONTWAIT;
          default -> throw unsupported("send flag " + t.trim());
        }
      }
      return f;
    }

    private DrillHost.Conn connArg() {
      Object o = fds.get(fdArg());
      if (o instanceof DrillHost.Conn conn) return conn;
      return null;
    }

    /** Runs the call; returns null when it returned, or what it waits for. */
    Blocked start() {
      switch (c.name()) {
        case "socket" -> {
          if (args.size() != 3 || !args.get(1).equals("SOCK_STREAM")) throw unsupported("socket() other than SOCK_STREAM");
          DrillHost.Listener l = new DrillHost.Listener();
          l.fd = nextFd++;
          if (host.listener != null) throw unsupported("more than one socket()");
          host.listener = l;
          fds.put(l.fd, l);
          ret(l.fd);
        }
        case "bind" -> {
          if (!(fds.get(fdArg()) instanceof DrillHost.Listener l)) { err("EBADF"); return null; }
          l.bound = true;
          ret(0);
        }
        case "listen" -> {
          if (!(fds.get(fdArg()) instanceof DrillHost.Listener l)) { err("EBADF"); return null; }
          l.listening = true;
          ret(0);
        }
        case "connect" -> {
          if (!(fds.get(fdArg()) instanceof DrillHost.Listener l) || l.listening) { err("EBADF"); return null; }
          if (host.conn != null) throw unsupported("a second connection");
          DrillHost.Conn conn = host.connect(l);
          fds.put(l.fd, conn);
          if (host.listener == l) host.listener = null;
          conn.fd = l.fd;
          conn.nonblocking = l.nonblocking;
          Blocked b = new Blocked() {
            @Override boolean tryComplete() {
              TcpState st = conn.sock.state();
              if (st == TcpState.TCP_SYN_SENT) return false;
              if (conn.error() != 0) {
                result = -1;
                errno = errnoName(conn.takeError());
              } else {
                result = 0;
              }
              return true;
            }
          };
          if (b.tryComplete()) { result = b.result; errno = b.errno; return null; }
          if (conn.nonblocking) { err("EINPROGRESS"); return null; }
          return b;
        }
        case "accept" -> {
          if (!(fds.get(fdArg()) instanceof DrillHost.Listener l)) { err("EBADF"); return null; }
          Blocked b = new Blocked() {
            @Override boolean tryComplete() {
              DrillHost.Conn conn = host.conn;
              if (conn == null || !conn.acceptable || conn.fd != 0) return false;
              conn.fd = nextFd++;
              conn.nonblocking = false;
              fds.put(conn.fd, conn);
              result = conn.fd;
              return true;
            }
          };
          if (b.tryComplete()) { ret(b.result); return null; }
          if (l.nonblocking) { err("EAGAIN"); return null; }
          return b;
        }
        case "close" -> {
          Object o = fds.remove(fdArg());
          if (o == null) { err("EBADF"); return null; }
          if (o instanceof DrillHost.Listener l) {
            l.listening = false;
            if (host.listener == l) host.listener = null;
          } else {
            DrillHost.Conn conn = (DrillHost.Conn) o;
            conn.socket.close(host.now);
            host.drain(conn.sock);
          }
          ret(0);
        }
        case "shutdown" -> {
          DrillHost.Conn conn = connArg();
          if (conn == null) { err("ENOTCONN"); return null; }
          String how = args.size() > 1 ? args.get(1).trim() : "";
          boolean rd = how.equals("SHUT_RD") || how.equals("SHUT_RDWR");
          boolean wr = how.equals("SHUT_WR") || how.equals("SHUT_RDWR");
          if (!rd && !wr) throw unsupported("shutdown how '" + how + "'");
          conn.socket.shutdown(host.now, rd, wr);
          host.drain(conn.sock);
          ret(0);
        }
        case "write", "send", "sendto" -> {
          long len = intArg(2);
          int flags = c.name().equals("write") ? 0 : msgFlags(args.size() > 3 ? args.get(3) : "0");
          return write(len, flags);
        }
        case "sendmsg" -> {
          if (args.size() != 3) throw unsupported("sendmsg() with " + args.size() + " arguments");
          return write(iovTotal(args.get(1)), msgFlags(args.get(2)));
        }
        case "writev" -> {
          if (args.size() != 3) throw unsupported("writev() with " + args.size() + " arguments");
          return write(iovTotal(args.get(1)), 0);
        }
        case "read", "recv", "recvfrom" -> {
          long len = intArg(2);
          if (!c.name().equals("read") && args.size() > 3 && !args.get(3).trim().equals("0")) throw unsupported("recv flags " + args.get(3));
          return read(len);
        }
        case "setsockopt" -> setsockopt();
        case "getsockopt" -> getsockopt();
        case "fcntl" -> {
          Object o = fds.get(fdArg());
          if (o == null) { err("EBADF"); return null; }
          if (args.size() != 3 || !args.get(1).trim().equals("F_SETFL")) throw unsupported("fcntl " + String.join(", ", args));
          boolean nb = false;
          for (String t : args.get(2).split("\\|")) {
            switch (t.trim()) {
              case "O_NONBLOCK" -> nb = true;
              case "O_RDWR", "0" -> { }
              default -> throw unsupported("fcntl flag " + t.trim());
            }
          }
          if (o instanceof DrillHost.Conn conn) conn.nonblocking = nb;
          else ((DrillHost.Listener) o).nonblocking = nb;
          ret(0);
        }
        case "poll" -> { return poll(); }
        default -> throw unsupported("system call " + c.name() + "()");
      }
      return null;
    }

    private long iovTotal(String text) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\s*\\.\\.\\.\\s*,\\s*(\\d+)\\s*\\}").matcher(text);
      long total = 0;
      int n = 0;
      while (m.find()) { total += Long.parseLong(m.group(1)); n++; }
      if (n == 0) throw unsupported("iovec '" + text + "'");
      return total;
    }

    private Blocked write(long len, int flags) {
      DrillHost.Conn conn = connArg();
      if (conn == null) { err("EBADF"); return null; }
      boolean nonblocking = conn.nonblocking || (flags & MsgFlags.MSG_DONTWAIT) != 0;
      // tcp_sendmsg() through the socket: it sleeps in sk_stream_wait_memory() until
      // sk_stream_write_space(), an error, or returns EAGAIN at once when nonblocking
      conn.writeResult = null;
      conn.socket.sendmsg(host.now, len, null, nonblocking ? flags | MsgFlags.MSG_DONTWAIT : flags, 0);
      host.drain(conn.sock);
      Blocked b = new Blocked() {
        @Override boolean tryComplete() {
          long[] r = conn.writeResult;
          if (r == null) return false;
          conn.writeResult = null;
          if (r[0] > 0 || r[1] == 0) { result = r[0]; return true; }
          result = -1;
          errno = errnoName((int) r[1]);
          return true;
        }
      };
      if (b.tryComplete()) { result = b.result; errno = b.errno; return null; }
      return b;
    }

    private Blocked read(long len) {
      DrillHost.Conn conn = connArg();
      if (conn == null) { err("EBADF"); return null; }
      Blocked b = new Blocked() {
        @Override boolean tryComplete() {
          if (conn.sock.rcvQueueBytes() > 0) {
            result = conn.socket.recv(host.now, len);
            host.drain(conn.sock);
            return true;
          }
          if (conn.error() != 0) {
            result = -1;
            errno = errnoName(conn.takeError());
            return true;
          }
          if (conn.sock.finReceived() || conn.sock.state() == TcpState.TCP_CLOSE) {
            result = 0;
            return true;
          }
          return false;
        }
      };
      if (b.tryComplete()) { result = b.result; errno = b.errno; return null; }
      if (conn.nonblocking) { err("EAGAIN"); return null; }
      return b;
    }

    private Blocked poll() {
      // poll([{fd=N, events=E, revents=R}], 1, timeout)
      if (args.size() != 3) throw unsupported("poll() with " + args.size() + " arguments");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "\\[\\s*\\{\\s*fd=(\\d+)\\s*,\\s*events=([A-Z|]+)\\s*(?:,\\s*revents=([A-Z|0]+)\\s*)?\\}\\s*\\]").matcher(args.get(0).trim());
      if (!m.matches() || intArg(1) != 1) throw unsupported("poll() on '" + args.get(0) + "'");
      Object o = fds.get(Integer.parseInt(m.group(1)));
      if (!(o instanceof DrillHost.Conn conn)) throw unsupported("poll() on a listening socket");
      int events = pollBits(m.group(2));
      int wantRevents = m.group(3) == null ? -1 : pollBits(m.group(3));
      long timeoutMs = intArg(2);
      long deadline = host.now + timeoutMs * 1_000_000L;
      int line = c.line();
      Blocked b = new Blocked() {
        @Override boolean tryComplete() {
          int rev = revents(conn) & (events | POLLERR | POLLHUP);
          if (rev == 0 && (timeoutMs < 0 || host.now < deadline)) return false;
          if (rev != 0 && wantRevents >= 0 && rev != wantRevents) {
            throw DrillStop.fail(line, "expected poll() revents " + wantRevents + ", actual " + rev);
          }
          result = rev != 0 ? 1 : 0;
          return true;
        }
      };
      if (b.tryComplete()) { result = b.result; return null; }
      if (timeoutMs >= 0) b.wakeAtNs = deadline;
      return b;
    }

    private static final int POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16;

    private int pollBits(String text) {
      int v = 0;
      for (String t : text.split("\\|")) {
        switch (t.trim()) {
          case "POLLIN" -> v |= POLLIN;
          case "POLLOUT" -> v |= POLLOUT;
          case "POLLERR" -> v |= POLLERR;
          case "POLLHUP" -> v |= POLLHUP;
          case "0" -> { }
          default -> throw unsupported("poll event " + t.trim());
        }
      }
      return v;
    }

    /** net/ipv4/tcp.c::tcp_poll() for the bits the scripts use. */
    private int revents(DrillHost.Conn conn) {
      int mask = 0;
      if (conn.sock.rcvQueueBytes() > 0 || conn.sock.finReceived()) mask |= POLLIN;
      if (conn.sock.pollWritable()) mask |= POLLOUT;
      if (conn.error() != 0) mask |= POLLERR;
      return mask;
    }

    private void setsockopt() {
      if (args.size() != 5) throw unsupported("setsockopt() with " + args.size() + " arguments");
      Object o = fds.get(fdArg());
      if (o == null) { err("EBADF"); return; }
      String opt = args.get(2).trim();
      DrillHost.Conn conn = o instanceof DrillHost.Conn x ? x : null;
      DrillHost.Listener l = o instanceof DrillHost.Listener x ? x : null;
      switch (opt) {
        case "SO_REUSEADDR" -> ret(0);
        case "SO_SNDBUF" -> {
          int v = (int) intArg(3);
          if (conn != null) { conn.socket.setSndbuf(host.now, v, host.sysctls.getInt("wmem_max")); host.drain(conn.sock); }
          else l.sndbuf = v;
          ret(0);
        }
        case "TCP_NODELAY" -> {
          boolean on = intArg(3) != 0;
          if (conn != null) { conn.socket.setNodelay(host.now, on); host.drain(conn.sock); }
          else l.nodelay = on;
          ret(0);
        }
        case "TCP_CORK" -> {
          if (conn == null) throw unsupported("TCP_CORK on a listening socket");
          conn.socket.setCork(host.now, intArg(3) != 0);
          host.drain(conn.sock);
          ret(0);
        }
        case "TCP_MAXSEG" -> {
          int v = (int) intArg(3);
          if (conn != null) throw unsupported("TCP_MAXSEG on a connected socket");
          l.userMss = v;
          ret(0);
        }
        case "TCP_NOTSENT_LOWAT" -> {
          if (conn == null) throw unsupported("TCP_NOTSENT_LOWAT on a listening socket");
          conn.socket.setNotsentLowat(host.now, intArg(3));
          host.drain(conn.sock);
          ret(0);
        }
        case "TCP_USER_TIMEOUT" -> {
          if (conn == null) throw unsupported("TCP_USER_TIMEOUT on a listening socket");
          conn.sock.setUserTimeout((int) intArg(3));
          ret(0);
        }
        default -> throw unsupported("setsockopt " + opt);
      }
    }

    private void getsockopt() {
      if (args.size() != 5) throw unsupported("getsockopt() with " + args.size() + " arguments");
      Object o = fds.get(fdArg());
      if (o == null) { err("EBADF"); return; }
      String opt = args.get(2).trim();
      DrillHost.Conn conn = o instanceof DrillHost.Conn x ? x : null;
      DrillHost.Listener l = o instanceof DrillHost.Listener x ? x : null;
      long want = intArg(3);
      long got = switch (opt) {
        case "SO_SNDBUF" -> {
          if (conn == null) throw unsupported("getsockopt SO_SNDBUF on a listening socket");
          yield conn.sock.sndbuf();
        }
        case "TCP_MAXSEG" -> conn != null ? conn.sock.maxseg() : (l.userMss != 0 ? l.userMss : 536);
        case "TCP_NOTSENT_LOWAT" -> {
          if (conn == null) throw unsupported("getsockopt TCP_NOTSENT_LOWAT on a listening socket");
          yield conn.sock.notsentLowat();
        }
        default -> throw unsupported("getsockopt " + opt);
      };
      if (got != want) {
        throw DrillStop.fail(c.line(), "expected getsockopt(" + opt + ") value " + want + ", actual " + got);
      }
      ret(0);
    }
  }

  // =====================================================================================
  // %{ }% asserts over tcp_info
  // =====================================================================================

  private void evalAsserts(Assert a) {
    DrillHost.Conn conn = host.conn;
    if (conn == null || conn.fd == 0) throw DrillStop.fail(a.line(), "expected a connected socket for tcp_info, actual none");
    TcpInfo info = conn.sock.info(host.now);
    for (String expr : a.expressions()) {
      AssertExpr e = new AssertExpr(expr, name -> tcpiValue(conn, info, name), a.line());
      if (!e.evaluate()) {
        throw DrillStop.fail(a.line(), "expected " + expr + ", actual " + e.describeOperands());
      }
    }
  }

  /** A tcpi_* field of struct tcp_info (include/uapi/linux/tcp.h) from the emulated socket; null when not modelled. */
  static Long tcpiValue(DrillHost.Conn conn, TcpInfo info, String name) {
    return switch (name) {
      case "tcpi_state" -> (long) linuxState(info.state());
      case "tcpi_ca_state" -> (long) info.caState().ordinal();
      case "tcpi_backoff" -> (long) info.backoff();
      case "tcpi_probes" -> (long) conn.sock.probesOut();
      case "tcpi_snd_cwnd" -> (long) info.cwnd();
      case "tcpi_snd_ssthresh" -> (long) info.ssthresh();
      case "tcpi_rtt" -> info.srttUs();
      case "tcpi_rttvar" -> info.rttvarUs();
      case "tcpi_rto" -> info.rtoUs();
      case "tcpi_min_rtt" -> info.minRttUs();
      case "tcpi_snd_mss" -> (long) info.sndMss();
      case "tcpi_advmss" -> (long) conn.sock.advmss();
      case "tcpi_unacked" -> (long) info.unacked();
      case "tcpi_retrans" -> (long) info.retrans();
      case "tcpi_lost" -> (long) info.lost();
      case "tcpi_sacked" -> (long) info.sacked();
      case "tcpi_total_retrans" -> info.totalRetrans();
      case "tcpi_bytes_sent" -> info.bytesSent();
      case "tcpi_bytes_acked" -> info.bytesAcked();
      case "tcpi_bytes_retrans" -> info.bytesRetrans();
      case "tcpi_segs_out" -> info.segsOut();
      case "tcpi_notsent_bytes" -> info.notsentBytes();
      case "tcpi_snd_wnd" -> (long) info.sndWnd();
      default -> null;
    };
  }

  /** include/net/tcp_states.h numbering. */
  private static int linuxState(TcpState s) {
    return switch (s) {
      case TCP_ESTABLISHED -> 1;
      case TCP_SYN_SENT -> 2;
      case TCP_SYN_RECV -> 3;
      case TCP_FIN_WAIT1 -> 4;
      case TCP_FIN_WAIT2 -> 5;
      case TCP_TIME_WAIT -> 6;
      case TCP_CLOSE -> 7;
      case TCP_CLOSE_WAIT -> 8;
      case TCP_LAST_ACK -> 9;
      case TCP_LISTEN -> 10;
      case TCP_CLOSING -> 11;
    };
  }
}
