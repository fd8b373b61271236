package io.sendpath.actors.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DomainExecutorTest {

  private static DomainExecutor executor(AtomicReference<Throwable> uncaught) {
    return new DomainExecutor(r -> {
      Thread t = new Thread(r, "domain-test");
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((th, e) -> uncaught.set(e));
      return t;
    });
  }

  @Test
  void tasksScheduledFromItsOwnThread_runInTheOrderScheduled_onThatThread() throws Exception {
    DomainExecutor ex = executor(new AtomicReference<>());
    List<Integer> order = new ArrayList<>(); // only touched by the executor's thread
    List<String> threads = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    ex.execute(() -> {
      for (int i = 0; i < 200; i++) {
        int n = i;
        ex.execute(() -> {
          order.add(n);
          threads.add(Thread.currentThread().getName());
          if (n == 199) done.countDown();
        });
      }
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) expected.add(i);
    assertThat(order).isEqualTo(expected);
    assertThat(threads).containsOnly("domain-test");
    ex.shutdown();
    assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void outsideWork_isNotStarvedByATaskThatKeepsReschedulingItself() throws Exception {
    DomainExecutor ex = executor(new AtomicReference<>());
    AtomicInteger spins = new AtomicInteger();
    CountDownLatch outsideRan = new CountDownLatch(1);
    Runnable[] self = new Runnable[1];
    self[0] = () -> {
      if (outsideRan.getCount() > 0 && spins.incrementAndGet() < 10_000_000) ex.execute(self[0]);
    };
    ex.execute(self[0]);
    ex.execute(outsideRan::countDown);
    assertThat(outsideRan.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(spins.get()).isLessThan(10_000_000);
    ex.shutdown();
    assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aFailingTask_goesToTheUncaughtHandler_andTheThreadGoesOn() throws Exception {
    AtomicReference<Throwable> uncaught = new AtomicReference<>();
    DomainExecutor ex = executor(uncaught);
    CountDownLatch after = new CountDownLatch(1);
    ex.execute(() -> {
      throw new IllegalStateException("boom");
    });
    ex.execute(after::countDown);
    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(uncaught.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    ex.shutdown();
    assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdown_runsWhatIsQueued_thenRejectsOutsideWork_andTerminates() throws Exception {
    DomainExecutor ex = executor(new AtomicReference<>());
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    ex.execute(() -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    for (int i = 0; i < 5; i++) ex.execute(ran::incrementAndGet);
    ex.shutdown();
    assertThat(ex.isShutdown()).isTrue();
    assertThatThrownBy(() -> ex.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
    gate.countDown();
    assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ex.isTerminated()).isTrue();
    assertThat(ran.get()).isEqualTo(5);
  }
}
