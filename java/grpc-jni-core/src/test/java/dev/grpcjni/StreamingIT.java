// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.ServerCallStreamObserver;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server-, client- and bidi-streaming calls, Flow and observer style, on 127.0.0.1:0. */
class StreamingIT {
  static final String SERVICE = "grpcjni.test.Streams";

  static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(SERVICE, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  static final MethodDescriptor<byte[], byte[]> RANGE =
      method(MethodDescriptor.MethodType.SERVER_STREAMING, "Range");
  static final MethodDescriptor<byte[], byte[]> SUM =
      method(MethodDescriptor.MethodType.CLIENT_STREAMING, "Sum");
  static final MethodDescriptor<byte[], byte[]> ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "Echo");
  static final MethodDescriptor<byte[], byte[]> OBSERVER_ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "ObserverEcho");

  /** Request of Range: count (int) and size (int) of the messages to stream back. */
  static byte[] rangeRequest(int count, int size) {
    return ByteBuffer.allocate(8).putInt(count).putInt(size).array();
  }

  /** Message {@code i} of a stream: {@code size} bytes starting with i (big-endian int). */
  static byte[] message(int i, int size) {
    byte[] b = new byte[size];
    for (int k = 0; k < Math.min(4, size); k++) {
      b[k] = (byte) (i >>> (24 - 8 * k));
    }
    return b;
  }

  static int indexOf(byte[] m) {
    if (m.length < 4) {
      return -1;
    }
    return ByteBuffer.wrap(m).getInt();
  }

  static ServiceDefinition service() {
    return ServiceDefinition.builder(SERVICE)
        .serverStreaming(
            RANGE,
            (req, ctx) -> {
              ByteBuffer b = ByteBuffer.wrap(req);
              int count = b.getInt();
              int size = b.getInt();
              return Flows.range(count, i -> message(i, size));
            })
        .clientStreaming(
            SUM,
            (requests, ctx) -> {
              // Counts as it goes: holds no message (a test may stream gigabytes).
              Flows.Counter counter = new Flows.Counter(16);
              requests.subscribe(counter);
              return counter
                  .result()
                  .thenApply(c -> ByteBuffer.allocate(12).putInt((int) c[0]).putLong(c[1]).array());
            })
        .bidiStreaming(ECHO, (requests, ctx) -> requests)
        .method(
            OBSERVER_ECHO,
            ServerCalls.asyncStreaming(
                responses ->
                    new StreamObserver<byte[]>() {
                      @Override
                      public void onNext(byte[] value) {
                        responses.onNext(value);
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

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  ManagedChannel start() throws IOException {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0").addService(service()).build().start());
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  @Test
  void serverStreamingDeliversEveryMessageInOrder() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> collector = new Flows.Collector<>(7);
    ClientCalls.serverStreamingCall(channel, RANGE, rangeRequest(1000, 16), CallOptions.DEFAULT)
        .subscribe(collector);
    List<byte[]> got = collector.result().get(30, TimeUnit.SECONDS);
    assertThat(got).hasSize(1000);
    for (int i = 0; i < got.size(); i++) {
      assertThat(indexOf(got.get(i))).isEqualTo(i);
    }
  }

  @Test
  void clientStreamingSendsEveryMessage() throws Exception {
    ManagedChannel channel = start();
    byte[] r =
        ClientCalls.clientStreamingCall(
                channel, SUM, Flows.range(1000, i -> message(i, 100)), CallOptions.DEFAULT)
            .get(30, TimeUnit.SECONDS);
    ByteBuffer b = ByteBuffer.wrap(r);
    assertThat(b.getInt()).isEqualTo(1000);
    assertThat(b.getLong()).isEqualTo(100_000);
  }

  @Test
  void bidiEchoesThroughPublishers() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> collector = new Flows.Collector<>(3);
    ClientCalls.bidiStreamingCall(
            channel, ECHO, Flows.range(500, i -> message(i, 10)), CallOptions.DEFAULT)
        .subscribe(collector);
    List<byte[]> got = collector.result().get(30, TimeUnit.SECONDS);
    assertThat(got).hasSize(500);
    assertThat(indexOf(got.get(499))).isEqualTo(499);
  }

  @Test
  void observerStyleBidi() throws Exception {
    ManagedChannel channel = start();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    int[] count = new int[1];
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel,
            OBSERVER_ECHO,
            new StreamObserver<byte[]>() {
              @Override
              public void onNext(byte[] value) {
                count[0]++;
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(count[0]);
              }
            },
            CallOptions.DEFAULT);
    for (int i = 0; i < 200; i++) {
      requests.write(message(i, 5)).get(10, TimeUnit.SECONDS);
    }
    requests.onCompleted();
    assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(200);
  }

  /**
   * An observer's onNext does not wait for its write, so its completion must not cost a task on the
   * executor: 500 messages each way may take a few tasks (start, delivery, end), not one per
   * message.
   */
  @Test
  void observerWritesScheduleNoTaskPerMessage() throws Exception {
    int count = 500;
    MethodDescriptor<byte[], byte[]> fanOut =
        method(MethodDescriptor.MethodType.SERVER_STREAMING, "FanOut");
    AtomicInteger serverTasks = new AtomicInteger();
    AtomicInteger clientTasks = new AtomicInteger();
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .executor(countingExecutor(serverTasks))
                .addService(
                    ServiceDefinition.builder(SERVICE)
                        .method(
                            fanOut,
                            ServerCalls.asyncServerStreaming(
                                (byte[] req, ServerCallStreamObserver<byte[]> responses) -> {
                                  for (int i = 0; i < count; i++) {
                                    responses.onNext(message(i, 8));
                                  }
                                  responses.onCompleted();
                                }))
                        .method(
                            SUM,
                            ServerCalls.asyncStreaming(
                                responses ->
                                    new StreamObserver<byte[]>() {
                                      int n;

                                      @Override
                                      public void onNext(byte[] value) {
                                        n++;
                                      }

                                      @Override
                                      public void onError(Throwable t) {}

                                      @Override
                                      public void onCompleted() {
                                        responses.onNext(ByteBuffer.allocate(4).putInt(n).array());
                                        responses.onCompleted();
                                      }
                                    }))
                        .build())
                .build()
                .start());
    ManagedChannel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .executor(countingExecutor(clientTasks))
                .build());

    // Server side: the handler's onNext loop.
    Flows.Collector<byte[]> collector = new Flows.Collector<>(count);
    ClientCalls.serverStreamingCall(channel, fanOut, new byte[0], CallOptions.DEFAULT)
        .subscribe(collector);
    List<byte[]> got = collector.result().get(30, TimeUnit.SECONDS);
    assertThat(got).hasSize(count);
    assertThat(indexOf(got.get(count - 1))).isEqualTo(count - 1);
    assertThat(serverTasks.get()).as("server executor tasks").isLessThan(count / 10);

    // Client side: the request observer's onNext loop.
    clientTasks.set(0);
    CompletableFuture<byte[]> response = new CompletableFuture<>();
    StreamObserver<byte[]> requests =
        ClientCalls.asyncClientStreamingCall(channel, SUM, into(response), CallOptions.DEFAULT);
    for (int i = 0; i < count; i++) {
      requests.onNext(message(i, 8));
    }
    requests.onCompleted();
    assertThat(ByteBuffer.wrap(response.get(30, TimeUnit.SECONDS)).getInt()).isEqualTo(count);
    assertThat(clientTasks.get()).as("client executor tasks").isLessThan(count / 10);
  }

  /** An observer of a single response, completing {@code f} with it. */
  private static StreamObserver<byte[]> into(CompletableFuture<byte[]> f) {
    return new StreamObserver<byte[]>() {
      @Override
      public void onNext(byte[] value) {
        f.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        f.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        f.completeExceptionally(new AssertionError("completed without a response"));
      }
    };
  }

  private static Executor countingExecutor(AtomicInteger tasks) {
    return task -> {
      tasks.incrementAndGet();
      ForkJoinPool.commonPool().execute(task);
    };
  }

  @Test
  void failingRequestPublisherCancelsTheCall() throws Exception {
    ManagedChannel channel = start();
    CompletableFuture<byte[]> f =
        ClientCalls.clientStreamingCall(
            channel, SUM, Flows.failing(new IllegalStateException("boom")), CallOptions.DEFAULT);
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertThat(((StatusException) e.getCause()).status().code()).isEqualTo(Status.Code.CANCELLED);
  }
}
