// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TagRegistryTest {
  private static final CallTag NOOP = (op, ok) -> {};

  @Test
  void keysAreEvenPositiveAndCarryTheOp() {
    TagRegistry r = new TagRegistry();
    for (int op = 0; op <= TagRegistry.MAX_OP; op++) {
      long key = r.register(NOOP, op);
      assertThat(key & 1).isZero();
      assertThat(key).isNotZero().isNotEqualTo(-1L);
      assertThat(TagRegistry.opOf(key | 1)).isEqualTo(op);
    }
    assertThatThrownBy(() -> r.register(NOOP, TagRegistry.MAX_OP + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachTagResolvesExactlyOnce() {
    TagRegistry r = new TagRegistry();
    CallTag a = (op, ok) -> {};
    long key = r.register(a, 1);
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.remove(key | 1)).isSameAs(a); // the success bit is ignored
    assertThat(r.remove(key)).isNull();
    // The slot is reused with a new generation: the old key stays dead.
    long again = r.register(NOOP, 1);
    assertThat(again).isNotEqualTo(key);
    assertThat(r.remove(key)).isNull();
    assertThat(r.remove(again)).isSameAs(NOOP);
    assertThat(r.size()).isZero();
  }

  @Test
  void unknownKeysResolveToNothing() {
    TagRegistry r = new TagRegistry();
    assertThat(r.remove(0)).isNull();
    assertThat(r.remove(Long.MAX_VALUE - 1)).isNull();
    assertThat(r.remove(8L << 20)).isNull();
  }

  @Test
  void growsAndStaysConsistentUnderConcurrency() throws Exception {
    TagRegistry r = new TagRegistry();
    Set<Long> live = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      pool.execute(
          () -> {
            Set<Long> mine = new HashSet<>();
            for (int i = 0; i < 20_000; i++) {
              mine.add(r.register(NOOP, i & 3));
              if (mine.size() > 500) {
                Long k = mine.iterator().next();
                mine.remove(k);
                if (r.remove(k) == null) {
                  throw new AssertionError("lost tag " + k);
                }
              }
            }
            live.addAll(mine);
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(r.size()).isEqualTo(live.size());
    for (long k : live) {
      assertThat(r.remove(k)).isSameAs(NOOP);
    }
    assertThat(r.size()).isZero();
  }
}
