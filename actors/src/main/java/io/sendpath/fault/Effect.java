package io.sendpath.fault;

/** What a fault did to one frame or skb, counted per fault in {@link FaultLog}. */
public enum Effect {
  FRAME_DROPPED("frames_dropped"),
  FRAME_DUPLICATED("frames_duplicated"),
  FRAME_CORRUPTED("frames_corrupted"),
  FRAME_DELAYED("frames_delayed"),
  FRAME_REORDERED("frames_reordered"),
  ARP_DROPPED("arp_dropped"),
  WINDOW_ZEROED("acks_window_zeroed"),
  SKB_DROPPED("skbs_dropped"),
  SKB_CN("skbs_answered_cn"),
  ACTION("actions");

  /** The name in summary.json. */
  public final String jsonName;

  Effect(String jsonName) {
    this.jsonName = jsonName;
  }
}
