// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.qps;

import com.google.protobuf.ByteString;
import dev.grpcjni.Environment;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.interop.Flags;
import dev.grpcjni.interop.Mains;
import dev.grpcjni.interop.TestCa;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.StreamObserver;
import io.grpc.testing.BenchmarkServiceGrpcJni;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop benchmark client on grpc-jni, with the flags and report of grpc-java's {@code
 * io.grpc.benchmarks.qps.AsyncClient}:
 *
 * <pre>
 * AsyncClient --address=HOST:PORT [--channels=4] [--outstanding_rpcs=10] [--client_payload=0]
 *     [--server_payload=0] [--streaming_rpcs=false] [--warmup_duration=10] [--duration=60]
 *     [--directexecutor=false] [--tls=false] [--testca=false] [--completion_queues=0]
 *     [--metrics=false]
 * </pre>
 *
 * <p>Each of {@code channels × outstanding_rpcs} loops issues its next RPC (or, streaming, its next
 * ping on one long-lived StreamingCall) when the previous one completes; after the warm-up, every
 * RPC's latency goes into an HdrHistogram. Prints the report in grpc-java's shape ({@code 50%ile
 * Latency (in micros): N} … {@code QPS: N}). Channels are separate connections.
 */
public final class AsyncClient implements AutoCloseable {
  /** As grpc-java's benchmarks: latencies up to 60 s, 2 significant digits. */
  static final long HISTOGRAM_MAX_VALUE = 60_000_000L;

  static final int HISTOGRAM_PRECISION = 2;

  static final String USAGE =
      "Usage: AsyncClient --address=HOST:PORT [--channels=4] [--outstanding_rpcs=10]\n"
          + "    [--client_payload=0] [--server_payload=0] [--streaming_rpcs=false]\n"
          + "    [--warmup_duration=10] [--duration=60] [--directexecutor=false] [--tls=false]"
          + " [--testca=false]\n"
          + "    [--completion_queues=0] [--metrics=false]\n"
          + "  durations are in seconds; payloads in bytes; --outstanding_rpcs is per channel;\n"
          + "  --completion_queues: queues and poller threads (0: the library's default);\n"
          + "  --metrics: record gRFC A66's metrics (grpc-jni-opentelemetry, OpenTelemetry SDK)";

  /** The settings of one run. */
  record Config(
      String address,
      int channels,
      int outstandingRpcs,
      int clientPayload,
      int serverPayload,
      boolean streaming,
      int warmupSeconds,
      int durationSeconds,
      boolean directExecutor,
      boolean tls,
      boolean testCa,
      int completionQueues,
      boolean metrics) {

    static Config parse(String[] args) {
      return of(Flags.parse(args, defaults()));
    }

    static Map<String, String> defaults() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("address", null);
      d.put("channels", "4");
      d.put("outstanding_rpcs", "10");
      d.put("client_payload", "0");
      d.put("server_payload", "0");
      d.put("streaming_rpcs", "false");
      d.put("warmup_duration", "10");
      d.put("duration", "60");
      d.put("directexecutor", "false");
      d.put("tls", "false");
      d.put("testca", "false");
      d.put("completion_queues", "0");
      d.put("metrics", "false");
      return d;
    }

    static Config of(Flags f) {
      if (f.get("address") == null) {
        throw new IllegalArgumentException("--address is required");
      }
      Config c =
          new Config(
              f.get("address"),
              f.getInt("channels"),
              f.getInt("outstanding_rpcs"),
              f.getInt("client_payload"),
              f.getInt("server_payload"),
              f.getBoolean("streaming_rpcs"),
              f.getInt("warmup_duration"),
              f.getInt("duration"),
              f.getBoolean("directexecutor"),
              f.getBoolean("tls"),
              f.getBoolean("testca"),
              f.getInt("completion_queues"),
              f.getBoolean("metrics"));
      if (c.channels < 1 || c.outstandingRpcs < 1 || c.durationSeconds < 1) {
        throw new IllegalArgumentException(
            "--channels, --outstanding_rpcs and --duration must be positive");
      }
      if (c.clientPayload < 0
          || c.serverPayload < 0
          || c.warmupSeconds < 0
          || c.completionQueues < 0) {
        throw new IllegalArgumentException(
            "payloads, --warmup_duration and --completion_queues must not be negative");
      }
      return c;
    }
  }

  /** What a run measured. */
  record Result(Histogram histogram, long elapsedNanos) {
    long qps() {
      return histogram.getTotalCount() * 1_000_000_000L / elapsedNanos;
    }
  }

  private final Config config;

  /** Shared by the channels unless --directexecutor (as grpc-java's benchmark client does). */
  private final java.util.concurrent.ForkJoinPool executor;

  /** The channels' environment; null for the shared one. */
  private final Environment environment;

  /** Whether this client made {@link #environment} (--completion_queues) and closes it. */
  private final boolean ownsEnvironment;

  AsyncClient(Config config) {
    this(config, null, "grpc-jni-benchmark-client-");
  }

  AsyncClient(Config config, Environment environment, String threadPrefix) {
    this.config = config;
    this.ownsEnvironment = environment == null && config.completionQueues > 0;
    this.environment =
        ownsEnvironment
            ? Environment.builder().completionQueues(config.completionQueues).build()
            : environment;
    this.executor = config.directExecutor ? null : BenchmarkExecutors.perCore(threadPrefix);
  }

  public static void main(String[] args) throws Exception {
    Flags flags = Mains.parse(args, Config.defaults(), USAGE, Config::of);
    if (flags == null) {
      return;
    }
    Config c = Config.of(flags);
    Result r;
    try (AsyncClient client = new AsyncClient(c)) {
      r = client.run();
    }
    print(c, r, System.out);
    System.exit(0); // the shared environment's pollers are daemons, but do not wait for GC
  }

  /** Warms up, then measures for the configured duration. */
  Result run() throws Exception {
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < config.channels; i++) {
        channels.add(channel(i));
      }
      SimpleRequest request =
          SimpleRequest.newBuilder()
              .setResponseSize(config.serverPayload)
              .setPayload(
                  Payload.newBuilder().setBody(ByteString.copyFrom(new byte[config.clientPayload])))
              .build();
      if (config.warmupSeconds > 0) {
        measure(channels, request, TimeUnit.SECONDS.toNanos(config.warmupSeconds));
        System.gc();
      }
      return measure(channels, request, TimeUnit.SECONDS.toNanos(config.durationSeconds));
    } finally {
      for (ManagedChannel c : channels) {
        c.close();
      }
    }
  }

  /** Stops the executor threads (after the last {@link #run()}). */
  @Override
  public void close() {
    if (executor != null) {
      executor.shutdown();
    }
    if (ownsEnvironment) {
      environment.close();
    }
  }

  private ManagedChannel channel(int index) {
    ChannelBuilder b =
        ChannelBuilder.forTarget(config.address)
            .maxInboundMessageSize(-1)
            // The C core shares one connection between channels with equal arguments; a distinct
            // argument per channel gives each its own, as grpc-java's channels have.
            .channelArg("grpcjni.benchmark.channel", index);
    if (environment != null) {
      b.environment(environment);
    }
    if (config.directExecutor) {
      b.directExecutor();
    } else {
      b.executor(executor);
    }
    if (config.metrics) {
      Metrics.get().configure(b);
    }
    if (config.tls) {
      if (!config.testCa) {
        throw new IllegalArgumentException("--tls needs --testca (the server uses test certs)");
      }
      b.tls(TestCa.trustingTestCa()).overrideAuthority(TestCa.SERVER_HOST_OVERRIDE);
    }
    return b.build();
  }

  private Result measure(List<ManagedChannel> channels, SimpleRequest request, long nanos)
      throws Exception {
    long start = System.nanoTime();
    long end = start + nanos;
    List<Loop> loops = new ArrayList<>();
    for (ManagedChannel c : channels) {
      for (int i = 0; i < config.outstandingRpcs; i++) {
        Loop loop =
            config.streaming ? new StreamingLoop(c, request, end) : new UnaryLoop(c, request, end);
        loops.add(loop);
        loop.start();
      }
    }
    Histogram merged = new Histogram(HISTOGRAM_MAX_VALUE, HISTOGRAM_PRECISION);
    for (Loop loop : loops) {
      merged.add(loop.done.get(nanos / 1_000_000 + 60_000, TimeUnit.MILLISECONDS));
    }
    return new Result(merged, System.nanoTime() - start);
  }

  /** One closed loop: an RPC at a time; completes with its histogram. */
  private abstract static class Loop {
    final Histogram histogram = new Histogram(HISTOGRAM_MAX_VALUE, HISTOGRAM_PRECISION);
    final CompletableFuture<Histogram> done = new CompletableFuture<>();
    final SimpleRequest request;
    final long end;

    Loop(SimpleRequest request, long end) {
      this.request = request;
      this.end = end;
    }

    abstract void start();

    /** Records a completed RPC; true if the loop should go on. */
    boolean record(long started) {
      long now = System.nanoTime();
      histogram.recordValue(Math.min(HISTOGRAM_MAX_VALUE, (now - started) / 1000));
      return end - now > 0;
    }

    void fail(Throwable t) {
      done.completeExceptionally(
          new IllegalStateException("RPC failed: " + Status.fromThrowable(t), t));
    }
  }

  private static final class UnaryLoop extends Loop {
    private final BenchmarkServiceGrpcJni.Stub stub;

    UnaryLoop(ManagedChannel channel, SimpleRequest request, long end) {
      super(request, end);
      this.stub = BenchmarkServiceGrpcJni.newStub(channel);
    }

    @Override
    void start() {
      long started = System.nanoTime();
      stub.unaryCall(request)
          .whenComplete(
              (response, error) -> {
                if (error != null) {
                  fail(error);
                } else if (record(started)) {
                  start();
                } else {
                  done.complete(histogram);
                }
              });
    }
  }

  private static final class StreamingLoop extends Loop implements StreamObserver<SimpleResponse> {
    private final BenchmarkServiceGrpcJni.Stub stub;
    private ClientCallStreamObserver<SimpleRequest> requests;
    private long sent;

    StreamingLoop(ManagedChannel channel, SimpleRequest request, long end) {
      super(request, end);
      this.stub = BenchmarkServiceGrpcJni.newStub(channel);
    }

    @Override
    void start() {
      requests = stub.streamingCall(this);
      sent = System.nanoTime();
      requests.onNext(request);
    }

    @Override
    public void onNext(SimpleResponse response) {
      if (record(sent)) {
        sent = System.nanoTime();
        requests.onNext(request);
      } else {
        requests.onCompleted();
      }
    }

    @Override
    public void onError(Throwable t) {
      fail(t);
    }

    @Override
    public void onCompleted() {
      done.complete(histogram);
    }
  }

  /** The report, in the shape of grpc-java's AsyncClient. */
  static void print(Config c, Result r, PrintStream out) {
    Histogram h = r.histogram();
    out.println("Channels:                       " + c.channels());
    out.println("Outstanding RPCs per Channel:   " + c.outstandingRpcs());
    out.println("Server Payload Size:            " + c.serverPayload());
    out.println("Client Payload Size:            " + c.clientPayload());
    out.println("50%ile Latency (in micros):     " + h.getValueAtPercentile(50));
    out.println("90%ile Latency (in micros):     " + h.getValueAtPercentile(90));
    out.println("95%ile Latency (in micros):     " + h.getValueAtPercentile(95));
    out.println("99%ile Latency (in micros):     " + h.getValueAtPercentile(99));
    out.println("99.9%ile Latency (in micros):   " + h.getValueAtPercentile(99.9));
    out.println("Maximum Latency (in micros):    " + h.getValueAtPercentile(100));
    out.println("QPS:                            " + r.qps());
  }
}
