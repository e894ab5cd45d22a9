// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import dev.grpcjni.Environment;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerInterceptor;
import dev.grpcjni.internal.cq.DirectExecutor;
import dev.grpcjni.internal.transport.NativeServer;
import dev.grpcjni.internal.transport.TlsConfig;
import dev.grpcjni.internal.wire.ChannelArgs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Builds a {@link Server}: the addresses it listens on, its services, where handlers run, and
 * C-core options.
 *
 * <p>Not thread-safe.
 */
public final class ServerBuilder {
  /** Request slots posted per method and completion queue, unless set. */
  public static final int DEFAULT_REQUEST_SLOTS_PER_METHOD = 64;

  /** The default of {@link #maxInboundMetadataSize}: 8 KiB. */
  public static final int DEFAULT_MAX_INBOUND_METADATA_SIZE =
      NativeServer.DEFAULT_MAX_METADATA_SIZE;

  private final List<String> addresses = new ArrayList<>();
  private final List<ServiceDefinition> services = new ArrayList<>();
  private final List<ServerInterceptor> interceptors = new ArrayList<>();
  private ServerCallHandler<byte[], byte[]> fallback;
  private final ChannelArgs args = new ChannelArgs();
  private Environment environment;
  private Executor executor;
  private int requestSlotsPerMethod = DEFAULT_REQUEST_SLOTS_PER_METHOD;
  private TlsConfig tls;

  private ServerBuilder() {
    // The C core shares a port with any other socket that set SO_REUSEPORT; a Java user expects
    // binding a taken port to fail, as it does in grpc-java. channelArg can turn it back on.
    args.set("grpc.so_reuseport", 0);
  }

  /**
   * A builder listening on {@code address}: {@code 127.0.0.1:0} (a free loopback port, readable
   * from {@link Server#port()} after start), {@code [::]:50051}, {@code unix:///path/to/socket}, …
   */
  public static ServerBuilder forAddress(String address) {
    return new ServerBuilder().addListeningAddress(address);
  }

  /** A builder listening on {@code port} on every interface ({@code [::]:port}). */
  public static ServerBuilder forPort(int port) {
    return forAddress("[::]:" + port);
  }

  /** Also listens on {@code address}. */
  public ServerBuilder addListeningAddress(String address) {
    addresses.add(Objects.requireNonNull(address, "address"));
    return this;
  }

  /** Serves every listening address over TLS as {@code credentials} say. Default: plaintext. */
  public ServerBuilder tls(TlsServerCredentials credentials) {
    this.tls = credentials.config();
    return this;
  }

  /** TLS with a certificate chain and private key (PEM files), no client certificates. */
  public ServerBuilder useTransportSecurity(Path certChain, Path privateKey) {
    return tls(TlsServerCredentials.create(certChain, privateKey));
  }

  public ServerBuilder addService(ServiceDefinition service) {
    services.add(Objects.requireNonNull(service, "service"));
    return this;
  }

  /**
   * Passes every call the server serves (every service's, and the fallback handler's) through
   * {@code interceptor}, before the interceptors of its service. Of several added, the last sees a
   * call first, as in grpc-java.
   */
  public ServerBuilder intercept(ServerInterceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /**
   * Serves calls to methods no service registered, instead of answering UNIMPLEMENTED: for a proxy
   * that forwards whatever arrives, or a service whose methods are known only at run time.
   *
   * <p>The call's messages are the raw bytes of the wire, both ways; its {@link
   * dev.grpcjni.ServerCall#method()} is a {@code BIDI_STREAMING} descriptor named after the
   * request's path (the wire does not say the method's kind), whatever the client sends: one
   * message or many, then a half-close. Requests are read as the handler asks; a path that is no
   * method name ({@code /package.Service/Method}) is still answered UNIMPLEMENTED.
   */
  public ServerBuilder fallbackHandler(ServerCallHandler<byte[], byte[]> handler) {
    this.fallback = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * The environment whose completion queues the server uses; default {@link Environment#shared()}.
   */
  public ServerBuilder environment(Environment environment) {
    this.environment = Objects.requireNonNull(environment);
    return this;
  }

  /** Where handlers run; default the environment's executor. */
  public ServerBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor);
    return this;
  }

  /**
   * Runs handlers on the poller thread that received the call. Fastest, but a handler that blocks
   * stalls every call on its completion queue.
   */
  public ServerBuilder directExecutor() {
    this.executor = DirectExecutor.INSTANCE;
    return this;
  }

  /**
   * How many requests for each method are kept posted on each completion queue. When all are taken,
   * new calls wait in the C core until a slot is re-posted (immediately after each call arrives); a
   * warning is logged when that happens.
   */
  public ServerBuilder requestSlotsPerMethod(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("requestSlotsPerMethod must be positive: " + slots);
    }
    this.requestSlotsPerMethod = slots;
    return this;
  }

  /**
   * The largest request the server accepts; larger ones fail with RESOURCE_EXHAUSTED. The C core's
   * default is 4 MiB; -1 means unlimited.
   */
  public ServerBuilder maxInboundMessageSize(int bytes) {
    if (bytes < -1) {
      throw new IllegalArgumentException("size must be -1 (unlimited) or >= 0: " + bytes);
    }
    args.set("grpc.max_receive_message_length", bytes);
    return this;
  }

  /**
   * The largest request header list the server accepts, in bytes as HTTP/2 counts them (32 plus the
   * name and value of each entry); default {@value #DEFAULT_MAX_INBOUND_METADATA_SIZE}, as in
   * grpc-java and the C core. A call above it is answered with RESOURCE_EXHAUSTED before any of its
   * headers is copied or a handler runs. The C core also advertises the bound to clients ({@code
   * SETTINGS_MAX_HEADER_LIST_SIZE}) and enforces it once they acknowledge it.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public ServerBuilder maxInboundMetadataSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxInboundMetadataSize must be positive: " + bytes);
    }
    args.set(NativeServer.MAX_METADATA_SIZE_ARG, bytes);
    return this;
  }

  /**
   * Compresses response messages with {@code compression} (a {@link dev.grpcjni.Compression} name)
   * unless a call says otherwise with {@link ServerCallContext#setCompression}.
   */
  public ServerBuilder defaultCompression(String compression) {
    args.set("grpc.default_compression_algorithm", dev.grpcjni.Compression.algorithm(compression));
    return this;
  }

  /** Sets a raw integer C-core argument, e.g. {@code grpc.max_concurrent_streams}. */
  public ServerBuilder channelArg(String key, int value) {
    args.set(key, value);
    return this;
  }

  /** Sets a raw string C-core argument. */
  public ServerBuilder channelArg(String key, String value) {
    args.set(key, value);
    return this;
  }

  /**
   * Creates the server, not yet listening: call {@link Server#start()}.
   *
   * @throws IllegalStateException if no address was given
   */
  public Server build() {
    if (addresses.isEmpty()) {
      throw new IllegalStateException("no listening address");
    }
    Environment env = environment != null ? environment : Environment.shared();
    return new Server(
        env,
        List.copyOf(addresses),
        List.copyOf(services),
        List.copyOf(interceptors),
        fallback,
        args.copy(),
        tls,
        executor != null ? executor : env.executor(),
        requestSlotsPerMethod);
  }
}
