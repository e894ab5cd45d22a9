// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ServerCalls;
import io.grpc.testing.TlsTesting;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.UnimplementedServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** grpc-java's server API on grpc-jni where the interop suite does not look. */
class ServerBehaviourIT {
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private TestServiceGrpc.TestServiceBlockingStub plaintext(Server s) {
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + s.getPort(), InsecureChannelCredentials.create())
            .build();
    return TestServiceGrpc.newBlockingStub(channel);
  }

  private static ServerServiceDefinition emptyCallService(ServerCallHandler<Empty, Empty> h) {
    return ServerServiceDefinition.builder(TestServiceGrpc.SERVICE_NAME)
        .addMethod(TestServiceGrpc.getEmptyCallMethod(), h)
        .build();
  }

  private static final ServerCallHandler<Empty, Empty> ECHO =
      ServerCalls.asyncUnaryCall(
          (request, responses) -> {
            responses.onNext(request);
            responses.onCompleted();
          });

  @Test
  void aHandlerThatThrowsAStatusEndsTheCallWithIt() throws Exception {
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                emptyCallService(
                    (call, headers) -> {
                      throw Status.NOT_FOUND.withDescription("no such thing").asRuntimeException();
                    }))
            .build()
            .start();
    assertThatThrownBy(() -> plaintext(server).emptyCall(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("no such thing");
            });
  }

  @Test
  void theFallbackRegistryServesWhatNoServiceHasAndTheRestIsUnimplemented() throws Exception {
    ServerServiceDefinition other =
        ServerServiceDefinition.builder(UnimplementedServiceGrpc.SERVICE_NAME)
            .addMethod(
                UnimplementedServiceGrpc.getUnimplementedCallMethod(),
                ServerCalls.asyncUnaryCall(
                    (Empty request, io.grpc.stub.StreamObserver<Empty> responses) -> {
                      responses.onNext(request);
                      responses.onCompleted();
                    }))
            .build();
    HandlerRegistry registry =
        new HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
            return other.getMethod(method);
          }
        };
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .fallbackHandlerRegistry(registry)
            .build()
            .start();
    TestServiceGrpc.TestServiceBlockingStub stub = plaintext(server);
    assertThat(
            UnimplementedServiceGrpc.newBlockingStub(channel)
                .unimplementedCall(Empty.getDefaultInstance()))
        .isEqualTo(Empty.getDefaultInstance());
    assertThatThrownBy(() -> stub.emptyCall(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("Method not found: grpc.testing.TestService/EmptyCall");
            });
  }

  @Test
  void builderInterceptorsRunLastAddedFirstAndBeforeTheService() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .addService(emptyCallService(ECHO))
            .intercept(recording("first added", order))
            .intercept(recording("second added", order))
            .build()
            .start();
    plaintext(server).emptyCall(Empty.getDefaultInstance());
    assertThat(order).containsExactly("second added", "first added");
  }

  private static ServerInterceptor recording(String name, List<String> order) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        order.add(name);
        return next.startCall(call, headers);
      }
    };
  }

  @Test
  void tlsCredentialsGoThroughTheProvidersToTheCore() throws Exception {
    server =
        Grpc.newServerBuilderForPort(
                0,
                TlsServerCredentials.create(
                    TlsTesting.loadCert("server1.pem"), TlsTesting.loadCert("server1.key")))
            .addService(emptyCallService(ECHO))
            .build()
            .start();
    assertThat(server.getClass().getSimpleName()).isEqualTo("GrpcJniServer");
    channel =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + server.getPort(),
                TlsChannelCredentials.newBuilder()
                    .trustManager(TlsTesting.loadCert("ca.pem"))
                    .build())
            .overrideAuthority("foo.test.google.fr")
            .build();
    assertThat(channel.getClass().getSimpleName()).isEqualTo("GrpcJniManagedChannel");
    assertThat(TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance()))
        .isEqualTo(Empty.getDefaultInstance());
    // Plaintext against it fails the call, as a handshake that cannot happen does.
    ManagedChannel plain =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .build();
    try {
      assertThatThrownBy(
              () ->
                  TestServiceGrpc.newBlockingStub(plain)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .emptyCall(Empty.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class);
    } finally {
      plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void eachChannelHasItsOwnConnection() throws Exception {
    List<java.net.SocketAddress> peers = new CopyOnWriteArrayList<>();
    ServerInterceptor recordPeer =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            peers.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            return next.startCall(call, headers);
          }
        };
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .addService(emptyCallService(ECHO))
            .intercept(recordPeer)
            .build()
            .start();
    TestServiceGrpc.TestServiceBlockingStub first = plaintext(server);
    ManagedChannel second =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .build();
    try {
      first.emptyCall(Empty.getDefaultInstance());
      first.emptyCall(Empty.getDefaultInstance());
      TestServiceGrpc.newBlockingStub(second).emptyCall(Empty.getDefaultInstance());
    } finally {
      second.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    // As on Netty: a channel's calls share its connection; another channel opens its own (the C
    // core alone would share one connection between channels built alike).
    assertThat(peers).hasSize(3).doesNotContainNull();
    assertThat(peers.get(1)).isEqualTo(peers.get(0));
    assertThat(peers.get(2)).isNotEqualTo(peers.get(0));
  }

  /** grpc-java's connectivity API on a provider channel: IDLE, connect without a call, READY. */
  @Test
  void channelStateFollowsTheConnection() throws Exception {
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .addService(emptyCallService(ECHO))
            .build()
            .start();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .build();
    assertThat(channel.getState(false)).isEqualTo(io.grpc.ConnectivityState.IDLE);
    java.util.concurrent.BlockingQueue<io.grpc.ConnectivityState> seen =
        new java.util.concurrent.LinkedBlockingQueue<>();
    io.grpc.ConnectivityState state = channel.getState(true);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (state != io.grpc.ConnectivityState.READY && System.nanoTime() < end) {
      io.grpc.ConnectivityState from = state;
      channel.notifyWhenStateChanged(from, () -> seen.add(channel.getState(false)));
      state = seen.poll(10, TimeUnit.SECONDS);
      if (state == null) {
        break; // no change within 10 s: fails below
      }
    }
    assertThat(state).isEqualTo(io.grpc.ConnectivityState.READY);
    channel.resetConnectBackoff(); // connected: no effect
    assertThat(TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance()))
        .isEqualTo(Empty.getDefaultInstance());
    channel.shutdownNow();
    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(channel.getState(false)).isEqualTo(io.grpc.ConnectivityState.SHUTDOWN);
  }

  /** grpc-java's defaultServiceConfig map reaches the C core: a method timeout bounds a call. */
  @Test
  void defaultServiceConfigTakesEffectAndABadOneFailsTheBuild() throws Exception {
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .addService(emptyCallService((call, headers) -> new ServerCall.Listener<Empty>() {}))
            .build()
            .start();
    Map<String, ?> config =
        Map.of(
            "methodConfig",
            List.of(
                Map.of(
                    "name",
                    List.of(Map.of("service", TestServiceGrpc.SERVICE_NAME)),
                    "timeout",
                    "0.2s")));
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .defaultServiceConfig(config)
            .build();
    assertThatThrownBy(
            () -> TestServiceGrpc.newBlockingStub(channel).emptyCall(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThatThrownBy(
            () ->
                Grpc.newChannelBuilder("127.0.0.1:1", InsecureChannelCredentials.create())
                    .defaultServiceConfig(Map.of("methodConfig", "not a list")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultServiceConfig");
  }

  /** grpc-java CallCredentials that add {@code authorization: value}, recording the level. */
  private static io.grpc.CallCredentials bearer(String value, List<String> levels) {
    return new io.grpc.CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo info, java.util.concurrent.Executor executor, MetadataApplier applier) {
        levels.add(info.getSecurityLevel() + " " + info.getMethodDescriptor().getBareMethodName());
        executor.execute(
            () -> {
              io.grpc.Metadata m = new io.grpc.Metadata();
              m.put(
                  io.grpc.Metadata.Key.of(
                      "authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                  value);
              applier.apply(m);
            });
      }
    };
  }

  @Test
  void grpcJavaCallCredentialsAreApplied() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    io.grpc.Metadata.Key<String> auth =
        io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
    io.grpc.Metadata.Key<String> extra =
        io.grpc.Metadata.Key.of("x-channel", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                io.grpc.ServerInterceptors.intercept(
                    emptyCallService(ECHO),
                    new ServerInterceptor() {
                      @Override
                      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
                          ServerCall<ReqT, RespT> call,
                          io.grpc.Metadata headers,
                          ServerCallHandler<ReqT, RespT> next) {
                        seen.add(headers.get(auth) + "|" + headers.get(extra));
                        return next.startCall(call, headers);
                      }
                    }))
            .build()
            .start();
    List<String> levels = new CopyOnWriteArrayList<>();
    io.grpc.CallCredentials channelLevel =
        new io.grpc.CallCredentials() {
          @Override
          public void applyRequestMetadata(
              RequestInfo info, java.util.concurrent.Executor executor, MetadataApplier applier) {
            io.grpc.Metadata m = new io.grpc.Metadata();
            m.put(extra, "from-channel");
            applier.apply(m);
          }
        };
    channel =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + server.getPort(),
                io.grpc.CompositeChannelCredentials.create(
                    InsecureChannelCredentials.create(), channelLevel))
            .build();
    TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channel);
    stub.withCallCredentials(bearer("Bearer abc", levels)).emptyCall(Empty.getDefaultInstance());
    stub.emptyCall(Empty.getDefaultInstance());
    assertThat(seen).containsExactly("Bearer abc|from-channel", "null|from-channel");
    assertThat(levels).containsExactly("NONE EmptyCall");

    io.grpc.CallCredentials failing =
        new io.grpc.CallCredentials() {
          @Override
          public void applyRequestMetadata(
              RequestInfo info, java.util.concurrent.Executor executor, MetadataApplier applier) {
            applier.fail(Status.UNAUTHENTICATED.withDescription("no token for plaintext"));
          }
        };
    assertThatThrownBy(
            () -> stub.withCallCredentials(failing).emptyCall(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).isEqualTo("no token for plaintext");
            });
    assertThat(seen).hasSize(2); // the failed call never reached the server
  }

  /**
   * A handler that sends headers (with {@code x-early}), then, once {@code release} opens, its
   * message and OK.
   */
  private static <ReqT, RespT> ServerCallHandler<ReqT, RespT> headersThenLater(
      RespT response, java.util.concurrent.CountDownLatch release) {
    return (call, headers) -> {
      call.request(2); // the one request, and the end of a client's stream after it
      return new ServerCall.Listener<ReqT>() {
        @Override
        public void onHalfClose() {
          Metadata h = new Metadata();
          h.put(EARLY, "1");
          call.sendHeaders(h);
          new Thread(
                  () -> {
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    call.sendMessage(response);
                    call.close(Status.OK, new Metadata());
                  })
              .start();
        }
      };
    };
  }

  /** A handler that sends (empty) headers, then NOT_FOUND, and no response. */
  private static <ReqT, RespT> ServerCallHandler<ReqT, RespT> headersThenError() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCall.Listener<ReqT>() {
        @Override
        public void onHalfClose() {
          call.sendHeaders(new Metadata());
          call.close(Status.NOT_FOUND, new Metadata());
        }
      };
    };
  }

  private static final Metadata.Key<String> EARLY =
      Metadata.Key.of("x-early", Metadata.ASCII_STRING_MARSHALLER);

  /** Starts a call of {@code method}; the future completes with its response headers. */
  private static <ReqT, RespT> java.util.concurrent.CompletableFuture<Metadata> start(
      io.grpc.Channel channel,
      io.grpc.MethodDescriptor<ReqT, RespT> method,
      ReqT request,
      java.util.concurrent.CompletableFuture<Status> closed) {
    java.util.concurrent.CompletableFuture<Metadata> headers =
        new java.util.concurrent.CompletableFuture<>();
    io.grpc.ClientCall<ReqT, RespT> call =
        channel.newCall(
            method, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    call.start(
        new io.grpc.ClientCall.Listener<RespT>() {
          @Override
          public void onHeaders(Metadata h) {
            headers.complete(h);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(request);
    call.halfClose();
    return headers;
  }

  /**
   * A call of {@code method} (served by {@link #headersThenLater}) gets its headers before its
   * response is {@code release}d, then ends OK.
   */
  private static <ReqT, RespT> void assertHeadersAtOnce(
      io.grpc.Channel channel,
      io.grpc.MethodDescriptor<ReqT, RespT> method,
      ReqT request,
      java.util.concurrent.CountDownLatch release)
      throws Exception {
    java.util.concurrent.CompletableFuture<Status> closed =
        new java.util.concurrent.CompletableFuture<>();
    Metadata headers = start(channel, method, request, closed).get(10, TimeUnit.SECONDS);
    assertThat(headers.get(EARLY)).isEqualTo("1");
    release.countDown();
    assertThat(closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void aOneResponseMethodsHeadersGoWithItsResponseAStreamsGoAtOnce() throws Exception {
    java.util.concurrent.CountDownLatch unaryRelease = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch streamRelease = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch uploadRelease = new java.util.concurrent.CountDownLatch(1);
    var streamResponse =
        io.grpc.testing.integration.Messages.StreamingOutputCallResponse.getDefaultInstance();
    server =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                ServerServiceDefinition.builder(TestServiceGrpc.SERVICE_NAME)
                    .addMethod(
                        TestServiceGrpc.getEmptyCallMethod(),
                        headersThenLater(Empty.getDefaultInstance(), unaryRelease))
                    .addMethod(
                        TestServiceGrpc.getStreamingOutputCallMethod(),
                        headersThenLater(streamResponse, streamRelease))
                    .addMethod(
                        TestServiceGrpc.getStreamingInputCallMethod(),
                        headersThenLater(
                            io.grpc.testing.integration.Messages.StreamingInputCallResponse
                                .getDefaultInstance(),
                            uploadRelease))
                    .addMethod(TestServiceGrpc.getUnaryCallMethod(), headersThenError())
                    .build())
            .build()
            .start();
    plaintext(server);

    // Server streaming: the headers go out when sent, before any message.
    assertHeadersAtOnce(
        channel,
        TestServiceGrpc.getStreamingOutputCallMethod(),
        io.grpc.testing.integration.Messages.StreamingOutputCallRequest.getDefaultInstance(),
        streamRelease);

    // One response: as on grpc-java's server, the headers wait for it and go with it.
    java.util.concurrent.CompletableFuture<Status> unaryClosed =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<Metadata> unaryHeaders =
        start(
            channel, TestServiceGrpc.getEmptyCallMethod(), Empty.getDefaultInstance(), unaryClosed);
    Thread.sleep(300);
    assertThat(unaryHeaders).as("headers held for the response").isNotDone();
    unaryRelease.countDown();
    assertThat(unaryHeaders.get(10, TimeUnit.SECONDS).get(EARLY)).isEqualTo("1");
    assertThat(unaryClosed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);

    // Client streaming: grpc-java's server flushes them as it reads on; here they go at once.
    // (Seen by Netty's client: grpc-jni's client takes a client stream's response headers with
    // its response, in one batch.)
    ManagedChannel netty =
        io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .build();
    try {
      assertHeadersAtOnce(
          netty,
          TestServiceGrpc.getStreamingInputCallMethod(),
          io.grpc.testing.integration.Messages.StreamingInputCallRequest.getDefaultInstance(),
          uploadRelease);

      // Headers sent, then an error and no response: the client still gets them first (not a
      // trailers-only response), as from grpc-java's server. (Netty's client again: grpc-jni's
      // does not report empty headers that came with a failure.)
      java.util.concurrent.CompletableFuture<Status> failedClosed =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CompletableFuture<Metadata> failedHeaders =
          start(
              netty,
              TestServiceGrpc.getUnaryCallMethod(),
              io.grpc.testing.integration.Messages.SimpleRequest.getDefaultInstance(),
              failedClosed);
      assertThat(failedClosed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(failedHeaders).as("headers before the status").isDone();
    } finally {
      netty.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
