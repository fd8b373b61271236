package io.sendpath.tcp;

/** send(2) flags the core understands (include/linux/socket.h MSG_*). */
public final class MsgFlags {
  private MsgFlags() {}

  public static final int MSG_OOB = 0x1;
  public static final int MSG_DONTWAIT = 0x40;
  public static final int MSG_EOR = 0x80;
  /** Sender will send more: no PSH, TCP_NAGLE_CORK for this push (net/ipv4/tcp.c::tcp_push()). */
  public static final int MSG_MORE = 0x8000;
}
