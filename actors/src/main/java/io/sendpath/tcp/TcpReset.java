package io.sendpath.tcp;

import io.sendpath.protocol.SkBuff;
import io.sendpath.protocol.TcpFlags;

/** The reset a host sends for a segment it refuses: net/ipv4/tcp_ipv4.c::tcp_v4_send_reset(). */
public final class TcpReset {
  private TcpReset() {}

  /**
   * The RST answering 'seg', addressed back to its sender: with an ACK in 'seg', an RST whose
   * sequence is that ACK number; without one, an RST|ACK acknowledging everything the segment
   * occupied (its data, SYN and FIN). The caller never answers an RST with an RST.
   */
  public static SkBuff answering(SkBuff seg) {
    SkBuff rst = new SkBuff();
    rst.flow = seg.flow.reverse();
    rst.connId = seg.connId;
    if ((seg.tcpFlags & TcpFlags.ACK) != 0) {
      rst.seq = seg.ackSeq;
      rst.tcpFlags = TcpFlags.RST;
    } else {
      rst.ackSeq = seg.endSeq();
      rst.tcpFlags = TcpFlags.RST | TcpFlags.ACK;
    }
    rst.truesize = SkBuff.truesizeFor(0);
    return rst;
  }
}
