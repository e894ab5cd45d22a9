// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import static dev.grpcjni.internal.ffi.GrpcJniLib.GRPCJNI_CQ_SHUTDOWN;
import static dev.grpcjni.internal.ffi.GrpcJniLib.GRPCJNI_CQ_TIMEOUT;

import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * One C-core completion queue and the Java thread that polls it.
 *
 * <pre>
 * Overview:
 *   The poller blocks in grpcjni_cq_next with an infinite deadline (a short deadline costs
 *   20-100 us per poll in the C core), resolves each event's tag through the TagRegistry and
 *   calls CallTag.complete on this thread.
 *   Starting an operation: beginOp() takes an admission reference and registers the tag;
 *   endOp() drops the reference, and unregisters the tag when the start failed (the core posts
 *   nothing then).
 *   Shutdown: shutdown() closes admission; the last admission reference calls
 *   grpc_completion_queue_shutdown, so nothing is ever posted to a queue being shut down. The
 *   poller drains the remaining events until GRPC_QUEUE_SHUTDOWN, destroys the queue and
 *   completes terminationFuture(). Destroying a queue any earlier aborts the process.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class CompletionQueue {
  private static final Logger logger = System.getLogger(CompletionQueue.class.getName());

  /** Every queue not yet destroyed, for {@code NativeResources}. */
  private static final Set<CompletionQueue> LIVE = ConcurrentHashMap.newKeySet();

  private static final VarHandle EVENTS;

  static {
    try {
      EVENTS = MethodHandles.lookup().findVarHandle(CompletionQueue.class, "events", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long handle;
  private final int index;
  private long events; // written by the poller alone (opaque: a plain store, readable elsewhere)
  private final TagRegistry tags = new TagRegistry();
  private final Thread poller;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final RefCounted admission =
      new RefCounted() {
        @Override
        protected void free() {
          GrpcJniLib.grpcjni_cq_shutdown(handle);
        }
      };

  /** Creates the queue and starts its poller thread, named {@code namePrefix + index}. */
  public CompletionQueue(int index, String namePrefix) {
    this.index = index;
    this.handle = GrpcJniLib.grpcjni_cq_create();
    if (handle == 0) {
      throw new IllegalStateException("grpc_completion_queue_create_for_next failed");
    }
    poller = new PollerThread(this::poll, namePrefix + index);
    // Blocked in native code, the poller never wakes for interrupt(); it must not keep the JVM up.
    poller.setDaemon(true);
    LIVE.add(this);
    poller.start();
  }

  /** The queues not yet destroyed, in no particular order. */
  public static List<CompletionQueue> live() {
    return List.copyOf(LIVE);
  }

  /** Events the poller has taken from the queue so far. */
  public long eventsHandled() {
    return (long) EVENTS.getOpaque(this);
  }

  /** The poller thread (for its name and CPU time). */
  public Thread pollerThread() {
    return poller;
  }

  /** The native grpc_completion_queue*, valid while an admission reference is held. */
  public long handle() {
    return handle;
  }

  /** Position of this queue in its event loop. */
  public int index() {
    return index;
  }

  /**
   * Admits an operation and registers its tag. Pair every successful call with {@link #endOp}.
   *
   * @return the key to post to the C core
   * @throws RejectedExecutionException if the queue is shut down
   */
  public long beginOp(CallTag tag, int op) {
    if (!admission.tryRetain()) {
      throw new RejectedExecutionException("completion queue " + index + " is shut down");
    }
    try {
      return tags.register(tag, op);
    } catch (RuntimeException e) {
      admission.release();
      throw e;
    }
  }

  /**
   * Ends an operation admitted by {@link #beginOp}.
   *
   * @param key what beginOp returned
   * @param started whether the native start function returned GRPC_CALL_OK; if not, no event will
   *     come and the tag is unregistered here
   */
  public void endOp(long key, boolean started) {
    if (!started) {
      tags.remove(key);
    }
    admission.release();
  }

  /** Admits a native call that posts nothing but needs the queue alive (e.g. create_call). */
  public boolean tryRetain() {
    return admission.tryRetain();
  }

  public void release() {
    admission.release();
  }

  /** Number of operations in flight. */
  public int pendingOps() {
    return tags.size();
  }

  /** Stops admitting operations; the queue shuts down once those in flight have resolved. */
  public void shutdown() {
    admission.close();
  }

  /** Completes when the poller has drained the queue and destroyed it. */
  public CompletableFuture<Void> terminationFuture() {
    return terminated;
  }

  /** Waits for termination; false on timeout. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    // A poller that died of an exception left the queue undrained: that is not termination.
    return Termination.await(terminated, timeout) && !terminated.isCompletedExceptionally();
  }

  /** True on a poller thread, where waiting for completions would wait for oneself. */
  public static boolean isPollerThread() {
    return Thread.currentThread() instanceof PollerThread;
  }

  private static final class PollerThread extends Thread {
    PollerThread(Runnable task, String name) {
      super(task, name);
    }
  }

  private void poll() {
    try {
      for (; ; ) {
        long event = GrpcJniLib.grpcjni_cq_next(handle);
        if (event == GRPCJNI_CQ_SHUTDOWN) {
          break;
        }
        if (event == GRPCJNI_CQ_TIMEOUT) {
          continue; // cannot happen with an infinite deadline; harmless if it does
        }
        EVENTS.setOpaque(this, events + 1);
        CallTag tag = tags.remove(event);
        if (tag == null) {
          logger.log(Level.ERROR, () -> "completion queue " + index + ": unknown tag " + event);
          continue;
        }
        try {
          tag.complete(TagRegistry.opOf(event), (event & 1) != 0);
        } catch (Throwable t) {
          logger.log(Level.ERROR, "completion queue " + index + ": tag failed", t);
        }
      }
      GrpcJniLib.grpcjni_cq_destroy(handle);
      LIVE.remove(this);
      terminated.complete(null);
    } catch (Throwable t) {
      LIVE.remove(this);
      terminated.completeExceptionally(t);
      throw t;
    }
  }
}
