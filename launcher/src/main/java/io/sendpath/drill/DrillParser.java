package io.sendpath.drill;

import io.sendpath.drill.DrillScript.Assert;
import io.sendpath.drill.DrillScript.Command;
import io.sendpath.drill.DrillScript.Event;
import io.sendpath.drill.DrillScript.Packet;
import io.sendpath.drill.DrillScript.Syscall;
import io.sendpath.drill.DrillScript.Time;
import io.sendpath.protocol.TcpFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the packetdrill subset described in shared/conformance/README.md: options lines, the init
 * command in back quotes (defaults.sh, sysctl, set_sysctls.py, tc, ethtool), time columns,
 * packet lines, system calls, %{ }% assert blocks and comments. Anything else is an error
 * naming the file and line.
 */
public final class DrillParser {
  private DrillParser() {}

  private static final String NUM = "(?:\\d+(?:\\.\\d*)?|\\.\\d+)";
  private static final Pattern TIME = Pattern.compile(
      "^(\\*|\\+?" + NUM + "(?:~\\+?" + NUM + ")?(?:\\.\\.\\.\\+?" + NUM + ")?)(?=\\s|$)");
  private static final Pattern PACKET = Pattern.compile(
      "^([<>])\\s+([.FSRPEWAU-]+)\\s+(\\d+):(\\d+)\\((\\d+)\\)(.*)$");
  private static final Pattern SYSCALL = Pattern.compile("^([a-z_0-9]+)\\s*\\((.*)\\)\\s*=\\s*(-?\\w+)\\s*(.*)$", Pattern.DOTALL);

  /** Parses a script file. */
  public static DrillScript parse(Path path) throws IOException, DrillParseException {
    return parse(path, Files.readString(path));
  }

  /** Parses script text; 'path' names it in errors and locates defaults.sh and set_sysctls.py. */
  public static DrillScript parse(Path path, String text) throws DrillParseException {
    String name = path.toString();
    String[] raw = text.split("\n", -1);
    String[] lines = stripComments(raw);
    long tolerance = DrillScript.DEFAULT_TOLERANCE_USECS;
    int mss = 0;
    boolean strict = false;
    Init init = new Init(name, path.toAbsolutePath().getParent());
    boolean initSeen = false;
    List<Event> events = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].trim();
      int lineNo = i + 1;
      if (line.isEmpty()) { i++; continue; }
      if (events.isEmpty() && line.startsWith("--")) {
        String opt = line.substring(2);
        String key = opt, val = null;
        int eq = opt.indexOf('=');
        if (eq >= 0) { key = opt.substring(0, eq); val = opt.substring(eq + 1).trim(); }
        switch (key) {
          case "tolerance_usecs" -> tolerance = parseLong(name, lineNo, val, "--tolerance_usecs");
          case "mss" -> mss = (int) parseLong(name, lineNo, val, "--mss");
          case "strict_segments" -> strict = true;
          default -> throw new DrillParseException(name, lineNo, "unknown option --" + key);
        }
        i++;
        continue;
      }
      if (line.startsWith("`")) {
        int[] end = new int[1];
        String cmd = collectQuoted(name, lines, i, end);
        if (!initSeen && events.isEmpty()) {
          init.run(cmd, lineNo);
          initSeen = true;
        } else {
          events.add(new Command(lineNo, new Time(Time.Kind.RELATIVE, 0, false, 0, false, false), cmd));
        }
        i = end[0] + 1;
        continue;
      }
      Matcher tm = TIME.matcher(line);
      if (!tm.find()) throw new DrillParseException(name, lineNo, "cannot parse line: " + line);
      Time time = parseTime(name, lineNo, tm.group(1));
      String rest = line.substring(tm.end()).trim();
      // Join continuation lines until brackets balance (sendmsg structures, assert blocks).
      int last = i;
      if (rest.startsWith("%{")) {
        StringBuilder sb = new StringBuilder(rest);
        while (!sb.toString().contains("}%")) {
          last++;
          if (last >= lines.length) throw new DrillParseException(name, lineNo, "%{ block without }%");
          sb.append('\n').append(lines[last]);
        }
        events.add(parseAssert(name, lineNo, time, sb.toString()));
      } else if (rest.startsWith("<") || rest.startsWith(">")) {
        events.add(parsePacket(name, lineNo, time, rest));
      } else if (rest.startsWith("`")) {
        int[] end = new int[1];
        lines[i] = rest;
        String cmd = collectQuoted(name, lines, i, end);
        last = end[0];
        events.add(new Command(lineNo, time, cmd));
      } else {
        if (!rest.matches("^[a-z_0-9]+\\s*\\(.*")) throw new DrillParseException(name, lineNo, "cannot parse system call: " + rest);
        StringBuilder sb = new StringBuilder(rest);
        while (depth(sb) > 0 || !hasResult(sb)) {
          last++;
          if (last >= lines.length) throw new DrillParseException(name, lineNo, "unterminated system call: " + rest);
          sb.append(' ').append(lines[last].trim());
        }
        events.add(parseSyscall(name, lineNo, time, sb.toString()));
      }
      i = last + 1;
    }
    return new DrillScript(path, tolerance, mss, strict, init.sysctls, init.tso, init.unsupported,
        init.unsupportedLine, List.copyOf(events));
  }

  /** Removes // and /* *&#47; comments, keeping line numbers. */
  private static String[] stripComments(String[] raw) {
    String[] out = new String[raw.length];
    boolean inBlock = false;
    for (int i = 0; i < raw.length; i++) {
      StringBuilder sb = new StringBuilder();
      String s = raw[i];
      int j = 0;
      while (j < s.length()) {
        if (inBlock) {
          int e = s.indexOf("*/", j);
          if (e < 0) { j = s.length(); break; }
          inBlock = false;
          j = e + 2;
        } else if (s.startsWith("//", j)) {
          break;
        } else if (s.startsWith("/*", j)) {
          inBlock = true;
          j += 2;
        } else {
          sb.append(s.charAt(j++));
        }
      }
      out[i] = sb.toString();
    }
    return out;
  }

  private static String collectQuoted(String name, String[] lines, int start, int[] end) throws DrillParseException {
    String first = lines[start].trim();
    int open = first.indexOf('`');
    StringBuilder sb = new StringBuilder();
    String tail = first.substring(open + 1);
    int i = start;
    while (true) {
      int close = tail.indexOf('`');
      if (close >= 0) {
        sb.append(tail, 0, close);
        end[0] = i;
        return sb.toString();
      }
      sb.append(tail).append('\n');
      i++;
      if (i >= lines.length) throw new DrillParseException(name, start + 1, "back-quoted command without its closing quote");
      tail = lines[i];
    }
  }

  private static int depth(CharSequence s) {
    int d = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '(' || c == '{' || c == '[') d++;
      else if (c == ')' || c == '}' || c == ']') d--;
    }
    return d;
  }

  private static boolean hasResult(CharSequence s) {
    String t = s.toString();
    int close = t.lastIndexOf(')');
    int eq = t.lastIndexOf('=');
    // the '=' of the result comes after the argument list's closing parenthesis
    int d = 0, argsEnd = -1;
    for (int k = 0; k < t.length(); k++) {
      char c = t.charAt(k);
      if (c == '(') d++;
      else if (c == ')') { d--; if (d == 0) { argsEnd = k; break; } }
    }
    return argsEnd >= 0 && t.indexOf('=', argsEnd) > argsEnd && close >= 0 && eq > 0;
  }

  static Time parseTime(String name, int line, String tok) throws DrillParseException {
    if (tok.equals("*")) return new Time(Time.Kind.ANY, 0, false, 0, false, false);
    boolean blocking = false, range = false, endRel = false;
    String start = tok, end = null;
    int dots = tok.indexOf("...");
    int tilde = tok.indexOf('~');
    if (dots >= 0) { blocking = true; start = tok.substring(0, dots); end = tok.substring(dots + 3); }
    else if (tilde >= 0) { range = true; start = tok.substring(0, tilde); end = tok.substring(tilde + 1); }
    boolean rel = start.startsWith("+");
    long s = usecs(name, line, rel ? start.substring(1) : start);
    long e = 0;
    if (end != null) {
      endRel = end.startsWith("+");
      e = usecs(name, line, endRel ? end.substring(1) : end);
      if (range && endRel != rel) throw new DrillParseException(name, line, "time range mixes relative and absolute ends: " + tok);
    }
    return new Time(rel ? Time.Kind.RELATIVE : Time.Kind.ABSOLUTE, s, range, e, endRel, blocking);
  }

  private static long usecs(String name, int line, String s) throws DrillParseException {
    try {
      return new java.math.BigDecimal(s).movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new DrillParseException(name, line, "bad time '" + s + "'");
    }
  }

  private static long parseLong(String name, int line, String v, String what) throws DrillParseException {
    try {
      return Long.parseLong(v.trim());
    } catch (RuntimeException e) {
      throw new DrillParseException(name, line, what + " needs an integer, got '" + v + "'");
    }
  }

  static Packet parsePacket(String name, int line, Time time, String text) throws DrillParseException {
    Matcher m = PACKET.matcher(text.trim());
    if (!m.matches()) throw new DrillParseException(name, line, "cannot parse packet: " + text.trim());
    boolean inbound = m.group(1).equals("<");
    int flags = 0;
    for (char c : m.group(2).toCharArray()) {
      flags |= switch (c) {
        case 'F' -> TcpFlags.FIN;
        case 'S' -> TcpFlags.SYN;
        case 'R' -> TcpFlags.RST;
        case 'P' -> TcpFlags.PSH;
        case '.', 'A' -> TcpFlags.ACK;
        case 'E' -> TcpFlags.ECE;
        case 'W' -> TcpFlags.CWR;
        case 'U' -> TcpFlags.URG;
        default -> 0;
      };
    }
    long start = Long.parseLong(m.group(3)), end = Long.parseLong(m.group(4));
    int len = Integer.parseInt(m.group(5));
    if (end - start != len) throw new DrillParseException(name, line, "sequence range " + start + ":" + end + " does not hold " + len + " bytes");
    String rest = m.group(6).trim();
    Long ack = null;
    Integer win = null;
    List<String> options = null;
    while (!rest.isEmpty()) {
      if (rest.startsWith("ack ")) {
        String[] p = rest.substring(4).trim().split("\\s+", 2);
        ack = parseLong(name, line, p[0], "ack");
        rest = p.length > 1 ? p[1].trim() : "";
      } else if (rest.startsWith("win ")) {
        String[] p = rest.substring(4).trim().split("\\s+", 2);
        win = (int) parseLong(name, line, p[0], "win");
        rest = p.length > 1 ? p[1].trim() : "";
      } else if (rest.startsWith("<")) {
        int close = rest.indexOf('>');
        if (close < 0) throw new DrillParseException(name, line, "options without closing '>'");
        String body = rest.substring(1, close).trim();
        rest = rest.substring(close + 1).trim();
        if (body.equals("...")) {
          options = DrillScript.ANY_OPTIONS;
        } else {
          options = new ArrayList<>();
          for (String o : body.split(",")) {
            String t = o.trim().replaceAll("\\s+", " ");
            if (t.isEmpty()) throw new DrillParseException(name, line, "empty TCP option in <" + body + ">");
            options.add(t);
          }
          options = List.copyOf(options);
        }
      } else {
        throw new DrillParseException(name, line, "cannot parse packet field: " + rest);
      }
    }
    if (inbound && win == null) throw new DrillParseException(name, line, "an inbound packet needs 'win N'");
    return new Packet(line, time, inbound, flags, start, end, len, ack, win, options);
  }

  static Syscall parseSyscall(String name, int line, Time time, String text) throws DrillParseException {
    Matcher m = SYSCALL.matcher(text.trim());
    if (!m.matches()) throw new DrillParseException(name, line, "cannot parse system call: " + text.trim());
    String call = m.group(1);
    List<String> args = splitArgs(m.group(2));
    long result;
    try {
      result = Long.parseLong(m.group(3));
    } catch (NumberFormatException e) {
      throw new DrillParseException(name, line, "system call result '" + m.group(3) + "' is not a number");
    }
    String errno = null;
    String tail = m.group(4).trim();
    if (result == -1) {
      Matcher em = Pattern.compile("^([A-Z][A-Z0-9]*)\\s*(\\(.*\\))?$").matcher(tail);
      if (!em.matches()) throw new DrillParseException(name, line, "a -1 result needs an errno name, got '" + tail + "'");
      errno = em.group(1);
    } else if (!tail.isEmpty()) {
      throw new DrillParseException(name, line, "unexpected text after the result: " + tail);
    }
    return new Syscall(line, time, call, args, result, errno);
  }

  /** Splits a call's argument text at top-level commas. */
  static List<String> splitArgs(String s) {
    List<String> out = new ArrayList<>();
    int d = 0, from = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '(' || c == '{' || c == '[') d++;
      else if (c == ')' || c == '}' || c == ']') d--;
      else if (c == ',' && d == 0) { out.add(s.substring(from, k).trim()); from = k + 1; }
    }
    String last = s.substring(from).trim();
    if (!last.isEmpty() || !out.isEmpty()) out.add(last);
    return out;
  }

  static Assert parseAssert(String name, int line, Time time, String text) throws DrillParseException {
    int a = text.indexOf("%{"), b = text.lastIndexOf("}%");
    String body = text.substring(a + 2, b);
    List<String> exprs = new ArrayList<>();
    for (String stmt : body.split("[\n;]")) {
      String t = stmt.trim();
      if (t.isEmpty()) continue;
      if (!t.startsWith("assert ")) throw new DrillParseException(name, line, "only 'assert expr, msg' is supported in %{ }%, got: " + t);
      String e = t.substring(7);
      int comma = topLevelComma(e);
      if (comma >= 0) e = e.substring(0, comma);
      exprs.add(e.trim());
    }
    return new Assert(line, time, List.copyOf(exprs));
  }

  private static int topLevelComma(String s) {
    int d = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '(') d++;
      else if (c == ')') d--;
      else if (c == ',' && d == 0) return k;
    }
    return -1;
  }

  /** The init command: sysctls, tc and ethtool for the emulated host (shared/conformance/README.md). */
  static final class Init {
    final String name;
    final Path dir;
    final Map<String, String> sysctls = new LinkedHashMap<>();
    boolean tso = true;
    String unsupported;
    int unsupportedLine;

    Init(String name, Path dir) {
      this.name = name;
      this.dir = dir;
    }

    void run(String cmd, int line) throws DrillParseException {
      // Backslash-newline continues a shell line.
      String joined = cmd.replace("\\\n", " ");
      for (String raw : joined.split("\n")) {
        String l = raw.trim();
        if (l.isEmpty() || l.startsWith("#")) continue;
        shellLine(l, line, 0);
      }
    }

    private void unsupported(String what, int line) {
      if (unsupported == null) { unsupported = what; unsupportedLine = line; }
    }

    private void shellLine(String l, int line, int nesting) throws DrillParseException {
      // Redirections of output do not change what a command sets.
      l = l.replaceAll("\\s*>\\s*/dev/null(\\s+2>&1)?", "").replaceAll("\\s+2>&1", "").trim();
      String[] w = l.split("\\s+");
      String cmd = w[0];
      if (cmd.endsWith("defaults.sh")) {
        if (nesting > 0) { unsupported("nested " + cmd, line); return; }
        Path f = dir.resolve(cmd).normalize();
        List<String> lines;
        try {
          lines = Files.readAllLines(f);
        } catch (IOException e) {
          throw new DrillParseException(name, line, "cannot read " + f + ": " + e.getMessage());
        }
        StringBuilder sb = new StringBuilder();
        for (String s : lines) sb.append(s).append('\n');
        String text = sb.toString().replace("\\\n", " ");
        for (String s : text.split("\n")) {
          String t = s.trim();
          if (t.isEmpty() || t.startsWith("#")) continue;
          shellLine(t, line, nesting + 1);
        }
      } else if (cmd.equals("sysctl")) {
        int k = 1;
        while (k < w.length && w[k].startsWith("-")) k++;
        String rest = String.join(" ", java.util.Arrays.copyOfRange(w, k, w.length));
        Matcher m = Pattern.compile("([a-z0-9_.]+)=(\"[^\"]*\"|\\S+)").matcher(rest);
        boolean any = false;
        while (m.find()) {
          any = true;
          setSysctl(m.group(1), unquote(m.group(2)), line);
        }
        if (!any) unsupported("sysctl without name=value: " + l, line);
      } else if (cmd.endsWith("set_sysctls.py")) {
        for (int k = 1; k < w.length; k++) {
          int eq = w[k].indexOf('=');
          if (!w[k].startsWith("/proc/sys/") || eq < 0) { unsupported("set_sysctls.py argument " + w[k], line); continue; }
          setSysctl(w[k].substring("/proc/sys/".length(), eq).replace('/', '.'), w[k].substring(eq + 1), line);
        }
      } else if (cmd.equals("tc")) {
        // tc qdisc add|replace dev tun0 root pfifo [limit N]
        if (w.length >= 7 && w[1].equals("qdisc") && (w[2].equals("add") || w[2].equals("replace"))
            && w[3].equals("dev") && w[4].equals("tun0") && w[5].equals("root") && w[6].equals("pfifo")
            && (w.length == 7 || (w.length == 9 && w[7].equals("limit") && w[8].matches("\\d+")))) {
          sysctls.put("default_qdisc", "pfifo");
        } else {
          unsupported("tc command: " + l, line);
        }
      } else if (cmd.equals("ethtool")) {
        if (w.length >= 3 && w[1].equals("-K") && w[2].equals("tun0")) {
          for (int k = 3; k + 1 < w.length; k += 2) {
            if ((w[k].equals("tso") || w[k].equals("gso")) && (w[k + 1].equals("off") || w[k + 1].equals("on"))) {
              if (w[k].equals("tso")) tso = w[k + 1].equals("on");
            } else {
              unsupported("ethtool feature " + w[k] + " " + w[k + 1], line);
            }
          }
        } else {
          unsupported("ethtool command: " + l, line);
        }
      } else if (l.equals("ip tcp_metrics flush all")) {
        // A fresh emulated host has no cached TCP metrics: nothing to flush.
      } else {
        unsupported("init command: " + l, line);
      }
    }

    private void setSysctl(String full, String value, int line) {
      String n = full;
      if (n.startsWith("net.ipv4.")) n = n.substring("net.ipv4.".length());
      else if (n.startsWith("net.core.")) n = n.substring("net.core.".length());
      else { unsupported("sysctl " + full, line); return; }
      sysctls.put(n, shellValue(value));
    }

    private static String unquote(String v) {
      return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** Expands $((a*b)) arithmetic and 0x numbers, as the shell would. */
    static String shellValue(String v) {
      Matcher m = Pattern.compile("\\$\\(\\(([0-9*+\\- ]+)\\)\\)").matcher(v);
      StringBuffer out = new StringBuffer();
      while (m.find()) m.appendReplacement(out, Long.toString(arith(m.group(1))));
      m.appendTail(out);
      String s = out.toString().trim();
      if (s.matches("0[xX][0-9a-fA-F]+")) s = Long.toString(Long.parseLong(s.substring(2), 16));
      return s;
    }

    /** Integer arithmetic with + - * (left to right, * first). */
    private static long arith(String e) {
      long sum = 0;
      int sign = 1;
      for (String term : e.replace(" ", "").split("(?=[+-])")) {
        if (term.isEmpty()) continue;
        if (term.charAt(0) == '+') { sign = 1; term = term.substring(1); }
        else if (term.charAt(0) == '-') { sign = -1; term = term.substring(1); }
        long p = 1;
        for (String f : term.split("\\*")) p *= Long.parseLong(f);
        sum += sign * p;
      }
      return sum;
    }
  }
}
