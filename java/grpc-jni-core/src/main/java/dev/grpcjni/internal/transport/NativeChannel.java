// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import dev.grpcjni.Status;
import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.wire.ChannelArgs;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

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
 *   watches    connectivity watches posted and not yet back. They do not hold the channel open
 *              (a graceful shutdown does not wait for them): shutdown() runs their consumers with
 *              SHUTDOWN at once, and destroying the channel brings their tags back.
 *   Terminated = destroyed, inFlight == 0 and watches == 0, so no event of this channel is still
 *              pending.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class NativeChannel {
  private static final System.Logger logger = System.getLogger(NativeChannel.class.getName());

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

  /** grpc_connectivity_state's SHUTDOWN: the state of a destroyed channel. */
  public static final int STATE_SHUTDOWN = 4;

  /** For {@link #watchState}: no deadline. */
  public static final long NO_DEADLINE = GrpcJniLib.GRPCJNI_NO_DEADLINE;

  /**
   * The server name last read (see {@link #servedBy}): the calls of a channel are answered by a few
   * servers, so a call usually finds its server's name here and makes no string.
   */
  private volatile PeerName lastPeer;

  private record PeerName(byte[] utf8, String name) {}

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger watches = new AtomicInteger();
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
              : tls.isLocal()
                  ? GrpcJniLib.grpcjni_channel_create_local(target, buf.address(), len)
                  : tls.files() != null
                      ? GrpcJniLib.grpcjni_channel_create_tls_files(
                          target,
                          buf.address(),
                          len,
                          tls.files().rootsPath(),
                          tls.files().keyPath(),
                          tls.files().chainPath(),
                          tls.files().refreshSeconds())
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
      throw new IllegalArgumentException(
          "the C core refused channel target " + target + " or its arguments (libgrpc logs why)");
    }
  }

  /**
   * Checks a service config as the C core does at channel creation: null if it accepts {@code
   * json}, else its reason: the error the core logged while refusing it, which names the field
   * (with {@code grpcjni.log.capture=false}, only the lame channel's generic status).
   */
  public static String serviceConfigError(String json) {
    if (json.indexOf('\0') >= 0) {
      return "contains NUL";
    }
    dev.grpcjni.internal.cq.CoreLog.install(); // the check may be what starts the core
    NativeBuffer buf = NativeBuffer.acquire(1024);
    try {
      int rc = GrpcJniLib.grpcjni_service_config_check(json, buf.address(), buf.capacity());
      if (rc == 0) {
        return null;
      }
      java.nio.ByteBuffer b = buf.buffer();
      StringBuilder reason = new StringBuilder();
      for (int i = 0; i < buf.capacity() && b.get(i) != 0; i++) {
        reason.append((char) (b.get(i) & 0xff));
      }
      return reason.length() == 0 ? "refused" : reason.toString();
    } finally {
      buf.release();
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
   * Reads a call's server (u32 length, UTF-8; see grpcjni_call_get_server_peer) from {@code b}: the
   * server's address, or "unknown" when the call never reached a connection.
   */
  String servedBy(ByteBuffer b) {
    int len = b.getInt();
    int at = b.position();
    b.position(at + len);
    if (len == 0) {
      return "unknown";
    }
    PeerName last = lastPeer;
    if (last != null && sameBytes(b, at, len, last.utf8)) {
      return last.name;
    }
    byte[] bytes = new byte[len];
    b.get(at, bytes);
    String name = new String(bytes, StandardCharsets.UTF_8);
    lastPeer = new PeerName(bytes, name);
    return name;
  }

  private static boolean sameBytes(ByteBuffer b, int at, int len, byte[] bytes) {
    if (len != bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (b.get(at + i) != bytes[i]) {
        return false;
      }
    }
    return true;
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

  /**
   * The connectivity state as the C core numbers it (0 IDLE … 4 SHUTDOWN); with {@code
   * tryToConnect}, an idle channel starts connecting. SHUTDOWN once shut down (as in grpc-java:
   * calls in flight may still finish).
   */
  public int state(boolean tryToConnect) {
    if (shutdown || !ref.tryRetain()) {
      return STATE_SHUTDOWN;
    }
    try {
      return GrpcJniLib.grpcjni_channel_check_state(handle, tryToConnect ? 1 : 0);
    } finally {
      ref.release();
    }
  }

  /** A watch posted to the C core whose consumer has not run: shutdown() runs it first. */
  private static final class PendingWatch {
    final IntConsumer onEvent;
    final java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();

    PendingWatch(IntConsumer onEvent) {
      this.onEvent = onEvent;
    }

    /** Marks the watch done without running it; false if it ran or was marked already. */
    boolean cancel() {
      return done.compareAndSet(false, true);
    }

    /** Runs the consumer with {@code state} unless it ran already. */
    void fire(int state) {
      if (done.compareAndSet(false, true)) {
        onEvent.accept(state);
      }
    }
  }

  private final Set<PendingWatch> pendingWatches = ConcurrentHashMap.newKeySet();

  /**
   * Watches for a state other than {@code last}: {@code onEvent} gets, once, the state read when
   * the C core reported a change (it may have changed back meanwhile), -1 once {@code
   * deadlineNanos} (time left, or GRPCJNI_NO_DEADLINE) passed first, or SHUTDOWN when the channel
   * is shut down (then at once, on the thread shutting it down). It may run on a poller thread, so
   * it must not block or run user code. Returns false, posting nothing and running nothing, if the
   * channel is shut down already.
   */
  public boolean watchState(int last, long deadlineNanos, IntConsumer onEvent) {
    if (shutdown || !ref.tryRetain()) {
      return false;
    }
    try {
      PendingWatch watch = new PendingWatch(onEvent);
      pendingWatches.add(watch);
      if (shutdown) {
        // shutdown() may have fired it already; if not, nothing will.
        pendingWatches.remove(watch);
        return !watch.cancel();
      }
      CompletionQueue q = loop.pickQueue();
      CallTag tag =
          (op, success) -> {
            try {
              pendingWatches.remove(watch);
              watch.fire(success ? state(false) : -1);
            } finally {
              if (watches.decrementAndGet() == 0) {
                maybeTerminate();
              }
            }
          };
      long key;
      try {
        key = q.beginOp(tag, 0);
      } catch (RejectedExecutionException e) {
        pendingWatches.remove(watch);
        return !watch.cancel(); // the environment is closing
      }
      watches.incrementAndGet();
      boolean posted =
          GrpcJniLib.grpcjni_channel_watch_state(handle, last, deadlineNanos, q.handle(), key) == 0;
      q.endOp(key, posted);
      if (posted) {
        return true;
      }
      watches.decrementAndGet();
      pendingWatches.remove(watch);
      return !watch.cancel(); // true if shutdown() ran it meanwhile
    } finally {
      ref.release();
    }
  }

  /**
   * Runs every pending watch's consumer with SHUTDOWN; their native tags come back later. Called
   * after the lifecycle work, and one consumer that throws (an executor that refuses the
   * notification) neither stops the others nor the shutdown.
   */
  private void firePendingWatches() {
    for (PendingWatch w : pendingWatches) {
      pendingWatches.remove(w);
      try {
        w.fire(STATE_SHUTDOWN);
      } catch (RuntimeException e) {
        logger.log(System.Logger.Level.WARNING, "a connectivity notification failed", e);
      }
    }
  }

  /** Ends the backoff of a failed connection attempt: the channel reconnects at once. */
  public void resetConnectBackoff() {
    if (ref.tryRetain()) {
      try {
        GrpcJniLib.grpcjni_channel_reset_connect_backoff(handle);
      } finally {
        ref.release();
      }
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
    firePendingWatches();
  }

  public void shutdownNow() {
    shutdown = true;
    shutdownNow = true;
    for (CoreCall call : calls) {
      call.cancel(Status.Code.UNAVAILABLE, "Channel shutdownNow invoked");
    }
    ref.close();
    maybeTerminate();
    firePendingWatches();
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
    if (ref.isFreed() && inFlight.get() == 0 && watches.get() == 0) {
      terminated.complete(null);
    }
  }
}
