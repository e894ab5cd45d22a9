// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.util.Arrays;

/** The shim's live native object counters (batch contexts, request contexts, calls, …). */
public final class LiveObjects {
  private static final String[] NAMES = {
    "batch contexts",
    "request contexts",
    "calls",
    "channels",
    "servers",
    "completion queues",
    "unsent byte buffers"
  };

  private LiveObjects() {}

  public static long[] snapshot() {
    long[] counts = new long[GrpcJniLib.GRPCJNI_LIVE_KIND_COUNT];
    for (int k = 0; k < counts.length; k++) {
      counts[k] = GrpcJniLib.grpcjni_live_count(k);
    }
    return counts;
  }

  /**
   * Waits up to {@code millis} for the counters to equal {@code expected}; returns the last read.
   */
  public static long[] awaitEqual(long[] expected, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    long[] now = snapshot();
    while (!Arrays.equals(now, expected) && System.nanoTime() < end) {
      Thread.sleep(10);
      now = snapshot();
    }
    return now;
  }

  public static String describe(long[] counts) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < counts.length; k++) {
      sb.append(k == 0 ? "" : ", ").append(NAMES[k]).append('=').append(counts[k]);
    }
    return sb.toString();
  }
}
