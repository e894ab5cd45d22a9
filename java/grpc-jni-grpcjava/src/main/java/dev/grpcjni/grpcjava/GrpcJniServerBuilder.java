// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.BindableService;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.HandlerRegistry;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's server builder for servers on the C core; {@link GrpcJniServerProvider} hands it to
 * {@code ServerBuilder.forPort} and {@code Grpc.newServerBuilderForPort}.
 *
 * <p>As with grpc-java's own builders, handlers run on a shared cached thread pool unless {@link
 * #executor} or {@link #directExecutor} say otherwise; {@link #intercept} interceptors run for
 * every method (the last added first), before per-service ones; {@link #addStreamTracerFactory}
 * tracers see every call, also those to methods no service has. Each option maps onto the C core's:
 * {@link #maxInboundMessageSize} ({@code grpc.max_receive_message_length}), {@link
 * #maxInboundMetadataSize} ({@code grpc.max_metadata_size}), {@link #handshakeTimeout}, {@link
 * #keepAliveTime}, {@link #keepAliveTimeout}, {@link #permitKeepAliveTime}, {@link
 * #permitKeepAliveWithoutCalls}, {@link #maxConnectionIdle}, {@link #maxConnectionAge}, {@link
 * #maxConnectionAgeGrace}. Custom compressor or decompressor registries, transport filters and
 * binary logs cannot be used: they throw {@link UnsupportedOperationException}.
 */
public final class GrpcJniServerBuilder extends ServerBuilder<GrpcJniServerBuilder> {
  private final dev.grpcjni.server.ServerBuilder builder;
  private final List<ServerServiceDefinition> services = new ArrayList<>();
  private final List<ServerInterceptor> interceptors = new ArrayList<>();
  private final List<ServerStreamTracer.Factory> tracerFactories = new ArrayList<>();
  private HandlerRegistry fallback;
  private Executor executor;

  private GrpcJniServerBuilder(dev.grpcjni.server.ServerBuilder builder) {
    this.builder = builder;
  }

  /** A builder listening on {@code port} on every interface. */
  public static GrpcJniServerBuilder forPort(int port) {
    return new GrpcJniServerBuilder(dev.grpcjni.server.ServerBuilder.forPort(port));
  }

  /** A builder listening on {@code address} as the C core names it, e.g. {@code 127.0.0.1:0}. */
  public static GrpcJniServerBuilder forAddress(String address) {
    return new GrpcJniServerBuilder(dev.grpcjni.server.ServerBuilder.forAddress(address));
  }

  /** TLS with grpc-jni's credentials (the provider's translation of grpc-java's). */
  GrpcJniServerBuilder tls(dev.grpcjni.server.TlsServerCredentials credentials) {
    builder.tls(credentials);
    return this;
  }

  @Override
  public GrpcJniServerBuilder directExecutor() {
    this.executor = Runnable::run;
    return this;
  }

  @Override
  public GrpcJniServerBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  @Override
  public GrpcJniServerBuilder addService(ServerServiceDefinition service) {
    services.add(Objects.requireNonNull(service, "service"));
    return this;
  }

  @Override
  public GrpcJniServerBuilder addService(BindableService bindableService) {
    return addService(bindableService.bindService());
  }

  @Override
  public GrpcJniServerBuilder intercept(ServerInterceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  @Override
  public GrpcJniServerBuilder addStreamTracerFactory(ServerStreamTracer.Factory factory) {
    tracerFactories.add(Objects.requireNonNull(factory, "factory"));
    return this;
  }

  @Override
  public GrpcJniServerBuilder fallbackHandlerRegistry(HandlerRegistry registry) {
    this.fallback = registry;
    return this;
  }

  @Override
  public GrpcJniServerBuilder useTransportSecurity(File certChain, File privateKey) {
    builder.useTransportSecurity(certChain.toPath(), privateKey.toPath());
    return this;
  }

  @Override
  public GrpcJniServerBuilder useTransportSecurity(InputStream certChain, InputStream privateKey) {
    try {
      builder.tls(
          dev.grpcjni.server.TlsServerCredentials.newBuilder()
              .keyManager(
                  new String(certChain.readAllBytes(), StandardCharsets.US_ASCII),
                  new String(privateKey.readAllBytes(), StandardCharsets.US_ASCII))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Accepts only the default registry: the C core decompresses (gzip, deflate) itself.
   *
   * @throws UnsupportedOperationException for any other registry
   */
  @Override
  public GrpcJniServerBuilder decompressorRegistry(DecompressorRegistry registry) {
    if (registry != null && registry != DecompressorRegistry.getDefaultInstance()) {
      throw new UnsupportedOperationException(
          "grpc-jni: the C core decompresses messages; custom decompressors cannot be used");
    }
    return this;
  }

  /**
   * Accepts only the default registry: the C core compresses (gzip, deflate) itself.
   *
   * @throws UnsupportedOperationException for any other registry
   */
  @Override
  public GrpcJniServerBuilder compressorRegistry(CompressorRegistry registry) {
    if (registry != null && registry != CompressorRegistry.getDefaultInstance()) {
      throw new UnsupportedOperationException(
          "grpc-jni: the C core compresses messages; custom compressors cannot be used");
    }
    return this;
  }

  @Override
  public GrpcJniServerBuilder maxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative max: " + bytes);
    }
    builder.maxInboundMessageSize(bytes);
    return this;
  }

  @Override
  public GrpcJniServerBuilder maxInboundMetadataSize(int bytes) {
    builder.maxInboundMetadataSize(bytes);
    return this;
  }

  @Override
  public GrpcJniServerBuilder handshakeTimeout(long timeout, TimeUnit unit) {
    return millis("grpc.server_handshake_timeout_ms", timeout, unit);
  }

  @Override
  public GrpcJniServerBuilder keepAliveTime(long time, TimeUnit unit) {
    return millis("grpc.keepalive_time_ms", time, unit);
  }

  @Override
  public GrpcJniServerBuilder keepAliveTimeout(long timeout, TimeUnit unit) {
    return millis("grpc.keepalive_timeout_ms", timeout, unit);
  }

  @Override
  public GrpcJniServerBuilder permitKeepAliveTime(long time, TimeUnit unit) {
    return millis("grpc.http2.min_ping_interval_without_data_ms", time, unit);
  }

  @Override
  public GrpcJniServerBuilder permitKeepAliveWithoutCalls(boolean permit) {
    builder.channelArg("grpc.keepalive_permit_without_calls", permit ? 1 : 0);
    return this;
  }

  @Override
  public GrpcJniServerBuilder maxConnectionIdle(long idle, TimeUnit unit) {
    return millis("grpc.max_connection_idle_ms", idle, unit);
  }

  @Override
  public GrpcJniServerBuilder maxConnectionAge(long age, TimeUnit unit) {
    return millis("grpc.max_connection_age_ms", age, unit);
  }

  @Override
  public GrpcJniServerBuilder maxConnectionAgeGrace(long grace, TimeUnit unit) {
    return millis("grpc.max_connection_age_grace_ms", grace, unit);
  }

  private GrpcJniServerBuilder millis(String arg, long value, TimeUnit unit) {
    if (value <= 0) {
      throw new IllegalArgumentException(arg + " must be positive: " + value);
    }
    builder.channelArg(arg, (int) Math.min(Integer.MAX_VALUE, unit.toMillis(value)));
    return this;
  }

  @Override
  public Server build() {
    builder.executor(executor != null ? executor : DefaultExecutors.CALLBACKS);
    List<ServerStreamTracer.Factory> tracers = List.copyOf(tracerFactories);
    if (!tracers.isEmpty()) {
      builder.addCallTracer(info -> new ServerEvents()); // the messages' sizes, for the tracers
    }
    List<ServerServiceDefinition> added = List.copyOf(services);
    for (ServerServiceDefinition service : added) {
      builder.addService(
          ServerServices.toCore(ServerInterceptors.intercept(service, interceptors), tracers));
    }
    builder.fallbackHandler(new FallbackHandler(fallback, List.copyOf(interceptors), tracers));
    return new GrpcJniServer(builder.build(), added);
  }
}
