// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * An executor whose tasks run on the one thread that waits for a blocking call: the call's
 * callbacks (parsing the response included) run on the caller's thread, and no pool thread is
 * woken. After {@link #shutdown()} tasks run on the thread that submits them.
 *
 * <p>A unary call submits one task, which takes no queue: the queue is made only for more.
 */
final class ThreadlessExecutor implements Executor {
  private volatile Thread waiter = Thread.currentThread(); // the thread that waits last
  private Runnable first; // guarded by this
  private ArrayDeque<Runnable> more; // guarded by this; made when a second task waits
  private boolean shutdown; // guarded by this

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (!shutdown) {
        if (first == null) {
          first = task;
        } else {
          if (more == null) {
            more = new ArrayDeque<>(4);
          }
          more.add(task);
        }
        LockSupport.unpark(waiter);
        return;
      }
    }
    task.run();
  }

  /**
   * Waits for at least one task and runs every task queued, on the calling thread (one at a time).
   *
   * @throws InterruptedException if the thread is interrupted while waiting (the flag is cleared)
   */
  void waitAndDrain() throws InterruptedException {
    waiter = Thread.currentThread(); // (a task queued before this is polled below)
    Runnable task = poll();
    while (task == null) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      task = poll();
    }
    do {
      task.run();
    } while ((task = poll()) != null);
  }

  private synchronized Runnable poll() {
    Runnable task = first;
    first = more == null ? null : more.poll();
    return task;
  }

  /** From now on tasks run where they are submitted; those still queued run here first. */
  void shutdown() {
    Runnable task;
    while ((task = shutdownOrPoll()) != null) {
      task.run();
    }
  }

  private synchronized Runnable shutdownOrPoll() {
    Runnable task = poll();
    if (task == null) {
      shutdown = true;
    }
    return task;
  }
}
