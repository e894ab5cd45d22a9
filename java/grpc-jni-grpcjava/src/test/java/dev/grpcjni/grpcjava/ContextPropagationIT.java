// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's Context across a hop, all on grpc-jni: a handler's outgoing call inherits the
 * incoming call's deadline and is cancelled with it — and a call made in a forked Context is not.
 */
class ContextPropagationIT {
  private final CountDownLatch backendStarted = new CountDownLatch(1);
  private final CountDownLatch backendCancelled = new CountDownLatch(1);
  private final AtomicLong backendDeadlineMillis = new AtomicLong(-1);
  private Server backend;
  private Server front;
  private ManagedChannel toBackend;
  private ManagedChannel toFront;
  private volatile boolean fork;

  /** Waits, noting its Context's deadline and cancellation, and answers only if not cancelled. */
  private final class Backend extends TestServiceGrpc.TestServiceImplBase {
    @Override
    public void emptyCall(Empty request, StreamObserver<Empty> responses) {
      Context c = Context.current();
      if (c.getDeadline() != null) {
        backendDeadlineMillis.set(c.getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
      }
      c.addListener(x -> backendCancelled.countDown(), Runnable::run);
      backendStarted.countDown();
      try {
        if (!backendCancelled.await(3, TimeUnit.SECONDS)) {
          responses.onNext(Empty.getDefaultInstance());
          responses.onCompleted();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Calls the backend from the handler, in the handler's Context or a fork of it. */
  private final class Front extends TestServiceGrpc.TestServiceImplBase {
    @Override
    public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
      Runnable call =
          () -> TestServiceGrpc.newBlockingStub(toBackend).emptyCall(Empty.getDefaultInstance());
      try {
        if (fork) {
          Context.current().fork().run(call);
        } else {
          call.run();
        }
        responses.onNext(SimpleResponse.getDefaultInstance());
        responses.onCompleted();
      } catch (RuntimeException e) {
        responses.onError(e);
      }
    }
  }

  private void start() throws Exception {
    backend =
        GrpcJniServerBuilder.forAddress("127.0.0.1:0").addService(new Backend()).build().start();
    toBackend =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + backend.getPort(), InsecureChannelCredentials.create())
            .build();
    front = GrpcJniServerBuilder.forAddress("127.0.0.1:0").addService(new Front()).build().start();
    toFront =
        Grpc.newChannelBuilder("127.0.0.1:" + front.getPort(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel c : new ManagedChannel[] {toFront, toBackend}) {
      if (c != null) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    for (Server s : new Server[] {front, backend}) {
      if (s != null) {
        s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theOutgoingCallInheritsTheDeadlineAndIsCancelledWithTheIncomingOne() throws Exception {
    start();
    ListenableFuture<SimpleResponse> f =
        TestServiceGrpc.newFutureStub(toFront)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .unaryCall(SimpleRequest.getDefaultInstance());
    assertThat(backendStarted.await(5, TimeUnit.SECONDS)).isTrue();
    // A little over 10 s can come back: the C core may round a timeout up when it encodes it
    // ("encoding may round up arbitrarily", timeout_encoding.h), on each of the two hops, and it
    // carries server deadlines through the realtime clock (seen once on a busy VM: 10,097 ms).
    assertThat(backendDeadlineMillis.get()).isBetween(1L, 10_250L);
    f.cancel(true);
    assertThat(backendCancelled.await(5, TimeUnit.SECONDS))
        .as("the backend call was cancelled with the front's")
        .isTrue();
  }

  @Test
  void aCallMadeInAForkedContextOutlivesTheIncomingOne() throws Exception {
    fork = true;
    start();
    ListenableFuture<SimpleResponse> f =
        TestServiceGrpc.newFutureStub(toFront)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .unaryCall(SimpleRequest.getDefaultInstance());
    assertThat(backendStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(backendDeadlineMillis.get()).as("a fork keeps no deadline").isEqualTo(-1L);
    f.cancel(true);
    assertThat(backendCancelled.await(1, TimeUnit.SECONDS)).as("the forked call went on").isFalse();
  }
}
