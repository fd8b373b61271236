package io.sendpath.actors.run;

import com.typesafe.config.Config;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.MonitorableThreadFactory;

/**
 * The executor of one clock domain's dispatcher: one thread running the domain's mailboxes in the
 * order they were scheduled, like a fork-join pool of parallelism 1 in FIFO mode, without its cost.
 *
 * <p>Nearly every mailbox is scheduled by the domain's own thread (an actor telling the next
 * layer); those go on a plain deque that only this thread touches. Work from other threads (the
 * clock group opening a window, the builder at the start, the asks at the end) goes on a
 * concurrent queue, and the thread is unparked if it sleeps. A fork-join pool instead looks for an
 * idle worker to wake on every push (ForkJoinPool.signalWork, 8 % of a JDK 25 run's samples with
 * one thread per pool) and runs each task through its work-stealing machinery.
 *
 * <p>Order: the thread takes the oldest task of its own deque, and looks at the outside queue
 * whenever its deque is empty and after every {@value #FAIRNESS} local tasks, so outside work
 * cannot starve. An exception thrown by a task goes to the thread's uncaught-exception handler
 * and the thread goes on (Pekko's mailboxes catch actor failures themselves).
 *
 * <p>Bounded in practice: a task is a mailbox being scheduled, and a mailbox is scheduled at most
 * once at a time, so the deque never holds more tasks than the domain has actors.
 */
public final class DomainExecutor extends AbstractExecutorService {

  /** Local tasks run between two looks at the outside queue. */
  static final int FAIRNESS = 64;

  private static final int RUNNING = 0, SHUTDOWN = 1, TERMINATED = 2;

  private final Thread thread;
  /** Tasks scheduled by this executor's own thread, oldest first; only that thread touches it. */
  private final ArrayDeque<Runnable> local = new ArrayDeque<>(1024);
  /** Tasks scheduled by any other thread, oldest first. */
  private final ConcurrentLinkedQueue<Runnable> outside = new ConcurrentLinkedQueue<>();
  /** True while the thread is about to park or parked: a producer from outside must unpark it. */
  private volatile boolean sleeping;
  /** RUNNING, then SHUTDOWN (no new tasks; the queued ones still run), then TERMINATED. */
  private volatile int state = RUNNING;
  private final Object terminated = new Object();

  public DomainExecutor(ThreadFactory threads) {
    this.thread = threads.newThread(this::loop);
    if (thread == null) throw new IllegalStateException("the thread factory made no thread");
    thread.start();
  }

  @Override
  public void execute(Runnable task) {
    if (task == null) throw new NullPointerException("task");
    if (Thread.currentThread() == thread) {
      local.addLast(task);
      return;
    }
    if (state != RUNNING) throw new RejectedExecutionException("the domain executor is shut down");
    outside.offer(task);
    if (sleeping) LockSupport.unpark(thread);
  }

  private void loop() {
    int sinceOutside = 0;
    while (true) {
      Runnable task = null;
      if (sinceOutside < FAIRNESS) task = local.pollFirst();
      if (task == null) {
        task = outside.poll();
        sinceOutside = 0;
        if (task == null) task = local.pollFirst();
      }
      if (task != null) {
        sinceOutside++;
        run(task);
        continue;
      }
      if (state != RUNNING) break;
      sleeping = true;
      // a task offered before 'sleeping' was visible is seen here; one offered after it unparks us
      if (outside.isEmpty() && state == RUNNING) LockSupport.park(this);
      sleeping = false;
    }
    synchronized (terminated) {
      state = TERMINATED;
      terminated.notifyAll();
    }
  }

  private void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      Thread.UncaughtExceptionHandler h = thread.getUncaughtExceptionHandler();
      if (h != null) h.uncaughtException(thread, e);
    }
  }

  @Override
  public void shutdown() {
    synchronized (terminated) {
      if (state == RUNNING) state = SHUTDOWN;
    }
    LockSupport.unpark(thread);
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    List<Runnable> left = new ArrayList<>();
    for (Runnable r; (r = outside.poll()) != null; ) left.add(r);
    return left;
  }

  @Override
  public boolean isShutdown() {
    return state != RUNNING;
  }

  @Override
  public boolean isTerminated() {
    return state == TERMINATED;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (terminated) {
      while (state != TERMINATED) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(terminated, left);
      }
      return true;
    }
  }

  /**
   * Makes a dispatcher use it: {@code executor = "io.sendpath.actors.run.DomainExecutor$Configurator"}
   * in the dispatcher's configuration.
   */
  public static final class Configurator extends ExecutorServiceConfigurator {
    public Configurator(Config config, DispatcherPrerequisites prerequisites) {
      super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
      // threads named after the dispatcher, as Pekko's own configurators name theirs
      ThreadFactory named = threadFactory instanceof MonitorableThreadFactory m ? m.withName(m.name() + "-" + id) : threadFactory;
      return () -> new DomainExecutor(named);
    }
  }
}
