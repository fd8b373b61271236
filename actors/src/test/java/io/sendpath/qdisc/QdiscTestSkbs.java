package io.sendpath.qdisc;

import io.sendpath.protocol.FlowKey;
import io.sendpath.protocol.SkBuff;

/** Test skbs whose destructor counts calls per skb. */
final class QdiscTestSkbs {
  /** Destructor calls, summed over every skb made by this factory. */
  int freed;
  /** Calls per skb, indexed by skb.seq (the skb's number). */
  final int[] freedBySeq = new int[10_000];

  SkBuff skb(int n, int len, int tos) {
    SkBuff skb = new SkBuff();
    skb.flow = new FlowKey(0x0A000001, 0x0A000002, 40000, 80);
    skb.seq = n;
    skb.len = len;
    skb.tos = tos;
    skb.truesize = SkBuff.truesizeFor(len);
    skb.destructor = s -> {
      freed++;
      freedBySeq[s.seq]++;
    };
    return skb;
  }

  /** Qdisc.pktLen of a non-GSO skb without options: payload plus 54 bytes of headers. */
  static int wire(int len) {
    return len + 54;
  }
}
