// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Channel;
import dev.grpcjni.ClientCall;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.internal.cq.Termination;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Several real connections to one target, used as one {@link Channel}: each call goes to the next
 * channel (round robin) whose connection is READY, or to the next one if none is. One HTTP/2
 * connection carries calls on one TCP stream and, in the C core, one poller's worth of work; where
 * that is the bottleneck (many small calls from one process to one server, as TiKV clients make), a
 * pool spreads them. The channels connect when the pool is made and reconnect when they go idle.
 *
 * <pre>{@code
 * ChannelPool pool = ChannelPool.create(ChannelBuilder.forTarget("tikv-1:20160"), 4);
 * KvGrpcJni.Stub stub = KvGrpcJni.newStub(pool);
 * }</pre>
 *
 * <p>Choosing a channel reads a cached state (kept current by connectivity notifications), so it
 * costs no native call. Lifecycle methods apply to every channel. Thread-safe.
 */
public final class ChannelPool extends Channel implements AutoCloseable {
  private static final Logger logger = System.getLogger(ChannelPool.class.getName());
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final List<ManagedChannel> channels;

  /** Each channel's state, cached: written by its notifications, read by {@link #pick}. */
  private final AtomicReferenceArray<ConnectivityState> states;

  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean shutdown;

  private ChannelPool(List<ManagedChannel> channels) {
    this.channels = List.copyOf(channels);
    this.states = new AtomicReferenceArray<>(channels.size());
    for (int i = 0; i < channels.size(); i++) {
      track(i, this.channels.get(i).getState(true));
    }
  }

  /**
   * {@code size} channels built by {@code builder}, each with its own connection (whatever the
   * builder says of {@link ChannelBuilder#shareConnections}: this sets it to false).
   *
   * @throws IllegalArgumentException if {@code size} is not positive, or as {@link
   *     ChannelBuilder#build()}
   */
  public static ChannelPool create(ChannelBuilder builder, int size) {
    Objects.requireNonNull(builder, "builder");
    if (size <= 0) {
      throw new IllegalArgumentException("ChannelPool size must be positive: " + size);
    }
    builder.shareConnections(false);
    List<ManagedChannel> channels = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        channels.add(builder.build());
      }
    } catch (RuntimeException e) {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      throw e;
    }
    return new ChannelPool(channels);
  }

  private void track(int i, ConnectivityState state) {
    states.set(i, state);
    if (state == ConnectivityState.SHUTDOWN) {
      return;
    }
    ManagedChannel c = channels.get(i);
    if (state == ConnectivityState.IDLE && !shutdown) {
      c.getState(true); // keep the pool's connections up
    }
    c.notifyWhenStateChanged(state, () -> track(i, c.getState(false)));
  }

  /** The pool's channels, in order. */
  public List<ManagedChannel> channels() {
    return channels;
  }

  /** How many of the channels are READY now. */
  public int readyCount() {
    int n = 0;
    for (int i = 0; i < states.length(); i++) {
      n += states.get(i) == ConnectivityState.READY ? 1 : 0;
    }
    return n;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return pick().newCall(method, options);
  }

  private ManagedChannel pick() {
    int n = channels.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    int fallback = -1; // the first that is not shut down (a user may shut one down)
    for (int k = 0; k < n; k++) {
      int i = start + k < n ? start + k : start + k - n;
      ConnectivityState s = states.get(i);
      if (s == ConnectivityState.READY) {
        return channels.get(i);
      }
      if (fallback < 0 && s != ConnectivityState.SHUTDOWN) {
        fallback = i;
      }
    }
    return channels.get(fallback < 0 ? start : fallback);
  }

  @Override
  public String authority() {
    return channels.get(0).authority();
  }

  /** {@link ManagedChannel#shutdown()} on every channel. */
  public void shutdown() {
    shutdown = true;
    for (ManagedChannel c : channels) {
      c.shutdown();
    }
  }

  /** {@link ManagedChannel#shutdownNow()} on every channel. */
  public void shutdownNow() {
    shutdown = true;
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
  }

  public boolean isShutdown() {
    return shutdown;
  }

  /** True once every channel is terminated. */
  public boolean isTerminated() {
    for (ManagedChannel c : channels) {
      if (!c.isTerminated()) {
        return false;
      }
    }
    return true;
  }

  /** Completes when every channel is terminated. */
  public CompletableFuture<Void> terminationFuture() {
    CompletableFuture<?>[] all = new CompletableFuture<?>[channels.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = channels.get(i).terminationFuture();
    }
    return CompletableFuture.allOf(all);
  }

  /** Waits until every channel is terminated; false if {@code timeout} elapsed first. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Termination.await(terminationFuture(), timeout);
  }

  /** {@link #shutdownNow()}, then waits for termination (30 s at most). Idempotent. */
  @Override
  public void close() {
    Termination.shutdownNowAndWait(
        this::shutdownNow, terminationFuture(), CLOSE_TIMEOUT, this, logger);
  }

  @Override
  public String toString() {
    return "ChannelPool{"
        + channels.size()
        + " x "
        + channels.get(0).target()
        + ", "
        + readyCount()
        + " ready}";
  }
}
