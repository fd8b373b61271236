package io.sendpath.fault;

import java.util.SplittableRandom;

/**
 * Gilbert-Elliott burst loss, as netem's "loss gemodel p r 1-h 1-k"
 * (net/sched/sch_netem.c::loss_event() GILB_ELL): a good and a bad state; per frame the state
 * may change first (good → bad with p, bad → good with r), then the frame is lost with the loss
 * probability of the state it is in. Seeded; one instance per fault and direction.
 */
public final class GilbertElliott {
  /** Probability good → bad per frame, in [0, 1]. */
  private final double p;
  /** Probability bad → good per frame, in [0, 1]. */
  private final double r;
  /** Loss probability in the good state (netem 1-k), in [0, 1]. */
  private final double lossGood;
  /** Loss probability in the bad state (netem 1-h), in [0, 1]. */
  private final double lossBad;
  private final SplittableRandom random;
  /** True while in the bad state; starts good, as netem does. */
  private boolean bad;

  public GilbertElliott(double p, double r, double lossGood, double lossBad, SplittableRandom random) {
    this.p = p;
    this.r = r;
    this.lossGood = lossGood;
    this.lossBad = lossBad;
    this.random = random;
  }

  /** Decides one frame: true when it is lost. */
  public boolean lose() {
    if (bad) {
      if (random.nextDouble() < r) bad = false;
    } else if (random.nextDouble() < p) {
      bad = true;
    }
    double loss = bad ? lossBad : lossGood;
    return loss > 0 && random.nextDouble() < loss;
  }

  public boolean inBadState() {
    return bad;
  }
}
