package io.sendpath.launcher;

import io.sendpath.actors.run.ProgressListener;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on the terminal's stderr: MiB delivered to the peer out of MiB to send, with the
 * simulated time. Only for an interactive console, since it redraws the line with '\r'.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
  /** Redraws about five times a wall second on its own thread. */
  private final ProgressBar bar;

  ConsoleProgress(long bytesTotal) {
    bar = new ProgressBarBuilder()
        .setTaskName("delivered")
        .setInitialMax(Math.max(1, bytesTotal))
        .setUnit(" MiB", 1L << 20)
        .setUpdateIntervalMillis(200)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  @Override
  public void progress(long bytesDelivered, long bytesTotal, long nowNs) {
    if (bytesTotal > 0) bar.maxHint(bytesTotal);
    bar.stepTo(bytesDelivered);
    bar.setExtraMessage(String.format(Locale.ROOT, "simulated %.3f s", nowNs / 1e9));
  }

  @Override
  public void close() {
    bar.close();
  }
}
