// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefCountedTest {
  private static final class Counted extends RefCounted {
    final AtomicInteger frees = new AtomicInteger();

    @Override
    protected void free() {
      frees.incrementAndGet();
    }
  }

  @Test
  void freesOnceAfterCloseAndLastRelease() {
    Counted c = new Counted();
    assertThat(c.tryRetain()).isTrue();
    assertThat(c.close()).isTrue();
    assertThat(c.close()).isFalse();
    assertThat(c.isClosed()).isTrue();
    assertThat(c.isFreed()).isFalse();
    assertThat(c.tryRetain()).as("no retain after close").isFalse();
    c.release();
    assertThat(c.isFreed()).isTrue();
    assertThat(c.frees.get()).isEqualTo(1);
  }

  @Test
  void overReleaseIsDetected() {
    Counted c = new Counted();
    c.close();
    assertThatThrownBy(c::release).isInstanceOf(IllegalStateException.class);
    assertThat(c.frees.get()).isEqualTo(1);
  }

  @Test
  void concurrentRetainAndCloseNeverUseAfterFree() throws Exception {
    for (int round = 0; round < 200; round++) {
      Counted c = new Counted();
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger usedAfterFree = new AtomicInteger();
      Thread[] users = new Thread[3];
      for (int t = 0; t < users.length; t++) {
        users[t] =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < 1000; i++) {
                    if (c.tryRetain()) {
                      if (c.isFreed()) {
                        usedAfterFree.incrementAndGet();
                      }
                      c.release();
                    }
                  }
                });
        users[t].start();
      }
      go.countDown();
      c.close();
      for (Thread t : users) {
        t.join();
      }
      assertThat(usedAfterFree.get()).isZero();
      assertThat(c.frees.get()).isEqualTo(1);
    }
  }
}
