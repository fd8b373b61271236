package io.sendpath.tcp;

/** errno values the core reports (include/uapi/asm-generic/errno*.h). */
public final class Errno {
  private Errno() {}

  public static final int EPIPE = 32;
  public static final int ECONNRESET = 104;
  public static final int ETIMEDOUT = 110;
  public static final int ECONNREFUSED = 111;
  public static final int ENETUNREACH = 101;
  public static final int EHOSTUNREACH = 113;
}
