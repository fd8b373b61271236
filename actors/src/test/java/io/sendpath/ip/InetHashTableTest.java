package io.sendpath.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.sendpath.protocol.FlowKey;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InetHashTableTest {

  @Test
  void established_lookupExactTuple_otherwiseListenerThenNull() {
    InetHashTable<String> t = new InetHashTable<>();
    int local = FlowKey.parseIp("10.0.0.1");
    int peer = FlowKey.parseIp("10.0.0.2");
    assertThat(t.insert(peer, 5000, local, 80, "conn")).isTrue();
    assertThat(t.insert(peer, 5000, local, 80, "dup")).isFalse();
    assertThat(t.listen(0, 80, "any")).isTrue();
    assertThat(t.lookup(peer, 5000, local, 80)).isEqualTo("conn");
    assertThat(t.lookup(peer, 5001, local, 80)).isEqualTo("any");
    assertThat(t.listen(local, 80, "bound")).isTrue();
    assertThat(t.lookup(peer, 5001, local, 80)).isEqualTo("bound");
    assertThat(t.lookup(peer, 5001, FlowKey.parseIp("10.0.0.9"), 80)).isEqualTo("any");
    assertThat(t.lookup(peer, 5001, local, 81)).isNull();
    assertThat(t.lookup(new FlowKey(peer, local, 5000, 80))).isEqualTo("conn");
    assertThat(t.unlisten(0, 80)).isTrue();
    assertThat(t.lookup(peer, 5001, FlowKey.parseIp("10.0.0.9"), 80)).isNull();
  }

  /** Inserts and removals against a HashMap of the same tuples; collisions on purpose (few addresses). */
  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void randomChurn_lookups_matchReferenceMap(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    InetHashTable<Integer> t = new InetHashTable<>(4);
    Map<FlowKey, Integer> ref = new HashMap<>();
    for (int op = 0; op < 50_000; op++) {
      FlowKey k = new FlowKey(rnd.nextInt(4), rnd.nextInt(3), rnd.nextInt(64), 80 + rnd.nextInt(2));
      if (rnd.nextInt(3) == 0) {
        assertThat(t.remove(k)).isEqualTo(ref.remove(k) != null);
      } else {
        boolean fresh = !ref.containsKey(k);
        assertThat(t.insert(k, op)).isEqualTo(fresh);
        if (fresh) ref.put(k, op);
      }
    }
    assertThat(t.size()).isEqualTo(ref.size());
    for (int s = 0; s < 4; s++)
      for (int d = 0; d < 3; d++)
        for (int sp = 0; sp < 64; sp++)
          for (int dp = 80; dp < 82; dp++)
            assertThat(t.lookupEstablished(s, sp, d, dp)).isEqualTo(ref.get(new FlowKey(s, d, sp, dp)));
  }

  @Test
  void millionConnections_insertAndFindAll_loadAtMostHalf() {
    InetHashTable<Object> t = new InetHashTable<>(1_000_000);
    int cap = t.capacity();
    Object sock = new Object();
    int local = FlowKey.parseIp("10.0.0.1");
    for (int i = 0; i < 1_000_000; i++) t.insert(0x0A010000 + (i >>> 14), 1024 + (i & 0x3FFF), local, 80, sock);
    assertThat(t.size()).isEqualTo(1_000_000);
    assertThat(t.capacity()).isEqualTo(cap);
    assertThat(t.capacity()).isGreaterThanOrEqualTo(2_000_000);
    for (int i = 0; i < 1_000_000; i += 997) assertThat(t.lookupEstablished(0x0A010000 + (i >>> 14), 1024 + (i & 0x3FFF), local, 80)).isSameAs(sock);
    assertThat(t.lookupEstablished(0x0A010000, 1023, local, 80)).isNull();
  }
}
