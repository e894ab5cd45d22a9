// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: a call's listener sees its
 * callbacks in order and never concurrently, whatever thread pool runs them.
 *
 * <p>A task submitted while none is queued or running costs one hand-off to the delegate and no
 * allocation here (the queue exists only once tasks pile up), which is the common case for unary
 * calls. A task that throws is logged; the ones after it still run.
 */
public final class SerializingExecutor implements Executor, Runnable {
  private static final Logger logger = System.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final Flight flight; // times the tasks for the call's JFR event, or null
  private Runnable next; // guarded by this: the first task waiting
  private ArrayDeque<Runnable> more; // guarded by this: the tasks after it, made when needed
  private boolean scheduled; // guarded by this: a drain is queued on or running in the delegate

  public SerializingExecutor(Executor delegate) {
    this(delegate, null);
  }

  /** Runs on {@code delegate}, each task timed for {@code flight} (null: not recorded). */
  SerializingExecutor(Executor delegate, Flight flight) {
    this.delegate = delegate;
    this.flight = flight;
  }

  /** The executor the tasks run on. */
  public Executor delegate() {
    return delegate;
  }

  @Override
  public void execute(Runnable task) {
    if (flight != null) {
      task = flight.timed(task);
    }
    synchronized (this) {
      if (next == null) {
        next = task;
      } else {
        if (more == null) {
          more = new ArrayDeque<>(4);
        }
        more.add(task);
      }
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    try {
      delegate.execute(this);
    } catch (RuntimeException e) {
      // Rejected (the executor shut down). Not inline: callers may hold a call's lock.
      ForkJoinPool.commonPool().execute(this);
    }
  }

  /**
   * Schedules the first task, unless the delegate rejects it: then nothing is queued and this
   * returns false. Only for a task that nothing else can be queued or running beside.
   */
  public boolean executeFirst(Runnable task) {
    synchronized (this) {
      if (next != null || scheduled) {
        throw new IllegalStateException("not the first task");
      }
      next = flight == null ? task : flight.timed(task);
      scheduled = true;
    }
    try {
      delegate.execute(this);
      return true;
    } catch (RuntimeException e) {
      synchronized (this) {
        next = null;
        scheduled = false;
      }
      if (flight != null) {
        flight.dropped();
      }
      return false;
    }
  }

  /** Drains the queue; only ever run by the delegate, once per schedule. */
  @Override
  public void run() {
    for (; ; ) {
      Runnable task;
      synchronized (this) {
        task = next;
        if (task == null) {
          scheduled = false;
          return;
        }
        next = more == null ? null : more.poll();
      }
      try {
        task.run();
      } catch (Throwable t) {
        logger.log(Level.ERROR, "call callback threw", t);
      }
    }
  }
}
