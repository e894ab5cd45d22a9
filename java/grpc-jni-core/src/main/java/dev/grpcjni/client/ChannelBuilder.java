// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import dev.grpcjni.Environment;
import dev.grpcjni.internal.cq.DirectExecutor;
import dev.grpcjni.internal.transport.NativeChannel;
import dev.grpcjni.internal.transport.TlsConfig;
import dev.grpcjni.internal.wire.ChannelArgs;
import dev.grpcjni.internal.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Builds a {@link ManagedChannel}. Options become C-core channel arguments; {@link #channelArg}
 * sets any other {@code grpc.*} argument directly.
 *
 * <p>Not thread-safe.
 */
public final class ChannelBuilder {
  private final String target;
  private Environment environment;
  private Executor executor;
  private final ChannelArgs args = new ChannelArgs();
  private final List<dev.grpcjni.ClientCallTracer.Factory> tracers = new ArrayList<>();
  private TlsConfig tls;
  private String authority;
  private dev.grpcjni.CallCredentials callCredentials;
  private boolean callCredentialsOnPlaintext;

  private ChannelBuilder(String target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /**
   * A builder for {@code target}, in any form the C core accepts: {@code host:port}, {@code
   * dns:///host:port}, {@code ipv4:127.0.0.1:50051}, {@code unix:///path/to/socket}, …
   */
  public static ChannelBuilder forTarget(String target) {
    return new ChannelBuilder(target);
  }

  /**
   * The environment whose completion queues the channel uses; default {@link Environment#shared()}.
   */
  public ChannelBuilder environment(Environment environment) {
    this.environment = Objects.requireNonNull(environment);
    return this;
  }

  /** Where call futures complete; default the environment's executor. */
  public ChannelBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor);
    return this;
  }

  /**
   * Completes call futures on the poller thread that received the response. Fastest, but every
   * dependent stage then runs there and must not block: a blocked poller stalls every call on its
   * completion queue.
   */
  public ChannelBuilder directExecutor() {
    this.executor = DirectExecutor.INSTANCE;
    return this;
  }

  /**
   * The largest message the channel accepts; larger responses fail with RESOURCE_EXHAUSTED. The C
   * core's default is 4 MiB; -1 means unlimited.
   */
  public ChannelBuilder maxInboundMessageSize(int bytes) {
    args.set("grpc.max_receive_message_length", checkSize(bytes));
    return this;
  }

  /**
   * The largest response header block (headers, or trailers) the channel accepts, in bytes as
   * HTTP/2 counts them (32 plus the name and value of each entry); default 8 KiB, as in grpc-java
   * and the C core. The C core advertises it to servers ({@code SETTINGS_MAX_HEADER_LIST_SIZE}); a
   * call whose response headers or trailers exceed it ends with RESOURCE_EXHAUSTED, without their
   * being copied, also from a server that never acknowledged the setting.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public ChannelBuilder maxInboundMetadataSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxInboundMetadataSize must be positive: " + bytes);
    }
    args.set("grpc.max_metadata_size", bytes);
    return this;
  }

  /** The largest message the channel sends; default unlimited (-1). */
  public ChannelBuilder maxOutboundMessageSize(int bytes) {
    args.set("grpc.max_send_message_length", checkSize(bytes));
    return this;
  }

  /**
   * Prepended to the C core's user agent.
   *
   * @throws IllegalArgumentException if {@code userAgent} has a character outside printable ASCII
   *     (a CR or LF would end the header)
   */
  public ChannelBuilder userAgent(String userAgent) {
    args.set(PRIMARY_USER_AGENT, checkUserAgent(userAgent));
    return this;
  }

  /**
   * The {@code :authority} to send instead of the one derived from the target. With TLS it is also
   * the name the server's certificate must match (as in grpc-java), e.g. {@code foo.test.google.fr}
   * for gRPC's test certificates.
   *
   * @throws IllegalArgumentException if {@code authority} is not an RFC 3986 authority ({@code
   *     host}, {@code host:port}, {@code [v6]:port}) or carries user info, as in grpc-java
   */
  public ChannelBuilder overrideAuthority(String authority) {
    this.authority = checkAuthority(authority);
    args.set(DEFAULT_AUTHORITY, authority);
    return this;
  }

  /** Secures the channel with TLS as {@code credentials} say. Default: plaintext. */
  public ChannelBuilder tls(TlsChannelCredentials credentials) {
    this.tls = credentials.config();
    return this;
  }

  /**
   * The C core's local credentials instead of TLS, for a peer on this machine: over a Unix socket
   * ({@code unix:} target) the connection counts as private, and the server's {@link
   * dev.grpcjni.ServerCallContext#authContext()} says {@code transport_security_type} {@code
   * local}; to a loopback TCP address the same (libgrpc 1.51 reports both as {@code
   * TSI_PRIVACY_AND_INTEGRITY}; nothing is encrypted either way). The server must use {@link
   * dev.grpcjni.server.ServerBuilder#useLocalCredentials()}; a connection to another host fails.
   */
  public ChannelBuilder useLocalCredentials() {
    this.tls = TlsConfig.LOCAL;
    return this;
  }

  /** TLS trusting the default roots: {@code tls(TlsChannelCredentials.create())}. */
  public ChannelBuilder useTransportSecurity() {
    return tls(TlsChannelCredentials.create());
  }

  /** No TLS (the default): HTTP/2 over plain TCP, {@code h2c}. */
  public ChannelBuilder usePlaintext() {
    this.tls = null;
    return this;
  }

  /**
   * Compresses request messages of every call with {@code compression} (a {@link
   * dev.grpcjni.Compression} name) unless the call says otherwise.
   */
  public ChannelBuilder defaultCompression(String compression) {
    args.set("grpc.default_compression_algorithm", dev.grpcjni.Compression.algorithm(compression));
    return this;
  }

  /** Sends HTTP/2 keepalive pings after {@code time} without reads. */
  public ChannelBuilder keepAliveTime(Duration time) {
    args.set("grpc.keepalive_time_ms", ChannelArgs.millis("keepAliveTime", time));
    return this;
  }

  /** How long to wait for a keepalive ping's acknowledgement before closing the connection. */
  public ChannelBuilder keepAliveTimeout(Duration timeout) {
    args.set("grpc.keepalive_timeout_ms", ChannelArgs.millis("keepAliveTimeout", timeout));
    return this;
  }

  /** Whether keepalive pings are sent while no call is in flight. */
  public ChannelBuilder keepAliveWithoutCalls(boolean enable) {
    args.set("grpc.keepalive_permit_without_calls", enable ? 1 : 0);
    return this;
  }

  // ---- service config, load balancing, retries, idleness, reconnection

  /**
   * The service config the channel uses unless its name resolver supplies one (the C core reads DNS
   * TXT records): load-balancing config, per-method timeouts, wait-for-ready, message size limits,
   * retry policies, retry throttling and client-side health checking, in gRPC's service-config JSON
   * (<a
   * href="https://github.com/grpc/grpc/blob/master/doc/service_config.md">doc/service_config.md</a>).
   * Default: none. For example, a timeout and three attempts for every method of {@code kv.Store}:
   *
   * <pre>{@code
   * {"methodConfig": [{"name": [{"service": "kv.Store"}], "timeout": "0.5s",
   *   "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "1s",
   *                   "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}}]}
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code json} is not a JSON object (the message gives the
   *     offset of the error), or the C core refuses it as a service config
   */
  public ChannelBuilder defaultServiceConfig(String json) {
    Objects.requireNonNull(json, "defaultServiceConfig");
    Object parsed;
    try {
      parsed = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("defaultServiceConfig: " + e.getMessage(), e);
    }
    if (!(parsed instanceof java.util.Map)) {
      throw new IllegalArgumentException("defaultServiceConfig: not a JSON object");
    }
    String refused = NativeChannel.serviceConfigError(json);
    if (refused != null) {
      throw new IllegalArgumentException(
          "defaultServiceConfig: the C core refused it (" + refused + ")");
    }
    args.set(SERVICE_CONFIG, json);
    return this;
  }

  /**
   * {@link #defaultServiceConfig(String)} from grpc-java's map form: a {@code Map<String, ?>} whose
   * values are maps, lists, strings, numbers, booleans or null.
   *
   * @throws IllegalArgumentException for a value of another type, or a config the C core refuses
   */
  public ChannelBuilder defaultServiceConfig(java.util.Map<String, ?> config) {
    Objects.requireNonNull(config, "defaultServiceConfig");
    String json;
    try {
      json = Json.write(config);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("defaultServiceConfig: " + e.getMessage(), e);
    }
    return defaultServiceConfig(json);
  }

  /**
   * The load-balancing policy when the service config names none: {@code pick_first} (the default:
   * one connection, to the first address that works) or {@code round_robin} (a connection to every
   * address the target resolves to, calls spread over the READY ones), or another policy of
   * libgrpc's that needs no config.
   *
   * @throws IllegalArgumentException for a policy the C core does not have
   */
  public ChannelBuilder loadBalancingPolicy(String policy) {
    Objects.requireNonNull(policy, "loadBalancingPolicy");
    String refused =
        policy.isEmpty()
            ? "empty"
            : NativeChannel.serviceConfigError(
                "{\"loadBalancingConfig\":[{" + Json.write(policy) + ":{}}]}");
    if (refused != null) {
      throw new IllegalArgumentException(
          "loadBalancingPolicy: the C core has no policy '" + policy + "' that needs no config");
    }
    args.set("grpc.lb_policy_name", policy);
    return this;
  }

  /**
   * Retries as the service config's policies say: the default. (libgrpc 1.51 does not hedge: a
   * {@code hedgingPolicy} is accepted and ignored.)
   */
  public ChannelBuilder enableRetry() {
    args.set("grpc.enable_retries", 1);
    return this;
  }

  /** No retries, whatever the service config says. */
  public ChannelBuilder disableRetry() {
    args.set("grpc.enable_retries", 0);
    return this;
  }

  /**
   * Drops the channel's connections after {@code timeout} without calls; the next call reconnects.
   * Default: 30 minutes. The C core raises anything below one second to one second.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public ChannelBuilder idleTimeout(Duration timeout) {
    args.set("grpc.client_idle_timeout_ms", ChannelArgs.millis("idleTimeout", timeout));
    return this;
  }

  /**
   * The backoff between connection attempts: {@code initial} after the first failure, then 1.6
   * times longer after each (with 20 % jitter) up to {@code max}. Defaults: 1 s and 120 s. {@link
   * ManagedChannel#resetConnectBackoff()} cuts a wait short.
   *
   * @throws IllegalArgumentException if either is not positive, or {@code max} is below {@code
   *     initial}
   */
  public ChannelBuilder reconnectBackoff(Duration initial, Duration max) {
    int i = ChannelArgs.millis("reconnectBackoff initial", initial);
    int m = ChannelArgs.millis("reconnectBackoff max", max);
    if (m < i) {
      throw new IllegalArgumentException(
          "reconnectBackoff: max " + max + " is below initial " + initial);
    }
    args.set("grpc.initial_reconnect_backoff_ms", i);
    args.set("grpc.max_reconnect_backoff_ms", m);
    return this;
  }

  /**
   * A fixed HTTP/2 flow-control window of {@code bytes} per stream (the {@code
   * SETTINGS_INITIAL_WINDOW_SIZE} the channel advertises), instead of the C core's default of
   * sizing it from the measured bandwidth-delay product (BDP probing, which starts at 4 MiB). As
   * grpc-java's {@code flowControlWindow}: a fixed window bounds what a server can have in flight
   * per stream, and so the memory a slow reader holds.
   *
   * @throws IllegalArgumentException if {@code bytes} is below 65,535 (the HTTP/2 default)
   */
  public ChannelBuilder flowControlWindow(int bytes) {
    ChannelArgs.flowControlWindow(args, bytes);
    return this;
  }

  /**
   * Bounds the memory the C core may use for this channel's connections and calls (its resource
   * quota): past it, the core resets streams ({@code ENHANCE_YOUR_CALM}; the call fails with
   * RESOURCE_EXHAUSTED) or closes connections (UNAVAILABLE) instead of growing the process, for
   * example under responses a slow reader does not take. Messages already delivered to Java are
   * Java's. Default: unbounded.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public ChannelBuilder memoryQuota(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("memoryQuota must be positive: " + bytes);
    }
    args.set(ChannelArgs.RESOURCE_QUOTA_BYTES, bytes);
    return this;
  }

  private static final String SERVICE_CONFIG = "grpc.service_config";
  private static final String LOCAL_SUBCHANNEL_POOL = "grpc.use_local_subchannel_pool";

  /**
   * Whether this channel may share its connections with other channels of this process built with
   * equal arguments (the C core's global subchannel pool). Default false: each channel has its own
   * connections, as grpc-java's do, so that N channels are N connections (the C core's default, and
   * grpc-rs's, is to share, so that a pool of channels built alike silently is one connection).
   * Sharing saves connections where many channels go to one target.
   */
  public ChannelBuilder shareConnections(boolean share) {
    args.set(LOCAL_SUBCHANNEL_POOL, share ? 0 : 1);
    return this;
  }

  /** Sets a raw integer C-core channel argument, e.g. {@code grpc.http2.lookahead_bytes}. */
  public ChannelBuilder channelArg(String key, int value) {
    args.set(key, value);
    return this;
  }

  /**
   * Sets a raw string C-core channel argument, e.g. {@code grpc.lb_policy_name}. The arguments that
   * become headers are checked as {@link #userAgent} and {@link #overrideAuthority} check them.
   *
   * @throws IllegalArgumentException if a user agent or authority argument is malformed
   */
  public ChannelBuilder channelArg(String key, String value) {
    if (key.equals(SERVICE_CONFIG)) {
      return defaultServiceConfig(value);
    }
    if (key.equals(PRIMARY_USER_AGENT) || key.equals(SECONDARY_USER_AGENT)) {
      checkUserAgent(value);
    } else if (key.equals(DEFAULT_AUTHORITY)) {
      this.authority = checkAuthority(value);
    }
    args.set(key, value);
    return this;
  }

  private static final String PRIMARY_USER_AGENT = "grpc.primary_user_agent";
  private static final String SECONDARY_USER_AGENT = "grpc.secondary_user_agent";
  private static final String DEFAULT_AUTHORITY = "grpc.default_authority";

  private static String checkUserAgent(String userAgent) {
    Objects.requireNonNull(userAgent, "userAgent");
    for (int i = 0; i < userAgent.length(); i++) {
      char c = userAgent.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new IllegalArgumentException(
            "user agent has a non-printable-ASCII character at " + i);
      }
    }
    return userAgent;
  }

  /** RFC 3986 3.2: unreserved, sub-delims, pct-encoded, ':' and an IP literal's brackets. */
  private static String checkAuthority(String authority) {
    Objects.requireNonNull(authority, "authority");
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("empty authority");
    }
    for (int i = 0; i < authority.length(); i++) {
      char c = authority.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$&'()*+,;=:[]".indexOf(c) >= 0
              || c == '%'
                  && i + 2 < authority.length()
                  && isHex(authority.charAt(i + 1))
                  && isHex(authority.charAt(i + 2));
      if (c == '@') {
        throw new IllegalArgumentException("user info must not be in an authority: " + authority);
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "authority has a character RFC 3986 does not allow at " + i);
      }
    }
    return authority;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Creates the channel. It connects lazily, on the first call.
   *
   * @throws IllegalArgumentException if the C core refuses the target or arguments
   * @throws IllegalStateException if the environment is closed
   */
  public ManagedChannel build() {
    Environment env = environment != null ? environment : Environment.shared();
    ChannelArgs a = args.copy();
    if (a.get(LOCAL_SUBCHANNEL_POOL) == null) {
      a.set(LOCAL_SUBCHANNEL_POOL, 1);
    }
    if (tls != null && authority != null) {
      a.set("grpc.ssl_target_name_override", authority);
    }
    return new ManagedChannel(
        env,
        target,
        authority != null ? authority : authorityOf(target),
        a,
        tls,
        executor != null ? executor : env.executor(),
        callCredentials,
        tls != null || callCredentialsOnPlaintext,
        List.copyOf(tracers));
  }

  /**
   * Traces every call of the channel with the tracers {@code factory} makes: their requests,
   * responses, sizes, status and timing (see {@link dev.grpcjni.ClientCallTracer}). Of several
   * added, each traces every call, in the order added, before those of the call's own {@link
   * dev.grpcjni.CallOptions#withCallTracer}. Without any, calls pay nothing for tracing.
   */
  public ChannelBuilder addCallTracer(dev.grpcjni.ClientCallTracer.Factory factory) {
    tracers.add(Objects.requireNonNull(factory, "factory"));
    return this;
  }

  /**
   * Call credentials for every call of the channel that sets none of its own ({@link
   * dev.grpcjni.CallOptions#withCallCredentials}): their metadata (a bearer token, say) goes with
   * each call's headers. Default: none.
   */
  public ChannelBuilder callCredentials(dev.grpcjni.CallCredentials credentials) {
    this.callCredentials = Objects.requireNonNull(credentials, "callCredentials");
    return this;
  }

  /**
   * Lets call credentials go over this channel without TLS or local credentials, where they could
   * be read on the way (a test, or a proxy on the same host that adds TLS). Without it a call with
   * credentials on a plaintext channel fails with UNAUTHENTICATED, as in grpc-java.
   */
  public ChannelBuilder allowCallCredentialsOnPlaintext() {
    this.callCredentialsOnPlaintext = true;
    return this;
  }

  /**
   * The authority the C core derives from a target it resolves: {@code host:port} for DNS names and
   * addresses ({@code dns:///host:port}, {@code ipv4:a.b.c.d:port}: the first address), {@code
   * localhost} for Unix sockets.
   */
  static String authorityOf(String target) {
    int colon = target.indexOf(':');
    String scheme = colon < 0 ? "" : target.substring(0, colon);
    switch (scheme) {
      case "unix":
      case "unix-abstract":
        return "localhost";
      case "dns":
        {
          String rest = target.substring(colon + 1);
          if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash + 1);
          }
          return rest;
        }
      case "ipv4":
      case "ipv6":
        {
          String rest = target.substring(colon + 1);
          int comma = rest.indexOf(',');
          return comma < 0 ? rest : rest.substring(0, comma);
        }
      default:
        return target;
    }
  }

  private static int checkSize(int bytes) {
    if (bytes < -1) {
      throw new IllegalArgumentException("size must be -1 (unlimited) or >= 0: " + bytes);
    }
    return bytes;
  }
}
