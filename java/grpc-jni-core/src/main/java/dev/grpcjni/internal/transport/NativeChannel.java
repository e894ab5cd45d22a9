// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import dev.grpcjni.Status;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.wire.ChannelArgs;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native side of a client channel: the grpc_channel, its registered methods, and the accounting
 * that decides when it may be destroyed.
 *
 * <pre>
 * Overview:
 *   handle     guarded by `ref`: every native use of it is bracketed by tryRetain/release.
 *   calls      the calls started and not yet finished (enterCall/exitCall), so that
 *              shutdownNow() can cancel them: grpc_channel_destroy alone leaves calls already
 *              on a connection running.
 *   shutdown() refuses new calls; the channel is destroyed once the last call finished.
 *   shutdownNow() refuses new calls, cancels those in flight with UNAVAILABLE, and destroys the
 *              channel as soon as no thread is using the handle.
 *   Terminated = destroyed and inFlight == 0, so no event of this channel is still pending.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class NativeChannel {
  private final EventLoop loop;
  private final String target;
  private final long handle;

  /**
   * Method paths registered with the C core, which keeps each until the channel is destroyed: at
   * most {@link #MAX_REGISTERED_METHODS} (give or take the threads racing past the check), so a
   * proxy forwarding arbitrary names cannot grow the channel without bound. Later paths get
   * unregistered calls, which cost the core a path parse per call and keep nothing.
   */
  private final ConcurrentHashMap<String, Long> registeredMethods = new ConcurrentHashMap<>();

  /** More methods than any service set a channel talks to; a bound for those that do not. */
  public static final int MAX_REGISTERED_METHODS = 1024;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<CoreCall> calls = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean shutdown;
  private volatile boolean shutdownNow;

  private final RefCounted ref =
      new RefCounted() {
        @Override
        protected void free() {
          GrpcJniLib.grpcjni_channel_destroy(handle);
          maybeTerminate();
        }
      };

  /**
   * Creates the native channel, with TLS unless {@code tls} is null.
   *
   * @throws IllegalArgumentException if the C core refuses the target or arguments
   */
  public NativeChannel(EventLoop loop, String target, ChannelArgs args, TlsConfig tls) {
    this.loop = loop;
    this.target = target;
    if (target.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("target contains NUL");
    }
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      int len = args.encode(buf);
      handle =
          tls == null
              ? GrpcJniLib.grpcjni_channel_create(target, buf.address(), len)
              : GrpcJniLib.grpcjni_channel_create_tls(
                  target,
                  buf.address(),
                  len,
                  tls.rootCertificates(),
                  tls.privateKey(),
                  tls.certificateChain());
    } finally {
      buf.release();
    }
    if (handle == 0) {
      throw new IllegalArgumentException("the C core refused channel target " + target);
    }
  }

  public EventLoop loop() {
    return loop;
  }

  public String target() {
    return target;
  }

  /**
   * A client call to {@code path} on this channel, bound to the next queue of the loop. Its native
   * call is made when it starts.
   */
  public CoreCall newCall(String path) {
    return CoreCall.forClient(this, loop.pickQueue(), path);
  }

  /** Counts a new call. False if the channel is shut down; the call must not start then. */
  boolean enterCall(CoreCall call) {
    inFlight.incrementAndGet();
    calls.add(call);
    if (shutdown) {
      exitCall(call);
      return false;
    }
    return true;
  }

  /** Uncounts a call entered with {@link #enterCall}, once no event of it can come. */
  void exitCall(CoreCall call) {
    calls.remove(call);
    if (inFlight.decrementAndGet() == 0 && shutdown) {
      ref.close();
      maybeTerminate();
    }
  }

  /**
   * Creates a native call bound to {@code cq} (a grpc_call* the caller owns), or returns 0 if the
   * channel is destroyed or the C core refused.
   *
   * @param parent a server call whose deadline and cancellation the call inherits, or 0; the caller
   *     holds a reference to it
   */
  long createCall(long cq, String path, long parent, long deadlineNanos) {
    if (!ref.tryRetain()) {
      return 0;
    }
    try {
      Long method = registeredMethods.get(path);
      if (method == null && registeredMethods.size() < MAX_REGISTERED_METHODS) {
        method =
            registeredMethods.computeIfAbsent(
                path, p -> GrpcJniLib.grpcjni_channel_register_call(handle, p));
      }
      return method != null
          ? GrpcJniLib.grpcjni_channel_create_call(handle, cq, method, parent, deadlineNanos)
          : GrpcJniLib.grpcjni_channel_create_unregistered_call(
              handle, cq, path, parent, deadlineNanos);
    } finally {
      ref.release();
    }
  }

  /** How many method paths the channel has registered with the C core. */
  public int registeredMethodCount() {
    return registeredMethods.size();
  }

  public void shutdown() {
    shutdown = true;
    if (inFlight.get() == 0) {
      ref.close();
    }
    maybeTerminate();
  }

  public void shutdownNow() {
    shutdown = true;
    shutdownNow = true;
    for (CoreCall call : calls) {
      call.cancel(Status.Code.UNAVAILABLE, "Channel shutdownNow invoked");
    }
    ref.close();
    maybeTerminate();
  }

  /** True once shutdownNow() ran: a call that started meanwhile must cancel itself. */
  boolean isShutdownNow() {
    return shutdownNow;
  }

  public boolean isShutdown() {
    return shutdown;
  }

  public int callsInFlight() {
    return inFlight.get();
  }

  public CompletableFuture<Void> terminationFuture() {
    return terminated;
  }

  private void maybeTerminate() {
    if (ref.isFreed() && inFlight.get() == 0) {
      terminated.complete(null);
    }
  }
}
