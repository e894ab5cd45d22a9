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
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.UnaryHandler;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deadline and cancellation propagation from a server call to the client calls made while serving
 * it: implicitly through the handler's {@link Context}, explicitly with {@link
 * CallOptions#withParent}, and from any {@link Context.CancellableContext}. A front server relays
 * to a backend on 127.0.0.1:0.
 */
class PropagationIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final String BACKEND = "grpcjni.test.Backend";
  static final String FRONT = "grpcjni.test.Front";

  static MethodDescriptor<byte[], byte[]> method(
      MethodDescriptor.MethodType type, String service, String name) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(service, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  /** Answers with the deadline it sees, in whole seconds remaining ("none" without one). */
  static final MethodDescriptor<byte[], byte[]> DEADLINE =
      method(MethodDescriptor.MethodType.UNARY, BACKEND, "Deadline");

  /** Never answers; its context goes to {@link #hanging}. */
  static final MethodDescriptor<byte[], byte[]> HANG =
      method(MethodDescriptor.MethodType.UNARY, BACKEND, "Hang");

  /** Streams until cancelled; its context goes to {@link #hanging}. */
  static final MethodDescriptor<byte[], byte[]> HANG_STREAM =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, BACKEND, "HangStream");

  static final MethodDescriptor<byte[], byte[]> FAIL =
      method(MethodDescriptor.MethodType.UNARY, BACKEND, "Fail");
  static final MethodDescriptor<byte[], byte[]> ECHO =
      method(MethodDescriptor.MethodType.UNARY, BACKEND, "Echo");
  static final MethodDescriptor<byte[], byte[]> RELAY =
      method(MethodDescriptor.MethodType.UNARY, FRONT, "Relay");

  private final BlockingQueue<ServerCallContext> hanging = new LinkedBlockingQueue<>();
  private final AtomicInteger backendCalls = new AtomicInteger();
  private volatile UnaryHandler<byte[], byte[]> front;
  private ManagedChannel toBackend;
  private ManagedChannel toFront;
  private ExecutorService plainThread;
  private ScheduledExecutorService scheduler;

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @BeforeEach
  void startServers() throws IOException {
    ServiceDefinition backend =
        ServiceDefinition.builder(BACKEND)
            .unary(
                DEADLINE,
                (req, ctx) -> {
                  backendCalls.incrementAndGet();
                  Deadline d = ctx.deadline();
                  return CompletableFuture.completedFuture(
                      bytes(d == null ? "none" : Long.toString(d.timeRemaining().toSeconds())));
                })
            .unary(
                HANG,
                (req, ctx) -> {
                  backendCalls.incrementAndGet();
                  hanging.add(ctx);
                  return new CompletableFuture<>();
                })
            .bidiStreaming(
                HANG_STREAM,
                (requests, ctx) -> {
                  backendCalls.incrementAndGet();
                  hanging.add(ctx);
                  return subscriber -> requests.subscribe(new Flows.Mapping<>(subscriber, m -> m));
                })
            .unary(
                FAIL,
                (req, ctx) -> {
                  backendCalls.incrementAndGet();
                  return CompletableFuture.failedFuture(
                      Status.INTERNAL.withDescription("backend broke").asException());
                })
            .unary(
                ECHO,
                (req, ctx) -> {
                  backendCalls.incrementAndGet();
                  return CompletableFuture.completedFuture(req);
                })
            .build();
    Server b =
        grpc.register(ServerBuilder.forAddress("127.0.0.1:0").addService(backend).build().start());
    toBackend = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + b.port()).build());
    ServiceDefinition frontService =
        ServiceDefinition.builder(FRONT).unary(RELAY, (req, ctx) -> front.invoke(req, ctx)).build();
    Server f =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0").addService(frontService).build().start());
    toFront = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + f.port()).build());
    plainThread = Executors.newSingleThreadExecutor();
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stopThreads() {
    plainThread.shutdownNow();
    scheduler.shutdownNow();
  }

  private CompletableFuture<byte[]> callFront(Duration timeout) {
    return ClientCalls.unaryCall(
        toFront, RELAY, bytes("r"), CallOptions.DEFAULT.withDeadlineAfter(timeout));
  }

  static Status statusOf(CompletableFuture<?> f) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertThat(e).as("the call should fail").isNotNull();
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return ((StatusException) e.getCause()).status();
  }

  /** The front's client call, completed by the front's handler when it makes it. */
  private final CompletableFuture<CompletableFuture<byte[]>> child = new CompletableFuture<>();

  private CompletableFuture<byte[]> childCall() throws Exception {
    return child.get(10, TimeUnit.SECONDS);
  }

  // ---- deadlines

  @Test
  void aCallMadeInTheHandlerInheritsTheInboundDeadline() throws Exception {
    front = (req, ctx) -> ClientCalls.unaryCall(toBackend, DEADLINE, req);
    long seen = Long.parseLong(string(callFront(Duration.ofSeconds(7)).get(10, TimeUnit.SECONDS)));
    assertThat(seen).isBetween(4L, 7L);
  }

  @Test
  void theEarlierOfTheInheritedAndTheCallsOwnDeadlineWins() throws Exception {
    front =
        (req, ctx) ->
            ClientCalls.unaryCall(
                toBackend,
                DEADLINE,
                req,
                CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(3)));
    assertThat(string(callFront(Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS)))
        .isIn("1", "2", "3");

    front =
        (req, ctx) ->
            ClientCalls.unaryCall(
                toBackend,
                DEADLINE,
                req,
                CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(60)));
    long seen = Long.parseLong(string(callFront(Duration.ofSeconds(7)).get(10, TimeUnit.SECONDS)));
    assertThat(seen).isBetween(4L, 7L);
  }

  @Test
  void theDeadlineFollowsWorkWrappedOntoAnotherThread() throws Exception {
    front =
        (req, ctx) -> {
          CompletableFuture<byte[]> out = new CompletableFuture<>();
          Runnable relay =
              () -> {
                ClientCalls.unaryCall(toBackend, DEADLINE, req)
                    .whenComplete(
                        (r, t) -> {
                          if (t != null) {
                            out.completeExceptionally(t);
                          } else {
                            out.complete(r);
                          }
                        });
              };
          plainThread.execute(Context.current().wrap(relay));
          return out;
        };
    long seen = Long.parseLong(string(callFront(Duration.ofSeconds(7)).get(10, TimeUnit.SECONDS)));
    assertThat(seen).isBetween(4L, 7L);
  }

  @Test
  void anUnwrappedThreadDoesNotInheritButAnExplicitParentDoes() throws Exception {
    front =
        (req, ctx) ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    byte[] none = ClientCalls.blockingUnaryCall(toBackend, DEADLINE, req);
                    byte[] some =
                        ClientCalls.blockingUnaryCall(
                            toBackend, DEADLINE, req, CallOptions.DEFAULT.withParent(ctx));
                    return bytes(string(none) + "/" + string(some));
                  } catch (StatusException e) {
                    throw new RuntimeException(e);
                  }
                },
                plainThread);
    String[] seen = string(callFront(Duration.ofSeconds(7)).get(10, TimeUnit.SECONDS)).split("/");
    assertThat(seen[0]).isEqualTo("none");
    assertThat(Long.parseLong(seen[1])).isBetween(4L, 7L);
  }

  @Test
  void theInboundDeadlineExpiringEndsTheChildCall() throws Exception {
    front =
        (req, ctx) -> {
          child.complete(ClientCalls.unaryCall(toBackend, HANG, req));
          return new CompletableFuture<>(); // (a returned child would be cancelled with the call)
        };
    CompletableFuture<byte[]> outer = callFront(Duration.ofMillis(500));
    ServerCallContext backendCtx = hanging.poll(10, TimeUnit.SECONDS);
    assertThat(backendCtx).isNotNull();
    assertThat(statusOf(outer).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The front's call ends by its own deadline or, a moment earlier, by the client's (whose timer
    // runs first and resets the stream): the child ends either way, as in grpc-java.
    assertThat(statusOf(childCall()).code())
        .isIn(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
    backendCtx.whenCancelled().get(10, TimeUnit.SECONDS);
  }

  // ---- cancellation, inbound to outbound

  @Test
  void cancellingTheInboundCallCancelsACallMadeInTheHandler() throws Exception {
    front =
        (req, ctx) -> {
          CompletableFuture<byte[]> c = ClientCalls.unaryCall(toBackend, HANG, req);
          child.complete(c);
          return new CompletableFuture<>(); // outlives the child
        };
    CompletableFuture<byte[]> outer = callFront(Duration.ofSeconds(30));
    ServerCallContext backendCtx = hanging.poll(10, TimeUnit.SECONDS);
    assertThat(backendCtx).isNotNull();
    assertThat(backendCtx.isCancelled()).isFalse();
    outer.cancel(true);
    backendCtx.whenCancelled().get(10, TimeUnit.SECONDS);
    assertThat(statusOf(childCall()).code()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void cancellingTheInboundCallCancelsAStreamStartedWithAnExplicitParent() throws Exception {
    CompletableFuture<Flows.Collector<byte[]>> orphan = new CompletableFuture<>();
    front =
        (req, ctx) -> {
          plainThread.execute(
              () -> {
                // From a thread with no context: one stream names its parent, one does not.
                Flows.Collector<byte[]> parented = new Flows.Collector<>(1);
                ClientCalls.bidiStreamingCall(
                        toBackend, HANG_STREAM, Flows.never(), CallOptions.DEFAULT.withParent(ctx))
                    .subscribe(parented);
                Flows.Collector<byte[]> free = new Flows.Collector<>(1);
                ClientCalls.bidiStreamingCall(
                        toBackend, HANG_STREAM, Flows.never(), CallOptions.DEFAULT)
                    .subscribe(free);
                child.complete(parented.result().thenApply(l -> new byte[0]));
                orphan.complete(free);
              });
          return new CompletableFuture<>();
        };
    CompletableFuture<byte[]> outer = callFront(Duration.ofSeconds(30));
    ServerCallContext first = hanging.poll(10, TimeUnit.SECONDS);
    ServerCallContext second = hanging.poll(10, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    outer.cancel(true);
    assertThat(statusOf(childCall()).code()).isEqualTo(Status.Code.CANCELLED);
    // The parented stream's server side was cancelled; the free one's was not.
    CompletableFuture.anyOf(first.whenCancelled(), second.whenCancelled())
        .get(10, TimeUnit.SECONDS);
    Thread.sleep(200);
    assertThat(first.isCancelled() ^ second.isCancelled())
        .as("exactly one backend stream was cancelled")
        .isTrue();
    Flows.Collector<byte[]> free = orphan.get(10, TimeUnit.SECONDS);
    assertThat(free.result()).isNotDone();
    free.subscription().cancel(); // a cancelled Flow subscriber is told nothing more
    CompletableFuture.allOf(first.whenCancelled(), second.whenCancelled())
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCallStartedAfterTheInboundCallWasCancelledFailsWithoutBeingSent() throws Exception {
    CompletableFuture<ServerCallContext> frontCtx = new CompletableFuture<>();
    CompletableFuture<Context> frontContext = new CompletableFuture<>();
    front =
        (req, ctx) -> {
          frontCtx.complete(ctx);
          frontContext.complete(Context.current());
          return new CompletableFuture<>();
        };
    CompletableFuture<byte[]> outer = callFront(Duration.ofSeconds(30));
    ServerCallContext ctx = frontCtx.get(10, TimeUnit.SECONDS);
    Context context = frontContext.get(10, TimeUnit.SECONDS);
    outer.cancel(true);
    ctx.whenCancelled().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 200 && !context.isCancelled(); i++) {
      Thread.sleep(10);
    }
    assertThat(context.isCancelled()).isTrue();
    int before = backendCalls.get();
    CompletableFuture<byte[]> late =
        context.call(() -> ClientCalls.unaryCall(toBackend, ECHO, bytes("l")));
    assertThat(statusOf(late).code()).isEqualTo(Status.Code.CANCELLED);
    CompletableFuture<byte[]> explicit =
        ClientCalls.unaryCall(toBackend, ECHO, bytes("l"), CallOptions.DEFAULT.withParent(ctx));
    assertThat(statusOf(explicit).code()).isEqualTo(Status.Code.CANCELLED);
    Thread.sleep(100);
    assertThat(backendCalls).hasValue(before);
  }

  @Test
  void completingTheInboundCallCancelsWhatItLeftRunningButNotAFork() throws Exception {
    CompletableFuture<Flows.Collector<byte[]>> forked = new CompletableFuture<>();
    List<ServerCallContext> backendStreams = new CopyOnWriteArrayList<>();
    front =
        (req, ctx) -> {
          Flows.Collector<byte[]> left = new Flows.Collector<>(1);
          ClientCalls.bidiStreamingCall(toBackend, HANG_STREAM, Flows.never(), CallOptions.DEFAULT)
              .subscribe(left);
          child.complete(left.result().thenApply(l -> new byte[0]));
          Flows.Collector<byte[]> kept = new Flows.Collector<>(1);
          Context.current()
              .fork()
              .run(
                  () ->
                      ClientCalls.bidiStreamingCall(
                              toBackend, HANG_STREAM, Flows.never(), CallOptions.DEFAULT)
                          .subscribe(kept));
          forked.complete(kept);
          // Both streams reach the backend before the request completes.
          try {
            backendStreams.add(hanging.poll(10, TimeUnit.SECONDS));
            backendStreams.add(hanging.poll(10, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return CompletableFuture.completedFuture(bytes("done"));
        };
    assertThat(string(callFront(Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS)))
        .isEqualTo("done");
    // As in grpc-java, the handler's context is cancelled when its call completes.
    assertThat(statusOf(childCall()).code()).isEqualTo(Status.Code.CANCELLED);
    ServerCallContext first = backendStreams.get(0);
    ServerCallContext second = backendStreams.get(1);
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    CompletableFuture.anyOf(first.whenCancelled(), second.whenCancelled())
        .get(10, TimeUnit.SECONDS);
    Flows.Collector<byte[]> kept = forked.get(10, TimeUnit.SECONDS);
    Thread.sleep(200);
    assertThat(kept.result()).as("a forked context's call outlives the request").isNotDone();
    assertThat(first.isCancelled() ^ second.isCancelled())
        .as("only the stream left in the request's context was cancelled")
        .isTrue();
    kept.subscription().cancel(); // a cancelled Flow subscriber is told nothing more
    CompletableFuture.allOf(first.whenCancelled(), second.whenCancelled())
        .get(10, TimeUnit.SECONDS);
  }

  // ---- failure outbound does not travel inbound

  @Test
  void aFailingChildCallDoesNotCancelTheInboundCall() throws Exception {
    front =
        (req, ctx) ->
            ClientCalls.unaryCall(toBackend, FAIL, req)
                .handle(
                    (r, t) -> {
                      assertThat(ctx.isCancelled()).isFalse();
                      return bytes("child failed with " + Status.fromThrowable(t).code());
                    });
    assertThat(string(callFront(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS)))
        .isEqualTo("child failed with INTERNAL");
  }

  @Test
  void cancellingTheChildCallLeavesTheInboundCallRunning() throws Exception {
    CompletableFuture<ServerCallContext> frontCtx = new CompletableFuture<>();
    front =
        (req, ctx) -> {
          frontCtx.complete(ctx);
          CompletableFuture<byte[]> c = ClientCalls.unaryCall(toBackend, HANG, req);
          child.complete(c);
          return c.handle(
              (r, t) ->
                  bytes(
                      "after "
                          + (t instanceof CancellationException
                              ? "cancel"
                              : Status.fromThrowable(t).code().toString())));
        };
    CompletableFuture<byte[]> outer = callFront(Duration.ofSeconds(10));
    ServerCallContext backendCtx = hanging.poll(10, TimeUnit.SECONDS);
    childCall().cancel(true);
    backendCtx.whenCancelled().get(10, TimeUnit.SECONDS);
    assertThat(string(outer.get(10, TimeUnit.SECONDS))).isEqualTo("after cancel");
    assertThat(frontCtx.get().isCancelled()).isFalse();
  }

  // ---- Java contexts of the application's own

  @Test
  void cancellingAnApplicationContextCancelsItsCalls() throws Exception {
    Context.CancellableContext scope = Context.current().withCancellation();
    CompletableFuture<byte[]> c =
        scope.call(() -> ClientCalls.unaryCall(toBackend, HANG, bytes("a")));
    ServerCallContext backendCtx = hanging.poll(10, TimeUnit.SECONDS);
    assertThat(backendCtx).isNotNull();
    scope.cancel(new IllegalStateException("shutting down"));
    Status s = statusOf(c);
    assertThat(s.code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(s.cause()).isInstanceOf(IllegalStateException.class).hasMessage("shutting down");
    backendCtx.whenCancelled().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anApplicationContextDeadlineBecomesTheCallsDeadline() throws Exception {
    try (Context.CancellableContext scope =
        Context.current().withDeadlineAfter(5, TimeUnit.SECONDS, scheduler)) {
      byte[] seen =
          scope.call(() -> ClientCalls.blockingUnaryCall(toBackend, DEADLINE, bytes("d")));
      assertThat(Long.parseLong(string(seen))).isBetween(2L, 5L);
    }
    Context.CancellableContext soon =
        Context.current().withDeadlineAfter(300, TimeUnit.MILLISECONDS, scheduler);
    CompletableFuture<byte[]> c =
        soon.call(() -> ClientCalls.unaryCall(toBackend, HANG, bytes("h")));
    assertThat(statusOf(c).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The C core's timer may end the call a moment before the context's own timer fires.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (soon.cancellationCause() == null && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(soon.cancellationCause()).isInstanceOf(TimeoutException.class);
  }
}
