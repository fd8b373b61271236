package io.sendpath.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The expression of one {@code assert expr, msg} line in a %{ }% block: integers, tcpi_* names,
 * comparisons (== != &lt; &lt;= &gt; &gt;=), + - *, and / or / not, parentheses. No Python
 * interpreter: this subset is all the scripts use. An unknown name is UNSUPPORTED at the line.
 */
final class AssertExpr {
  private final String text;
  private final Function<String, Long> names;
  private final int line;
  private final List<String> tokens = new ArrayList<>();
  private int pos;
  /** name=value of every name read, for the failure message. */
  private final StringBuilder operands = new StringBuilder();

  AssertExpr(String text, Function<String, Long> names, int line) {
    this.text = text;
    this.names = names;
    this.line = line;
    tokenize();
  }

  boolean evaluate() {
    pos = 0;
    operands.setLength(0);
    long v = or();
    if (pos != tokens.size()) throw DrillStop.unsupported(line, "assert expression '" + text + "'");
    return v != 0;
  }

  String describeOperands() {
    return operands.length() == 0 ? "false" : operands.toString();
  }

  private void tokenize() {
    int i = 0;
    String s = text;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) { i++; continue; }
      if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
        tokens.add(s.substring(i, j));
        i = j;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)))) j++;
        tokens.add(s.substring(i, j));
        i = j;
      } else if (i + 1 < s.length() && "==!=<=>=".contains(s.substring(i, i + 2)) && s.charAt(i + 1) == '=') {
        tokens.add(s.substring(i, i + 2));
        i += 2;
      } else if ("<>+-*()".indexOf(c) >= 0) {
        tokens.add(String.valueOf(c));
        i++;
      } else {
        throw DrillStop.unsupported(line, "assert expression '" + text + "'");
      }
    }
  }

  private String peek() {
    return pos < tokens.size() ? tokens.get(pos) : "";
  }

  private long or() {
    long v = and();
    while (peek().equals("or")) { pos++; long r = and(); v = (v != 0 || r != 0) ? 1 : 0; }
    return v;
  }

  private long and() {
    long v = not();
    while (peek().equals("and")) { pos++; long r = not(); v = (v != 0 && r != 0) ? 1 : 0; }
    return v;
  }

  private long not() {
    if (peek().equals("not")) { pos++; return not() == 0 ? 1 : 0; }
    return comparison();
  }

  private long comparison() {
    long a = sum();
    String op = peek();
    switch (op) {
      case "==", "!=", "<", "<=", ">", ">=" -> {
        pos++;
        long b = sum();
        return switch (op) {
          case "==" -> a == b ? 1 : 0;
          case "!=" -> a != b ? 1 : 0;
          case "<" -> a < b ? 1 : 0;
          case "<=" -> a <= b ? 1 : 0;
          case ">" -> a > b ? 1 : 0;
          default -> a >= b ? 1 : 0;
        };
      }
      default -> { return a; }
    }
  }

  private long sum() {
    long v = product();
    while (peek().equals("+") || peek().equals("-")) {
      String op = tokens.get(pos++);
      long r = product();
      v = op.equals("+") ? v + r : v - r;
    }
    return v;
  }

  private long product() {
    long v = atom();
    while (peek().equals("*")) { pos++; v *= atom(); }
    return v;
  }

  private long atom() {
    String t = peek();
    if (t.isEmpty()) throw DrillStop.unsupported(line, "assert expression '" + text + "'");
    pos++;
    if (t.equals("(")) {
      long v = or();
      if (!peek().equals(")")) throw DrillStop.unsupported(line, "assert expression '" + text + "'");
      pos++;
      return v;
    }
    if (t.equals("-")) return -atom();
    if (Character.isDigit(t.charAt(0))) {
      try {
        return Long.decode(t);
      } catch (NumberFormatException e) {
        throw DrillStop.unsupported(line, "assert expression '" + text + "'");
      }
    }
    if (t.equals("True")) return 1;
    if (t.equals("False")) return 0;
    Long v = names.apply(t);
    if (v == null) throw DrillStop.unsupported(line, "tcp_info field " + t);
    if (operands.length() > 0) operands.append(", ");
    operands.append(t).append('=').append(v);
    return v;
  }
}
