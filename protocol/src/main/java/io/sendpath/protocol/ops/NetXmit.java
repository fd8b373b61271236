package io.sendpath.protocol.ops;

/**
 * The answer of dev_queue_xmit() and of every layer that forwards it up to TCP
 * (include/linux/netdevice.h NET_XMIT_*). TCP waits for it before sending its next skb, as
 * net/ipv4/tcp_output.c::__tcp_transmit_skb() does with the return of queue_xmit:
 * SUCCESS: queued (or held in the neighbour's unresolved queue); DROP: the skb was dropped and
 * freed, TCP keeps its original and enters CWR; CN: queued or dropped under congestion, TCP
 * enters CWR (tcp_enter_cwr) but counts the skb as sent.
 */
public record NetXmit(int code, int seq) {
  public static final int SUCCESS = 0x00, DROP = 0x01, CN = 0x02;

  public boolean isSuccess() {
    return code == SUCCESS;
  }
}
