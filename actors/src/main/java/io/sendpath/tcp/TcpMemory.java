package io.sendpath.tcp;

import io.sendpath.protocol.Sysctls;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TCP memory of one host (tcp_prot's memory_allocated, memory_pressure and sysctl_tcp_mem): the
 * pages every socket of the host has charged for its send queue, against the three tcp_mem
 * thresholds. It is shared by the host's sockets as the kernel's global counter is, so its
 * fields are atomic; with one worker thread the order of charges, and so every decision, is
 * reproducible.
 *
 * <p>net/core/sock.c::__sk_mem_raise_allocated(): at or under tcp_mem[0] memory is plentiful
 * and pressure ends; above tcp_mem[1] the protocol enters memory pressure (send buffers stop
 * growing, tcp_should_expand_sndbuf); above tcp_mem[2] a send allocation is refused unless the
 * socket is already at its (moderated) sndbuf; between the limits, under pressure, a socket may
 * still allocate while its pages times the number of sockets stay under tcp_mem[2] (its fair
 * share). Only send-queue memory is charged: the sender host receives nothing but ACKs.
 */
public final class TcpMemory {
  /** Bytes per page (PAGE_SIZE on x86_64). */
  public static final int PAGE = 4096;

  /** tcp_memory_allocated: pages charged by all sockets of the host. */
  private final AtomicLong allocated = new AtomicLong();
  /** sockets_allocated: sockets that charge memory here. */
  private final AtomicLong sockets = new AtomicLong();
  /** Highest tcp_memory_allocated seen. */
  private final AtomicLong peak = new AtomicLong();
  /** LINUX_MIB_TCPMEMORYPRESSURES: times the protocol entered memory pressure. */
  private final AtomicLong pressures = new AtomicLong();
  /** Send allocations refused above tcp_mem[2] (the kernel counts none; ours for the report). */
  private final AtomicLong refused = new AtomicLong();
  /** The tcp_mem sysctl the host was built with. */
  private final long[] configured;
  /** tcp_mem now: min, pressure, max, in pages (a fault may lower it for a while). */
  private volatile long min, pressure, max;
  /** tcp_memory_pressure. */
  private volatile boolean underPressure;

  public TcpMemory(long min, long pressure, long max) {
    if (min < 0 || pressure < min || max < pressure)
      throw new IllegalArgumentException("tcp_mem must be non-decreasing: " + min + " " + pressure + " " + max);
    this.configured = new long[] {min, pressure, max};
    setLimits(min, pressure, max);
  }

  /** The host's tcp_mem sysctl. */
  public static TcpMemory from(Sysctls sysctls) {
    return new TcpMemory(sysctls.getVector("tcp_mem", 0), sysctls.getVector("tcp_mem", 1), sysctls.getVector("tcp_mem", 2));
  }

  /** Writing net.ipv4.tcp_mem. */
  public void setLimits(long min, long pressure, long max) {
    this.min = min;
    this.pressure = pressure;
    this.max = max;
  }

  /** Back to the tcp_mem the host was built with. */
  public void restoreLimits() {
    setLimits(configured[0], configured[1], configured[2]);
  }

  void socketCreated() {
    sockets.incrementAndGet();
  }

  void socketDestroyed() {
    sockets.decrementAndGet();
  }

  /** A socket's charge changed by 'deltaPages' (positive: raised; negative: reclaimed). */
  void charge(long deltaPages) {
    long now = allocated.addAndGet(deltaPages);
    peak.accumulateAndGet(now, Math::max);
    if (deltaPages < 0 && underPressure && now < min) underPressure = false; // sk_leave_memory_pressure
  }

  /**
   * The decision of __sk_mem_raise_allocated() for a socket holding 'sockPages' that wants
   * 'morePages': true when it may allocate. A refusal above tcp_mem[2] is counted.
   */
  boolean mayRaise(long sockPages, long morePages) {
    long total = allocated.get() + morePages;
    if (total <= min) {
      underPressure = false;
      return true;
    }
    if (total > pressure && !underPressure) {
      underPressure = true; // tcp_enter_memory_pressure()
      pressures.incrementAndGet();
    }
    if (total > max) {
      refused.incrementAndGet();
      return false;
    }
    if (!underPressure) return true;
    return max > sockets.get() * (sockPages + morePages);
  }

  /** tcp_under_memory_pressure(). */
  public boolean underPressure() {
    return underPressure;
  }

  public long allocatedPages() {
    return allocated.get();
  }

  public long peakPages() {
    return peak.get();
  }

  public long pressures() {
    return pressures.get();
  }

  public long refused() {
    return refused.get();
  }

  /** Pages a send queue of 'bytes' holds (sk_mem_pages). */
  static long pages(long bytes) {
    return (bytes + PAGE - 1) / PAGE;
  }
}
