// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import dev.grpcjni.CallCredentials;
import dev.grpcjni.CallOptions;
import dev.grpcjni.Channel;
import dev.grpcjni.ClientCall;
import dev.grpcjni.ClientCallTracer;
import dev.grpcjni.Deadline;
import dev.grpcjni.Environment;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.call.ClientCallImpl;
import dev.grpcjni.internal.call.CredentialedCall;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.cq.Termination;
import dev.grpcjni.internal.transport.NativeChannel;
import dev.grpcjni.internal.transport.TlsConfig;
import dev.grpcjni.internal.wire.ChannelArgs;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A client channel to one target, on the gRPC C core: it resolves the name, connects, balances load
 * and multiplexes calls over HTTP/2. Create one per target and share it; it is cheap to use
 * concurrently and costly to create.
 *
 * <p>Calls are made with {@link #newCall}, which every call style builds on: {@link
 * dev.grpcjni.stub.ClientCalls} (futures, {@code Flow} publishers, observers, blocking calls) and
 * the generated stubs. A call's listener runs on the call's executor ({@link
 * CallOptions#withExecutor}), else the channel's ({@link ChannelBuilder#executor}), else the
 * environment's.
 *
 * <p>Lifecycle as in grpc-java: {@link #shutdown()} lets calls in flight finish, {@link
 * #shutdownNow()} cancels them (they fail with UNAVAILABLE), {@link #awaitTermination} waits. Calls
 * started after shutdown fail with UNAVAILABLE. {@link #close()} is {@code shutdownNow} plus
 * waiting.
 *
 * <p>Thread-safe.
 */
public final class ManagedChannel extends Channel implements AutoCloseable {
  private static final Logger logger = System.getLogger(ManagedChannel.class.getName());
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final NativeChannel core;
  private final Executor executor;
  private final EventLoop loop;
  private final String authority;
  private final CallCredentials credentials; // the channel's default, or null
  private final boolean secure; // TLS or local credentials
  private final boolean credentialsPermitted; // secure, or plaintext explicitly allowed
  private final List<ClientCallTracer.Factory> tracers; // the builder's, for every call
  private final boolean compresses; // a default compression is set for requests

  ManagedChannel(
      Environment environment,
      String target,
      String authority,
      ChannelArgs args,
      TlsConfig tls,
      Executor executor,
      CallCredentials credentials,
      boolean credentialsPermitted,
      List<ClientCallTracer.Factory> tracers) {
    this.tracers = tracers;
    Object compression = args.get("grpc.default_compression_algorithm");
    this.compresses = compression instanceof Integer && (Integer) compression != 0;
    this.loop = ApiAccess.get().eventLoop(environment);
    this.authority = authority;
    this.credentials = credentials;
    this.secure = tls != null;
    this.credentialsPermitted = credentialsPermitted;
    // The native channel exists before the loop tracks it: an environment closing meanwhile must
    // wait, not shut the C core down under it.
    loop.enterCreation();
    try {
      this.core = new NativeChannel(loop, target, args, tls);
      this.executor = executor;
      try {
        loop.addChannel(this);
      } catch (IllegalStateException e) {
        core.shutdownNow();
        throw e;
      }
    } finally {
      loop.exitCreation();
    }
    core.terminationFuture().thenRun(() -> loop.remove(this));
  }

  /** A builder for a channel to {@code target}; see {@link ChannelBuilder#forTarget}. */
  public static ChannelBuilder builder(String target) {
    return ChannelBuilder.forTarget(target);
  }

  /** The target this channel was built for. */
  public String target() {
    return core.target();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The call's deadline is the earlier of {@code options}' and the current {@link
   * dev.grpcjni.Context}'s. A call made while a server call is being handled (its context current,
   * or named by {@link CallOptions#withParent}) inherits that call's deadline and is cancelled with
   * it. The headers and compression of {@code options} are sent with those given to {@link
   * ClientCall#start}. A call on a shut-down channel fails with UNAVAILABLE when it starts.
   */
  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    Executor e = options.executor() != null ? options.executor() : executor;
    List<ClientCallTracer.Factory> t = tracers;
    if (!options.callTracers().isEmpty()) {
      t = new ArrayList<>(tracers);
      t.addAll(options.callTracers());
    }
    ClientCall<ReqT, RespT> call =
        ClientCallImpl.create(
            core.newCall(method.path()), method, e, options, t, core.target(), compresses);
    CallCredentials creds =
        options.callCredentials() != null ? options.callCredentials() : credentials;
    if (creds == null) {
      return call;
    }
    Deadline deadline = options.deadline();
    Deadline inherited = dev.grpcjni.Context.current().getDeadline();
    if (inherited != null) {
      deadline = deadline == null ? inherited : deadline.minimum(inherited);
    }
    return new CredentialedCall<>(
        call,
        creds,
        new CallCredentials.RequestInfo(method.fullMethodName(), authority, secure),
        credentialsPermitted,
        e,
        deadline);
  }

  /**
   * The authority calls go to: the one set with {@link ChannelBuilder#overrideAuthority}, else the
   * target's host and port.
   */
  @Override
  public String authority() {
    return authority;
  }

  // ---- connectivity

  /**
   * The channel's connectivity state. With {@code requestConnection}, an {@link
   * ConnectivityState#IDLE IDLE} channel starts connecting (the state returned is still IDLE), so
   * that a connection can be made before the first call. {@link ConnectivityState#SHUTDOWN
   * SHUTDOWN} once the channel is shut down (calls in flight may still finish), as in grpc-java.
   */
  public ConnectivityState getState(boolean requestConnection) {
    return ConnectivityState.ofCore(core.state(requestConnection));
  }

  /**
   * Runs {@code callback} once, on the channel's executor, when the state is no longer {@code
   * source}: at once if it differs already. Never for {@code source} SHUTDOWN once the channel is
   * shut down. As grpc-java's {@code ManagedChannel.notifyWhenStateChanged}. A pending notification
   * does not keep the channel from terminating: shutting the channel down notifies it at once, with
   * SHUTDOWN.
   */
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    java.util.Objects.requireNonNull(callback, "callback");
    watch(source, state -> callback.run());
  }

  /**
   * The future form of {@link #notifyWhenStateChanged}: completes, on the channel's executor, with
   * the first state other than {@code source}. Cancelling the future drops the notification (the
   * native watch ends when the state changes or the channel shuts down).
   */
  public CompletableFuture<ConnectivityState> whenStateChanged(ConnectivityState source) {
    CompletableFuture<ConnectivityState> f = new CompletableFuture<>();
    watch(source, f::complete);
    return f;
  }

  private void watch(ConnectivityState source, java.util.function.Consumer<ConnectivityState> to) {
    java.util.Objects.requireNonNull(source, "source");
    Executor e = executor != null ? executor : loop.executor();
    int from = source.core();
    java.util.function.IntConsumer onEvent =
        new java.util.function.IntConsumer() {
          @Override
          public void accept(int now) {
            if (now == from) {
              // Changed and changed back before we looked: keep watching (on the poller thread,
              // which only posts a watch).
              if (!core.watchState(from, NativeChannel.NO_DEADLINE, this)) {
                deliver(ConnectivityState.SHUTDOWN);
              }
            } else {
              deliver(ConnectivityState.ofCore(now));
            }
          }

          private void deliver(ConnectivityState state) {
            if (state != source) {
              e.execute(() -> to.accept(state));
            }
          }
        };
    if (!core.watchState(from, NativeChannel.NO_DEADLINE, onEvent)) {
      // Terminated: the state is SHUTDOWN for good.
      if (source != ConnectivityState.SHUTDOWN) {
        e.execute(() -> to.accept(ConnectivityState.SHUTDOWN));
      }
    }
  }

  /**
   * Connects if the channel is idle and waits until it is {@link ConnectivityState#READY READY}.
   * Connection failures do not end the wait: the channel keeps retrying with its backoff.
   *
   * @return true once READY; false if {@code timeout} passed first or the channel shut down
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    ConnectivityState state = getState(true);
    while (state != ConnectivityState.READY) {
      long left = end - System.nanoTime();
      if (state == ConnectivityState.SHUTDOWN || left <= 0) {
        return false;
      }
      CompletableFuture<Void> changed = new CompletableFuture<>();
      // Completed on the poller thread: only this thread waits on it, no code runs there.
      if (!core.watchState(state.core(), left, now -> changed.complete(null))) {
        return false;
      }
      try {
        changed.get();
      } catch (java.util.concurrent.ExecutionException ex) {
        throw new IllegalStateException(ex.getCause());
      }
      state = getState(true);
    }
    return true;
  }

  /**
   * Ends the wait before the next connection attempt, where one failed: the channel reconnects at
   * once (after a server restart, say). No effect on a connected channel.
   */
  public void resetConnectBackoff() {
    core.resetConnectBackoff();
  }

  /** Refuses new calls; calls in flight finish normally. Idempotent. */
  public void shutdown() {
    core.shutdown();
  }

  /** Refuses new calls and fails those in flight with UNAVAILABLE. Idempotent. */
  public void shutdownNow() {
    core.shutdownNow();
  }

  public boolean isShutdown() {
    return core.isShutdown();
  }

  /** True once shut down, every call finished, and the native channel destroyed. */
  public boolean isTerminated() {
    return core.terminationFuture().isDone();
  }

  /** Waits until terminated; false if {@code timeout} elapsed first. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Termination.await(core.terminationFuture(), timeout);
  }

  /** Completes when the channel is terminated. */
  public CompletableFuture<Void> terminationFuture() {
    return core.terminationFuture().copy();
  }

  /** {@link #shutdownNow()}, then waits for termination (30 s at most). Idempotent. */
  @Override
  public void close() {
    Termination.shutdownNowAndWait(
        this::shutdownNow, core.terminationFuture(), CLOSE_TIMEOUT, this, logger);
  }

  @Override
  public String toString() {
    return "ManagedChannel{target="
        + core.target()
        + ", inFlight="
        + core.callsInFlight()
        + (isShutdown() ? ", shut down" : "")
        + "}";
  }
}
