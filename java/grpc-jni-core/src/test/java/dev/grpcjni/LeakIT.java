// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.UnaryHandler;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.LiveObjects;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * No native leak: the shim's live-object counters return to where they were, and RSS stays bounded,
 * across 100,000 unary calls and thousands of failed, cancelled and expired ones.
 */
class LeakIT {
  /** RSS growth allowed between the end of warm-up and the end of the run. */
  private static final long RSS_BOUND_BYTES = 64L << 20;

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  /** Runs {@code count} calls, 64 at a time; returns how many failed. */
  private static int run(
      ManagedChannel channel, int count, int sizeOf, CallOptions options, String method)
      throws Exception {
    Semaphore window = new Semaphore(64);
    AtomicInteger failed = new AtomicInteger();
    byte[] payload = new byte[sizeOf];
    for (int i = 0; i < count; i++) {
      window.acquire();
      ClientCalls.unaryCall(channel, EchoService.method(method), payload, options)
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                }
                window.release();
              });
    }
    window.acquire(64);
    return failed.get();
  }

  @Test
  void noNativeLeakAcrossManyCalls() throws Exception {
    System.gc();
    long[] baseline = LiveObjects.snapshot();
    Environment env = Environment.builder().build();
    Server server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .environment(env)
            .addService(
                EchoService.service(
                    "Slow",
                    (req, ctx) ->
                        CompletableFuture.supplyAsync(
                            () -> req,
                            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))))
            .build()
            .start();
    ManagedChannel channel =
        ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(env).build();
    try {
      assertThat(run(channel, 20_000, 0, CallOptions.DEFAULT, "Echo")).isZero();
      System.gc();
      long rssAfterWarmup = rssBytes();
      for (int round = 0; round < 4; round++) {
        assertThat(run(channel, 20_000, round % 2 == 0 ? 0 : 1024, CallOptions.DEFAULT, "Echo"))
            .isZero();
      }
      // Failure paths: unknown method, expired deadline, cancelled by the client.
      assertThat(run(channel, 2_000, 10, CallOptions.DEFAULT, "Unknown")).isEqualTo(2_000);
      assertThat(
              run(
                  channel,
                  500,
                  10,
                  CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(5)),
                  "Slow"))
          .isEqualTo(500);
      for (int i = 0; i < 500; i++) {
        ClientCalls.unaryCall(channel, EchoService.method("Slow"), new byte[1]).cancel(true);
      }
      System.gc();
      long growth = rssBytes() - rssAfterWarmup;
      System.out.printf(
          "LeakIT: RSS growth after warm-up over 82,500 more calls: %.1f MiB%n",
          growth / 1048576.0);
      assertThat(growth).as("RSS growth in bytes").isLessThan(RSS_BOUND_BYTES);

      // Between calls no call or batch context is alive; only the posted request slots are.
      long[] idle = baseline.clone();
      long[] now = LiveObjects.snapshot();
      for (int k :
          new int[] {
            GrpcJniLib.GRPCJNI_LIVE_REQUEST_CONTEXTS,
            GrpcJniLib.GRPCJNI_LIVE_CHANNELS,
            GrpcJniLib.GRPCJNI_LIVE_SERVERS,
            GrpcJniLib.GRPCJNI_LIVE_COMPLETION_QUEUES
          }) {
        idle[k] = now[k];
      }
      now = LiveObjects.awaitEqual(idle, 5000);
      assertThat(now).as(LiveObjects.describe(now)).isEqualTo(idle);
    } finally {
      env.close();
    }
    long[] after = LiveObjects.awaitEqual(baseline, 10_000);
    assertThat(after).as(LiveObjects.describe(after)).isEqualTo(baseline);
  }

  @Test
  void noNativeLeakAcrossTenThousandStreamsOfEachKind() throws Exception {
    System.gc();
    long[] baseline = LiveObjects.snapshot();
    try (Environment env = Environment.builder().build()) {
      Server server =
          ServerBuilder.forAddress("127.0.0.1:0")
              .environment(env)
              .addService(StreamingIT.service())
              .build()
              .start();
      ManagedChannel channel =
          ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(env).build();
      Semaphore window = new Semaphore(64);
      AtomicInteger failed = new AtomicInteger();
      for (int i = 0; i < 10_000; i++) {
        // One of each kind per round: server-, client- and bidi-streaming, 3 messages each.
        window.acquire(3);
        Flows.Collector<byte[]> server3 = new Flows.Collector<>(2);
        ClientCalls.serverStreamingCall(
                channel, StreamingIT.RANGE, StreamingIT.rangeRequest(3, 8), CallOptions.DEFAULT)
            .subscribe(server3);
        Flows.Collector<byte[]> bidi3 = new Flows.Collector<>(2);
        ClientCalls.bidiStreamingCall(
                channel,
                StreamingIT.ECHO,
                Flows.range(3, k -> new byte[] {(byte) k}),
                CallOptions.DEFAULT)
            .subscribe(bidi3);
        for (CompletableFuture<?> f :
            List.of(
                server3.result(),
                bidi3.result(),
                ClientCalls.clientStreamingCall(
                    channel,
                    StreamingIT.SUM,
                    Flows.range(3, k -> new byte[4]),
                    CallOptions.DEFAULT))) {
          f.whenComplete(
              (r, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                }
                window.release();
              });
        }
      }
      window.acquire(64);
      assertThat(failed.get()).isZero();
    }
    long[] after = LiveObjects.awaitEqual(baseline, 10_000);
    assertThat(after).as(LiveObjects.describe(after)).isEqualTo(baseline);
  }

  /**
   * Issue 21, defect 2: a finished Flow stream leaves nothing on the heap, on either side, even
   * when the subscriber keeps its subscription (the abandonment cleaner must let go when the stream
   * ends). The server is the echo handler {@code (requests, ctx) -> requests}; the client's
   * subscriber is a {@link Flows.Counter}, which holds its subscription.
   */
  @Test
  void finishedFlowStreamsAreCollected() throws Exception {
    List<WeakReference<Object>> serverCalls = Collections.synchronizedList(new ArrayList<>());
    List<WeakReference<Object>> subscribers = new ArrayList<>();
    ServerInterceptor recordCalls =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
            serverCalls.add(new WeakReference<>(call));
            return next.startCall(call);
          }
        };
    int streams = 300;
    try (Environment env = Environment.builder().build()) {
      Server server =
          ServerBuilder.forAddress("127.0.0.1:0")
              .environment(env)
              .addService(StreamingIT.service().intercept(recordCalls))
              .build()
              .start();
      ManagedChannel channel =
          ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(env).build();
      List<CompletableFuture<long[]>> results = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        Flows.Counter counter = new Flows.Counter(2);
        ClientCalls.bidiStreamingCall(
                channel,
                StreamingIT.ECHO,
                Flows.range(3, k -> new byte[] {(byte) k}),
                CallOptions.DEFAULT)
            .subscribe(counter);
        subscribers.add(new WeakReference<>(counter));
        results.add(counter.result());
      }
      for (CompletableFuture<long[]> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)[0]).isEqualTo(3);
      }
      results.clear();
      assertThat(serverCalls).hasSize(streams);
      // The channel and server stay open: nothing but the finished streams may be let go.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long live;
      do {
        System.gc();
        Thread.sleep(50);
        live = liveCount(serverCalls) + liveCount(subscribers);
      } while (live > 0 && System.nanoTime() < end);
      assertThat(liveCount(serverCalls)).as("server calls still reachable").isZero();
      assertThat(liveCount(subscribers)).as("client subscribers still reachable").isZero();
    }
  }

  private static long liveCount(List<WeakReference<Object>> refs) {
    synchronized (refs) {
      return refs.stream().filter(r -> r.get() != null).count();
    }
  }

  @Test
  void syncHandlerHelperWorks() throws Exception {
    try (Environment env = Environment.builder().completionQueues(1).build()) {
      Server server =
          ServerBuilder.forAddress("127.0.0.1:0")
              .environment(env)
              .addService(
                  EchoService.service(
                      "Upper", UnaryHandler.sync((req, ctx) -> new byte[] {(byte) (req[0] + 1)})))
              .build()
              .start();
      ManagedChannel channel =
          ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(env).build();
      assertThat(
              ClientCalls.blockingUnaryCall(channel, EchoService.method("Upper"), new byte[] {1}))
          .containsExactly(2);
    }
  }
}
