package io.sendpath.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sendpath.protocol.Sysctls;
import org.junit.jupiter.api.Test;

/** The decisions of net/core/sock.c::__sk_mem_raise_allocated() over tcp_mem, in pages. */
class TcpMemoryTest {

  @Test
  void defaults_areOurMachinesTcpMem() {
    TcpMemory m = TcpMemory.from(Sysctls.linuxDefaults());
    m.socketCreated();
    assertThat(m.mayRaise(0, 1000)).isTrue();
    assertThat(m.underPressure()).isFalse();
  }

  @Test
  void underMin_allowed_andPressureLeft() {
    TcpMemory m = new TcpMemory(10, 20, 30);
    m.socketCreated();
    m.charge(25);
    assertThat(m.mayRaise(25, 1)).as("26 pages: above pressure, under max, one socket's fair share").isTrue();
    assertThat(m.underPressure()).isTrue();
    assertThat(m.pressures()).isEqualTo(1);
    m.charge(-15);
    assertThat(m.underPressure()).as("10 pages: not yet below tcp_mem[0]").isTrue();
    m.charge(-1);
    assertThat(m.underPressure()).as("9 pages: sk_leave_memory_pressure").isFalse();
    assertThat(m.mayRaise(4, 1)).isTrue();
  }

  @Test
  void aboveMax_refused_andCounted() {
    TcpMemory m = new TcpMemory(10, 20, 30);
    m.socketCreated();
    m.charge(30);
    assertThat(m.mayRaise(30, 1)).isFalse();
    assertThat(m.refused()).isEqualTo(1);
    assertThat(m.peakPages()).isEqualTo(30);
  }

  @Test
  void underPressure_onlyTheFairShareMayGrow() {
    TcpMemory m = new TcpMemory(10, 20, 30);
    for (int i = 0; i < 3; i++) m.socketCreated();
    m.charge(21); // pressure
    // tcp_mem[2] = 30 > 3 sockets × (5 + 4) pages = 27: allowed
    assertThat(m.mayRaise(5, 4)).isTrue();
    // 30 > 3 × (9 + 2) = 33 fails: this socket holds more than its share
    assertThat(m.mayRaise(9, 2)).isFalse();
    assertThat(m.refused()).as("refusals counted only above tcp_mem[2]").isZero();
  }

  @Test
  void limitsLoweredAndRestored() {
    TcpMemory m = new TcpMemory(100, 200, 300);
    m.socketCreated();
    m.charge(50);
    m.setLimits(8, 12, 16);
    assertThat(m.mayRaise(50, 1)).isFalse();
    m.restoreLimits();
    assertThat(m.mayRaise(50, 1)).isTrue();
    assertThatThrownBy(() -> new TcpMemory(10, 5, 20)).isInstanceOf(IllegalArgumentException.class);
  }
}
