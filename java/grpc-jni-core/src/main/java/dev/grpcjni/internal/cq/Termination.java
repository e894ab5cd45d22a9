// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for queues, channels and servers to terminate. */
public final class Termination {
  private Termination() {}

  /** Waits for {@code terminated}; false if {@code timeout} elapsed first. */
  public static boolean await(CompletableFuture<?> terminated, Duration timeout)
      throws InterruptedException {
    try {
      terminated.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // terminated, though abnormally; the cause was reported where it happened
    }
  }

  /**
   * Runs {@code shutdownNow}, then waits up to {@code timeout} for {@code terminated}, logging if
   * it does not come. Keeps the interrupt flag if interrupted.
   */
  public static void shutdownNowAndWait(
      Runnable shutdownNow,
      CompletableFuture<?> terminated,
      Duration timeout,
      Object owner,
      Logger logger) {
    shutdownNow.run();
    if (CompletionQueue.isPollerThread()) {
      // Closing from a direct-executor callback: the completions we would wait for are this
      // thread's to deliver. Termination finishes once the callback returns.
      return;
    }
    try {
      if (!await(terminated, timeout)) {
        logger.log(Level.WARNING, owner + " did not terminate in " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
