// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.opentelemetry;

import dev.grpcjni.ClientCallTracer;
import dev.grpcjni.ServerCallTracer;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.server.ServerBuilder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * gRPC's standard metrics for grpc-jni channels and servers, as gRFC A66 names them, recorded on
 * the OpenTelemetry API (the application brings the SDK and its exporters):
 *
 * <ul>
 *   <li>{@code grpc.client.attempt.started} (counter, {@code {attempt}}; {@code grpc.method},
 *       {@code grpc.target})
 *   <li>{@code grpc.client.attempt.duration}, {@code grpc.client.call.duration} (histograms, {@code
 *       s}; {@code grpc.method}, {@code grpc.target}, {@code grpc.status})
 *   <li>{@code grpc.client.attempt.sent_total_compressed_message_size}, {@code
 *       grpc.client.attempt.rcvd_total_compressed_message_size} (histograms, {@code By}; the same)
 *   <li>{@code grpc.server.call.started} (counter, {@code {call}}; {@code grpc.method})
 *   <li>{@code grpc.server.call.duration} (histogram, {@code s}; {@code grpc.method}, {@code
 *       grpc.status})
 *   <li>{@code grpc.server.call.sent_total_compressed_message_size}, {@code
 *       grpc.server.call.rcvd_total_compressed_message_size} (histograms, {@code By}; the same)
 * </ul>
 *
 * <p>with A66's bucket boundaries as advice, on the meter {@code grpc-jni}. Wire it into builders:
 *
 * <pre>{@code
 * GrpcJniOpenTelemetry metrics = GrpcJniOpenTelemetry.builder()
 *     .meterProvider(sdkMeterProvider)
 *     .build();
 * ManagedChannel channel = metrics.configure(ChannelBuilder.forTarget(target)).build();
 * Server server = metrics.configure(ServerBuilder.forAddress(address)).addService(s).build();
 * }</pre>
 *
 * <p>What grpc-jni can and cannot see, and how it is recorded:
 *
 * <ul>
 *   <li>An attempt is the call: the C core retries (when enabled) inside one call and does not say
 *       so, so {@code attempt.*} and {@code call.duration} count each call once.
 *   <li>Sizes are the messages' on the wire, without framing; where the C core compresses a message
 *       and does not say to what (compression configured for the call, its channel or its server),
 *       or a message came compressed, its uncompressed size is recorded instead.
 *   <li>A server records a method it does not have (answered UNIMPLEMENTED, or served by a fallback
 *       handler) as {@code other}, as A66 says, unless {@link Builder#genericMethodFilter} lets its
 *       name through. A client records each method by name, up to {@value #MAX_METHODS_PER_TARGET}
 *       per target ({@code other} beyond: a proxy forwarding any name cannot grow the series
 *       without bound). {@code grpc.target} is the channel's target as a canonical URI, as A66
 *       says: one without a scheme the C core resolves gets the default {@code dns:///} ({@code
 *       127.0.0.1:50051} is {@code dns:///127.0.0.1:50051}; {@code ipv4:…}, {@code unix:…}, {@code
 *       xds:///…} stay as they are).
 *   <li>The client's times run from {@code start()} to right before the listener's {@code onClose};
 *       the server's from the call's arrival to the C core's report that it ended.
 * </ul>
 *
 * <p>Thread-safe; one instance may configure any number of channels and servers. Several instances
 * (say, on different meter providers) may configure the same builder: each records.
 */
public final class GrpcJniOpenTelemetry {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("grpc.method");
  static final AttributeKey<String> TARGET = AttributeKey.stringKey("grpc.target");
  static final AttributeKey<String> STATUS = AttributeKey.stringKey("grpc.status");

  /** A66's latency buckets, in seconds. */
  static final List<Double> LATENCY_BUCKETS =
      List.of(
          0d, 0.00001, 0.00005, 0.0001, 0.0003, 0.0006, 0.0008, 0.001, 0.002, 0.003, 0.004, 0.005,
          0.006, 0.008, 0.01, 0.013, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1, 0.13,
          0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8, 1d, 2d, 5d, 10d, 20d, 50d, 100d);

  /** A66's size buckets, in bytes. */
  static final List<Long> SIZE_BUCKETS =
      List.of(
          0L,
          1024L,
          2048L,
          4096L,
          16384L,
          65536L,
          262144L,
          1048576L,
          4194304L,
          16777216L,
          67108864L,
          268435456L,
          1073741824L,
          4294967296L);

  private final Predicate<String> targetFilter;
  private final Predicate<String> genericMethodFilter;

  final LongCounter clientAttemptStarted;
  final DoubleHistogram clientAttemptDuration;
  final DoubleHistogram clientCallDuration;
  final LongHistogram clientSent;
  final LongHistogram clientReceived;
  final LongCounter serverCallStarted;
  final DoubleHistogram serverCallDuration;
  final LongHistogram serverSent;
  final LongHistogram serverReceived;

  /** The value recorded for a filtered target or an unregistered method. */
  static final String OTHER = "other";

  /**
   * Method names a client records per target before the rest become {@code other}: a proxy that
   * forwards whatever its callers name (a fallback handler) cannot grow the series without bound.
   */
  static final int MAX_METHODS_PER_TARGET = 1000;

  // The labels of each target and method the client called, and of each method the server has.
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Labels>> clientLabels =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Labels> serverLabels = new ConcurrentHashMap<>();
  private final Labels serverOther = new Labels(Attributes.of(METHOD, OTHER));

  private final ClientCallTracer.Factory clientFactory = this::newClientTracer;
  private final ServerCallTracer.Factory serverFactory = this::newServerTracer;

  private GrpcJniOpenTelemetry(Builder b) {
    this.targetFilter = b.targetFilter;
    this.genericMethodFilter = b.genericMethodFilter;
    MeterBuilder mb = b.meterProvider.meterBuilder("grpc-jni");
    String version = GrpcJniOpenTelemetry.class.getPackage().getImplementationVersion();
    if (version != null) {
      mb.setInstrumentationVersion(version);
    }
    Meter meter = mb.build();
    clientAttemptStarted =
        meter
            .counterBuilder("grpc.client.attempt.started")
            .setUnit("{attempt}")
            .setDescription("Number of client call attempts started")
            .build();
    clientAttemptDuration =
        latency(
            meter, "grpc.client.attempt.duration", "Time taken to complete a client call attempt");
    clientCallDuration =
        latency(meter, "grpc.client.call.duration", "Time taken by gRPC to complete an RPC");
    clientSent =
        size(
            meter,
            "grpc.client.attempt.sent_total_compressed_message_size",
            "Compressed message bytes sent per client call attempt");
    clientReceived =
        size(
            meter,
            "grpc.client.attempt.rcvd_total_compressed_message_size",
            "Compressed message bytes received per call attempt");
    serverCallStarted =
        meter
            .counterBuilder("grpc.server.call.started")
            .setUnit("{call}")
            .setDescription("Number of server calls started")
            .build();
    serverCallDuration =
        latency(meter, "grpc.server.call.duration", "Time taken to complete a call from server");
    serverSent =
        size(
            meter,
            "grpc.server.call.sent_total_compressed_message_size",
            "Compressed message bytes sent per server call");
    serverReceived =
        size(
            meter,
            "grpc.server.call.rcvd_total_compressed_message_size",
            "Compressed message bytes received per server call");
  }

  private static DoubleHistogram latency(Meter meter, String name, String description) {
    return meter
        .histogramBuilder(name)
        .setUnit("s")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS)
        .build();
  }

  private static LongHistogram size(Meter meter, String name, String description) {
    return meter
        .histogramBuilder(name)
        .ofLongs()
        .setUnit("By")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(SIZE_BUCKETS)
        .build();
  }

  /** A builder; set {@link Builder#meterProvider} (or {@link Builder#openTelemetry}). */
  public static Builder builder() {
    return new Builder();
  }

  /** Adds the client metrics' tracer to {@code builder}: every call of its channel records. */
  public ChannelBuilder configure(ChannelBuilder builder) {
    return builder.addCallTracer(clientFactory);
  }

  /** Adds the server metrics' tracer to {@code builder}: every call the server gets records. */
  public ServerBuilder configure(ServerBuilder builder) {
    return builder.addCallTracer(serverFactory);
  }

  /** The client tracer factory, for {@code CallOptions.withCallTracer} or a builder. */
  public ClientCallTracer.Factory clientCallTracerFactory() {
    return clientFactory;
  }

  /** The server tracer factory, for a builder. */
  public ServerCallTracer.Factory serverCallTracerFactory() {
    return serverFactory;
  }

  /** The URI schemes the C core 1.51 resolves: a target with another gets {@code dns:///}. */
  private static final java.util.Set<String> SCHEMES =
      java.util.Set.of(
          "dns",
          "ipv4",
          "ipv6",
          "unix",
          "unix-abstract",
          "vsock",
          "xds",
          "google-c2p",
          "google-c2p-experimental");

  /**
   * {@code target} as A66's canonical target URI: as the C core reads it, with the default scheme
   * added where it has none the core knows.
   */
  static String canonicalTarget(String target) {
    int colon = target.indexOf(':');
    if (colon > 0
        && SCHEMES.contains(target.substring(0, colon).toLowerCase(java.util.Locale.ROOT))) {
      return target;
    }
    return "dns:///" + target;
  }

  // Each target's canonical form, made once (looked up per call without allocating).
  private final ConcurrentHashMap<String, String> canonicalTargets = new ConcurrentHashMap<>();

  private ClientCallTracer newClientTracer(ClientCallTracer.CallInfo info) {
    String given = info.target();
    String target =
        given == null
            ? null
            : canonicalTargets.computeIfAbsent(given, GrpcJniOpenTelemetry::canonicalTarget);
    String recorded = target != null && targetFilter.test(target) ? target : OTHER;
    String method = info.method().fullMethodName();
    ConcurrentHashMap<String, Labels> byMethod = clientLabels.get(recorded);
    if (byMethod == null) {
      byMethod = clientLabels.computeIfAbsent(recorded, t -> new ConcurrentHashMap<>());
    }
    Labels labels = byMethod.get(method);
    if (labels == null) {
      labels =
          byMethod.size() < MAX_METHODS_PER_TARGET
              ? byMethod.computeIfAbsent(
                  method, m -> new Labels(Attributes.of(METHOD, m, TARGET, recorded)))
              : byMethod.computeIfAbsent(
                  OTHER, m -> new Labels(Attributes.of(METHOD, OTHER, TARGET, recorded)));
    }
    clientAttemptStarted.add(1, labels.started);
    return new ClientTracer(labels);
  }

  private ServerCallTracer newServerTracer(ServerCallTracer.CallInfo info) {
    String name = info.fullMethodName();
    Labels labels;
    if (info.registered() || genericMethodFilter.test(name)) {
      labels = serverLabels.get(name);
      if (labels == null) {
        labels = serverLabels.computeIfAbsent(name, m -> new Labels(Attributes.of(METHOD, m)));
      }
    } else {
      labels = serverOther; // never one entry per name: anyone can send any name
    }
    serverCallStarted.add(1, labels.started);
    return new ServerTracer(labels);
  }

  /**
   * The attributes of one method (and target): made once, not per call (building attributes is most
   * of what recording costs). A status's are made on first use; a race makes them twice, and either
   * is right.
   */
  static final class Labels {
    final Attributes started;
    private final Attributes[] byStatus = new Attributes[Status.Code.values().length];

    Labels(Attributes started) {
      this.started = started;
    }

    Attributes withStatus(Status.Code code) {
      Attributes a = byStatus[code.ordinal()];
      if (a == null) {
        a = started.toBuilder().put(STATUS, code.name()).build();
        byStatus[code.ordinal()] = a; // immutable (final fields): safe to publish racily
      }
      return a;
    }
  }

  /**
   * One call's measurements: its start, and the message bytes each way (on the wire, else, unknown,
   * uncompressed). grpc-jni never runs two events of a call at once and reports them under a lock,
   * so plain fields are safe.
   */
  static final class Tally {
    private final long start = System.nanoTime();
    private final Labels labels;
    private long sent;
    private long received;

    Tally(Labels labels) {
      this.labels = labels;
    }

    void sent(long wireSize, long uncompressedSize) {
      sent += wireSize >= 0 ? wireSize : Math.max(uncompressedSize, 0);
    }

    void received(long wireSize, long uncompressedSize) {
      received += wireSize >= 0 ? wireSize : Math.max(uncompressedSize, 0);
    }

    /** Records the call's end with {@code status} on the side's instruments. */
    void closed(
        Status status,
        DoubleHistogram duration,
        DoubleHistogram callDuration,
        LongHistogram sentSize,
        LongHistogram receivedSize) {
      double seconds = (System.nanoTime() - start) / 1e9;
      Attributes a = labels.withStatus(status.code());
      duration.record(seconds, a);
      if (callDuration != null) {
        callDuration.record(seconds, a);
      }
      sentSize.record(sent, a);
      receivedSize.record(received, a);
    }
  }

  /** A client call's tracer: its tally, recorded on the client's instruments. */
  private final class ClientTracer extends ClientCallTracer {
    private final Tally tally;

    ClientTracer(Labels labels) {
      tally = new Tally(labels);
    }

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.sent(wireSize, uncompressedSize);
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.received(wireSize, uncompressedSize);
    }

    @Override
    public void callClosed(Status status) {
      tally.closed(status, clientAttemptDuration, clientCallDuration, clientSent, clientReceived);
    }
  }

  /** A server call's tracer: its tally, recorded on the server's instruments. */
  private final class ServerTracer extends ServerCallTracer {
    private final Tally tally;

    ServerTracer(Labels labels) {
      tally = new Tally(labels);
    }

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.sent(wireSize, uncompressedSize);
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.received(wireSize, uncompressedSize);
    }

    @Override
    public void callClosed(Status status) {
      tally.closed(status, serverCallDuration, null, serverSent, serverReceived);
    }
  }

  /** Configures a {@link GrpcJniOpenTelemetry}. */
  public static final class Builder {
    private MeterProvider meterProvider;
    private Predicate<String> targetFilter = t -> true;
    private Predicate<String> genericMethodFilter = m -> false;

    private Builder() {}

    /**
     * Records on {@code provider}'s meters. Without one set nothing is recorded: as A66 says, the
     * global provider ({@code GlobalOpenTelemetry}) is never used.
     */
    public Builder meterProvider(MeterProvider provider) {
      this.meterProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Records on {@code openTelemetry}'s meter provider. */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      return meterProvider(
          Objects.requireNonNull(openTelemetry, "openTelemetry").getMeterProvider());
    }

    /**
     * Records a channel's (canonical) target as {@code grpc.target} only where {@code filter} says
     * true, else {@code other} (many channels to IP addresses would make too many series). Default:
     * all.
     */
    public Builder targetFilter(Predicate<String> filter) {
      this.targetFilter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Records the name of a method a server does not register where {@code filter} says true, else
     * {@code other} (anyone can call any name). Default: none.
     */
    public Builder genericMethodFilter(Predicate<String> filter) {
      this.genericMethodFilter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** The metrics, ready to configure builders; a no-op without a meter provider. */
    public GrpcJniOpenTelemetry build() {
      if (meterProvider == null) {
        meterProvider = MeterProvider.noop();
      }
      return new GrpcJniOpenTelemetry(this);
    }
  }
}
