package io.sendpath.drill;

/** Ends a script run early with a FAIL or UNSUPPORTED verdict at a line. */
final class DrillStop extends RuntimeException {
  final DrillResult.Status status;
  final int line;

  DrillStop(DrillResult.Status status, int line, String message) {
    super(message, null, false, false);
    this.status = status;
    this.line = line;
  }

  static DrillStop fail(int line, String message) {
    return new DrillStop(DrillResult.Status.FAIL, line, message);
  }

  static DrillStop unsupported(int line, String feature) {
    return new DrillStop(DrillResult.Status.UNSUPPORTED, line, feature);
  }
}
