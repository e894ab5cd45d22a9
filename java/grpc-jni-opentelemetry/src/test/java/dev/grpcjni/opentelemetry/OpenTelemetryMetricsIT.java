// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.CallOptions;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCalls;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A66's metrics from real calls (127.0.0.1:0), read back with the OpenTelemetry SDK's in-memory
 * reader: the exact counts, attributes and message sizes for each kind of call, cancellation, a
 * deadline and an unknown method (recorded as {@code other} on the server), the A66 buckets, and
 * the Prometheus exporter of the README's recipe.
 */
class OpenTelemetryMetricsIT {
  static final String SERVICE = "grpcjni.test.Metrics";

  static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(SERVICE, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  static final MethodDescriptor<byte[], byte[]> UNARY =
      method(MethodDescriptor.MethodType.UNARY, "Unary");
  static final MethodDescriptor<byte[], byte[]> SPLIT =
      method(MethodDescriptor.MethodType.SERVER_STREAMING, "Split");
  static final MethodDescriptor<byte[], byte[]> CONCAT =
      method(MethodDescriptor.MethodType.CLIENT_STREAMING, "Concat");
  static final MethodDescriptor<byte[], byte[]> ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "Echo");
  static final MethodDescriptor<byte[], byte[]> HANG =
      method(MethodDescriptor.MethodType.UNARY, "Hang");
  static final MethodDescriptor<byte[], byte[]> MISSING =
      method(MethodDescriptor.MethodType.UNARY, "Missing");

  final InMemoryMetricReader reader = InMemoryMetricReader.create();
  final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
  final CountDownLatch hangEntered = new CountDownLatch(1);
  GrpcJniOpenTelemetry metrics;
  Server server;
  ManagedChannel channel;
  String target;

  static ServiceDefinition service(CountDownLatch hangEntered) {
    return ServiceDefinition.builder(SERVICE)
        .unary(UNARY, (req, ctx) -> CompletableFuture.completedFuture(req))
        .serverStreaming(
            SPLIT,
            (req, ctx) -> {
              SubmissionPublisher<byte[]> p = new SubmissionPublisher<>();
              return subscriber -> {
                p.subscribe(subscriber);
                for (int i = 0; i < 3; i++) {
                  p.submit(new byte[10]);
                }
                p.close();
              };
            })
        .clientStreaming(
            CONCAT,
            (requests, ctx) -> {
              CompletableFuture<byte[]> total = new CompletableFuture<>();
              requests.subscribe(
                  new Flow.Subscriber<>() {
                    int bytes;

                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                      s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(byte[] item) {
                      bytes += item.length;
                    }

                    @Override
                    public void onError(Throwable t) {
                      total.completeExceptionally(t);
                    }

                    @Override
                    public void onComplete() {
                      total.complete(new byte[bytes]);
                    }
                  });
              return total;
            })
        .bidiStreaming(ECHO, (requests, ctx) -> requests)
        .unary(
            HANG,
            (req, ctx) -> {
              hangEntered.countDown();
              return new CompletableFuture<>();
            })
        .build();
  }

  @BeforeEach
  void start() throws IOException {
    metrics = GrpcJniOpenTelemetry.builder().meterProvider(provider).build();
    server =
        metrics
            .configure(ServerBuilder.forAddress("127.0.0.1:0"))
            .addService(service(hangEntered))
            .build()
            .start();
    target = "127.0.0.1:" + server.port();
    channel = metrics.configure(ChannelBuilder.forTarget(target)).build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
    provider.close();
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10));
  }

  private static Flow.Publisher<byte[]> messages(int count, int size) {
    return subscriber -> {
      SubmissionPublisher<byte[]> p = new SubmissionPublisher<>();
      p.subscribe(subscriber);
      for (int i = 0; i < count; i++) {
        p.submit(new byte[size]);
      }
      p.close();
    };
  }

  /** Collects {@code publisher}'s items. */
  private static CompletableFuture<List<byte[]>> collect(Flow.Publisher<byte[]> publisher) {
    CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
    publisher.subscribe(
        new Flow.Subscriber<>() {
          final List<byte[]> items = new ArrayList<>();

          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(byte[] item) {
            items.add(item);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            result.complete(items);
          }
        });
    return result;
  }

  // ---- reading the metrics back

  private Optional<MetricData> metric(String name) {
    return reader.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  /** The point of histogram {@code name} with exactly {@code attributes}, waiting for it. */
  private HistogramPointData histogram(String name, Attributes attributes) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Optional<HistogramPointData> p =
          metric(name).stream()
              .flatMap(m -> m.getHistogramData().getPoints().stream())
              .filter(d -> d.getAttributes().equals(attributes))
              .findFirst();
      if (p.isPresent()) {
        return p.get();
      }
      assertThat(System.nanoTime()).as("%s %s recorded", name, attributes).isLessThan(end);
      Thread.sleep(10);
    }
  }

  private long counter(String name, Attributes attributes) {
    return metric(name).stream()
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .filter(d -> d.getAttributes().equals(attributes))
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  private Attributes client(MethodDescriptor<?, ?> m) {
    return Attributes.of(
        GrpcJniOpenTelemetry.METHOD,
        m.fullMethodName(),
        GrpcJniOpenTelemetry.TARGET,
        "dns:///" + target);
  }

  private Attributes client(MethodDescriptor<?, ?> m, Status.Code code) {
    return client(m).toBuilder().put(GrpcJniOpenTelemetry.STATUS, code.name()).build();
  }

  private static Attributes server(String method) {
    return Attributes.of(GrpcJniOpenTelemetry.METHOD, method);
  }

  private static Attributes server(String method, Status.Code code) {
    return Attributes.of(
        GrpcJniOpenTelemetry.METHOD, method, GrpcJniOpenTelemetry.STATUS, code.name());
  }

  /**
   * Checks one call's client and server metrics: one attempt started, one duration, and the message
   * bytes each way.
   */
  private void assertCall(
      MethodDescriptor<?, ?> m,
      String serverMethod,
      Status.Code clientCode,
      Status.Code serverCode,
      long requestBytes,
      long responseBytes)
      throws Exception {
    assertCall(m, serverMethod, clientCode, serverCode, requestBytes, responseBytes, requestBytes);
  }

  /** As above, where the server read {@code serverRead} bytes of the requests. */
  private void assertCall(
      MethodDescriptor<?, ?> m,
      String serverMethod,
      Status.Code clientCode,
      Status.Code serverCode,
      long requestBytes,
      long responseBytes,
      long serverRead)
      throws Exception {
    assertThat(counter("grpc.client.attempt.started", client(m))).isEqualTo(1);
    Attributes c = client(m, clientCode);
    HistogramPointData duration = histogram("grpc.client.attempt.duration", c);
    assertThat(duration.getCount()).isEqualTo(1);
    assertThat(duration.getSum()).isGreaterThan(0).isLessThan(10);
    assertThat(duration.getBoundaries()).isEqualTo(GrpcJniOpenTelemetry.LATENCY_BUCKETS);
    assertThat(histogram("grpc.client.call.duration", c).getCount()).isEqualTo(1);
    HistogramPointData sent =
        histogram("grpc.client.attempt.sent_total_compressed_message_size", c);
    assertThat(sent.getCount()).isEqualTo(1);
    assertThat(sent.getSum()).isEqualTo((double) requestBytes);
    assertThat(sent.getBoundaries())
        .isEqualTo(GrpcJniOpenTelemetry.SIZE_BUCKETS.stream().map(Long::doubleValue).toList());
    assertThat(histogram("grpc.client.attempt.rcvd_total_compressed_message_size", c).getSum())
        .isEqualTo((double) responseBytes);

    assertThat(counter("grpc.server.call.started", server(serverMethod))).isEqualTo(1);
    Attributes s = server(serverMethod, serverCode);
    HistogramPointData serverDuration = histogram("grpc.server.call.duration", s);
    assertThat(serverDuration.getCount()).isEqualTo(1);
    assertThat(serverDuration.getSum()).isGreaterThan(0).isLessThan(10);
    assertThat(histogram("grpc.server.call.rcvd_total_compressed_message_size", s).getSum())
        .isEqualTo((double) serverRead);
    assertThat(histogram("grpc.server.call.sent_total_compressed_message_size", s).getSum())
        .isEqualTo((double) responseBytes);
  }

  // ---- the calls

  @Test
  void unary() throws Exception {
    assertThat(
            ClientCalls.unaryCall(channel, UNARY, new byte[5], options()).get(10, TimeUnit.SECONDS))
        .hasSize(5);
    assertCall(UNARY, UNARY.fullMethodName(), Status.Code.OK, Status.Code.OK, 5, 5);
  }

  @Test
  void serverStreaming() throws Exception {
    assertThat(
            collect(ClientCalls.serverStreamingCall(channel, SPLIT, new byte[7], options()))
                .get(10, TimeUnit.SECONDS))
        .hasSize(3);
    assertCall(SPLIT, SPLIT.fullMethodName(), Status.Code.OK, Status.Code.OK, 7, 30);
  }

  @Test
  void clientStreaming() throws Exception {
    assertThat(
            ClientCalls.clientStreamingCall(channel, CONCAT, messages(4, 25), options())
                .get(10, TimeUnit.SECONDS))
        .hasSize(100);
    assertCall(CONCAT, CONCAT.fullMethodName(), Status.Code.OK, Status.Code.OK, 100, 100);
  }

  @Test
  void bidiStreaming() throws Exception {
    assertThat(
            collect(ClientCalls.bidiStreamingCall(channel, ECHO, messages(3, 11), options()))
                .get(10, TimeUnit.SECONDS))
        .hasSize(3);
    assertCall(ECHO, ECHO.fullMethodName(), Status.Code.OK, Status.Code.OK, 33, 33);
  }

  @Test
  void cancelled() throws Exception {
    ClientCall<byte[], byte[]> call = channel.newCall(HANG, options());
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        null);
    call.sendMessage(new byte[3]);
    call.halfClose();
    assertThat(hangEntered.await(10, TimeUnit.SECONDS)).isTrue();
    call.cancel("enough", null);
    assertThat(closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(Status.Code.CANCELLED);
    assertCall(HANG, HANG.fullMethodName(), Status.Code.CANCELLED, Status.Code.CANCELLED, 3, 0);
  }

  @Test
  void deadlineExceeded() throws Exception {
    // Warm first (connection, classes): a deadline that passed before the call started would
    // leave it unsent, with nothing to count but its close.
    assertThat(
            ClientCalls.unaryCall(channel, UNARY, new byte[1], options()).get(10, TimeUnit.SECONDS))
        .hasSize(1);
    assertThat(
            statusOf(
                ClientCalls.unaryCall(
                    channel,
                    HANG,
                    new byte[2],
                    CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(500)))))
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The server sees the client's deadline end the call: cancelled.
    assertCall(
        HANG, HANG.fullMethodName(), Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, 2, 0);
  }

  @Test
  void anUnknownMethodIsOtherOnTheServer() throws Exception {
    assertThat(statusOf(ClientCalls.unaryCall(channel, MISSING, new byte[4], options())))
        .isEqualTo(Status.Code.UNIMPLEMENTED);
    // The server never read the request: it answered from the headers.
    assertCall(MISSING, "other", Status.Code.UNIMPLEMENTED, Status.Code.UNIMPLEMENTED, 4, 0, 0);
    assertThat(counter("grpc.server.call.started", server(MISSING.fullMethodName()))).isZero();
  }

  @Test
  void filtersLetNamesThroughOrMakeThemOther() throws Exception {
    GrpcJniOpenTelemetry filtered =
        GrpcJniOpenTelemetry.builder()
            .meterProvider(provider)
            .targetFilter(t -> false)
            .genericMethodFilter(m -> m.startsWith(SERVICE + "/"))
            .build();
    try (Server s = filtered.configure(ServerBuilder.forAddress("127.0.0.1:0")).build().start();
        ManagedChannel c =
            filtered.configure(ChannelBuilder.forTarget("127.0.0.1:" + s.port())).build()) {
      assertThat(statusOf(ClientCalls.unaryCall(c, MISSING, new byte[1], options())))
          .isEqualTo(Status.Code.UNIMPLEMENTED);
      Attributes other =
          Attributes.of(
              GrpcJniOpenTelemetry.METHOD,
              MISSING.fullMethodName(),
              GrpcJniOpenTelemetry.TARGET,
              "other");
      assertThat(counter("grpc.client.attempt.started", other)).isEqualTo(1);
      assertThat(
              histogram(
                      "grpc.server.call.duration",
                      server(MISSING.fullMethodName(), Status.Code.UNIMPLEMENTED))
                  .getCount())
          .isEqualTo(1);
    }
  }

  @Test
  void withoutAMeterProviderNothingIsRecordedAndCallsWork() throws Exception {
    GrpcJniOpenTelemetry none = GrpcJniOpenTelemetry.builder().build();
    try (ManagedChannel c = none.configure(ChannelBuilder.forTarget(target)).build()) {
      assertThat(ClientCalls.unaryCall(c, UNARY, new byte[1], options()).get(10, TimeUnit.SECONDS))
          .hasSize(1);
    }
    // Only the server (on the SDK provider) recorded that call.
    assertThat(counter("grpc.server.call.started", server(UNARY.fullMethodName()))).isEqualTo(1);
    assertThat(metric("grpc.client.attempt.started")).isEmpty();
  }

  @Test
  void prometheusScrapesTheMetrics() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    PrometheusHttpServer prometheus =
        PrometheusHttpServer.builder().setHost("127.0.0.1").setPort(port).build();
    try (SdkMeterProvider p = SdkMeterProvider.builder().registerMetricReader(prometheus).build()) {
      GrpcJniOpenTelemetry scraped = GrpcJniOpenTelemetry.builder().meterProvider(p).build();
      try (ManagedChannel c = scraped.configure(ChannelBuilder.forTarget(target)).build()) {
        ClientCalls.unaryCall(c, UNARY, new byte[5], options()).get(10, TimeUnit.SECONDS);
      }
      HttpURLConnection http =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
      assertThat(http.getResponseCode()).isEqualTo(200);
      String body;
      try (InputStream in = http.getInputStream()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        http.disconnect();
      }
      assertThat(body)
          .contains("grpc_client_attempt_started_total{")
          .contains("grpc_method=\"" + UNARY.fullMethodName() + "\"")
          .contains("grpc_target=\"dns:///" + target + "\"")
          .contains("grpc_client_attempt_duration_seconds_bucket{")
          .contains("grpc_status=\"OK\"");
    }
  }

  /** The points of an asynchronous sum, by the value of {@code key}; empty if none. */
  private java.util.Map<String, Long> longSum(
      String name, io.opentelemetry.api.common.AttributeKey<String> key) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    metric(name)
        .ifPresent(
            m ->
                m.getLongSumData()
                    .getPoints()
                    .forEach(p -> out.put(p.getAttributes().get(key), p.getValue())));
    return out;
  }

  @Test
  void nativeResourcesAreInstrumentsThatFollowTheLiveObjects() throws Exception {
    AutoCloseable registration = NativeResourceMetrics.register(provider);
    try {
      assertThat(
              ClientCalls.unaryCall(channel, UNARY, new byte[3], options())
                  .get(10, TimeUnit.SECONDS))
          .hasSize(3);
      java.util.Map<String, Long> objects =
          longSum("grpcjni.native.objects", NativeResourceMetrics.KIND);
      assertThat(objects)
          .containsOnlyKeys(
              "call",
              "channel",
              "server",
              "completion_queue",
              "byte_buffer",
              "batch_context",
              "request_context");
      assertThat(objects.get("channel")).isGreaterThanOrEqualTo(1);
      assertThat(objects.get("server")).isGreaterThanOrEqualTo(1);
      assertThat(objects.get("completion_queue")).isGreaterThanOrEqualTo(1);
      assertThat(objects.get("request_context")).as("the server's request slots").isPositive();
      assertThat(metric("grpcjni.native.objects").orElseThrow().getLongSumData().isMonotonic())
          .isFalse();

      java.util.Map<String, Long> events =
          longSum("grpcjni.poller.events", NativeResourceMetrics.POLLER);
      assertThat(events).isNotEmpty();
      assertThat(events.keySet()).allMatch(name -> name.startsWith("grpc-jni-"));
      assertThat(events.values().stream().mapToLong(Long::longValue).sum()).isPositive();
      assertThat(metric("grpcjni.poller.events").orElseThrow().getLongSumData().isMonotonic())
          .isTrue();
      assertThat(
              longSum("grpcjni.poller.operations_in_flight", NativeResourceMetrics.POLLER).keySet())
          .isEqualTo(events.keySet());
      MetricData cpu = metric("grpcjni.poller.cpu_time").orElseThrow();
      assertThat(cpu.getUnit()).isEqualTo("s");
      assertThat(cpu.getDoubleSumData().getPoints()).isNotEmpty();

      // The channel count follows a channel's life.
      ManagedChannel extra = ChannelBuilder.forTarget(target).build();
      long with = longSum("grpcjni.native.objects", NativeResourceMetrics.KIND).get("channel");
      extra.close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      long now;
      do {
        now = longSum("grpcjni.native.objects", NativeResourceMetrics.KIND).get("channel");
      } while (now >= with && System.nanoTime() < deadline);
      assertThat(now).isEqualTo(with - 1);
    } finally {
      registration.close();
    }
    assertThat(longSum("grpcjni.native.objects", NativeResourceMetrics.KIND))
        .as("closed: no more points")
        .isEmpty();
  }

  @Test
  void targetsAreRecordedAsCanonicalUris() {
    assertThat(GrpcJniOpenTelemetry.canonicalTarget("127.0.0.1:50051"))
        .isEqualTo("dns:///127.0.0.1:50051");
    assertThat(GrpcJniOpenTelemetry.canonicalTarget("localhost:50051"))
        .isEqualTo("dns:///localhost:50051");
    assertThat(GrpcJniOpenTelemetry.canonicalTarget("[::1]:50051")).isEqualTo("dns:///[::1]:50051");
    assertThat(GrpcJniOpenTelemetry.canonicalTarget("example.com")).isEqualTo("dns:///example.com");
    for (String kept :
        List.of(
            "dns:///pubsub.googleapis.com:443",
            "DNS:///x:1",
            "ipv4:127.0.0.1:1,127.0.0.2:1",
            "ipv6:[::1]:1",
            "unix:/tmp/s.sock",
            "unix-abstract:name",
            "xds:///helloworld-gke:8000")) {
      assertThat(GrpcJniOpenTelemetry.canonicalTarget(kept)).isEqualTo(kept);
    }
  }

  private static Status.Code statusOf(CompletableFuture<?> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StatusException.class);
      return ((StatusException) e.getCause()).status().code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call succeeded");
  }
}
