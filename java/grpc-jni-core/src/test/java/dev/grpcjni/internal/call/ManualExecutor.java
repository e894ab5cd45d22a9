// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** An executor whose tasks run only when the test says, on the test thread. */
final class ManualExecutor implements Executor {
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  boolean rejecting;
  int executed;

  @Override
  public void execute(Runnable task) {
    if (rejecting) {
      throw new RejectedExecutionException("test executor rejects");
    }
    tasks.add(task);
  }

  /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
  int runAll() {
    int n = 0;
    Runnable r;
    while ((r = tasks.poll()) != null) {
      r.run();
      n++;
      executed++;
    }
    return n;
  }

  int queued() {
    return tasks.size();
  }
}
