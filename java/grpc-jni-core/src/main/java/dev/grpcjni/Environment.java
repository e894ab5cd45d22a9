// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.cq.EventLoop;
import java.util.concurrent.Executor;

/**
 * The event loop channels and servers run on: a number of C-core completion queues, one poller
 * thread each, and the default executor for user code.
 *
 * <p>Poller threads only decode events and hand completions to an executor; user code (handlers,
 * future continuations) runs on the executor of the channel or server, which defaults to this
 * environment's. Most programs use {@link #shared()}. A private environment isolates traffic (for
 * example client and server of one process) and can be closed to release everything at once.
 *
 * <p>Thread-safe.
 */
public final class Environment implements AutoCloseable {
  private static final class SharedHolder {
    static final Environment SHARED = builder().build(true);
  }

  private final EventLoop loop;
  private final boolean shared;

  private Environment(EventLoop loop, boolean shared) {
    this.loop = loop;
    this.shared = shared;
  }

  /**
   * The process-wide environment, created on first use with the default settings and never closed.
   * Its threads are daemons, so it does not keep the JVM alive.
   */
  public static Environment shared() {
    return SharedHolder.SHARED;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Number of completion queues, which is also the number of poller threads. */
  public int completionQueueCount() {
    return loop.queues().length;
  }

  /** The default executor for user code of channels and servers on this environment. */
  public Executor executor() {
    return loop.executor();
  }

  public boolean isClosed() {
    return loop.isClosed();
  }

  /**
   * Closes every server ({@link AutoCloseable#close()}: in-flight calls are cancelled), then every
   * channel, then shuts the completion queues down and releases the C core. Blocks until done.
   * Idempotent; does nothing on {@link #shared()}.
   */
  @Override
  public void close() {
    if (!shared) {
      loop.close();
    }
  }

  EventLoop eventLoop() {
    return loop;
  }

  @Override
  public String toString() {
    return "Environment{queues=" + completionQueueCount() + (shared ? ", shared" : "") + "}";
  }

  /** Builds an {@link Environment}. Not thread-safe. */
  public static final class Builder {
    private int completionQueues = defaultCompletionQueues();
    private Executor executor;

    private Builder() {}

    /**
     * The default: one queue per two cores, at least 1 and at most 4. The executor does the calls'
     * work, so pollers need few cores; and the C core polls with one thread at a time (epoll1), so
     * each further poller mostly waits to be woken, which costs a futex round trip. On 2 cores, one
     * queue instead of two cut server CPU per streamed message by about a quarter
     * (docs/BENCHMARKS.md).
     */
    public static int defaultCompletionQueues() {
      return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** Number of completion queues and poller threads. */
    public Builder completionQueues(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("completionQueues must be positive: " + count);
      }
      this.completionQueues = count;
      return this;
    }

    /**
     * The default executor for user code. Without one, the environment owns a cached pool of daemon
     * threads. The environment does not shut down an executor passed here.
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Starts the completion queues and poller threads.
     *
     * @throws UnsatisfiedLinkError if the native libraries are not available
     */
    public Environment build() {
      return build(false);
    }

    private Environment build(boolean shared) {
      GrpcJni.ensureAvailability();
      Environment environment = new Environment(new EventLoop(completionQueues, executor), shared);
      NativeResources.registerMBean();
      return environment;
    }
  }
}
