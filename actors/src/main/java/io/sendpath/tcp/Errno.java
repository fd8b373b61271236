package io.sendpath.tcp;

/** errno values the core reports (include/uapi/asm-generic/errno*.h). */
public final class Errno {
  private Errno() {}

  /** A write that copied nothing in time (MSG_DONTWAIT, SO_SNDTIMEO). */
  public static final int EAGAIN = 11;
  public static final int EPIPE = 32;
  public static final int ECONNRESET = 104;
  public static final int ETIMEDOUT = 110;
  public static final int ECONNREFUSED = 111;
  public static final int ENETUNREACH = 101;
  public static final int EHOSTUNREACH = 113;

  /** The symbolic name of an errno value the model reports; "errno N" for any other. */
  public static String name(int errno) {
    return switch (errno) {
      case EAGAIN -> "EAGAIN";
      case EPIPE -> "EPIPE";
      case ECONNRESET -> "ECONNRESET";
      case ETIMEDOUT -> "ETIMEDOUT";
      case ECONNREFUSED -> "ECONNREFUSED";
      case ENETUNREACH -> "ENETUNREACH";
      case EHOSTUNREACH -> "EHOSTUNREACH";
      default -> "errno " + errno;
    };
  }
}
