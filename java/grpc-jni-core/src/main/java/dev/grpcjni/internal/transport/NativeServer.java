// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.wire.ChannelArgs;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native side of a server: the grpc_server, its registered methods, request slots and calls.
 *
 * <pre>
 * Overview:
 *   Every method is registered with the C core (unary and server-streaming methods read the
 *   request with the call, so a unary request costs one event). Each (method, queue) pair gets
 *   `slotsPerMethod` request slots, plus a few generic slots per queue that catch unknown
 *   methods. A slot is re-posted as soon as its call is decoded, on the poller thread; the
 *   acceptor (the call layer) makes the call that serves it.
 *   References on `ref` keep the grpc_server alive: the owner's (dropped when the shutdown tag
 *   comes back), one per posted slot, one per live call, and short ones around native calls.
 *   shutdown(): stop re-posting, grpc_server_shutdown_and_notify. Pending slots come back
 *   failed and drop their references; calls finish and drop theirs; the shutdown tag drops the
 *   owner's. The last release destroys the server and completes terminationFuture().
 *   shutdownNow(): shutdown() plus grpc_server_cancel_all_calls.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class NativeServer {
  private static final Logger logger = System.getLogger(NativeServer.class.getName());
  private static final int GENERIC_SLOTS_PER_QUEUE = 4;

  /** A method to register: its path, and whether its request arrives with the call. */
  public record Method(String path, boolean readPayload) {}

  /** A method registered with the C core. */
  static final class Registered {
    final int index; // in the list given to the constructor
    final String path;
    final long handle;
    final boolean readPayload;
    final AtomicInteger armed = new AtomicInteger();
    volatile long lastStarvedWarningNanos;

    Registered(int index, String path, long handle, boolean readPayload) {
      this.index = index;
      this.path = path;
      this.handle = handle;
      this.readPayload = readPayload;
    }
  }

  /** The C core's bound on a peer's header list, which also bounds what a slot copies. */
  public static final String MAX_METADATA_SIZE_ARG = "grpc.max_metadata_size";

  /** The bound without the argument: 8 KiB, the C core's and grpc-java's default. */
  public static final int DEFAULT_MAX_METADATA_SIZE = 8192;

  private final EventLoop loop;
  private final CallAcceptor acceptor;
  private final int slotsPerMethod;
  private final int maxMetadataSize;
  private final long handle;
  private final List<Registered> registered = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private volatile boolean shuttingDown;

  private final RefCounted ref =
      new RefCounted() {
        @Override
        protected void free() {
          GrpcJniLib.grpcjni_server_destroy(handle);
          terminated.complete(null);
        }
      };

  /**
   * Creates the native server and registers queues and methods.
   *
   * @throws IllegalArgumentException if a method is registered twice or the args are refused
   */
  public NativeServer(
      EventLoop loop,
      ChannelArgs args,
      List<Method> methods,
      CallAcceptor acceptor,
      int slotsPerMethod) {
    this.loop = loop;
    this.acceptor = acceptor;
    this.slotsPerMethod = slotsPerMethod;
    this.maxMetadataSize =
        args.get(MAX_METADATA_SIZE_ARG) instanceof Integer bytes
            ? bytes
            : DEFAULT_MAX_METADATA_SIZE;
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      handle = GrpcJniLib.grpcjni_server_create(buf.address(), args.encode(buf));
    } finally {
      buf.release();
    }
    if (handle == 0) {
      throw new IllegalArgumentException("the C core refused server arguments " + args);
    }
    for (CompletionQueue q : loop.queues()) {
      GrpcJniLib.grpcjni_server_register_cq(handle, q.handle());
    }
    Map<String, Boolean> seen = new HashMap<>();
    for (Method m : methods) {
      long h =
          seen.put(m.path(), true) == null
              ? GrpcJniLib.grpcjni_server_register_method(handle, m.path(), m.readPayload() ? 1 : 0)
              : 0;
      if (h == 0) {
        abandonUnstarted();
        throw new IllegalArgumentException("method registered twice: " + m.path());
      }
      registered.add(new Registered(registered.size(), m.path(), h, m.readPayload()));
    }
  }

  /** The largest request header list a slot decodes; larger calls are refused. */
  int maxMetadataSize() {
    return maxMetadataSize;
  }

  /** Destroys a server that was never started (no port bound, nothing posted). */
  private void abandonUnstarted() {
    GrpcJniLib.grpcjni_server_start(handle);
    shutdown();
  }

  /**
   * Binds every address (with TLS unless {@code tls} is null), starts the server and posts request
   * slots.
   *
   * @throws IOException if an address cannot be bound (or the C core cannot load the TLS key or
   *     certificate); the server is then shut down
   */
  public void start(List<String> addresses, TlsConfig tls) throws IOException {
    String failed = null;
    for (String address : addresses) {
      int port =
          tls == null
              ? GrpcJniLib.grpcjni_server_add_insecure_port(handle, address)
              : tls.isLocal()
                  ? GrpcJniLib.grpcjni_server_add_local_port(handle, address)
                  : tls.files() != null
                      ? GrpcJniLib.grpcjni_server_add_tls_files_port(
                          handle,
                          address,
                          tls.files().rootsPath(),
                          tls.files().keyPath(),
                          tls.files().chainPath(),
                          tls.files().refreshSeconds(),
                          tls.clientAuth())
                      : GrpcJniLib.grpcjni_server_add_tls_port(
                          handle,
                          address,
                          tls.rootCertificates(),
                          tls.privateKey(),
                          tls.certificateChain(),
                          tls.clientAuth());
      if (port == 0) {
        failed = address;
        break;
      }
      ports.add(port);
    }
    GrpcJniLib.grpcjni_server_start(handle);
    if (failed != null) {
      shutdownNow();
      throw new IOException(
          "Failed to bind to address "
              + failed
              + (tls != null ? " (or the C core could not load the TLS key and certificate)" : ""));
    }
    for (CompletionQueue q : loop.queues()) {
      for (Registered m : registered) {
        for (int i = 0; i < slotsPerMethod; i++) {
          postNewSlot(m, q);
        }
      }
      for (int i = 0; i < GENERIC_SLOTS_PER_QUEUE; i++) {
        postNewSlot(null, q);
      }
    }
  }

  private void postNewSlot(Registered method, CompletionQueue q) {
    if (!ref.tryRetain()) {
      return;
    }
    RequestSlot slot = new RequestSlot(this, method, q);
    if (!slot.post()) {
      slot.destroy();
      ref.release();
    }
  }

  /** The bound ports, in the order the addresses were given. */
  public List<Integer> ports() {
    return Collections.unmodifiableList(ports);
  }

  EventLoop loop() {
    return loop;
  }

  CallAcceptor acceptor() {
    return acceptor;
  }

  long handle() {
    return handle;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  /** Takes a reference for a new call; false once the server is gone. */
  boolean retainForCall() {
    return ref.tryRetain();
  }

  /** Drops a reference held by a slot or a call. */
  void release() {
    ref.release();
  }

  /**
   * Counts a slot of {@code method} coming back; logs, at most every 10 s per method, when a call
   * took the last armed one while the server is running (slots failing at shutdown do not count).
   */
  void slotTaken(Registered method, boolean callArrived) {
    if (method.armed.decrementAndGet() <= 0 && callArrived && !shuttingDown) {
      long now = System.nanoTime();
      if (now - method.lastStarvedWarningNanos > 10_000_000_000L) {
        method.lastStarvedWarningNanos = now;
        logger.log(
            Level.WARNING,
            "no request slot armed for "
                + method.path
                + ": new calls wait in the C core until one is re-posted; consider raising"
                + " ServerBuilder.requestSlotsPerMethod (now "
                + slotsPerMethod
                + ")");
      }
    }
  }

  /**
   * Stops accepting calls; calls in flight finish. Idempotent. Synchronized so that a concurrent
   * shutdownNow() cancels only after grpc_server_shutdown_and_notify ran, as the core requires.
   */
  public synchronized void shutdown() {
    if (!shutdownStarted.compareAndSet(false, true)) {
      return;
    }
    shuttingDown = true;
    CompletionQueue q = loop.queues()[0];
    CallTag tag = (op, success) -> ref.close();
    long key;
    try {
      key = q.beginOp(tag, 0);
    } catch (RejectedExecutionException e) {
      // The environment closes servers before its queues, so this is a bug; do not destroy a
      // server whose shutdown was never confirmed (the C core would abort).
      logger.log(Level.ERROR, "cannot shut down server: its completion queue is closed");
      return;
    }
    GrpcJniLib.grpcjni_server_shutdown_and_notify(handle, q.handle(), key);
    q.endOp(key, true);
  }

  /** {@link #shutdown()} and cancels every call in flight. */
  public void shutdownNow() {
    shutdown();
    if (ref.tryRetain()) {
      try {
        GrpcJniLib.grpcjni_server_cancel_all_calls(handle);
      } finally {
        ref.release();
      }
    }
  }

  public boolean isShutdown() {
    return shutdownStarted.get();
  }

  public CompletableFuture<Void> terminationFuture() {
    return terminated;
  }
}
