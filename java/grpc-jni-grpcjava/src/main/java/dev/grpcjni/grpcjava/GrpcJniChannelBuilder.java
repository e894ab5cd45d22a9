// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.ClientInterceptor;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's channel builder for channels on the C core; {@link GrpcJniChannelProvider} hands it
 * to {@code ManagedChannelBuilder.forTarget} and {@code Grpc.newChannelBuilder}.
 *
 * <p>As with grpc-java's own builders, a channel uses TLS with the system's roots unless {@link
 * #usePlaintext()} is called, and its callbacks run on a shared cached thread pool unless {@link
 * #executor} or {@link #directExecutor} say otherwise. Each option maps onto the C core's:
 *
 * <ul>
 *   <li>{@link #maxInboundMessageSize}: {@code grpc.max_receive_message_length} (grpc-java's
 *       default, 4 MiB, is the C core's too);
 *   <li>{@link #maxInboundMetadataSize}: {@code grpc.max_metadata_size};
 *   <li>{@link #keepAliveTime}, {@link #keepAliveTimeout}, {@link #keepAliveWithoutCalls}: the C
 *       core's keepalive arguments;
 *   <li>{@link #idleTimeout}: {@code grpc.client_idle_timeout_ms};
 *   <li>{@link #userAgent}, {@link #overrideAuthority} (which also names the host TLS checks);
 *   <li>{@link #enableRetry}, {@link #disableRetry}: {@code grpc.enable_retries}.
 * </ul>
 *
 * <p>What the C core does itself cannot be replaced from Java: {@link #nameResolverFactory} and
 * registries other than the default compressor and decompressor registries throw {@link
 * UnsupportedOperationException}, as do the options this builder does not override (grpc-java's
 * defaults).
 */
public final class GrpcJniChannelBuilder extends ManagedChannelBuilder<GrpcJniChannelBuilder> {
  private final String target;
  private final dev.grpcjni.client.ChannelBuilder builder;
  private final List<ClientInterceptor> interceptors = new ArrayList<>();
  private Executor executor;
  private boolean plaintext;
  private io.grpc.CallCredentials callCredentials; // from composite channel credentials, or null
  private dev.grpcjni.client.TlsChannelCredentials tls; // null: the default roots

  private GrpcJniChannelBuilder(String target) {
    this.target = target;
    this.builder = dev.grpcjni.client.ChannelBuilder.forTarget(Objects.requireNonNull(target));
    // A grpc-java channel owns its connections; the C core would share one between channels with
    // equal arguments (its global subchannel pool), so that a pool of channels was one connection.
    builder.channelArg("grpc.use_local_subchannel_pool", 1);
  }

  /** A builder for {@code target}: {@code host:port}, or any target the C core resolves. */
  public static GrpcJniChannelBuilder forTarget(String target) {
    return new GrpcJniChannelBuilder(target);
  }

  /** A builder for {@code host} (a name or an address) and {@code port}. */
  public static GrpcJniChannelBuilder forAddress(String host, int port) {
    boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
    return forTarget((ipv6 ? "[" + host + "]" : host) + ":" + port);
  }

  /** TLS with these roots and keys instead of the system's roots (the provider's credentials). */
  GrpcJniChannelBuilder tls(dev.grpcjni.client.TlsChannelCredentials credentials) {
    this.tls = credentials;
    this.plaintext = false;
    return this;
  }

  @Override
  public GrpcJniChannelBuilder directExecutor() {
    this.executor = Runnable::run;
    return this;
  }

  @Override
  public GrpcJniChannelBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  @Override
  public GrpcJniChannelBuilder intercept(List<ClientInterceptor> interceptors) {
    this.interceptors.addAll(interceptors);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder intercept(ClientInterceptor... interceptors) {
    return intercept(Arrays.asList(interceptors));
  }

  @Override
  public GrpcJniChannelBuilder userAgent(String userAgent) {
    builder.userAgent(userAgent);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder overrideAuthority(String authority) {
    builder.overrideAuthority(authority);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder usePlaintext() {
    this.plaintext = true;
    this.tls = null;
    return this;
  }

  @Override
  public GrpcJniChannelBuilder useTransportSecurity() {
    this.plaintext = false;
    return this;
  }

  /**
   * Not supported: the C core resolves names itself.
   *
   * @throws UnsupportedOperationException always
   */
  @Deprecated
  @Override
  public GrpcJniChannelBuilder nameResolverFactory(NameResolver.Factory resolverFactory) {
    throw new UnsupportedOperationException(
        "grpc-jni: the C core resolves names; a Java NameResolver.Factory cannot be used");
  }

  /**
   * Accepts only the default registry: the C core decompresses (gzip, deflate) itself.
   *
   * @throws UnsupportedOperationException for any other registry
   */
  @Override
  public GrpcJniChannelBuilder decompressorRegistry(DecompressorRegistry registry) {
    if (registry != DecompressorRegistry.getDefaultInstance()) {
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
  public GrpcJniChannelBuilder compressorRegistry(CompressorRegistry registry) {
    if (registry != CompressorRegistry.getDefaultInstance()) {
      throw new UnsupportedOperationException(
          "grpc-jni: the C core compresses messages; custom compressors cannot be used");
    }
    return this;
  }

  /** As grpc-java's: at least one second; 30 days or more turns idleness off. */
  @Override
  public GrpcJniChannelBuilder idleTimeout(long value, TimeUnit unit) {
    if (value <= 0) {
      throw new IllegalArgumentException("idle timeout must be positive: " + value);
    }
    Duration d = Duration.ofNanos(unit.toNanos(value));
    if (d.compareTo(Duration.ofDays(30)) >= 0) {
      d = Duration.ofMillis(Integer.MAX_VALUE); // the C core's "never"
    } else if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      d = Duration.ofSeconds(1);
    }
    builder.idleTimeout(d);
    return this;
  }

  /**
   * The C core takes the service config (load balancing, method timeouts, retry policies, health
   * checking) and checks it now: one it refuses fails here with {@code IllegalArgumentException}.
   * libgrpc 1.51 does not hedge: a {@code hedgingPolicy} is accepted and ignored.
   */
  @Override
  public GrpcJniChannelBuilder defaultServiceConfig(Map<String, ?> serviceConfig) {
    if (serviceConfig != null) {
      builder.defaultServiceConfig(serviceConfig);
    }
    return this;
  }

  @Override
  public GrpcJniChannelBuilder defaultLoadBalancingPolicy(String policy) {
    builder.loadBalancingPolicy(policy);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder disableServiceConfigLookUp() {
    builder.channelArg("grpc.service_config_disable_resolution", 1);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder maxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative max: " + bytes);
    }
    builder.maxInboundMessageSize(bytes);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder maxInboundMetadataSize(int bytes) {
    builder.maxInboundMetadataSize(bytes);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder keepAliveTime(long time, TimeUnit unit) {
    builder.keepAliveTime(Duration.ofNanos(unit.toNanos(time)));
    return this;
  }

  @Override
  public GrpcJniChannelBuilder keepAliveTimeout(long timeout, TimeUnit unit) {
    builder.keepAliveTimeout(Duration.ofNanos(unit.toNanos(timeout)));
    return this;
  }

  @Override
  public GrpcJniChannelBuilder keepAliveWithoutCalls(boolean enable) {
    builder.keepAliveWithoutCalls(enable);
    return this;
  }

  @Override
  public GrpcJniChannelBuilder enableRetry() {
    builder.enableRetry();
    return this;
  }

  @Override
  public GrpcJniChannelBuilder disableRetry() {
    builder.disableRetry();
    return this;
  }

  @Override
  public ManagedChannel build() {
    if (plaintext) {
      builder.usePlaintext();
    } else {
      builder.tls(tls != null ? tls : dev.grpcjni.client.TlsChannelCredentials.create());
    }
    Executor callbacks = executor != null ? executor : DefaultExecutors.CALLBACKS;
    builder.executor(callbacks);
    // As in grpc-java, call credentials decide from the security level what plaintext may carry.
    builder.allowCallCredentialsOnPlaintext();
    GrpcJniManagedChannel channel =
        new GrpcJniManagedChannel(
            builder.build(), callbacks, List.copyOf(interceptors), callCredentials);
    Providers.LOG.log(
        Level.DEBUG,
        "grpc-jni: channel to {0} ({1}) on the C core",
        new Object[] {target, plaintext ? "plaintext" : "TLS"});
    return channel;
  }

  /** The call credentials of composite channel credentials, applied to every call. */
  GrpcJniChannelBuilder callCredentials(io.grpc.CallCredentials credentials) {
    this.callCredentials = credentials;
    return this;
  }

  /** PEM bytes as the text grpc-jni's credentials take. */
  static String pem(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
