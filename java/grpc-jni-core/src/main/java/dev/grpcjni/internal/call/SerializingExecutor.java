// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: a call's listener sees its
 * callbacks in order and never concurrently, whatever thread pool runs them.
 */
final class SerializingExecutor implements Executor {
  private static final Logger logger = Logger.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  SerializingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    schedule();
  }

  private void schedule() {
    if (running.compareAndSet(false, true)) {
      try {
        delegate.execute(this::drain);
      } catch (RuntimeException e) {
        // Rejected (the executor shut down). Not inline: callers may hold a call's lock.
        java.util.concurrent.ForkJoinPool.commonPool().execute(this::drain);
      }
    }
  }

  private void drain() {
    for (; ; ) {
      Runnable task;
      while ((task = queue.poll()) != null) {
        try {
          task.run();
        } catch (Throwable t) {
          logger.log(Level.SEVERE, "call callback threw", t);
        }
      }
      running.set(false);
      if (queue.isEmpty() || !running.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
