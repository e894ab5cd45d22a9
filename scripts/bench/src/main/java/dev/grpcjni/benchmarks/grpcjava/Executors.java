// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.grpcjava;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/** The executor grpc-java's qps mains give their channels and servers. */
final class Executors {
  private Executors() {}

  /** A FIFO ForkJoinPool with one daemon thread per core (grpc-java's benchmark Utils'). */
  static ForkJoinPool perCore(String prefix) {
    return new ForkJoinPool(
        Runtime.getRuntime().availableProcessors(),
        pool -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          t.setDaemon(true);
          t.setName(prefix + t.getPoolIndex());
          return t;
        },
        (thread, error) -> {
          error.printStackTrace();
          System.exit(1);
        },
        true);
  }
}
