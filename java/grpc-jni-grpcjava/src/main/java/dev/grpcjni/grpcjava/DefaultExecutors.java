// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The executors grpc-java's channels and servers use when the application names none. */
final class DefaultExecutors {
  private DefaultExecutors() {}

  /** Callbacks and handlers, as grpc-java's default: a shared cached pool of daemon threads. */
  static final ExecutorService CALLBACKS =
      Executors.newCachedThreadPool(daemons("grpc-jni-default-executor-"));

  /** Fires server calls' Context deadlines. */
  static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(daemons("grpc-jni-deadline-"));

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
