// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java {@link ManagedChannel} over a grpc-jni channel: the C core resolves, balances,
 * connects, encrypts and frames; the channel's interceptors run in front, as grpc-java's do.
 */
final class GrpcJniManagedChannel extends ManagedChannel {
  private final dev.grpcjni.client.ManagedChannel channel;
  private final Executor executor;
  private final Channel intercepted;
  private final io.grpc.CallCredentials channelCredentials; // a composite credential's, or null

  /**
   * grpc-jni's descriptor for each grpc-java one seen (generated stubs keep theirs in static
   * fields, so this holds one entry per method the application calls).
   */
  private final Map<MethodDescriptor<?, ?>, dev.grpcjni.MethodDescriptor<?, ?>> methods =
      new ConcurrentHashMap<>();

  GrpcJniManagedChannel(
      dev.grpcjni.client.ManagedChannel channel,
      Executor executor,
      List<ClientInterceptor> interceptors,
      io.grpc.CallCredentials channelCredentials) {
    this.channel = channel;
    this.executor = executor;
    this.channelCredentials = channelCredentials;
    this.intercepted = ClientInterceptors.intercept(new Raw(), interceptors);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return intercepted.newCall(method, options);
  }

  @Override
  public String authority() {
    return channel.authority();
  }

  @Override
  public ManagedChannel shutdown() {
    channel.shutdown();
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    channel.shutdownNow();
    return this;
  }

  @Override
  public boolean isShutdown() {
    return channel.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return channel.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return channel.awaitTermination(Duration.ofNanos(unit.toNanos(timeout)));
  }

  @Override
  public ConnectivityState getState(boolean requestConnection) {
    return ConnectivityState.valueOf(channel.getState(requestConnection).name());
  }

  /**
   * As grpc-java's: {@code callback} runs once the state is no longer {@code source}, on the
   * channel's executor. ({@code enterIdle()} keeps grpc-java's default, doing nothing: libgrpc 1.51
   * has no way to drop a channel's connections on request.)
   */
  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    java.util.Objects.requireNonNull(callback, "callback");
    channel
        .whenStateChanged(dev.grpcjni.client.ConnectivityState.valueOf(source.name()))
        .thenRunAsync(callback, executor != null ? executor : Runnable::run);
  }

  @Override
  public void resetConnectBackoff() {
    channel.resetConnectBackoff();
  }

  @Override
  public String toString() {
    return "GrpcJniManagedChannel{" + channel.target() + "}";
  }

  @SuppressWarnings("unchecked")
  private <ReqT, RespT> dev.grpcjni.MethodDescriptor<ReqT, RespT> coreMethod(
      MethodDescriptor<ReqT, RespT> method) {
    return (dev.grpcjni.MethodDescriptor<ReqT, RespT>)
        methods.computeIfAbsent(method, Methods::toCore);
  }

  /** The channel under the interceptors: each call a grpc-jni call. */
  private final class Raw extends Channel {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      Integer maxInbound = options.getMaxInboundMessageSize();
      dev.grpcjni.MethodDescriptor<ReqT, RespT> core =
          maxInbound == null ? coreMethod(method) : Methods.toCore(method, maxInbound);
      List<io.grpc.CallCredentials> credentials = new java.util.ArrayList<>(2);
      if (channelCredentials != null) {
        credentials.add(channelCredentials);
      }
      if (options.getCredentials() != null) {
        credentials.add(options.getCredentials());
      }
      return new GrpcJniClientCall<>(
          channel,
          core,
          method.getRequestMarshaller(),
          options,
          executor,
          credentials.isEmpty()
              ? null
              : GrpcJavaCallCredentials.adapt(credentials, method, options, executor));
    }

    @Override
    public String authority() {
      return channel.authority();
    }
  }
}
