package io.sendpath.drill;

/** A script line the parser cannot read; the message is {@code path:line: what}. */
public final class DrillParseException extends Exception {
  private final int line;

  public DrillParseException(String path, int line, String what) {
    super(path + ":" + line + ": " + what);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
