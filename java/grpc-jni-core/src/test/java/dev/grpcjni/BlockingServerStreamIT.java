// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.ResponseIterator;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClientCalls#blockingServerStreamingCall}: a server stream read as an iterator. */
class BlockingServerStreamIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final String SERVICE = "grpcjni.test.Numbers";

  static MethodDescriptor<byte[], byte[]> method(String name) {
    return MethodDescriptor.create(
        MethodDescriptor.MethodType.SERVER_STREAMING,
        MethodDescriptor.fullMethodName(SERVICE, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  /** Request: count (int) and size (int); answers count messages of size bytes, each its index. */
  static final MethodDescriptor<byte[], byte[]> COUNT = method("Count");

  /** Answers three messages, then ABORTED with a trailer. */
  static final MethodDescriptor<byte[], byte[]> FAIL_AFTER_THREE = method("FailAfterThree");

  /** Answers one message, then nothing until cancelled; its context goes to {@link #hanging}. */
  static final MethodDescriptor<byte[], byte[]> ONE_THEN_HANG = method("OneThenHang");

  static byte[] request(int count, int size) {
    return ByteBuffer.allocate(8).putInt(count).putInt(size).array();
  }

  static int index(byte[] message) {
    return ByteBuffer.wrap(message).getInt();
  }

  private final AtomicInteger emitted = new AtomicInteger();
  private final BlockingQueue<ServerCallContext> hanging = new LinkedBlockingQueue<>();
  private ManagedChannel channel;
  private int port;

  @BeforeEach
  void start() throws IOException {
    ServiceDefinition numbers =
        ServiceDefinition.builder(SERVICE)
            .serverStreaming(
                COUNT,
                (req, ctx) -> {
                  ByteBuffer b = ByteBuffer.wrap(req);
                  int count = b.getInt();
                  int size = Math.max(4, b.getInt());
                  return Flows.range(
                      count, i -> ByteBuffer.allocate(size).putInt(0, i).array(), emitted);
                })
            .serverStreaming(
                FAIL_AFTER_THREE,
                (req, ctx) -> {
                  ctx.responseTrailers().put("why", "three is enough");
                  return subscriber ->
                      Flows.range(3, i -> ByteBuffer.allocate(4).putInt(i).array())
                          .subscribe(
                              new Flow.Subscriber<byte[]>() {
                                @Override
                                public void onSubscribe(Flow.Subscription s) {
                                  subscriber.onSubscribe(s);
                                }

                                @Override
                                public void onNext(byte[] item) {
                                  subscriber.onNext(item);
                                }

                                @Override
                                public void onError(Throwable t) {
                                  subscriber.onError(t);
                                }

                                @Override
                                public void onComplete() {
                                  subscriber.onError(
                                      Status.ABORTED.withDescription("after three").asException());
                                }
                              });
                })
            .serverStreaming(
                ONE_THEN_HANG,
                (req, ctx) -> {
                  hanging.add(ctx);
                  return subscriber ->
                      subscriber.onSubscribe(
                          new Flow.Subscription() {
                            boolean sent;

                            @Override
                            public void request(long n) {
                              if (!sent) {
                                sent = true;
                                subscriber.onNext(ByteBuffer.allocate(4).putInt(0).array());
                              }
                            }

                            @Override
                            public void cancel() {}
                          });
                })
            .build();
    Server server =
        grpc.register(ServerBuilder.forAddress("127.0.0.1:0").addService(numbers).build().start());
    port = server.port();
    channel = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + port).build());
  }

  @Test
  void readsEveryResponseInOrderThenEnds() {
    List<Integer> got = new ArrayList<>();
    try (ResponseIterator<byte[]> it =
        ClientCalls.blockingServerStreamingCall(channel, COUNT, request(500, 4))) {
      while (it.hasNext()) {
        got.add(index(it.next()));
      }
      assertThat(it.hasNext()).isFalse(); // and stays so
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(got).hasSize(500);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i)).isEqualTo(i);
    }
    // An empty stream ends at once.
    ResponseIterator<byte[]> empty =
        ClientCalls.blockingServerStreamingCall(channel, COUNT, request(0, 4));
    assertThat(empty.hasNext()).isFalse();
    empty.close();
  }

  @Test
  void anErrorStatusIsThrownAfterTheResponsesBeforeIt() {
    ResponseIterator<byte[]> it =
        ClientCalls.blockingServerStreamingCall(channel, FAIL_AFTER_THREE, new byte[0]);
    List<Integer> got = new ArrayList<>();
    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () -> {
              while (it.hasNext()) {
                got.add(index(it.next()));
              }
            });
    assertThat(got).containsExactly(0, 1, 2);
    assertThat(e.status().code()).isEqualTo(Status.Code.ABORTED);
    assertThat(e.status().description()).isEqualTo("after three");
    assertThat(e.trailers().get("why")).isEqualTo("three is enough");
    // It says so again, and closing after the end does nothing.
    assertThatThrownBy(it::hasNext).isInstanceOf(StatusException.class);
    it.close();
  }

  @Test
  void responsesAreAskedForOneAtATimeAsTheyAreTaken() throws Exception {
    int count = 1000;
    int size = 64 * 1024; // 64 MB in all: far beyond what the HTTP/2 windows hold
    try (ResponseIterator<byte[]> it =
        ClientCalls.blockingServerStreamingCall(channel, COUNT, request(count, size))) {
      assertThat(index(it.next())).isZero();
      Thread.sleep(300);
      int early = emitted.get();
      assertThat(early)
          .as("what the server could send before the reader took more")
          .isLessThan(500);
      int n = 1;
      while (it.hasNext()) {
        assertThat(index(it.next())).isEqualTo(n++);
      }
      assertThat(n).isEqualTo(count);
    }
    assertThat(emitted).hasValue(count);
  }

  @Test
  void closingBeforeTheEndCancelsTheCall() throws Exception {
    ResponseIterator<byte[]> it =
        ClientCalls.blockingServerStreamingCall(channel, ONE_THEN_HANG, new byte[0]);
    assertThat(index(it.next())).isZero();
    ServerCallContext server = hanging.poll(10, TimeUnit.SECONDS);
    assertThat(server).isNotNull();
    it.close();
    server.whenCancelled().get(10, TimeUnit.SECONDS);
    it.close(); // again: nothing
    assertThatThrownBy(it::hasNext)
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.status().code()).isEqualTo(Status.Code.CANCELLED));
  }

  @Test
  void anInterruptWhileWaitingCancelsTheCallAndKeepsTheFlag() throws Exception {
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Thread> thread = new CompletableFuture<>();
      java.util.concurrent.Future<Object> outcome =
          reader.submit(
              () -> {
                thread.complete(Thread.currentThread());
                ResponseIterator<byte[]> it =
                    ClientCalls.blockingServerStreamingCall(channel, ONE_THEN_HANG, new byte[0]);
                it.next();
                try {
                  it.hasNext(); // waits: the server sends nothing more
                  return "no exception";
                } catch (StatusException e) {
                  return List.of(e.status().code(), Thread.currentThread().isInterrupted());
                }
              });
      ServerCallContext server = hanging.poll(10, TimeUnit.SECONDS);
      assertThat(server).isNotNull();
      Thread.sleep(100); // the reader is waiting in hasNext()
      thread.get().interrupt();
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(List.of(Status.Code.CANCELLED, true));
      server.whenCancelled().get(10, TimeUnit.SECONDS);
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void theCallsDeadlineEndsTheIteration() {
    ResponseIterator<byte[]> it =
        ClientCalls.blockingServerStreamingCall(
            channel,
            ONE_THEN_HANG,
            new byte[0],
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(300)));
    it.next();
    StatusException e = catchThrowableOfType(StatusException.class, it::hasNext);
    assertThat(e.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void aMethodOfAnotherKindIsRefused() {
    MethodDescriptor<byte[], byte[]> unary =
        MethodDescriptor.unary(
            MethodDescriptor.fullMethodName(SERVICE, "Count"),
            Marshallers.bytes(),
            Marshallers.bytes());
    assertThatThrownBy(() -> ClientCalls.blockingServerStreamingCall(channel, unary, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void iteratingOnAPollerThreadIsRefused() throws Exception {
    ManagedChannel direct =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + port).directExecutor().build());
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    // A direct-executor channel delivers responses on the poller thread.
    ClientCalls.serverStreamingCall(direct, COUNT, request(1, 4), CallOptions.DEFAULT)
        .subscribe(
            new Flows.Collector<byte[]>(1) {
              @Override
              public void onNext(byte[] item) {
                try {
                  ClientCalls.blockingServerStreamingCall(channel, COUNT, request(1, 4)).close();
                  thrown.complete(null);
                } catch (Throwable t) {
                  thrown.complete(t);
                }
                super.onNext(item);
              }
            });
    assertThat(thrown.get(10, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("poller thread");
  }
}
