package io.sendpath.drill;

/**
 * The verdict on one script, printed as one line: {@code PASS path},
 * {@code FAIL path:line: what differed (expected vs actual)} or
 * {@code UNSUPPORTED path:line: feature}.
 */
public record DrillResult(Status status, String path, int line, String message) {
  public enum Status { PASS, FAIL, UNSUPPORTED }

  public static DrillResult pass(String path) {
    return new DrillResult(Status.PASS, path, 0, "");
  }

  public String format() {
    return switch (status) {
      case PASS -> "PASS " + path;
      case FAIL -> "FAIL " + path + ":" + line + ": " + message;
      case UNSUPPORTED -> "UNSUPPORTED " + path + ":" + line + ": " + message;
    };
  }
}
