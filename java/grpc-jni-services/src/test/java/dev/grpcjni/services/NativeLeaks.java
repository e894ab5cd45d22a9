// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The shim's live native object counters, before a test and after its server and channel close.
 * Read by reflection: the tests run on the class path, but compile against grpc-jni's module, which
 * does not export its internals.
 */
public final class NativeLeaks {
  /** GRPCJNI_LIVE_COMPLETION_QUEUES in native/include/grpcjni.h. */
  private static final int COMPLETION_QUEUES = 5;

  private final long[] before = snapshot();

  private static long[] snapshot() {
    try {
      Class<?> lib = Class.forName("dev.grpcjni.internal.ffi.GrpcJniLib");
      int kinds = lib.getField("GRPCJNI_LIVE_KIND_COUNT").getInt(null);
      Method count = lib.getMethod("grpcjni_live_count", int.class);
      long[] counts = new long[kinds];
      for (int k = 0; k < counts.length; k++) {
        // Completion queues belong to the shared environment, made on first use, kept for good.
        counts[k] = k == COMPLETION_QUEUES ? 0 : ((Number) count.invoke(null, k)).longValue();
      }
      return counts;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read grpc-jni's live object counters", e);
    }
  }

  /** Waits up to 10 s for every counter to be back where it was; fails if one is not. */
  public void assertNoneLeft() throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    long[] now = snapshot();
    while (!Arrays.equals(now, before) && System.nanoTime() < end) {
      Thread.sleep(10);
      now = snapshot();
    }
    assertThat(now).as("live native objects (batches, requests, calls, ...)").isEqualTo(before);
  }
}
