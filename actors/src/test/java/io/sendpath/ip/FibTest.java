package io.sendpath.ip;

import static io.sendpath.protocol.FlowKey.parseIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FibTest {
  final Fib fib = new Fib();

  private void route(String prefix, int len, String gw, int oif, int metric) {
    fib.addRoute(parseIp(prefix), len, gw == null ? 0 : parseIp(gw), oif, 0, metric);
  }

  @Test
  void overlappingPrefixes_lookup_longestWinsElseDefault() {
    route("0.0.0.0", 0, "192.168.1.1", 1, 0);
    route("10.0.0.0", 8, "192.168.1.2", 1, 0);
    route("10.1.0.0", 16, "192.168.1.3", 1, 0);
    route("10.1.2.0", 24, null, 2, 0);
    route("192.168.1.0", 24, null, 1, 0);

    assertThat(fib.lookup(parseIp("10.1.2.3")).len()).isEqualTo(24);
    assertThat(fib.lookup(parseIp("10.1.2.3")).nextHop(parseIp("10.1.2.3"))).isEqualTo(parseIp("10.1.2.3"));
    assertThat(fib.lookup(parseIp("10.1.3.3")).gateway()).isEqualTo(parseIp("192.168.1.3"));
    assertThat(fib.lookup(parseIp("10.200.0.1")).gateway()).isEqualTo(parseIp("192.168.1.2"));
    assertThat(fib.lookup(parseIp("8.8.8.8")).len()).isZero();
    assertThat(fib.lookup(parseIp("8.8.8.8")).nextHop(parseIp("8.8.8.8"))).isEqualTo(parseIp("192.168.1.1"));
    assertThat(fib.lookup(parseIp("192.168.1.77")).oif()).isEqualTo(1);
  }

  @Test
  void noDefault_lookupOutside_nullMeansEnetunreach() {
    route("10.0.0.0", 8, null, 1, 0);
    assertThat(fib.lookup(parseIp("11.0.0.1"))).isNull();
  }

  @Test
  void samePrefixTwoMetrics_lookup_lowestMetricThenFallbackAfterRemoval() {
    route("0.0.0.0", 0, "10.0.0.2", 1, 200);
    route("0.0.0.0", 0, "10.0.0.1", 1, 100);
    assertThat(fib.lookup(parseIp("1.2.3.4")).gateway()).isEqualTo(parseIp("10.0.0.1"));
    assertThat(fib.removeRoute(0, 0, 100)).isTrue();
    assertThat(fib.lookup(parseIp("1.2.3.4")).gateway()).isEqualTo(parseIp("10.0.0.2"));
    assertThat(fib.removeRoute(0, 0)).isTrue();
    assertThat(fib.lookup(parseIp("1.2.3.4"))).isNull();
    assertThat(fib.removeRoute(0, 0)).isFalse();
  }

  @Test
  void cachedRoute_routeRemoved_generationBumpedAndCacheInvalid() {
    route("10.0.0.0", 8, null, 1, 0);
    route("10.1.0.0", 16, "10.0.0.9", 1, 0);
    FibResult cached = fib.lookup(parseIp("10.1.0.5"));
    long gen = fib.genid();
    assertThat(fib.isValid(cached)).isTrue();
    assertThat(fib.removeRoute(parseIp("10.1.0.0"), 16)).isTrue();
    assertThat(fib.genid()).isGreaterThan(gen);
    assertThat(fib.isValid(cached)).isFalse();
    assertThat(fib.lookup(parseIp("10.1.0.5")).len()).isEqualTo(8);
    assertThat(fib.removeRoute(parseIp("10.9.0.0"), 16)).isFalse();
  }

  @Test
  void addRoute_hostBitsSet_rejected() {
    assertThatThrownBy(() -> route("10.0.0.1", 8, null, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    route("10.0.0.0", 8, null, 1, 0);
    assertThatThrownBy(() -> route("10.0.0.0", 8, null, 1, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void setMtu_lookup_carriesDeviceMtu() {
    route("10.0.0.0", 8, null, 3, 0);
    assertThat(fib.lookup(parseIp("10.0.0.1")).mtu()).isEqualTo(1500);
    fib.setMtu(3, 9000);
    assertThat(fib.lookup(parseIp("10.0.0.1")).mtu()).isEqualTo(9000);
  }

  /** Against a brute-force longest-prefix scan over random tables, with adds and removals. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void randomTables_lookup_matchesBruteForce(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 300;
    int[] pfx = new int[n];
    int[] len = new int[n];
    boolean[] live = new boolean[n];
    for (int i = 0; i < n; i++) {
      len[i] = rnd.nextInt(33);
      pfx[i] = (rnd.nextInt() & 0xF0F0FFFF) & Fib.mask(len[i]);
      boolean dup = false;
      for (int j = 0; j < i; j++) dup |= live[j] && len[j] == len[i] && pfx[j] == pfx[i];
      if (dup) continue;
      fib.addRoute(pfx[i], len[i], 0, i, 0, 0);
      live[i] = true;
    }
    for (int i = 0; i < n; i += 3) {
      if (live[i]) {
        assertThat(fib.removeRoute(pfx[i], len[i])).isTrue();
        live[i] = false;
      }
    }
    for (int q = 0; q < 2000; q++) {
      int addr = q % 2 == 0 ? rnd.nextInt() & 0xF0F0FFFF : pfx[rnd.nextInt(n)] | (rnd.nextInt() & 0xFF);
      int best = -1;
      for (int i = 0; i < n; i++)
        if (live[i] && (addr & Fib.mask(len[i])) == pfx[i] && (best < 0 || len[i] > len[best])) best = i;
      FibResult r = fib.lookup(addr);
      if (best < 0) assertThat(r).isNull();
      else assertThat(r.oif()).isEqualTo(best);
    }
  }
}
