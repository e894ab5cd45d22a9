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
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.testing.GrpcCleanup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21, defect 8: what a careless caller does ends with the status or failure the API promises.
 * More metadata than any send can carry is RESOURCE_EXHAUSTED before anything is sent (it was
 * INTERNAL naming a shim error code); {@code write} after this side completed is a failed future,
 * never an exception.
 */
class CarelessCallerIT {
  static final String SERVICE = "grpcjni.test.Careless";
  static final MethodDescriptor<byte[], byte[]> UNARY =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.UNARY,
          MethodDescriptor.fullMethodName(SERVICE, "Unary"),
          Marshallers.bytes(),
          Marshallers.bytes());
  static final MethodDescriptor<byte[], byte[]> BIDI =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.BIDI_STREAMING,
          MethodDescriptor.fullMethodName(SERVICE, "Bidi"),
          Marshallers.bytes(),
          Marshallers.bytes());
  static final int TOO_MANY = 70_000;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final AtomicInteger handled = new AtomicInteger();
  final CompletableFuture<Throwable> serverWriteAfterCompleted = new CompletableFuture<>();
  ManagedChannel channel;

  static Metadata entries(int n) {
    Metadata md = new Metadata();
    for (int i = 0; i < n; i++) {
      md.put("x-e", "v");
    }
    return md;
  }

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(SERVICE)
            .unary(
                UNARY,
                (req, ctx) -> {
                  handled.incrementAndGet();
                  if (req.length > 0 && req[0] == 1) {
                    ctx.responseTrailers().merge(entries(TOO_MANY));
                  }
                  return CompletableFuture.completedFuture(req);
                })
            .method(
                BIDI,
                ServerCalls.asyncStreaming(
                    responses ->
                        new StreamObserver<byte[]>() {
                          @Override
                          public void onNext(byte[] value) {
                            handled.incrementAndGet();
                            responses.onNext(value);
                            responses.onCompleted();
                            responses
                                .write(value)
                                .whenComplete((v, t) -> serverWriteAfterCompleted.complete(t));
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {}
                        }))
            .build();
    Server server =
        grpc.register(ServerBuilder.forAddress("127.0.0.1:0").addService(service).build().start());
    channel = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  static Status statusOf(CompletableFuture<?> f) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
    assertThat(e).isNotNull();
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return ((StatusException) e.getCause()).status();
  }

  @Test
  void tooManyRequestHeadersFailBeforeAnythingIsSent() throws Exception {
    Metadata headers = entries(TOO_MANY);
    Status unary =
        statusOf(
            ClientCalls.unaryCall(
                channel, UNARY, new byte[] {0}, CallOptions.DEFAULT.withHeaders(headers)));
    assertThat(unary.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(unary.description()).contains("70000").contains("65536");

    CompletableFuture<Void> closed = new CompletableFuture<>();
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel, BIDI, observer(closed), CallOptions.DEFAULT.withHeaders(headers));
    requests.onNext(new byte[] {0});
    requests.onCompleted();
    assertThat(statusOf(closed).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(handled.get()).as("calls that reached a handler").isZero();

    // At the bound, the shim carries them; the server's 8 KiB header limit then refuses the call.
    // (Once the connection is up: before the server's SETTINGS arrive, the client's core does not
    // know the limit and sends, and the server's core drops the connection: UNAVAILABLE.)
    assertThat(ClientCalls.unaryCall(channel, UNARY, new byte[] {0}).get(10, TimeUnit.SECONDS))
        .containsExactly(0);
    Status atBound =
        statusOf(
            ClientCalls.unaryCall(
                channel, UNARY, new byte[] {0}, CallOptions.DEFAULT.withHeaders(entries(1 << 16))));
    assertThat(atBound.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    // And the channel still serves normal calls.
    assertThat(ClientCalls.unaryCall(channel, UNARY, new byte[] {0}).get(10, TimeUnit.SECONDS))
        .containsExactly(0);
  }

  @Test
  void tooManyResponseTrailersEndTheCallWithResourceExhausted() throws Exception {
    Status status = statusOf(ClientCalls.unaryCall(channel, UNARY, new byte[] {1}));
    assertThat(status.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ClientCalls.unaryCall(channel, UNARY, new byte[] {0}).get(10, TimeUnit.SECONDS))
        .containsExactly(0);
  }

  @Test
  void writeAfterCompletedIsAFailedFutureOnBothSides() throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(channel, BIDI, observer(closed), CallOptions.DEFAULT);
    requests.onNext(new byte[] {5});
    requests.onCompleted();
    CompletableFuture<Void> late = requests.write(new byte[] {6});
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
    closed.get(10, TimeUnit.SECONDS);
    assertThat(serverWriteAfterCompleted.get(10, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class);
  }

  static StreamObserver<byte[]> observer(CompletableFuture<Void> closed) {
    return new StreamObserver<byte[]>() {
      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {
        closed.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        closed.complete(null);
      }
    };
  }
}
