// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import dev.grpcjni.Environment;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerCallTracer;
import dev.grpcjni.ServerInterceptor;
import dev.grpcjni.internal.cq.DirectExecutor;
import dev.grpcjni.internal.transport.NativeServer;
import dev.grpcjni.internal.transport.TlsConfig;
import dev.grpcjni.internal.wire.ChannelArgs;
import java.nio.file.Path;
import java.time.Duration;
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
  private final List<ServerCallTracer.Factory> tracers = new ArrayList<>();
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

  /**
   * The C core's local credentials instead of TLS, on every address: Unix sockets ({@code unix:})
   * are private to this machine and count as secure; so do loopback TCP addresses, as libgrpc 1.51
   * has it (nothing is encrypted either way). Clients use {@link
   * dev.grpcjni.client.ChannelBuilder#useLocalCredentials()}; connections from other hosts are
   * refused.
   */
  public ServerBuilder useLocalCredentials() {
    this.tls = TlsConfig.LOCAL;
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

  // ---- connections: keepalive, enforcement, idleness, age, handshakes, streams

  /**
   * Sends HTTP/2 keepalive pings to a client after {@code time} without reads, so that dead
   * connections are found and closed. Default: 2 hours.
   *
   * @throws IllegalArgumentException if {@code time} is not positive
   */
  public ServerBuilder keepAliveTime(Duration time) {
    args.set("grpc.keepalive_time_ms", ChannelArgs.millis("keepAliveTime", time));
    return this;
  }

  /**
   * How long to wait for a keepalive ping's acknowledgement before closing the connection. Default:
   * 20 seconds.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public ServerBuilder keepAliveTimeout(Duration timeout) {
    args.set("grpc.keepalive_timeout_ms", ChannelArgs.millis("keepAliveTimeout", timeout));
    return this;
  }

  /**
   * The shortest interval between a client's pings that the server tolerates when no data flows; a
   * ping sooner is a strike (see {@link #maxPingStrikes}). Default: 5 minutes, as in grpc-java's
   * {@code permitKeepAliveTime}.
   *
   * @throws IllegalArgumentException if {@code time} is not positive
   */
  public ServerBuilder permitKeepAliveTime(Duration time) {
    args.set(
        "grpc.http2.min_ping_interval_without_data_ms",
        ChannelArgs.millis("permitKeepAliveTime", time));
    return this;
  }

  /**
   * Whether clients may ping while no call is in flight (default false: such a ping is a strike).
   * Also lets the server's own keepalive pings go out without calls.
   */
  public ServerBuilder permitKeepAliveWithoutCalls(boolean permit) {
    args.set("grpc.keepalive_permit_without_calls", permit ? 1 : 0);
    return this;
  }

  /**
   * How many pings that break the {@link #permitKeepAliveTime} rules the server takes before it
   * closes the connection with GOAWAY {@code ENHANCE_YOUR_CALM} ("too_many_pings"). Default 2; 0
   * means unlimited.
   *
   * @throws IllegalArgumentException if {@code strikes} is negative
   */
  public ServerBuilder maxPingStrikes(int strikes) {
    if (strikes < 0) {
      throw new IllegalArgumentException("maxPingStrikes must be >= 0: " + strikes);
    }
    args.set("grpc.http2.max_ping_strikes", strikes);
    return this;
  }

  /**
   * Closes a connection (GOAWAY) after {@code idle} without calls; its client reconnects when it
   * needs to. Default: never.
   *
   * @throws IllegalArgumentException if {@code idle} is not positive
   */
  public ServerBuilder maxConnectionIdle(Duration idle) {
    args.set("grpc.max_connection_idle_ms", ChannelArgs.millis("maxConnectionIdle", idle));
    return this;
  }

  /**
   * Closes a connection (GOAWAY) once it is {@code age} old (with 10 % jitter), so that clients
   * rebalance across servers; calls in flight get {@link #maxConnectionAgeGrace} to finish.
   * Default: never.
   *
   * @throws IllegalArgumentException if {@code age} is not positive
   */
  public ServerBuilder maxConnectionAge(Duration age) {
    args.set("grpc.max_connection_age_ms", ChannelArgs.millis("maxConnectionAge", age));
    return this;
  }

  /**
   * How long calls in flight may run on a connection closed by {@link #maxConnectionAge} before it
   * is torn down under them. Default: unlimited.
   *
   * @throws IllegalArgumentException if {@code grace} is not positive
   */
  public ServerBuilder maxConnectionAgeGrace(Duration grace) {
    args.set(
        "grpc.max_connection_age_grace_ms", ChannelArgs.millis("maxConnectionAgeGrace", grace));
    return this;
  }

  /**
   * How long a new connection has to finish its handshakes (TLS, and the HTTP/2 preface and
   * settings) before the server drops it. Default: 120 seconds.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public ServerBuilder handshakeTimeout(Duration timeout) {
    args.set("grpc.server_handshake_timeout_ms", ChannelArgs.millis("handshakeTimeout", timeout));
    return this;
  }

  /**
   * The most calls one connection may have open at once ({@code SETTINGS_MAX_CONCURRENT_STREAMS});
   * a client's further calls wait for one to end. Default: unlimited.
   *
   * @throws IllegalArgumentException if {@code calls} is not positive
   */
  public ServerBuilder maxConcurrentCallsPerConnection(int calls) {
    if (calls <= 0) {
      throw new IllegalArgumentException(
          "maxConcurrentCallsPerConnection must be positive: " + calls);
    }
    args.set("grpc.max_concurrent_streams", calls);
    return this;
  }

  /**
   * A fixed HTTP/2 flow-control window of {@code bytes} per stream (the {@code
   * SETTINGS_INITIAL_WINDOW_SIZE} the server advertises) instead of the C core's BDP-sized one:
   * what each client can send on a stream before the server reads it, so a bound on the memory a
   * handler that reads slowly holds.
   *
   * @throws IllegalArgumentException if {@code bytes} is below 65,535 (the HTTP/2 default)
   */
  public ServerBuilder flowControlWindow(int bytes) {
    ChannelArgs.flowControlWindow(args, bytes);
    return this;
  }

  /**
   * Bounds the memory the C core may use for this server's connections and calls (its resource
   * quota): buffers for reads and writes, HTTP/2 frames, call state. Under pressure the core first
   * shrinks what it holds; past the bound it refuses work (streams are reset with {@code
   * ENHANCE_YOUR_CALM}, which the client sees as RESOURCE_EXHAUSTED, and connections closed, which
   * it sees as UNAVAILABLE) instead of growing the process. Messages already delivered to Java are
   * Java's. Default: unbounded.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public ServerBuilder memoryQuota(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("memoryQuota must be positive: " + bytes);
    }
    args.set(ChannelArgs.RESOURCE_QUOTA_BYTES, bytes);
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
        requestSlotsPerMethod,
        List.copyOf(tracers));
  }

  /**
   * Traces every call the server receives with the tracers {@code factory} makes: their requests,
   * responses, sizes, status and timing (see {@link ServerCallTracer}), also calls of methods the
   * server does not have. Of several added, each traces every call, in the order added. Without
   * any, calls pay nothing for tracing.
   */
  public ServerBuilder addCallTracer(ServerCallTracer.Factory factory) {
    tracers.add(Objects.requireNonNull(factory, "factory"));
    return this;
  }
}
