package io.sendpath.launcher;

/**
 * A scenario the launcher cannot run. The message is one line, "where: key: what is wrong", where
 * "where" is file:line, the file, or the command-line option that set the value; the launcher
 * prints it after "sendpath: " and exits with status 2.
 */
final class ScenarioException extends Exception {
  private static final long serialVersionUID = 1L;

  ScenarioException(String oneLine) {
    super(oneLine, null, false, false);
  }
}
