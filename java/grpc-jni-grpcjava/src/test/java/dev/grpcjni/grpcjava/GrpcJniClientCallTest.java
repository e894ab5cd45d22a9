// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link GrpcJniClientCall}'s mapping of how a call ended, against a fake grpc-jni call. */
class GrpcJniClientCallTest {
  /** A grpc-jni channel whose one call keeps its listener, for the test to end the call. */
  private static final class FakeChannel extends dev.grpcjni.Channel {
    final AtomicReference<dev.grpcjni.ClientCall.Listener<?>> listener = new AtomicReference<>();

    @Override
    public <ReqT, RespT> dev.grpcjni.ClientCall<ReqT, RespT> newCall(
        dev.grpcjni.MethodDescriptor<ReqT, RespT> method, dev.grpcjni.CallOptions options) {
      return new dev.grpcjni.ClientCall<>() {
        @Override
        public void start(Listener<RespT> l, dev.grpcjni.Metadata headers) {
          listener.set(l);
        }

        @Override
        public void request(int numMessages) {}

        @Override
        public CompletableFuture<Void> sendMessage(ReqT message) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void halfClose() {}

        @Override
        public void cancel(String message, Throwable cause) {}

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setMessageCompression(boolean enabled) {}

        @Override
        public boolean wasLastMessageCompressed() {
          return false;
        }
      };
    }

    @Override
    public String authority() {
      return "fake";
    }

    void close(dev.grpcjni.Status status) {
      listener.get().onClose(status, new dev.grpcjni.Metadata());
    }
  }

  /** Starts a call with {@code options} on {@code channel}; the status its listener was given. */
  private static CompletableFuture<Status> start(FakeChannel channel, CallOptions options) {
    var method = TestServiceGrpc.getEmptyCallMethod();
    ClientCall<Empty, Empty> call =
        new GrpcJniClientCall<>(
            channel,
            Methods.toCore(method),
            method.getRequestMarshaller(),
            options,
            Runnable::run,
            null);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<Empty>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    return closed;
  }

  @Test
  void aResetAfterTheDeadlineIsDeadlineExceeded() throws Exception {
    FakeChannel channel = new FakeChannel();
    CompletableFuture<Status> closed =
        start(channel, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.MILLISECONDS));
    Thread.sleep(40); // the server's RST_STREAM(CANCEL) arrives before the C core's own timer
    channel.close(dev.grpcjni.Status.CANCELLED.withDescription("Received RST_STREAM"));
    Status s = closed.get(5, TimeUnit.SECONDS);
    assertThat(s.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(s.getDescription())
        .startsWith("CallOptions deadline exceeded after ")
        .endsWith("[Received RST_STREAM]");
  }

  @Test
  void aCancellationBeforeTheDeadlineStaysCancelled() throws Exception {
    FakeChannel channel = new FakeChannel();
    CompletableFuture<Status> closed =
        start(channel, CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.MINUTES));
    channel.close(dev.grpcjni.Status.CANCELLED.withDescription("Received RST_STREAM"));
    Status s = closed.get(5, TimeUnit.SECONDS);
    assertThat(s.getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(s.getDescription()).isEqualTo("Received RST_STREAM");
  }

  @Test
  void aCancellationWithoutADeadlineStaysCancelled() throws Exception {
    FakeChannel channel = new FakeChannel();
    CompletableFuture<Status> closed = start(channel, CallOptions.DEFAULT);
    channel.close(dev.grpcjni.Status.CANCELLED);
    assertThat(closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
  }
}
