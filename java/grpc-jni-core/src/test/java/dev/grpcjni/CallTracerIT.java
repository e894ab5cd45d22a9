// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static dev.grpcjni.InterceptorIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client and server call tracers on real calls (127.0.0.1:0): the exact events, sequence numbers
 * and sizes of each kind of call, of a cancelled call, one past its deadline and one the server
 * does not have; compression's unknown wire sizes; a tracer that throws; and the order (nothing
 * after the close).
 */
class CallTracerIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final String SERVICE = "grpcjni.test.Traced";

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

  /**
   * Records every event of one call as a line, and what breaks the contract: two events at once, or
   * one after the close (a tracer's exception would only be logged, so these are kept for {@link
   * #await}).
   */
  static final class Recorder {
    final List<String> events = new ArrayList<>();
    final CompletableFuture<List<String>> closed = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean busy =
        new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String problem;

    void add(String event) {
      if (!busy.compareAndSet(false, true)) {
        problem = "events overlap at " + event;
      }
      try {
        synchronized (this) {
          if (closed.isDone()) {
            problem = "event after the close: " + event;
          }
          events.add(event);
        }
        Thread.onSpinWait(); // widens the window an overlap would show in
      } finally {
        busy.set(false);
      }
    }

    void close(Status status) {
      add("closed " + status.code());
      synchronized (this) {
        closed.complete(List.copyOf(events));
      }
    }

    List<String> await() throws Exception {
      List<String> e = closed.get(10, TimeUnit.SECONDS);
      assertThat(problem).as("tracer contract, events %s", e).isNull();
      return e;
    }
  }

  static final class ClientRecorder extends ClientCallTracer {
    final Recorder r = new Recorder();
    final CallInfo info;

    ClientRecorder(CallInfo info) {
      this.info = info;
    }

    @Override
    public void outboundHeaders() {
      r.add("out headers");
    }

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      r.add("out " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void inboundHeaders(Metadata headers) {
      r.add("in headers" + (headers.get("x-h") != null ? " x-h=" + headers.get("x-h") : ""));
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      r.add("in " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void inboundTrailers(Metadata trailers) {
      r.add("trailers" + (trailers.get("x-t") != null ? " x-t=" + trailers.get("x-t") : ""));
    }

    @Override
    public void callClosed(Status status) {
      r.close(status);
    }
  }

  static final class ServerRecorder extends ServerCallTracer {
    final Recorder r = new Recorder();
    final CallInfo info;

    ServerRecorder(CallInfo info) {
      this.info = info;
    }

    @Override
    public void outboundHeaders(Metadata headers) {
      r.add("out headers" + (headers.get("x-h") != null ? " x-h=" + headers.get("x-h") : ""));
    }

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      r.add("out " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      r.add("in " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void callClosed(Status status) {
      r.close(status);
    }
  }

  final BlockingQueue<ClientRecorder> clientTracers = new LinkedBlockingQueue<>();
  final BlockingQueue<ServerRecorder> serverTracers = new LinkedBlockingQueue<>();
  final CountDownLatch hangEntered = new CountDownLatch(1);
  Server server;
  ManagedChannel channel;

  ServiceDefinition service() {
    return service(hangEntered).build();
  }

  /**
   * The test service: each kind of call, and HANG, which counts {@code hangEntered} down and never
   * answers.
   */
  static ServiceDefinition.Builder service(CountDownLatch hangEntered) {
    return ServiceDefinition.builder(SERVICE)
        .unary(
            UNARY,
            (req, ctx) -> {
              ctx.responseHeaders().put("x-h", "1");
              ctx.responseTrailers().put("x-t", "2");
              return CompletableFuture.completedFuture(req);
            })
        .serverStreaming(
            SPLIT, (req, ctx) -> Flows.range(3, i -> bytes(new String(req) + i))) // 3 bytes each
        .clientStreaming(
            CONCAT,
            (requests, ctx) -> {
              Flows.Collector<byte[]> all = new Flows.Collector<>(4);
              requests.subscribe(all);
              return all.result()
                  .thenApply(list -> bytes(new String(list.get(0)) + new String(list.get(1))));
            })
        .bidiStreaming(
            ECHO,
            (requests, ctx) ->
                subscriber -> requests.subscribe(new Flows.Mapping<>(subscriber, m -> m)))
        .unary(
            HANG,
            (req, ctx) -> {
              hangEntered.countDown();
              return new CompletableFuture<>(); // never answers
            });
  }

  @BeforeEach
  void start() throws IOException {
    server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(service())
                .addCallTracer(
                    info -> {
                      ServerRecorder t = new ServerRecorder(info);
                      serverTracers.add(t);
                      return t;
                    })
                .build()
                .start());
    channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .addCallTracer(
                    info -> {
                      ClientRecorder t = new ClientRecorder(info);
                      clientTracers.add(t);
                      return t;
                    })
                .build());
  }

  private ClientRecorder nextClient() throws InterruptedException {
    ClientRecorder t = clientTracers.poll(10, TimeUnit.SECONDS);
    assertThat(t).as("a client tracer was made").isNotNull();
    return t;
  }

  private ServerRecorder nextServer() throws InterruptedException {
    ServerRecorder t = serverTracers.poll(10, TimeUnit.SECONDS);
    assertThat(t).as("a server tracer was made").isNotNull();
    return t;
  }

  /** The status a unary call of {@code method} failed with. */
  private Status statusOf(MethodDescriptor<byte[], byte[]> method, CallOptions options) {
    return statusOf(channel, method, options);
  }

  /** The status a unary call of {@code method} on {@code channel} failed with. */
  static Status statusOf(
      Channel channel, MethodDescriptor<byte[], byte[]> method, CallOptions options) {
    java.util.concurrent.ExecutionException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            java.util.concurrent.ExecutionException.class,
            () ->
                dev.grpcjni.stub.ClientCalls.unaryCall(channel, method, bytes("x"), options)
                    .get(10, TimeUnit.SECONDS));
    assertThat(e).as("%s should fail", method.fullMethodName()).isNotNull();
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return ((StatusException) e.getCause()).status();
  }

  static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10));
  }

  /** A tracer type no factory makes. */
  static final class Unmade extends ServerCallTracer {}

  @Test
  void aHandlerFindsItsCallsTracer() throws Exception {
    List<ServerCallTracer> made = new java.util.concurrent.CopyOnWriteArrayList<>();
    // What each call's handler found: by its class, by a supertype, by a class none made.
    List<List<ServerCallTracer>> found = new java.util.concurrent.CopyOnWriteArrayList<>();
    ServiceDefinition looking =
        ServiceDefinition.builder(SERVICE)
            .unary(
                UNARY,
                (req, ctx) -> {
                  found.add(
                      java.util.Arrays.asList(
                          ctx.tracer(ServerRecorder.class),
                          ctx.tracer(ServerCallTracer.class),
                          ctx.tracer(Unmade.class)));
                  return CompletableFuture.completedFuture(req);
                })
            .build();
    Server traced =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(looking)
                .addCallTracer(
                    info -> {
                      ServerRecorder t = new ServerRecorder(info);
                      made.add(t);
                      return t;
                    })
                .build()
                .start());
    ManagedChannel c =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + traced.port()).build());
    assertThat(InterceptorIT.call(c, UNARY, "x")).isEqualTo("x");
    assertThat(made).hasSize(1);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get(0)).as("by its class").isSameAs(made.get(0));
    assertThat(found.get(0).get(1)).as("by a supertype").isSameAs(made.get(0));
    assertThat(found.get(0).get(2)).as("a class none made").isNull();

    Server untraced =
        grpc.register(ServerBuilder.forAddress("127.0.0.1:0").addService(looking).build().start());
    ManagedChannel u =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + untraced.port()).build());
    assertThat(InterceptorIT.call(u, UNARY, "y")).isEqualTo("y");
    assertThat(found).hasSize(2);
    assertThat(found.get(1)).as("a server without tracers").containsOnlyNulls();
  }

  @Test
  void unaryReportsEveryEventWithSizesOnBothSides() throws Exception {
    assertThat(InterceptorIT.call(channel, UNARY, "hello")).isEqualTo("hello");
    ClientRecorder c = nextClient();
    assertThat(c.info.method()).isSameAs(UNARY);
    assertThat(c.info.target()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(c.r.await())
        .containsExactly(
            "out headers",
            "out 0 5 5",
            "in headers x-h=1",
            "in 0 5 5",
            "trailers x-t=2",
            "closed OK");
    ServerRecorder s = nextServer();
    assertThat(s.info.fullMethodName()).isEqualTo(UNARY.fullMethodName());
    assertThat(s.info.registered()).isTrue();
    assertThat(s.info.headers()).isNotNull();
    assertThat(s.r.await())
        .containsExactly("in 0 5 5", "out headers x-h=1", "out 0 5 5", "closed OK");
  }

  @Test
  void serverStreamingCountsEachResponse() throws Exception {
    assertThat(InterceptorIT.call(channel, SPLIT, "ab")).isEqualTo("ab0,ab1,ab2");
    assertThat(nextClient().r.await())
        .containsExactly(
            "out headers",
            "out 0 2 2",
            "in headers",
            "in 0 3 3",
            "in 1 3 3",
            "in 2 3 3",
            "trailers",
            "closed OK");
    assertThat(nextServer().r.await())
        .containsExactly(
            "in 0 2 2", "out headers", "out 0 3 3", "out 1 3 3", "out 2 3 3", "closed OK");
  }

  @Test
  void clientStreamingCountsEachRequest() throws Exception {
    // InterceptorIT.call sends request + "0" and request + "1".
    assertThat(InterceptorIT.call(channel, CONCAT, "xyz")).isEqualTo("xyz0xyz1");
    assertThat(nextClient().r.await())
        .containsExactly(
            "out headers",
            "out 0 4 4",
            "out 1 4 4",
            "in headers",
            "in 0 8 8",
            "trailers",
            "closed OK");
    assertThat(nextServer().r.await())
        .containsExactly("in 0 4 4", "in 1 4 4", "out headers", "out 0 8 8", "closed OK");
  }

  @Test
  void bidiStreamingCountsBothDirections() throws Exception {
    assertThat(InterceptorIT.call(channel, ECHO, "q")).isEqualTo("q0,q1");
    List<String> client = nextClient().r.await();
    // The directions interleave as the network has it; each in order.
    assertThat(client).startsWith("out headers").endsWith("trailers", "closed OK");
    assertThat(client).containsSubsequence("out 0 2 2", "out 1 2 2");
    assertThat(client).containsSubsequence("in headers", "in 0 2 2", "in 1 2 2");
    assertThat(client).hasSize(8);
    List<String> server = nextServer().r.await();
    assertThat(server).containsSubsequence("in 0 2 2", "in 1 2 2");
    assertThat(server).containsSubsequence("out headers", "out 0 2 2", "out 1 2 2");
    assertThat(server).endsWith("closed OK").hasSize(6);
  }

  /**
   * Sends "abc" to {@link #HANG}, waits until its handler has the call ({@code entered}), cancels
   * it ("enough") and returns the status onClose reported.
   */
  static Status cancelHanging(Channel channel, CountDownLatch entered) throws Exception {
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
    call.sendMessage(bytes("abc"));
    call.halfClose();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    call.cancel("enough", null);
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCancelledCallClosesCancelledOnBothSides() throws Exception {
    assertThat(cancelHanging(channel, hangEntered).code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(nextClient().r.await())
        .containsExactly("out headers", "out 0 3 3", "trailers", "closed CANCELLED");
    assertThat(nextServer().r.await()).containsExactly("in 0 3 3", "closed CANCELLED");
  }

  @Test
  void aCancelledStreamReportsNoHeadersItNeverGot() throws Exception {
    ClientCall<byte[], byte[]> call = channel.newCall(ECHO, options());
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        null);
    call.request(1);
    ServerRecorder server = nextServer(); // the call arrived
    call.cancel("enough", null);
    assertThat(closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(nextClient().r.await())
        .containsExactly("out headers", "trailers", "closed CANCELLED");
    assertThat(server.r.await()).containsExactly("closed CANCELLED");
  }

  @Test
  void aCallPastItsDeadlineClosesWithDeadlineExceeded() throws Exception {
    Status s = statusOf(HANG, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(300)));
    assertThat(s.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(nextClient().r.await())
        .containsExactly("out headers", "out 0 1 1", "trailers", "closed DEADLINE_EXCEEDED");
    // The server sees the client's deadline end the call: cancelled.
    assertThat(nextServer().r.await()).containsExactly("in 0 1 1", "closed CANCELLED");
  }

  @Test
  void aCallThatExpiredBeforeItStartedReportsOnlyItsClose() throws Exception {
    Status s = statusOf(UNARY, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofNanos(1)));
    assertThat(s.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(nextClient().r.await()).containsExactly("closed DEADLINE_EXCEEDED");
    assertThat(serverTracers.poll(200, TimeUnit.MILLISECONDS)).as("never sent").isNull();
  }

  @Test
  void aCallThatCannotStartReportsOnlyItsClose() throws Exception {
    ManagedChannel closed =
        ChannelBuilder.forTarget("127.0.0.1:" + server.port())
            .addCallTracer(
                info -> {
                  ClientRecorder t = new ClientRecorder(info);
                  clientTracers.add(t);
                  return t;
                })
            .build();
    closed.shutdownNow();
    CompletableFuture<byte[]> r =
        dev.grpcjni.stub.ClientCalls.unaryCall(closed, UNARY, bytes("x"), options());
    assertThat(catchStatus(r).code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(nextClient().r.await()).containsExactly("closed UNAVAILABLE");
  }

  @Test
  void callCredentialsThatFailAreTracedAsTheClose() throws Exception {
    ManagedChannel withCredentials =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .addCallTracer(
                    info -> {
                      ClientRecorder t = new ClientRecorder(info);
                      clientTracers.add(t);
                      return t;
                    })
                .callCredentials(
                    info ->
                        CompletableFuture.failedFuture(
                            new StatusException(
                                Status.UNAUTHENTICATED.withDescription("no token"))))
                .allowCallCredentialsOnPlaintext()
                .build());
    CompletableFuture<byte[]> r =
        dev.grpcjni.stub.ClientCalls.unaryCall(withCredentials, UNARY, bytes("x"), options());
    assertThat(catchStatus(r).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(nextClient().r.await()).containsExactly("closed UNAUTHENTICATED");
    assertThat(serverTracers.poll(200, TimeUnit.MILLISECONDS)).as("never sent").isNull();
  }

  static Status catchStatus(CompletableFuture<?> f) {
    java.util.concurrent.ExecutionException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertThat(e).isNotNull();
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return ((StatusException) e.getCause()).status();
  }

  @Test
  void anUnknownMethodIsTracedAsUnregisteredAndUnimplemented() throws Exception {
    Status s = statusOf(MISSING, options());
    assertThat(s.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    // A trailers-only response: no headers, no message.
    assertThat(nextClient().r.await())
        .containsExactly("out headers", "out 0 1 1", "trailers", "closed UNIMPLEMENTED");
    ServerRecorder server = nextServer();
    assertThat(server.info.fullMethodName()).isEqualTo(MISSING.fullMethodName());
    assertThat(server.info.registered()).isFalse();
    assertThat(server.r.await()).containsExactly("out headers", "closed UNIMPLEMENTED");
  }

  @Test
  void compressedMessagesHaveNoKnownWireSize() throws Exception {
    byte[] big = new byte[1000];
    CompletableFuture<byte[]> r =
        dev.grpcjni.stub.ClientCalls.unaryCall(
            channel, UNARY, big, options().withCompression(Compression.GZIP));
    assertThat(r.get(10, TimeUnit.SECONDS)).hasSize(1000);
    assertThat(nextClient().r.await())
        .contains("out 0 -1 1000") // the C core compresses it and does not say to what
        .contains("in 0 1000 1000"); // the response came uncompressed
    assertThat(nextServer().r.await())
        .contains("in 0 -1 1000") // came compressed
        .contains("out 0 1000 1000");
  }

  @Test
  void callOptionsAddATracerToTheChannels() throws Exception {
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    ClientCallTracer.Factory mine =
        info ->
            new ClientCallTracer() {
              @Override
              public void callClosed(Status status) {
                order.add("call's");
              }
            };
    CompletableFuture<byte[]> r =
        dev.grpcjni.stub.ClientCalls.unaryCall(
            channel, UNARY, bytes("x"), options().withCallTracer(mine));
    r.get(10, TimeUnit.SECONDS);
    assertThat(nextClient().r.await()).endsWith("closed OK");
    assertThat(order).containsExactly("call's");
    assertThat(nextServer().r.await()).endsWith("closed OK");
  }

  @Test
  void aTracerThatThrowsDoesNotHurtTheCall() throws Exception {
    AtomicInteger thrown = new AtomicInteger();
    class Throwing extends ClientCallTracer {
      @Override
      public void outboundHeaders() {
        thrown.incrementAndGet();
        throw new IllegalStateException("tracer bug");
      }

      @Override
      public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
        thrown.incrementAndGet();
        throw new IllegalStateException("tracer bug");
      }

      @Override
      public void callClosed(Status status) {
        thrown.incrementAndGet();
        throw new IllegalStateException("tracer bug");
      }
    }
    ManagedChannel bad =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .addCallTracer(info -> new Throwing())
                .addCallTracer(info -> null) // leaves the call untraced by it
                .addCallTracer(
                    info -> {
                      throw new IllegalStateException("factory bug");
                    })
                .build());
    for (MethodDescriptor<byte[], byte[]> m : List.of(UNARY, SPLIT, CONCAT, ECHO)) {
      assertThat(InterceptorIT.call(bad, m, "t")).isEqualTo(InterceptorIT.expected(m, "", "t"));
    }
    // Per call: headers, close, and each response (1 + 3 + 1 + 2).
    assertThat(thrown.get()).isEqualTo(4 * 2 + 7);
    for (int i = 0; i < 4; i++) {
      assertThat(nextServer().r.await()).endsWith("closed OK");
    }
  }

  @Test
  void manyConcurrentCallsEachCloseOnceAndLast() throws Exception {
    // Bidi calls with messages in flight, a third cancelled at a random point: every tracer's
    // events must not overlap and must end with exactly one close (Recorder checks both), and a
    // call that completed reports every message each way.
    int calls = 120;
    java.util.Random random = new java.util.Random(42);
    List<CompletableFuture<Status>> closes = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      ClientCall<byte[], byte[]> call = channel.newCall(ECHO, options());
      CompletableFuture<Status> closed = new CompletableFuture<>();
      call.start(
          new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
              call.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              closed.complete(status);
            }
          },
          null);
      call.request(1);
      int sends = 1 + random.nextInt(5);
      boolean cancel = random.nextInt(3) == 0;
      for (int m = 0; m < sends; m++) {
        call.sendMessage(bytes("m" + m));
        if (cancel && m == sends / 2) {
          call.cancel("stress", null);
        }
      }
      if (!cancel) {
        call.halfClose();
      }
      closes.add(closed);
    }
    int ok = 0;
    for (CompletableFuture<Status> f : closes) {
      if (f.get(20, TimeUnit.SECONDS).isOk()) {
        ok++;
      }
    }
    List<ClientRecorder> clients = new ArrayList<>();
    clientTracers.drainTo(clients);
    assertThat(clients).hasSize(calls);
    int okTraced = 0;
    for (ClientRecorder c : clients) {
      List<String> events = c.r.await();
      assertThat(events.stream().filter(e -> e.startsWith("closed"))).hasSize(1);
      if (events.get(events.size() - 1).equals("closed OK")) {
        okTraced++;
        long out =
            events.stream().filter(e -> e.startsWith("out ") && !e.equals("out headers")).count();
        long in =
            events.stream().filter(e -> e.startsWith("in ") && !e.startsWith("in headers")).count();
        assertThat(in).as("every echo of %s", events).isEqualTo(out);
      }
    }
    assertThat(okTraced).isEqualTo(ok);
    // The server saw (at most) every call; each of its tracers closed once, last.
    List<ServerRecorder> servers = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (servers.size() < ok && System.nanoTime() < end) {
      ServerRecorder r = serverTracers.poll(100, TimeUnit.MILLISECONDS);
      if (r != null) {
        servers.add(r);
      }
    }
    serverTracers.drainTo(servers);
    assertThat(servers.size()).isBetween(ok, calls);
    for (ServerRecorder r : servers) {
      assertThat(r.r.await().stream().filter(e -> e.startsWith("closed"))).hasSize(1);
    }
  }

  @Test
  void aServerShutDownNowClosesItsCallsCancelled() throws Exception {
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
    call.sendMessage(bytes("z"));
    call.halfClose();
    assertThat(hangEntered.await(10, TimeUnit.SECONDS)).isTrue();
    server.shutdownNow();
    assertThat(nextServer().r.await()).containsExactly("in 0 1 1", "closed CANCELLED");
    Status s = closed.get(10, TimeUnit.SECONDS);
    assertThat(s.isOk()).isFalse();
    assertThat(nextClient().r.await()).endsWith("trailers", "closed " + s.code());
  }
}
