// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.stub.UnaryHandler;
import dev.grpcjni.stub.UnaryResponse;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unary calls end to end against a real server on 127.0.0.1:0. */
class UnaryIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private Server start(ServiceDefinition service) throws IOException {
    return grpc.register(
        ServerBuilder.forAddress("127.0.0.1:0").addService(service).build().start());
  }

  private ManagedChannel channel(Server server) {
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A handler that never answers, exposing its context to the test. */
  private static UnaryHandler<byte[], byte[]> hanging(
      CompletableFuture<ServerCallContext> context) {
    return (req, ctx) -> {
      context.complete(ctx);
      return new CompletableFuture<>();
    };
  }

  private static StatusException statusOf(CompletableFuture<?> f) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertThat(e).as("future should fail").isNotNull();
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return (StatusException) e.getCause();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1024, 1 << 20})
  void payloadsRoundTrip(int size) throws Exception {
    Server server = start(EchoService.service(null, null));
    ManagedChannel channel = channel(server);
    byte[] request = randomBytes(size, size);
    assertThat(ClientCalls.unaryCall(channel, EchoService.ECHO, request).get(10, TimeUnit.SECONDS))
        .isEqualTo(request);
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, request))
        .isEqualTo(request);
  }

  @Test
  void tenThousandSequentialCalls() throws Exception {
    Server server = start(EchoService.service(null, null));
    ManagedChannel channel = channel(server);
    for (int i = 0; i < 10_000; i++) {
      // Mostly small; every 1000th is 1 MiB.
      int size = i % 1000 == 999 ? 1 << 20 : (i % 2 == 0 ? 0 : 1024);
      byte[] request = size == 0 ? new byte[0] : randomBytes(size, i);
      byte[] response = ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, request);
      if (!Arrays.equals(request, response)) {
        throw new AssertionError("call " + i + " returned a different payload");
      }
    }
  }

  @Test
  void tenThousandConcurrentCalls() throws Exception {
    Server server = start(EchoService.service(null, null));
    ManagedChannel channel = channel(server);
    Semaphore inFlight = new Semaphore(64);
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      inFlight.acquire();
      int size = i % 1000 == 999 ? 1 << 20 : (i % 2 == 0 ? 0 : 1024);
      byte[] request = randomBytes(size, i);
      all.add(
          ClientCalls.unaryCall(channel, EchoService.ECHO, request)
              .whenComplete(
                  (response, error) -> {
                    inFlight.release();
                    if (error != null) {
                      failure.compareAndSet(null, error);
                    } else if (Arrays.equals(request, response)) {
                      ok.incrementAndGet();
                    } else {
                      failure.compareAndSet(null, new AssertionError("payload mismatch"));
                    }
                  }));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .exceptionally(t -> null)
        .get(120, TimeUnit.SECONDS);
    assertThat(failure.get()).isNull();
    assertThat(ok.get()).isEqualTo(10_000);
  }

  @Test
  void everyStatusCodeRoundTripsWithMessageTrailersAndDetails() throws Exception {
    Server server =
        start(
            EchoService.service(
                "Fail",
                (req, ctx) -> {
                  Status.Code code = Status.Code.fromValue(req[0]);
                  Metadata trailers =
                      new Metadata().put("x-code", code.name()).putBinary("x-raw-bin", req);
                  return CompletableFuture.failedFuture(
                      code.toStatus()
                          .withDescription("failed with " + code + " \u00e9\u4e2d\n%")
                          .withDetails(new byte[] {9, 8, (byte) code.value()})
                          .asException(trailers));
                }));
    ManagedChannel channel = channel(server);
    for (Status.Code code : Status.Code.values()) {
      if (code == Status.Code.OK) {
        continue;
      }
      byte[] req = {(byte) code.value()};
      StatusException e = statusOf(ClientCalls.unaryCall(channel, EchoService.method("Fail"), req));
      assertThat(e.status().code()).isEqualTo(code);
      assertThat(e.status().description()).isEqualTo("failed with " + code + " \u00e9\u4e2d\n%");
      assertThat(e.status().details()).containsExactly(9, 8, code.value());
      assertThat(e.trailers().get("x-code")).isEqualTo(code.name());
      assertThat(e.trailers().getBinary("x-raw-bin")).isEqualTo(req);
      assertThat(e.trailers().containsKey("grpc-status-details-bin")).isFalse();
    }
  }

  @Test
  void metadataRoundTripsBothWays() throws Exception {
    byte[] binary = {0, 1, 2, (byte) 0xFF, 10, 13};
    Server server =
        start(
            EchoService.service(
                "Meta",
                UnaryHandler.sync(
                    (req, ctx) -> {
                      Metadata in = ctx.requestHeaders();
                      ctx.responseHeaders()
                          .put("x-echo-text", in.get("x-text"))
                          .put("x-header-only", "h");
                      ctx.responseTrailers()
                          .putBinary("x-echo-bin", in.getBinary("x-bin-bin"))
                          .put("x-count", String.valueOf(in.getAll("x-multi").size()));
                      return req;
                    })));
    ManagedChannel channel = channel(server);
    Metadata headers =
        new Metadata()
            .put("x-text", "hello world")
            .putBinary("x-bin-bin", binary)
            .put("x-multi", "a")
            .put("x-multi", "b");
    UnaryResponse<byte[]> r =
        ClientCalls.unaryCallWithMetadata(
                channel,
                EchoService.method("Meta"),
                new byte[] {7},
                CallOptions.DEFAULT.withHeaders(headers))
            .get(10, TimeUnit.SECONDS);
    assertThat(r.message()).containsExactly(7);
    assertThat(r.headers().get("x-echo-text")).isEqualTo("hello world");
    assertThat(r.headers().get("x-header-only")).isEqualTo("h");
    assertThat(r.trailers().getBinary("x-echo-bin")).isEqualTo(binary);
    assertThat(r.trailers().get("x-count")).isEqualTo("2");
    assertThat(r.trailers().containsKey("x-header-only")).isFalse();
  }

  @Test
  void deadlineExceededCancelsTheServerCall() throws Exception {
    CompletableFuture<ServerCallContext> context = new CompletableFuture<>();
    Server server = start(EchoService.service("Hang", hanging(context)));
    ManagedChannel channel = channel(server);
    CompletableFuture<byte[]> f =
        ClientCalls.unaryCall(
            channel,
            EchoService.method("Hang"),
            new byte[0],
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(300)));
    assertThat(statusOf(f).status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    ServerCallContext ctx = context.get(5, TimeUnit.SECONDS);
    ctx.whenCancelled().get(5, TimeUnit.SECONDS);
    assertThat(ctx.isCancelled()).isTrue();
  }

  @Test
  void alreadyExpiredDeadlineFailsFast() throws Exception {
    Server server = start(EchoService.service(null, null));
    ManagedChannel channel = channel(server);
    CompletableFuture<byte[]> f =
        ClientCalls.unaryCall(
            channel,
            EchoService.ECHO,
            new byte[1],
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(-5)));
    StatusException e = statusOf(f);
    assertThat(e.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.status().description()).contains("before the call started");
  }

  @Test
  void serverSeesTheDeadline() throws Exception {
    AtomicReference<Deadline> seen = new AtomicReference<>();
    AtomicReference<Deadline> none = new AtomicReference<>(Deadline.after(Duration.ZERO));
    Server server =
        start(
            EchoService.service(
                "Deadline",
                UnaryHandler.sync(
                    (req, ctx) -> {
                      (req.length == 0 ? none : seen).set(ctx.deadline());
                      return req;
                    })));
    ManagedChannel channel = channel(server);
    ClientCalls.blockingUnaryCall(
        channel,
        EchoService.method("Deadline"),
        new byte[1],
        CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)));
    ClientCalls.blockingUnaryCall(channel, EchoService.method("Deadline"), new byte[0]);
    // The C core rounds grpc-timeout up to a coarser unit on the wire, so allow a little over 10 s.
    assertThat(seen.get().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(5_000L, 10_500L);
    assertThat(none.get()).isNull();
  }

  @Test
  void cancellingTheFutureCancelsTheRpc() throws Exception {
    CompletableFuture<ServerCallContext> context = new CompletableFuture<>();
    Server server = start(EchoService.service("Hang", hanging(context)));
    ManagedChannel channel = channel(server);
    CompletableFuture<byte[]> f =
        ClientCalls.unaryCall(channel, EchoService.method("Hang"), new byte[0]);
    ServerCallContext ctx = context.get(5, TimeUnit.SECONDS);
    assertThat(ctx.isCancelled()).isFalse();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f).isCancelled();
    assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
    ctx.whenCancelled().get(5, TimeUnit.SECONDS);
    assertThat(ctx.isCancelled()).isTrue();
    // The channel still works afterwards.
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {1}))
        .containsExactly(1);
  }

  @Test
  void unknownMethodAndServiceAreUnimplemented() throws Exception {
    Server server = start(EchoService.service(null, null));
    ManagedChannel channel = channel(server);
    StatusException method =
        statusOf(ClientCalls.unaryCall(channel, EchoService.method("Nope"), new byte[0]));
    assertThat(method.status().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(method.status().description()).contains("grpcjni.test.Echo/Nope");
    MethodDescriptor<byte[], byte[]> missing =
        MethodDescriptor.unary(
            "grpcjni.test.Missing/Call", Marshallers.bytes(), Marshallers.bytes());
    assertThat(statusOf(ClientCalls.unaryCall(channel, missing, new byte[0])).status().code())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void handlerFailuresBecomeStatusesAndTheServerSurvives() throws Exception {
    UnaryHandler<byte[], byte[]> handler =
        (req, ctx) -> {
          switch (req[0]) {
            case 0:
              throw new IllegalStateException("thrown");
            case 1:
              return CompletableFuture.failedFuture(new RuntimeException("failed"));
            case 2:
              return null;
            case 3:
              return CompletableFuture.completedFuture(null);
            default:
              throw Status.PERMISSION_DENIED.withDescription("no").asException();
          }
        };
    Server server = start(EchoService.service("Fail", handler));
    ManagedChannel channel = channel(server);
    MethodDescriptor<byte[], byte[]> fail = EchoService.method("Fail");
    assertThat(statusOf(ClientCalls.unaryCall(channel, fail, new byte[] {0})).status().code())
        .isEqualTo(Status.Code.UNKNOWN);
    assertThat(statusOf(ClientCalls.unaryCall(channel, fail, new byte[] {1})).status().code())
        .isEqualTo(Status.Code.UNKNOWN);
    assertThat(statusOf(ClientCalls.unaryCall(channel, fail, new byte[] {2})).status().code())
        .isEqualTo(Status.Code.INTERNAL);
    assertThat(statusOf(ClientCalls.unaryCall(channel, fail, new byte[] {3})).status().code())
        .isEqualTo(Status.Code.INTERNAL);
    StatusException denied = statusOf(ClientCalls.unaryCall(channel, fail, new byte[] {4}));
    assertThat(denied.status().code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.status().description()).isEqualTo("no");
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {5}))
        .containsExactly(5);
  }

  /** A marshaller whose every operation fails. */
  private static final Marshaller<byte[]> BROKEN =
      new Marshaller<>() {
        @Override
        public int serializedSize(byte[] value) {
          return value.length;
        }

        @Override
        public void serialize(byte[] value, ByteBuffer target) {
          throw new IllegalArgumentException("cannot serialize");
        }

        @Override
        public byte[] parse(ByteBuffer source) {
          throw new IllegalArgumentException("cannot parse");
        }
      };

  @Test
  void marshallingFailuresBecomeInternal() throws Exception {
    String name = MethodDescriptor.fullMethodName(EchoService.NAME, "Broken");
    MethodDescriptor<byte[], byte[]> brokenRequest =
        MethodDescriptor.unary(name, Marshallers.bytes(), Marshallers.bytes());
    ServiceDefinition service =
        ServiceDefinition.builder(EchoService.NAME)
            .unary(
                MethodDescriptor.unary(name, BROKEN, Marshallers.bytes()),
                (req, ctx) -> CompletableFuture.completedFuture(req))
            .unary(EchoService.ECHO, (req, ctx) -> CompletableFuture.completedFuture(req))
            .build();
    Server server = start(service);
    ManagedChannel channel = channel(server);
    // The server cannot parse the request.
    StatusException parse = statusOf(ClientCalls.unaryCall(channel, brokenRequest, new byte[] {1}));
    assertThat(parse.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(parse.status().description()).contains("Failed to parse request");
    // The client cannot serialize its request: no RPC is made.
    StatusException serialize =
        statusOf(
            ClientCalls.unaryCall(
                channel,
                MethodDescriptor.unary(name, BROKEN, Marshallers.bytes()),
                new byte[] {1}));
    assertThat(serialize.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(serialize.status().description()).contains("Failed to serialize request");
    // The client cannot parse the response.
    MethodDescriptor<byte[], byte[]> badResponse =
        MethodDescriptor.unary(EchoService.ECHO.fullMethodName(), Marshallers.bytes(), BROKEN);
    StatusException response =
        statusOf(ClientCalls.unaryCall(channel, badResponse, new byte[] {1}));
    assertThat(response.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(response.status().description()).contains("Failed to parse response");
  }

  /** A marshaller that declares one byte more than it writes. */
  private static final Marshaller<byte[]> SHORT =
      new Marshaller<>() {
        @Override
        public int serializedSize(byte[] value) {
          return value.length + 1;
        }

        @Override
        public void serialize(byte[] value, ByteBuffer target) {
          target.put(value);
        }

        @Override
        public byte[] parse(ByteBuffer source) {
          return Marshallers.bytes().parse(source);
        }
      };

  /** Starts a client-streaming call to Echo whose requests use {@code marshaller}. */
  private static ClientCallStreamObserver<byte[]> clientStream(
      ManagedChannel channel, Marshaller<byte[]> marshaller) {
    return ClientCalls.asyncClientStreamingCall(
        channel,
        MethodDescriptor.create(
            MethodDescriptor.MethodType.CLIENT_STREAMING,
            EchoService.ECHO.fullMethodName(),
            marshaller,
            Marshallers.bytes()),
        new StreamObserver<byte[]>() {
          @Override
          public void onNext(byte[] value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        },
        CallOptions.DEFAULT);
  }

  /** A marshaller that declares a negative size. */
  private static final Marshaller<byte[]> NEGATIVE =
      new Marshaller<>() {
        @Override
        public int serializedSize(byte[] value) {
          return -1;
        }

        @Override
        public void serialize(byte[] value, ByteBuffer target) {}

        @Override
        public byte[] parse(ByteBuffer source) {
          return Marshallers.bytes().parse(source);
        }
      };

  @ParameterizedTest
  @ValueSource(strings = {"short", "negative"})
  void marshallerMisdeclaringItsSizeIsInternal(String kind) throws Exception {
    Marshaller<byte[]> bad = kind.equals("short") ? SHORT : NEGATIVE;
    String expected =
        kind.equals("short") ? "marshaller wrote 2 bytes, declared 3" : "negative size: -1";
    String name = MethodDescriptor.fullMethodName(EchoService.NAME, "BadReply");
    Server server =
        start(
            ServiceDefinition.builder(EchoService.NAME)
                .unary(
                    MethodDescriptor.unary(name, Marshallers.bytes(), bad),
                    (req, ctx) -> CompletableFuture.completedFuture(req))
                .unary(EchoService.ECHO, (req, ctx) -> CompletableFuture.completedFuture(req))
                .build());
    ManagedChannel channel = channel(server);
    // The client's request, unary and server-streaming: refused before any RPC.
    StatusException request =
        statusOf(
            ClientCalls.unaryCall(
                channel,
                MethodDescriptor.unary(EchoService.ECHO.fullMethodName(), bad, Marshallers.bytes()),
                new byte[] {1, 2}));
    assertThat(request.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(request.status().description())
        .contains("Failed to serialize request")
        .contains(expected);
    CompletableFuture<Throwable> streamError = new CompletableFuture<>();
    ClientCalls.asyncServerStreamingCall(
        channel,
        MethodDescriptor.create(
            MethodDescriptor.MethodType.SERVER_STREAMING,
            EchoService.ECHO.fullMethodName(),
            bad,
            Marshallers.bytes()),
        new byte[] {1, 2},
        new StreamObserver<byte[]>() {
          @Override
          public void onNext(byte[] value) {}

          @Override
          public void onError(Throwable t) {
            streamError.complete(t);
          }

          @Override
          public void onCompleted() {
            streamError.complete(null);
          }
        },
        CallOptions.DEFAULT);
    assertThat(streamError.get(5, TimeUnit.SECONDS))
        .isInstanceOf(StatusException.class)
        .hasMessageContaining("Failed to serialize request")
        .hasMessageContaining(expected);
    // The server's response: the call ends INTERNAL, neither a short message nor OK without one.
    StatusException response =
        statusOf(
            ClientCalls.unaryCall(
                channel,
                MethodDescriptor.unary(name, Marshallers.bytes(), Marshallers.bytes()),
                new byte[] {1, 2}));
    assertThat(response.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(response.status().description()).contains("Failed to serialize response");
    // A streamed message: the send throws, and nothing is queued.
    ClientCallStreamObserver<byte[]> requests = clientStream(channel, bad);
    assertThatThrownBy(() -> requests.onNext(new byte[] {1, 2}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(expected);
    requests.cancel("test done");
    // The channel still works.
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {7}))
        .containsExactly(7);
  }

  @Test
  void interruptedBlockingCallIsCancelled() throws Exception {
    CompletableFuture<ServerCallContext> context = new CompletableFuture<>();
    Server server = start(EchoService.service("Hang", hanging(context)));
    ManagedChannel channel = channel(server);
    Thread caller = Thread.currentThread();
    CompletableFuture.runAsync(
        () -> {
          try {
            context.get(5, TimeUnit.SECONDS);
            caller.interrupt();
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () -> ClientCalls.blockingUnaryCall(channel, EchoService.method("Hang"), new byte[0]));
    assertThat(Thread.interrupted()).isTrue(); // and clear it
    assertThat(e.status().code()).isEqualTo(Status.Code.CANCELLED);
    context.get().whenCancelled().get(5, TimeUnit.SECONDS);
  }

  @Test
  void peerIsTheClientsLoopbackAddress() throws Exception {
    Server server =
        start(
            EchoService.service(
                "Peer",
                UnaryHandler.sync((req, ctx) -> ctx.peer().getBytes(StandardCharsets.UTF_8))));
    ManagedChannel channel = channel(server);
    String peer =
        new String(
            ClientCalls.blockingUnaryCall(channel, EchoService.method("Peer"), new byte[0]),
            StandardCharsets.UTF_8);
    assertThat(peer).startsWith("ipv4:127.0.0.1:");
  }

  /** Starts a unary call of {@code method}; completes with its peer() as onClose saw it. */
  private static CompletableFuture<String> peerAtClose(
      ManagedChannel channel, MethodDescriptor<byte[], byte[]> method, byte[] request) {
    CompletableFuture<String> peer = new CompletableFuture<>();
    AtomicReference<ClientCall<byte[], byte[]>> made = new AtomicReference<>();
    ClientCall<byte[], byte[]> call =
        channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)));
    made.set(call);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            peer.complete(status.code() + " " + made.get().peer());
          }
        },
        null);
    call.request(1);
    call.sendMessage(request);
    call.halfClose();
    return peer;
  }

  @Test
  void aUnaryCallKnowsTheServerThatAnsweredInOnCloseAndAfter() throws Exception {
    Server server =
        start(
            EchoService.service(
                "Sized",
                UnaryHandler.sync(
                    (req, ctx) -> {
                      if (req.length == 0) {
                        throw new StatusException(Status.NOT_FOUND.withDescription("none"));
                      }
                      return new byte[req[0] * 1024]; // copied out, or parsed in place (> 16 KiB)
                    })));
    ManagedChannel channel = channel(server);
    String at = "ipv4:127.0.0.1:" + server.port();
    MethodDescriptor<byte[], byte[]> sized = EchoService.method("Sized");
    assertThat(peerAtClose(channel, sized, new byte[] {1}).get(10, TimeUnit.SECONDS))
        .isEqualTo("OK " + at);
    assertThat(peerAtClose(channel, sized, new byte[] {64}).get(10, TimeUnit.SECONDS))
        .isEqualTo("OK " + at);
    assertThat(peerAtClose(channel, sized, new byte[0]).get(10, TimeUnit.SECONDS))
        .as("an error status comes from a server too")
        .isEqualTo("NOT_FOUND " + at);
    // A target in the C core's peer form names the server exactly as the server's peer reads.
    ManagedChannel literal = grpc.register(ChannelBuilder.forTarget(at).build());
    assertThat(peerAtClose(literal, sized, new byte[] {1}).get(10, TimeUnit.SECONDS))
        .isEqualTo("OK " + at);

    // Cancelled here before it went out: no server, whichever thread asks.
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    AtomicReference<ClientCall<byte[], byte[]>> made = new AtomicReference<>();
    made.set(channel.newCall(sized, CallOptions.DEFAULT));
    made.get()
        .start(
            new ClientCall.Listener<>() {
              @Override
              public void onClose(Status status, Metadata trailers) {
                cancelled.complete(status.code() + " " + made.get().peer());
              }
            },
            null);
    made.get().sendMessage(new byte[] {1}); // held until halfClose
    made.get().cancel("never sent", null);
    assertThat(cancelled.get(10, TimeUnit.SECONDS)).isEqualTo("CANCELLED unknown");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort(); // closed again: nothing listens there
    }
    // A target in the C core's own peer form: the C core names it for a call that reached no one.
    ManagedChannel nowhere =
        grpc.register(ChannelBuilder.forTarget("ipv4:127.0.0.1:" + closedPort).build());
    assertThat(peerAtClose(nowhere, sized, new byte[] {1}).get(10, TimeUnit.SECONDS))
        .isEqualTo("UNAVAILABLE unknown");
  }

  @Test
  void continuationsRunOnTheExecutorOrDirectlyWhenAsked() throws Exception {
    AtomicReference<String> handlerThread = new AtomicReference<>();
    java.util.concurrent.BlockingQueue<CompletableFuture<byte[]>> held =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(
                    EchoService.service(
                        "Thread",
                        (req, ctx) -> {
                          handlerThread.set(Thread.currentThread().getName());
                          CompletableFuture<byte[]> response = new CompletableFuture<>();
                          held.add(response);
                          return response;
                        }))
                .directExecutor()
                .build()
                .start());
    ManagedChannel pooled = channel(server);
    ManagedChannel direct =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port()).directExecutor().build());
    for (ManagedChannel channel : List.of(pooled, direct)) {
      // The continuation is attached before the response exists, so the completing thread runs it.
      CompletableFuture<String> thread =
          ClientCalls.unaryCall(channel, EchoService.method("Thread"), new byte[0])
              .thenApply(r -> Thread.currentThread().getName());
      held.poll(5, TimeUnit.SECONDS).complete(new byte[0]);
      assertThat(thread.get(5, TimeUnit.SECONDS))
          .contains(channel == pooled ? "-executor-" : "-cq-");
    }
    assertThat(handlerThread.get()).contains("-cq-");
  }

  @Test
  void blockingCallOnAPollerThreadThrowsInsteadOfWaitingForItself() throws Exception {
    AtomicReference<ManagedChannel> nestedChannel = new AtomicReference<>();
    CompletableFuture<RuntimeException> thrown = new CompletableFuture<>();
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(
                    EchoService.service(
                        "Nested",
                        (req, ctx) -> {
                          // A direct-executor handler runs on the poller that must deliver the
                          // nested call's response.
                          try {
                            ClientCalls.blockingUnaryCall(
                                nestedChannel.get(), EchoService.ECHO, req);
                          } catch (RuntimeException e) {
                            thrown.complete(e);
                            throw e;
                          }
                          thrown.complete(null);
                          return CompletableFuture.completedFuture(req);
                        }))
                .directExecutor()
                .build()
                .start());
    ManagedChannel channel = channel(server);
    nestedChannel.set(channel);
    StatusException e =
        statusOf(ClientCalls.unaryCall(channel, EchoService.method("Nested"), new byte[] {1}));
    assertThat(e.status().code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(thrown.get(5, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("poller thread");
    // Nothing is stuck: the same queue serves the next call.
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {2}))
        .containsExactly(2);
  }

  @Test
  void unixDomainSocket() throws Exception {
    Path dir = Files.createTempDirectory("grpcjni");
    String address = "unix://" + dir.resolve("s.sock");
    try {
      Server server =
          grpc.register(
              ServerBuilder.forAddress(address)
                  .addService(EchoService.service(null, null))
                  .build()
                  .start());
      assertThat(server.port()).isPositive();
      ManagedChannel channel = grpc.register(ChannelBuilder.forTarget(address).build());
      assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {42}))
          .containsExactly(42);
    } finally {
      Files.deleteIfExists(dir.resolve("s.sock"));
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void messagesOverTheLimitAreResourceExhausted() throws Exception {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service(null, null))
                .maxInboundMessageSize(4096)
                .build()
                .start());
    ManagedChannel small =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .maxInboundMessageSize(1024)
                .build());
    ManagedChannel big = channel(server);
    assertThat(
            statusOf(ClientCalls.unaryCall(small, EchoService.ECHO, new byte[2048]))
                .status()
                .code())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(
            statusOf(ClientCalls.unaryCall(big, EchoService.ECHO, new byte[8192])).status().code())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ClientCalls.blockingUnaryCall(big, EchoService.ECHO, new byte[2048])).hasSize(2048);
  }

  @Test
  void unreachableTargetIsUnavailableUnlessWaitingForReady() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ManagedChannel channel = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + port).build());
    CallOptions deadline = CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(500));
    assertThat(
            statusOf(ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[0], deadline))
                .status()
                .code())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(
            statusOf(
                    ClientCalls.unaryCall(
                        channel, EchoService.ECHO, new byte[0], deadline.withWaitForReady()))
                .status()
                .code())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }
}
