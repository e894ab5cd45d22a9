// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.qps;

import com.google.protobuf.ByteString;
import dev.grpcjni.Environment;
import dev.grpcjni.interop.Flags;
import dev.grpcjni.interop.Mains;
import dev.grpcjni.interop.TestCa;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.StreamObserver;
import io.grpc.testing.BenchmarkServiceGrpcJni;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark server ({@code grpc.testing.BenchmarkService}) on grpc-jni, with the flags of
 * grpc-java's {@code io.grpc.benchmarks.qps.AsyncServer}:
 *
 * <pre>
 * AsyncServer --port=P | --address=HOST:PORT [--directexecutor] [--tls] [--completion_queues=0]
 * </pre>
 *
 * <p>UnaryCall answers with {@code response_size} bytes; StreamingCall answers every request the
 * same way (ping-pong) until the client half-closes. The other methods answer UNIMPLEMENTED. Prints
 * {@code Completion queues: N}, then {@code Server started on port N} once serving; stops on
 * SIGTERM/SIGINT.
 */
public final class AsyncServer {
  static final String USAGE =
      "Usage: AsyncServer [--port=0 | --address=HOST:PORT] [--directexecutor] [--tls]\n"
          + "    [--completion_queues=0] [--metrics]\n"
          + "  --port               port to listen on, every interface (0: any free port)\n"
          + "  --address            host:port to listen on instead, as grpc-java's AsyncServer\n"
          + "  --directexecutor     run handlers on the completion-queue poller threads\n"
          + "  --tls                serve TLS with gRPC's test certificate (clients: --tls --testca)\n"
          + "  --completion_queues  queues and poller threads (0: the library's default)\n"
          + "  --metrics            record gRFC A66's metrics (OpenTelemetry SDK, no exporter)";

  private static final Map<Integer, SimpleResponse> RESPONSES = new ConcurrentHashMap<>();

  private AsyncServer() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("port", "0");
    defaults.put("address", null);
    defaults.put("directexecutor", "false");
    defaults.put("tls", "false");
    defaults.put("completion_queues", "0");
    defaults.put("metrics", "false");
    Flags flags =
        Mains.parse(
            args,
            defaults,
            USAGE,
            f -> {
              f.getInt("port");
              f.getBoolean("directexecutor");
              f.getBoolean("tls");
              if (f.getInt("completion_queues") < 0) {
                throw new IllegalArgumentException("--completion_queues must not be negative");
              }
            });
    if (flags == null) {
      return;
    }
    String address = flags.get("address");
    int queues = flags.getInt("completion_queues");
    // Lives as long as the process (the server runs until it is killed).
    Environment environment =
        queues > 0 ? Environment.builder().completionQueues(queues).build() : null;
    // For harnesses that report the setup (scripts/bench.sh).
    System.out.println(
        "Completion queues: "
            + (environment != null ? environment : Environment.shared()).completionQueueCount());
    Mains.serve(
        start(
            address != null ? address : "[::]:" + flags.getInt("port"),
            flags.getBoolean("directexecutor"),
            flags.getBoolean("tls"),
            flags.getBoolean("metrics"),
            environment,
            "grpc-jni-benchmark-server-"));
  }

  /** Starts the benchmark server on {@code address} (e.g. {@code 127.0.0.1:0}: a free port). */
  public static Server start(String address, boolean directExecutor, boolean tls)
      throws IOException {
    return start(address, directExecutor, tls, false, null, "grpc-jni-benchmark-server-");
  }

  /**
   * As above, on {@code environment} (null: the shared one), executor threads named by prefix;
   * {@code metrics}: recording A66's metrics.
   */
  static Server start(
      String address,
      boolean directExecutor,
      boolean tls,
      boolean metrics,
      Environment environment,
      String threadPrefix)
      throws IOException {
    ServerBuilder b = ServerBuilder.forAddress(address).addService(service());
    if (environment != null) {
      b.environment(environment);
    }
    java.util.concurrent.ForkJoinPool executor = null;
    if (directExecutor) {
      b.directExecutor();
    } else {
      executor = BenchmarkExecutors.perCore(threadPrefix);
      b.executor(executor);
    }
    if (tls) {
      b.tls(TestCa.serverCredentials());
    }
    if (metrics) {
      Metrics.get().configure(b);
    }
    Server server = b.build();
    if (executor != null) {
      server.terminationFuture().thenRun(executor::shutdown); // its threads go with the server
    }
    return server.start();
  }

  static ServiceDefinition service() {
    return ServiceDefinition.builder(BenchmarkServiceGrpcJni.SERVICE_NAME)
        .unary(
            BenchmarkServiceGrpcJni.UNARY_CALL,
            (request, context) -> CompletableFuture.completedFuture(response(request)))
        .method(
            BenchmarkServiceGrpcJni.STREAMING_CALL,
            ServerCalls.asyncStreaming(
                responses ->
                    new StreamObserver<SimpleRequest>() {
                      @Override
                      public void onNext(SimpleRequest request) {
                        responses.onNext(response(request));
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        responses.onCompleted();
                      }
                    }))
        .build();
  }

  /**
   * The response for {@code request}: {@code response_size} zero bytes. Responses of the first few
   * sizes seen are built once and reused.
   */
  static SimpleResponse response(SimpleRequest request) {
    int size = Math.max(0, request.getResponseSize());
    SimpleResponse r = RESPONSES.get(size);
    if (r == null) {
      r =
          SimpleResponse.newBuilder()
              .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
              .build();
      if (RESPONSES.size() < 16) {
        RESPONSES.putIfAbsent(size, r);
      }
    }
    return r;
  }
}
