// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The completion queues, their pollers and the default executor behind an {@code Environment}.
 *
 * <pre>
 * Overview:
 *   grpc_init at construction, one CompletionQueue (and poller thread) per queue, a default
 *   executor for user continuations. Channels pick a queue per call (round-robin); servers post
 *   request slots on every queue.
 *   close() runs the C core's teardown order: it waits out every channel still being created
 *   (enterCreation to exitCreation: a native channel made before registering), then servers,
 *   then channels (each closed and terminated, so none of their operations is pending), then the
 *   queues (shut down, drained, destroyed), then grpc_shutdown. If a queue fails to drain in
 *   time, its native objects are left alive rather than destroyed early, which would abort the
 *   process.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class EventLoop implements AutoCloseable {
  private static final Logger logger = System.getLogger(EventLoop.class.getName());
  private static final AtomicInteger loopIds = new AtomicInteger();
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final CompletionQueue[] queues;
  private final AtomicInteger nextQueue = new AtomicInteger();
  private final ExecutorService ownedExecutor;
  private final java.util.concurrent.Executor executor;
  private final Set<AutoCloseable> servers = ConcurrentHashMap.newKeySet();
  private final Set<AutoCloseable> channels = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> creationsDone = new CompletableFuture<>();

  /** Held by each creation in progress; closing it is what closes the loop. */
  private final RefCounted creations =
      new RefCounted() {
        @Override
        protected void free() {
          creationsDone.complete(null);
        }
      };

  /**
   * Starts the loop.
   *
   * @param queueCount number of completion queues, each with its own poller thread
   * @param executor executor for user continuations, or null for a cached pool owned by the loop
   */
  public EventLoop(int queueCount, java.util.concurrent.Executor executor) {
    if (queueCount < 1) {
      throw new IllegalArgumentException("queueCount must be positive: " + queueCount);
    }
    int id = loopIds.incrementAndGet();
    CoreLog.install(); // before the core starts: its first lines go to the logger too
    GrpcJniLib.grpcjni_init();
    queues = new CompletionQueue[queueCount];
    for (int i = 0; i < queueCount; i++) {
      queues[i] = new CompletionQueue(i, "grpc-jni-" + id + "-cq-");
    }
    if (executor == null) {
      ownedExecutor = Executors.newCachedThreadPool(daemonThreads("grpc-jni-" + id + "-executor-"));
      this.executor = ownedExecutor;
    } else {
      ownedExecutor = null;
      this.executor = executor;
    }
  }

  /** A thread factory for daemon threads named {@code prefix + n}. */
  public static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The queue for the next call (round-robin). */
  public CompletionQueue pickQueue() {
    if (queues.length == 1) {
      return queues[0];
    }
    return queues[Math.floorMod(nextQueue.getAndIncrement(), queues.length)];
  }

  /** All queues; servers register and post on each. Do not modify. */
  public CompletionQueue[] queues() {
    return queues;
  }

  /** The executor user continuations run on by default. */
  public java.util.concurrent.Executor executor() {
    return executor;
  }

  public boolean isClosed() {
    return creations.isClosed();
  }

  /**
   * Begins creating a native object that must be registered here ({@link #addChannel}) before the C
   * core shuts down: {@link #close()} waits for the matching {@link #exitCreation()}, and then
   * finds it registered, or it was refused registration and destroyed its native object itself.
   *
   * @throws IllegalStateException if this loop is closed
   */
  public void enterCreation() {
    if (!creations.tryRetain()) {
      throw new IllegalStateException("environment is closed");
    }
  }

  /** Ends what {@link #enterCreation()} began. */
  public void exitCreation() {
    creations.release();
  }

  /**
   * Tracks a server so {@link #close()} closes it first.
   *
   * @throws IllegalStateException if this loop is closed
   */
  public void addServer(AutoCloseable server) {
    add(servers, server);
  }

  /** Tracks a channel so {@link #close()} closes it after the servers. */
  public void addChannel(AutoCloseable channel) {
    add(channels, channel);
  }

  /** Stops tracking a server or channel that closed on its own. */
  public void remove(AutoCloseable resource) {
    servers.remove(resource);
    channels.remove(resource);
  }

  private void add(Set<AutoCloseable> set, AutoCloseable resource) {
    set.add(resource);
    if (creations.isClosed()) {
      set.remove(resource);
      throw new IllegalStateException("environment is closed");
    }
  }

  /**
   * Closes servers, then channels, then the queues, then releases the C core. Blocks until done.
   * Idempotent.
   */
  @Override
  public void close() {
    if (CompletionQueue.isPollerThread()) {
      throw new IllegalStateException(
          "an environment cannot be closed from its own poller thread (a direct-executor callback)");
    }
    if (!creations.close()) {
      return;
    }
    creationsDone.join(); // a creator only builds and registers (or destroys) its object
    closeAll(servers);
    closeAll(channels);
    for (CompletionQueue q : queues) {
      q.shutdown();
    }
    boolean drained = true;
    for (CompletionQueue q : queues) {
      try {
        if (!q.awaitTermination(DRAIN_TIMEOUT)) {
          drained = false;
          logger.log(
              Level.ERROR,
              "completion queue " + q.index() + " did not drain: " + q.pendingOps() + " pending");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        drained = false;
      }
    }
    if (drained) {
      GrpcJniLib.grpcjni_shutdown();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  private static void closeAll(Set<AutoCloseable> set) {
    List<AutoCloseable> snapshot = new ArrayList<>(set);
    for (AutoCloseable c : snapshot) {
      try {
        c.close();
      } catch (Exception e) {
        logger.log(Level.WARNING, "closing " + c + " failed", e);
      }
    }
    set.removeAll(snapshot);
  }
}
