package io.sendpath.actors.stream;

import io.sendpath.tcp.Errno;
import java.io.IOException;

/**
 * What a write() or the socket reported, as the errno a C program would see (EPIPE, ECONNRESET,
 * ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ECONNREFUSED, EAGAIN after SO_SNDTIMEO), with how many
 * bytes the socket had accepted before it.
 */
public final class TcpSocketException extends IOException {
  private static final long serialVersionUID = 1L;


  private final int errno;
  private final long bytesWritten;

  public TcpSocketException(int errno, long bytesWritten) {
    super(errnoName(errno) + " after " + bytesWritten + " bytes written");
    this.errno = errno;
    this.bytesWritten = bytesWritten;
  }

  /** The errno value (ECONNRESET = 104, ...). */
  public int errno() {
    return errno;
  }

  /** Its symbolic name, as strerror's caller would print it: "ECONNRESET". */
  public String errnoName() {
    return errnoName(errno);
  }

  /** Bytes the socket accepted (write() returned) before the error. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** The symbolic name of an errno value the TCP model reports; "errno N" for any other. */
  public static String errnoName(int errno) {
    return Errno.name(errno);
  }
}
