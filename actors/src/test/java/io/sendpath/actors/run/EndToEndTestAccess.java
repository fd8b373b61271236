package io.sendpath.actors.run;

import io.sendpath.protocol.wire.FrameSink;

/** Lets tests in other packages hash a run's frames with EndToEndTest's digest sink. */
public final class EndToEndTestAccess {
  private EndToEndTestAccess() {}

  public static final class Digest implements FrameSink {
    private final EndToEndTest.DigestSink inner;

    public Digest() throws Exception {
      inner = new EndToEndTest.DigestSink();
    }

    @Override
    public void frame(long timeNs, byte[] frame, int len) {
      inner.frame(timeNs, frame, len);
    }

    public long frames() {
      return inner.frames;
    }

    public String hex() throws Exception {
      return inner.hex();
    }
  }
}
