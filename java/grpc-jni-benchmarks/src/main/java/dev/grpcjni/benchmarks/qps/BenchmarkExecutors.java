// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.qps;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor the benchmark mains run callbacks on without {@code --directexecutor}: what
 * grpc-java's {@code io.grpc.benchmarks.qps} client and server use, a FIFO fork-join pool with one
 * thread per core. (The library default, a cached pool as in grpc-java, wakes a separate parked
 * thread for nearly every message under this load.)
 */
final class BenchmarkExecutors {
  private BenchmarkExecutors() {}

  /** A fork-join pool in async (FIFO) mode with one daemon thread per core. */
  static ForkJoinPool perCore(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return new ForkJoinPool(
        Runtime.getRuntime().availableProcessors(),
        pool -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          t.setDaemon(true);
          t.setName(prefix + n.getAndIncrement());
          return t;
        },
        null,
        true);
  }
}
