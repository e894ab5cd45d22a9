// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.client.TlsChannelCredentials;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.server.TlsServerCredentials;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.UnaryHandler;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.LiveObjects;
import dev.grpcjni.testing.TestCerts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Call credentials: metadata added per call or per channel, supplied at once or later, failures and
 * deadlines before the call starts, cancellation while waiting, and the plaintext rule.
 */
class CallCredentialsIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static TestCerts certs;

  /** The authorization header of each call the server saw. */
  final List<String> seen = new CopyOnWriteArrayList<>();

  static final MethodDescriptor<byte[], byte[]> STREAM = EchoService.STREAM;

  @BeforeAll
  static void makeCerts() throws Exception {
    certs = TestCerts.get();
  }

  Server server(boolean tls) throws Exception {
    ServiceDefinition echo =
        ServiceDefinition.builder(EchoService.NAME)
            .unary(
                EchoService.ECHO,
                UnaryHandler.sync(
                    (req, ctx) -> {
                      seen.add(String.valueOf(ctx.requestHeaders().get("authorization")));
                      return req;
                    }))
            .bidiStreaming(
                STREAM,
                (requests, ctx) -> {
                  seen.add(String.valueOf(ctx.requestHeaders().get("authorization")));
                  return requests;
                })
            .build();
    ServerBuilder b = ServerBuilder.forAddress("127.0.0.1:0").addService(echo);
    if (tls) {
      b.tls(
          TlsServerCredentials.newBuilder()
              .keyManager(certs.serverChainPem, certs.serverKeyPem)
              .build());
    }
    return grpc.register(b.build().start());
  }

  ChannelBuilder tlsTo(Server server) {
    return ChannelBuilder.forTarget("127.0.0.1:" + server.port())
        .tls(TlsChannelCredentials.newBuilder().trustManager(certs.caPem).build())
        .overrideAuthority(TestCerts.SERVER_NAME);
  }

  static byte[] echo(Channel channel, CallOptions options) throws Exception {
    return ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[] {1}, options)
        .get(20, TimeUnit.SECONDS);
  }

  static Status failure(Channel channel, CallOptions options) {
    try {
      echo(channel, options);
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void channelDefaultsAndPerCallCredentialsAddTheirMetadata() throws Exception {
    Server server = server(true);
    ManagedChannel channel =
        grpc.register(
            tlsTo(server).callCredentials(CallCredentials.bearerToken(() -> "t1")).build());
    echo(channel, CallOptions.DEFAULT);
    echo(
        channel,
        CallOptions.DEFAULT.withCallCredentials(CallCredentials.bearerToken(() -> "per-call")));
    assertThat(seen).containsExactly("Bearer t1", "Bearer per-call");
  }

  @Test
  void credentialsThatAnswerLaterDelayTheStartAndKeepTheCallsOrder() throws Exception {
    Server server = server(true);
    CompletableFuture<Metadata> later = new CompletableFuture<>();
    ManagedChannel channel = grpc.register(tlsTo(server).callCredentials(info -> later).build());
    assertThat(channel.authority()).isEqualTo(TestCerts.SERVER_NAME);
    // A stream: sends and the half-close made while waiting go out, in order, once started.
    List<byte[]> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    dev.grpcjni.stub.ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel,
            STREAM,
            new dev.grpcjni.stub.StreamObserver<>() {
              @Override
              public void onNext(byte[] item) {
                received.add(item);
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            },
            CallOptions.DEFAULT);
    for (int i = 0; i < 3; i++) {
      requests.onNext(new byte[] {(byte) i});
    }
    requests.onCompleted();
    Thread.sleep(200);
    assertThat(seen).isEmpty(); // nothing reached the server while waiting
    later.complete(new Metadata().put("authorization", "Bearer late"));
    done.get(20, TimeUnit.SECONDS);
    assertThat(seen).containsExactly("Bearer late");
    assertThat(received).extracting(b -> (int) b[0]).containsExactly(0, 1, 2);
  }

  @Test
  void failedCredentialsEndTheCallBeforeItStarts() throws Exception {
    Server server = server(true);
    ManagedChannel channel = grpc.register(tlsTo(server).build());
    Status denied =
        failure(
            channel,
            CallOptions.DEFAULT.withCallCredentials(
                info ->
                    CompletableFuture.failedFuture(
                        Status.PERMISSION_DENIED.withDescription("no token").asException())));
    assertThat(denied.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.description()).isEqualTo("no token");

    Status broken =
        failure(
            channel,
            CallOptions.DEFAULT.withCallCredentials(
                info -> {
                  throw new IllegalStateException("token store down");
                }));
    assertThat(broken.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(broken.cause()).hasMessage("token store down");
    assertThat(seen).isEmpty();
  }

  @Test
  void theDeadlineCountsWhileWaitingAndCancelEndsTheWait() throws Exception {
    long[] before = LiveObjects.snapshot();
    Server server = server(true);
    ManagedChannel channel = grpc.register(tlsTo(server).build());
    CallOptions never = CallOptions.DEFAULT.withCallCredentials(info -> new CompletableFuture<>());
    long start = System.nanoTime();
    Status late = failure(channel, never.withDeadlineAfter(Duration.ofMillis(200)));
    assertThat(late.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

    CompletableFuture<byte[]> call =
        ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[] {1}, never);
    call.cancel(true);
    assertThat(call).isCancelled();
    assertThat(seen).isEmpty();
    channel.close();
    server.close();
    assertThat(LiveObjects.awaitEqual(before, 10_000)).isEqualTo(before);
  }

  @Test
  void plaintextChannelsRefuseCredentialsUnlessAllowed() throws Exception {
    Server server = server(false);
    CallOptions withToken =
        CallOptions.DEFAULT.withCallCredentials(CallCredentials.bearerToken(() -> "secret"));
    ManagedChannel plain =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    Status refused = failure(plain, withToken);
    assertThat(refused.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(refused.description()).contains("secure channel");
    assertThat(seen).isEmpty();
    assertThat(echo(plain, CallOptions.DEFAULT)).containsExactly(1); // without: fine

    ManagedChannel allowed =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .allowCallCredentialsOnPlaintext()
                .build());
    echo(allowed, withToken);
    assertThat(seen).containsExactly("null", "Bearer secret");
  }

  @Test
  void theCredentialsSeeTheMethodAndAuthority() throws Exception {
    Server server = server(true);
    List<CallCredentials.RequestInfo> infos = new CopyOnWriteArrayList<>();
    ManagedChannel channel =
        grpc.register(
            tlsTo(server)
                .callCredentials(
                    info -> {
                      infos.add(info);
                      return CompletableFuture.completedFuture(
                          new Metadata().put("x-signed", "yes"));
                    })
                .build());
    echo(channel, CallOptions.DEFAULT);
    assertThat(infos)
        .containsExactly(
            new CallCredentials.RequestInfo(
                EchoService.ECHO.fullMethodName(), TestCerts.SERVER_NAME, true));
  }
}
