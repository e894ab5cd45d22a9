// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static dev.grpcjni.StreamingIT.indexOf;
import static dev.grpcjni.StreamingIT.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.MethodDescriptor.MethodType;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Backpressure, cancellation, deadlines, failures and shutdown of streaming calls. */
class StreamLifecycleIT {
  static final String SERVICE = "grpcjni.test.Lifecycle";
  static final int BIG = 64 * 1024;

  static MethodDescriptor<byte[], byte[]> method(MethodType type, String name) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(SERVICE, name),
        dev.grpcjni.codec.Marshallers.bytes(),
        dev.grpcjni.codec.Marshallers.bytes());
  }

  /** Writes BIG messages as fast as the transport accepts them, up to the count in the request. */
  static final MethodDescriptor<byte[], byte[]> PRODUCE =
      method(MethodType.SERVER_STREAMING, "Produce");

  /** Reads requests as the test allows through {@link #consumerDemand}. */
  static final MethodDescriptor<byte[], byte[]> CONSUME =
      method(MethodType.CLIENT_STREAMING, "Consume");

  /** Sends 5 messages, then fails with ABORTED. */
  static final MethodDescriptor<byte[], byte[]> ABORT =
      method(MethodType.SERVER_STREAMING, "Abort");

  /** Sends 3 messages, then its publisher fails with an IllegalStateException. */
  static final MethodDescriptor<byte[], byte[]> THROW =
      method(MethodType.SERVER_STREAMING, "Throw");

  /** Sends one message every 50 ms until cancelled. */
  static final MethodDescriptor<byte[], byte[]> TICK = method(MethodType.SERVER_STREAMING, "Tick");

  /** Echoes (observer style); also the base of the shutdown and concurrency tests. */
  static final MethodDescriptor<byte[], byte[]> ECHO = method(MethodType.BIDI_STREAMING, "Echo");

  /** Low-level: explicit headers, two messages, trailers, status from the request's first byte. */
  static final MethodDescriptor<byte[], byte[]> META = method(MethodType.SERVER_STREAMING, "Meta");

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final AtomicInteger produced = new AtomicInteger(); // writes the transport accepted
  final BlockingQueue<ServerCallContext> contexts = new LinkedBlockingQueue<>();
  final AtomicReference<Flow.Subscription> consumerDemand = new AtomicReference<>();
  final AtomicInteger consumed = new AtomicInteger();
  final CompletableFuture<Void> consumerDone = new CompletableFuture<>();
  Server server;

  ServiceDefinition service() {
    return ServiceDefinition.builder(SERVICE)
        .method(
            PRODUCE,
            ServerCalls.asyncServerStreaming(
                (req, responses) -> {
                  contexts.add(responses.context());
                  int total = java.nio.ByteBuffer.wrap(req).getInt();
                  produceNext(responses, 0, total);
                }))
        .clientStreaming(
            CONSUME,
            (requests, ctx) -> {
              requests.subscribe(
                  new Flow.Subscriber<byte[]>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                      consumerDemand.set(s);
                      s.request(1); // then only what the test asks for
                    }

                    @Override
                    public void onNext(byte[] item) {
                      consumed.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable t) {
                      consumerDone.completeExceptionally(t);
                    }

                    @Override
                    public void onComplete() {
                      consumerDone.complete(null);
                    }
                  });
              return consumerDone.thenApply(v -> new byte[] {(byte) consumed.get()});
            })
        .serverStreaming(
            ABORT,
            (req, ctx) ->
                subscriber -> {
                  Flows.range(5, i -> message(i, 8))
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
                              ctx.responseTrailers().put("x-aborted", "yes");
                              subscriber.onError(
                                  Status.ABORTED.withDescription("stop here").asException());
                            }
                          });
                })
        .serverStreaming(
            THROW,
            (req, ctx) ->
                subscriber ->
                    Flows.range(3, i -> message(i, 8))
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
                              public void onError(Throwable t) {}

                              @Override
                              public void onComplete() {
                                subscriber.onError(new IllegalStateException("handler bug"));
                              }
                            }))
        .method(
            TICK,
            ServerCalls.asyncServerStreaming(
                (req, responses) -> {
                  contexts.add(responses.context());
                  tick(responses, 0);
                }))
        .method(
            ECHO,
            ServerCalls.asyncStreaming(
                responses -> {
                  contexts.add(responses.context());
                  return new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] value) {
                      responses.onNext(value);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                      responses.context().responseTrailers().put("x-echoed", "done");
                      responses.onCompleted();
                    }
                  };
                }))
        .method(
            META,
            (ServerCall<byte[], byte[]> call) -> {
              call.request(1);
              return new ServerCall.Listener<byte[]>() {
                byte[] request;

                @Override
                public void onMessage(byte[] m) {
                  request = m;
                }

                @Override
                public void onHalfClose() {
                  call.sendHeaders(new Metadata().put("x-header", "early"));
                  call.sendMessage(message(0, 4));
                  call.sendMessage(message(1, 4));
                  Status status =
                      Status.Code.fromValue(request[0]).toStatus().withDescription("meta");
                  call.close(status, new Metadata().put("x-trailer", "t" + request[0]));
                }
              };
            })
        .build();
  }

  /** Writes message i when the transport accepted message i - 1. */
  void produceNext(ServerCallStreamObserver<byte[]> responses, int i, int total) {
    if (i == total) {
      responses.onCompleted();
      return;
    }
    responses
        .write(message(i, BIG))
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                produced.incrementAndGet();
                produceNext(responses, i + 1, total);
              }
            });
  }

  void tick(ServerCallStreamObserver<byte[]> responses, int i) {
    if (responses.isCancelled()) {
      return;
    }
    responses.write(message(i, 8));
    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
        .execute(() -> tick(responses, i + 1));
  }

  ManagedChannel start() throws Exception {
    server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0").addService(service()).build().start());
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  static byte[] count(int n) {
    return java.nio.ByteBuffer.allocate(4).putInt(n).array();
  }

  /** Polls {@code value} until it stops changing for {@code quietMillis}; returns it. */
  static int settle(AtomicInteger value, long quietMillis) throws InterruptedException {
    int last = -1;
    while (true) {
      int now = value.get();
      if (now == last) {
        return now;
      }
      last = now;
      Thread.sleep(quietMillis);
    }
  }

  static Status.Code failure(CompletableFuture<?> f) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
    assertThat(e).as("should fail").isNotNull();
    return ((StatusException) e.getCause()).status().code();
  }

  @Test
  void slowClientStallsTheProducerAndResumes() throws Exception {
    ManagedChannel channel = start();
    int total = 2000; // 125 MiB if nothing held it back
    AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    AtomicInteger received = new AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCalls.serverStreamingCall(channel, PRODUCE, count(total), CallOptions.DEFAULT)
        .subscribe(
            new Flow.Subscriber<byte[]>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(1); // this client asks for one message and stops
              }

              @Override
              public void onNext(byte[] item) {
                received.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                done.complete(null);
              }
            });
    int stalledAt = settle(produced, 500);
    assertThat(received.get()).isEqualTo(1);
    // The producer stopped: only HTTP/2 windows and the core's buffers hold messages.
    assertThat(stalledAt).isLessThan(total);
    assertThat((long) stalledAt * BIG)
        .as("bytes accepted while the client read 1")
        .isLessThan(64L << 20);
    System.out.printf("producer stalled after %d x 64 KiB%n", stalledAt);
    subscription.get().request(Long.MAX_VALUE);
    done.get(60, TimeUnit.SECONDS);
    assertThat(received.get()).isEqualTo(total);
    assertThat(produced.get()).isEqualTo(total);
  }

  @Test
  void slowServerStallsTheClientAndResumes() throws Exception {
    ManagedChannel channel = start();
    AtomicInteger written = new AtomicInteger();
    CompletableFuture<byte[]> response = new CompletableFuture<>();
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncClientStreamingCall(
            channel, CONSUME, observe(response), CallOptions.DEFAULT);
    int total = 2000;
    writeNext(requests, 0, total, written);
    int stalledAt = settle(written, 500);
    assertThat(consumed.get()).isEqualTo(1);
    assertThat(stalledAt).isLessThan(total);
    assertThat((long) stalledAt * BIG).isLessThan(64L << 20);
    assertThat(requests.isReady()).isFalse();
    System.out.printf("client writer stalled after %d x 64 KiB%n", stalledAt);
    consumerDemand.get().request(Long.MAX_VALUE);
    assertThat(response.get(60, TimeUnit.SECONDS)[0]).isEqualTo((byte) total);
    assertThat(written.get()).isEqualTo(total);
  }

  static void writeNext(
      ClientCallStreamObserver<byte[]> requests, int i, int total, AtomicInteger written) {
    if (i == total) {
      requests.onCompleted();
      return;
    }
    requests
        .write(message(i, BIG))
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                written.incrementAndGet();
                writeNext(requests, i + 1, total, written);
              }
            });
  }

  static <T> StreamObserver<T> observe(CompletableFuture<T> last) {
    return new StreamObserver<T>() {
      T value;

      @Override
      public void onNext(T v) {
        value = v;
      }

      @Override
      public void onError(Throwable t) {
        last.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        last.complete(value);
      }
    };
  }

  @Test
  void clientCancelsMidStream() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> client = new Flows.Collector<>(1);
    ClientCalls.serverStreamingCall(channel, PRODUCE, count(1_000_000), CallOptions.DEFAULT)
        .subscribe(client);
    ServerCallContext ctx = contexts.poll(10, TimeUnit.SECONDS);
    while (client.count() < 10) {
      Thread.sleep(5);
    }
    client.subscription().cancel();
    ctx.whenCancelled().get(10, TimeUnit.SECONDS);
    assertThat(ctx.isCancelled()).isTrue();
    assertThat(client.result()).isNotDone(); // a cancelled subscriber gets no more signals
  }

  @Test
  void serverAbortsMidStreamWithStatusAndTrailers() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> client = new Flows.Collector<>(2);
    ClientCalls.serverStreamingCall(channel, ABORT, new byte[0], CallOptions.DEFAULT)
        .subscribe(client);
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class, () -> client.result().get(10, TimeUnit.SECONDS));
    StatusException se = (StatusException) e.getCause();
    assertThat(se.status().code()).isEqualTo(Status.Code.ABORTED);
    assertThat(se.status().description()).isEqualTo("stop here");
    assertThat(se.trailers().get("x-aborted")).isEqualTo("yes");
    assertThat(client.count()).isBetween(0, 5); // the core drops unread messages on an error
  }

  @Test
  void handlerFailureMidStreamIsUnknown() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> client = new Flows.Collector<>(10);
    ClientCalls.serverStreamingCall(channel, THROW, new byte[0], CallOptions.DEFAULT)
        .subscribe(client);
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class, () -> client.result().get(10, TimeUnit.SECONDS));
    assertThat(((StatusException) e.getCause()).status().code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(client.count()).isBetween(0, 3); // the core drops unread messages on an error
  }

  @Test
  void deadlineExpiresMidStream() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> client = new Flows.Collector<>(100);
    ClientCalls.serverStreamingCall(
            channel,
            TICK,
            new byte[0],
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(400)))
        .subscribe(client);
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class, () -> client.result().get(10, TimeUnit.SECONDS));
    assertThat(((StatusException) e.getCause()).status().code())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(client.count()).isBetween(2, 9);
    ServerCallContext ctx = contexts.poll(1, TimeUnit.SECONDS);
    assertThat(ctx.deadline()).isNotNull();
    ctx.whenCancelled().get(5, TimeUnit.SECONDS);
  }

  @Test
  void expiredDeadlineFailsAStreamBeforeItStarts() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> client = new Flows.Collector<>(1);
    ClientCalls.serverStreamingCall(
            channel,
            TICK,
            new byte[0],
            CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofMillis(-1))))
        .subscribe(client);
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class, () -> client.result().get(10, TimeUnit.SECONDS));
    assertThat(((StatusException) e.getCause()).status().code())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(contexts.poll(200, TimeUnit.MILLISECONDS)).as("no call reached the server").isNull();
  }

  @Test
  void clientDisconnectIsSeenByTheHandlerWithinASecond() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> client = new Flows.Collector<>(100);
    ClientCalls.serverStreamingCall(channel, TICK, new byte[0], CallOptions.DEFAULT)
        .subscribe(client);
    ServerCallContext ctx = contexts.poll(10, TimeUnit.SECONDS);
    while (client.count() < 2) {
      Thread.sleep(5);
    }
    long t0 = System.nanoTime();
    channel.close();
    ctx.whenCancelled().get(5, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(millis).as("ms until the handler saw the disconnect").isLessThan(1000);
    assertThat(failureCodeOf(client.result())).isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
  }

  static Status.Code failureCodeOf(CompletableFuture<?> f) {
    return failure(f);
  }

  /** A bidi method whose handler blocks in its request callback until a response has room. */
  static final MethodDescriptor<byte[], byte[]> BLOCKING_ECHO =
      method(MethodType.BIDI_STREAMING, "BlockingEcho");

  @Test
  void handlerBlockingInACallbackDoesNotDeadlockItsWrites() throws Exception {
    Server blocking =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(
                    ServiceDefinition.builder(SERVICE)
                        .bidiStreaming(
                            BLOCKING_ECHO,
                            (requests, ctx) -> {
                              // One slot: submit() blocks the callback thread until the transport
                              // took the previous response, which needs a write to complete.
                              java.util.concurrent.SubmissionPublisher<byte[]> out =
                                  new java.util.concurrent.SubmissionPublisher<>(
                                      java.util.concurrent.ForkJoinPool.commonPool(), 1);
                              requests.subscribe(
                                  new Flow.Subscriber<byte[]>() {
                                    Flow.Subscription s;

                                    @Override
                                    public void onSubscribe(Flow.Subscription s) {
                                      this.s = s;
                                      s.request(1);
                                    }

                                    @Override
                                    public void onNext(byte[] item) {
                                      for (int k = 0; k < 3; k++) {
                                        out.submit(item);
                                      }
                                      s.request(1);
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                      out.closeExceptionally(t);
                                    }

                                    @Override
                                    public void onComplete() {
                                      out.close();
                                    }
                                  });
                              return out;
                            })
                        .build())
                .build()
                .start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + blocking.port()).build());
    Flows.Collector<byte[]> client = new Flows.Collector<>(2);
    ClientCalls.bidiStreamingCall(
            channel, BLOCKING_ECHO, Flows.range(500, i -> message(i, 32)), CallOptions.DEFAULT)
        .subscribe(client);
    assertThat(client.result().get(60, TimeUnit.SECONDS)).hasSize(1500);
  }

  @Test
  void thousandConcurrentBidiStreams() throws Exception {
    ManagedChannel channel = start();
    int streams = 1000;
    int perStream = 10;
    List<CompletableFuture<List<byte[]>>> results = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      int base = s * perStream;
      Flows.Collector<byte[]> c = new Flows.Collector<>(4);
      ClientCalls.bidiStreamingCall(
              channel,
              ECHO,
              Flows.range(perStream, i -> message(base + i, 16)),
              CallOptions.DEFAULT)
          .subscribe(c);
      results.add(c.result());
    }
    for (int s = 0; s < streams; s++) {
      List<byte[]> got = results.get(s).get(60, TimeUnit.SECONDS);
      assertThat(got).hasSize(perStream);
      for (int i = 0; i < perStream; i++) {
        assertThat(indexOf(got.get(i))).isEqualTo(s * perStream + i);
      }
    }
  }

  /** Opens {@code n} echo streams, each with one round trip done; returns their request sides. */
  List<ClientCallStreamObserver<byte[]>> openEchoStreams(
      ManagedChannel channel, int n, List<CompletableFuture<Integer>> done) throws Exception {
    List<ClientCallStreamObserver<byte[]>> open = new ArrayList<>();
    List<CompletableFuture<Void>> firstEcho = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<Void> first = new CompletableFuture<>();
      CompletableFuture<Integer> end = new CompletableFuture<>();
      AtomicInteger echoes = new AtomicInteger();
      open.add(
          ClientCalls.asyncBidiStreamingCall(
              channel,
              ECHO,
              new StreamObserver<byte[]>() {
                @Override
                public void onNext(byte[] value) {
                  echoes.incrementAndGet();
                  first.complete(null);
                }

                @Override
                public void onError(Throwable t) {
                  end.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                  end.complete(echoes.get());
                }
              },
              CallOptions.DEFAULT));
      open.get(i).onNext(message(i, 8));
      firstEcho.add(first);
      done.add(end);
    }
    CompletableFuture.allOf(firstEcho.toArray(new CompletableFuture<?>[0]))
        .get(30, TimeUnit.SECONDS);
    return open;
  }

  @Test
  void gracefulShutdownLetsOpenStreamsFinish() throws Exception {
    ManagedChannel channel = start();
    List<CompletableFuture<Integer>> done = new ArrayList<>();
    List<ClientCallStreamObserver<byte[]>> open = openEchoStreams(channel, 100, done);
    CompletableFuture<Void> terminated = server.shutdown();
    Thread.sleep(200);
    assertThat(terminated).isNotDone();
    // One at a time: while another stream is open the connection stays up, so each ends in full.
    for (int i = 0; i < open.size() - 1; i++) {
      open.get(i).onNext(message(1, 8));
      open.get(i).onCompleted();
      assertThat(done.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(terminated).isNotDone();
    }
    // The last stream's end closes the connection (the C core's close race, see Server#shutdown):
    // the client sees its result or, rarely, UNAVAILABLE; the server side always ends cleanly.
    ClientCallStreamObserver<byte[]> last = open.get(open.size() - 1);
    last.onNext(message(1, 8));
    last.onCompleted();
    assertFullEchoOrReset(done.get(done.size() - 1));
    terminated.get(30, TimeUnit.SECONDS);
    assertServerCallsEndedCleanly(100);
  }

  @Test
  void gracefulShutdownWithStreamsEndingTogether() throws Exception {
    ManagedChannel channel = start();
    List<CompletableFuture<Integer>> done = new ArrayList<>();
    List<ClientCallStreamObserver<byte[]>> open = openEchoStreams(channel, 100, done);
    CompletableFuture<Void> terminated = server.shutdown();
    for (ClientCallStreamObserver<byte[]> requests : open) {
      requests.onNext(message(1, 8));
      requests.onCompleted();
    }
    for (CompletableFuture<Integer> end : done) {
      assertFullEchoOrReset(end);
    }
    terminated.get(30, TimeUnit.SECONDS);
    assertServerCallsEndedCleanly(100);
  }

  /**
   * A stream ended after {@link Server#shutdown()} either got both echoes and OK or, when its
   * responses were still in flight as the C core closed the connection, UNAVAILABLE.
   */
  static void assertFullEchoOrReset(CompletableFuture<Integer> end) throws Exception {
    try {
      assertThat(end.get(30, TimeUnit.SECONDS)).isEqualTo(2);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StatusException.class);
      assertThat(((StatusException) e.getCause()).status().code())
          .isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  /** Every server call sent its status: none was cancelled by the shutdown. */
  void assertServerCallsEndedCleanly(int expected) {
    assertThat(contexts).hasSize(expected);
    for (ServerCallContext ctx : contexts) {
      assertThat(ctx.isCancelled()).as(ctx.fullMethodName()).isFalse();
    }
  }

  @Test
  void shutdownNowCancelsOpenStreams() throws Exception {
    ManagedChannel channel = start();
    List<CompletableFuture<Integer>> done = new ArrayList<>();
    openEchoStreams(channel, 100, done);
    server.shutdownNow().get(30, TimeUnit.SECONDS);
    for (CompletableFuture<Integer> end : done) {
      assertThat(failure(end)).isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
    }
    ServerCallContext ctx;
    while ((ctx = contexts.poll()) != null) {
      assertThat(ctx.isCancelled()).isTrue();
    }
  }

  @Test
  void headersBeforeMessagesAndTrailersOnEveryOutcome() throws Exception {
    ManagedChannel channel = start();
    for (Status.Code code : new Status.Code[] {Status.Code.OK, Status.Code.NOT_FOUND}) {
      List<String> events = new ArrayList<>();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      ClientCall<byte[], byte[]> call = channel.newCall(META, CallOptions.DEFAULT);
      call.start(
          new ClientCall.Listener<byte[]>() {
            @Override
            public void onHeaders(Metadata headers) {
              events.add("headers:" + headers.get("x-header"));
            }

            @Override
            public void onMessage(byte[] message) {
              events.add("message:" + indexOf(message));
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              events.add("close:" + status.code() + ":" + trailers.get("x-trailer"));
              closed.complete(null);
            }
          },
          null);
      call.request(10);
      call.sendMessage(new byte[] {(byte) code.value()});
      call.halfClose();
      closed.get(10, TimeUnit.SECONDS);
      // Headers first, messages in order, close last with its trailers. With an error status the
      // C core drops what the client had not read yet, so a prefix of the messages arrives.
      assertThat(events.get(0)).isEqualTo("headers:early");
      assertThat(events.get(events.size() - 1)).isEqualTo("close:" + code + ":t" + code.value());
      List<String> messages = events.subList(1, events.size() - 1);
      List<String> sent = List.of("message:0", "message:1");
      if (code == Status.Code.OK) {
        assertThat(messages).isEqualTo(sent);
      } else {
        assertThat(messages).isEqualTo(sent.subList(0, messages.size()));
      }
    }
  }

  @Test
  void bidiTrailersArriveWithOk() throws Exception {
    ManagedChannel channel = start();
    CompletableFuture<Metadata> trailers = new CompletableFuture<>();
    ClientCall<byte[], byte[]> call = channel.newCall(ECHO, CallOptions.DEFAULT);
    call.start(
        new ClientCall.Listener<byte[]>() {
          @Override
          public void onClose(Status status, Metadata t) {
            if (status.isOk()) {
              trailers.complete(t);
            } else {
              trailers.completeExceptionally(status.asException());
            }
          }
        },
        null);
    call.request(1);
    call.sendMessage(new byte[] {1}).get(10, TimeUnit.SECONDS);
    call.halfClose();
    assertThat(trailers.get(10, TimeUnit.SECONDS).get("x-echoed")).isEqualTo("done");
  }

  @Test
  void abandonedResponseSubscriptionIsCancelled() throws Exception {
    ManagedChannel channel = start();
    AtomicInteger got = new AtomicInteger();
    ClientCalls.serverStreamingCall(channel, TICK, new byte[0], CallOptions.DEFAULT)
        .subscribe(
            new Flow.Subscriber<byte[]>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(1); // and drops s: nothing can ever ask for more
              }

              @Override
              public void onNext(byte[] item) {
                got.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {}
            });
    ServerCallContext ctx = contexts.poll(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!ctx.isCancelled() && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(ctx.isCancelled()).as("abandoned subscription cancelled the call").isTrue();
    assertThat(got.get()).isLessThanOrEqualTo(1);
  }

  @Test
  void unboundedSubscriberThatDropsItsSubscriptionIsNotCancelled() throws Exception {
    ManagedChannel channel = start();
    AtomicInteger got = new AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCalls.serverStreamingCall(channel, PRODUCE, count(300), CallOptions.DEFAULT)
        .subscribe(
            new Flow.Subscriber<byte[]>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE); // and drops s: it never needs it again
              }

              @Override
              public void onNext(byte[] item) {
                got.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                done.complete(null);
              }
            });
    while (!done.isDone()) {
      System.gc(); // the dropped subscription is collected mid-stream
      Thread.sleep(5);
    }
    done.get();
    assertThat(got.get()).isEqualTo(300);
  }

  @Test
  void abandonedRequestStreamIsCancelled() throws Exception {
    ManagedChannel channel = start();
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel, ECHO, observe(new CompletableFuture<byte[]>()), CallOptions.DEFAULT);
    requests.onNext(message(0, 8));
    ServerCallContext ctx = contexts.poll(10, TimeUnit.SECONDS);
    requests = null; // dropped without onCompleted: the call must not live on
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!ctx.isCancelled() && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(ctx.isCancelled()).as("abandoned stream cancelled").isTrue();
    assertThat(requests).isNull();
  }
}
