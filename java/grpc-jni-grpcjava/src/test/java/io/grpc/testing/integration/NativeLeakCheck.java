// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package io.grpc.testing.integration;

import static org.junit.Assert.assertEquals;

import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.util.Arrays;

/**
 * The shim's live native objects after a conformance class: every call, batch context, request
 * slot, channel, server and unsent message is freed once its channels and servers shut down (the
 * shared environment's completion queues stay, as they should).
 */
final class NativeLeakCheck {
  private static final String[] KINDS = {
    "batch contexts",
    "request contexts",
    "calls",
    "channels",
    "servers",
    "completion queues",
    "unsent byte buffers"
  };
  private static final int QUEUES = 5;

  private NativeLeakCheck() {}

  static long[] snapshot() {
    long[] counts = new long[GrpcJniLib.GRPCJNI_LIVE_KIND_COUNT];
    for (int k = 0; k < counts.length; k++) {
      counts[k] = k == QUEUES ? 0 : GrpcJniLib.grpcjni_live_count(k);
    }
    return counts;
  }

  /** Waits up to 20 s for the counters (queues aside) to return to {@code baseline}. */
  static void assertBackTo(long[] baseline) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    long[] now = snapshot();
    while (!Arrays.equals(now, baseline) && System.nanoTime() < end) {
      Thread.sleep(20);
      now = snapshot();
    }
    assertEquals("live native objects " + describe(now), describe(baseline), describe(now));
  }

  private static String describe(long[] counts) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < counts.length; k++) {
      if (k != QUEUES) {
        sb.append(sb.length() == 0 ? "" : ", ").append(KINDS[k]).append('=').append(counts[k]);
      }
    }
    return sb.toString();
  }
}
