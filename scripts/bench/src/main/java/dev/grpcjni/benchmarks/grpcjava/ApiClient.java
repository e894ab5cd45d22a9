// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.grpcjava;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.PayloadType;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The closed loop of grpc-java's {@code io.grpc.benchmarks.qps.AsyncClient} (same flags, same
 * async-stub calls, same report) on channels from grpc-java's API, {@code
 * Grpc.newChannelBuilderForAddress}: Netty's, or the C core's when grpc-jni-grpcjava is on the
 * class path. grpc-java's own AsyncClient builds its channels with {@code NettyChannelBuilder},
 * which no provider can take; this is that client with that one line changed.
 *
 * <pre>
 * ApiClient --address=HOST:PORT [--channels=4] [--outstanding_rpcs=10] [--client_payload=0]
 *     [--server_payload=0] [--streaming_rpcs] [--warmup_duration=10] [--duration=60]
 *     [--directexecutor]
 * </pre>
 */
public final class ApiClient {
  private static final long HISTOGRAM_MAX_VALUE = 60_000_000L;
  private static final int HISTOGRAM_PRECISION = 2;

  private ApiClient() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("address", null);
    defaults.put("channels", "4");
    defaults.put("outstanding_rpcs", "10");
    defaults.put("client_payload", "0");
    defaults.put("server_payload", "0");
    defaults.put("streaming_rpcs", "false");
    defaults.put("warmup_duration", "10");
    defaults.put("duration", "60");
    defaults.put("directexecutor", "false");
    Flags f = Flags.parse(args, defaults);
    ForkJoinPool executor =
        f.getBoolean("directexecutor") ? null : Executors.perCore("grpc-client-app-");
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < f.getInt("channels"); i++) {
      ManagedChannelBuilder<?> b =
          Grpc.newChannelBuilderForAddress(
              Flags.host(f.get("address")),
              Flags.port(f.get("address")),
              InsecureChannelCredentials.create());
      if (executor == null) {
        b.directExecutor();
      } else {
        b.executor(executor);
      }
      channels.add(b.build());
    }
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseType(PayloadType.COMPRESSABLE)
            .setResponseSize(f.getInt("server_payload"))
            .setPayload(
                Payload.newBuilder()
                    .setType(PayloadType.COMPRESSABLE)
                    .setBody(ByteString.copyFrom(new byte[f.getInt("client_payload")])))
            .build();
    boolean streaming = f.getBoolean("streaming_rpcs");
    int outstanding = f.getInt("outstanding_rpcs");
    run(channels, request, streaming, outstanding, f.getInt("warmup_duration"));
    System.gc();
    long start = System.nanoTime();
    Histogram h = run(channels, request, streaming, outstanding, f.getInt("duration"));
    long elapsed = System.nanoTime() - start;
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    System.out.println("Channel class:                  " + channels.get(0).getClass().getName());
    System.out.println("Channels:                       " + channels.size());
    System.out.println("Outstanding RPCs per Channel:   " + outstanding);
    System.out.println("Server Payload Size:            " + f.getInt("server_payload"));
    System.out.println("Client Payload Size:            " + f.getInt("client_payload"));
    System.out.println("50%ile Latency (in micros):     " + h.getValueAtPercentile(50));
    System.out.println("90%ile Latency (in micros):     " + h.getValueAtPercentile(90));
    System.out.println("95%ile Latency (in micros):     " + h.getValueAtPercentile(95));
    System.out.println("99%ile Latency (in micros):     " + h.getValueAtPercentile(99));
    System.out.println("99.9%ile Latency (in micros):   " + h.getValueAtPercentile(99.9));
    System.out.println("Maximum Latency (in micros):    " + h.getValueAtPercentile(100));
    long qps = h.getTotalCount() * 1_000_000_000L / elapsed;
    System.out.println("QPS:                            " + qps);
    System.exit(0);
  }

  /** {@code outstanding} loops per channel for {@code seconds}; their merged histogram. */
  private static Histogram run(
      List<ManagedChannel> channels,
      SimpleRequest request,
      boolean streaming,
      int outstanding,
      int seconds)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<CompletableFuture<Histogram>> loops = new ArrayList<>();
    for (ManagedChannel channel : channels) {
      BenchmarkServiceGrpc.BenchmarkServiceStub stub = BenchmarkServiceGrpc.newStub(channel);
      for (int i = 0; i < outstanding; i++) {
        loops.add(streaming ? streamingLoop(stub, request, end) : unaryLoop(stub, request, end));
      }
    }
    Histogram merged = new Histogram(HISTOGRAM_MAX_VALUE, HISTOGRAM_PRECISION);
    for (CompletableFuture<Histogram> loop : loops) {
      merged.add(loop.get(seconds + 60L, TimeUnit.SECONDS));
    }
    return merged;
  }

  private static CompletableFuture<Histogram> unaryLoop(
      BenchmarkServiceGrpc.BenchmarkServiceStub stub, SimpleRequest request, long end) {
    Histogram histogram = new Histogram(HISTOGRAM_MAX_VALUE, HISTOGRAM_PRECISION);
    CompletableFuture<Histogram> done = new CompletableFuture<>();
    stub.unaryCall(
        request,
        new StreamObserver<SimpleResponse>() {
          long lastCall = System.nanoTime();

          @Override
          public void onNext(SimpleResponse value) {}

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(new RuntimeException("unaryCall failed", t));
          }

          @Override
          public void onCompleted() {
            long now = System.nanoTime();
            histogram.recordValue(Math.min(HISTOGRAM_MAX_VALUE, (now - lastCall) / 1000));
            lastCall = now;
            if (end - now > 0) {
              stub.unaryCall(request, this);
            } else {
              done.complete(histogram);
            }
          }
        });
    return done;
  }

  private static CompletableFuture<Histogram> streamingLoop(
      BenchmarkServiceGrpc.BenchmarkServiceStub stub, SimpleRequest request, long end) {
    Histogram histogram = new Histogram(HISTOGRAM_MAX_VALUE, HISTOGRAM_PRECISION);
    CompletableFuture<Histogram> done = new CompletableFuture<>();
    StreamingObserver responses = new StreamingObserver(request, histogram, done, end);
    responses.requests = stub.streamingCall(responses);
    responses.requests.onNext(request);
    return done;
  }

  /** One ping-pong stream: the next request goes when the previous response arrives. */
  private static final class StreamingObserver implements StreamObserver<SimpleResponse> {
    final SimpleRequest request;
    final Histogram histogram;
    final CompletableFuture<Histogram> done;
    final long end;
    long lastCall = System.nanoTime();
    StreamObserver<SimpleRequest> requests;

    StreamingObserver(
        SimpleRequest request, Histogram histogram, CompletableFuture<Histogram> done, long end) {
      this.request = request;
      this.histogram = histogram;
      this.done = done;
      this.end = end;
    }

    @Override
    public void onNext(SimpleResponse value) {
      long now = System.nanoTime();
      histogram.recordValue(Math.min(HISTOGRAM_MAX_VALUE, (now - lastCall) / 1000));
      lastCall = now;
      if (end - now > 0) {
        requests.onNext(request);
      } else {
        requests.onCompleted();
      }
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(new RuntimeException("streamingCall failed", t));
    }

    @Override
    public void onCompleted() {
      done.complete(histogram);
    }
  }
}
