// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import dev.grpcjni.Environment;
import dev.grpcjni.InternalAccess;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.internal.call.ChannelArgs;
import dev.grpcjni.internal.call.ChannelCore;
import dev.grpcjni.internal.call.ClientStreamCall;
import dev.grpcjni.internal.call.ClientUnaryCall;
import dev.grpcjni.internal.call.InboundPublisher;
import dev.grpcjni.internal.call.ObserverReads;
import dev.grpcjni.internal.call.OutboundSubscriber;
import dev.grpcjni.internal.call.TlsConfig;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.cq.Termination;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.stream.ClientCallStreamObserver;
import dev.grpcjni.stream.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A client channel to one target, on the gRPC C core: it resolves the name, connects, balances load
 * and multiplexes calls over HTTP/2. Create one per target and share it; it is cheap to use
 * concurrently and costly to create.
 *
 * <p>Futures returned by the {@code unaryCall} methods complete on the call's executor ({@link
 * CallOptions#withExecutor}), else the channel's ({@link ChannelBuilder#executor}), else the
 * environment's. They fail with {@link StatusException} for any non-OK status. Cancelling one
 * cancels the RPC: the server sees it cancelled.
 *
 * <p>Lifecycle as in grpc-java: {@link #shutdown()} lets calls in flight finish, {@link
 * #shutdownNow()} cancels them (they fail with UNAVAILABLE), {@link #awaitTermination} waits. Calls
 * started after shutdown fail with UNAVAILABLE. {@link #close()} is {@code shutdownNow} plus
 * waiting.
 *
 * <p>Thread-safe.
 */
public final class Channel implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(Channel.class.getName());
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final int WAIT_FOR_READY =
      GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_INITIAL_METADATA_WAIT_FOR_READY);

  private final ChannelCore core;
  private final Executor executor;
  private final EventLoop loop;

  Channel(
      Environment environment, String target, ChannelArgs args, TlsConfig tls, Executor executor) {
    this.loop = InternalAccess.eventLoop(environment);
    // The native channel exists before the loop tracks it: an environment closing meanwhile must
    // wait, not shut the C core down under it.
    loop.enterCreation();
    try {
      this.core = new ChannelCore(loop, target, args, tls);
      this.executor = executor;
      try {
        loop.addChannel(this);
      } catch (IllegalStateException e) {
        core.shutdownNow();
        throw e;
      }
    } finally {
      loop.exitCreation();
    }
    core.terminationFuture().thenRun(() -> loop.remove(this));
  }

  /** A builder for a channel to {@code target}; see {@link ChannelBuilder#forTarget}. */
  public static ChannelBuilder builder(String target) {
    return ChannelBuilder.forTarget(target);
  }

  /** The target this channel was built for. */
  public String target() {
    return core.target();
  }

  /**
   * Starts a unary call with default options. See {@link #unaryCall(MethodDescriptor, Object,
   * CallOptions)}.
   */
  public <ReqT, RespT> CompletableFuture<RespT> unaryCall(
      MethodDescriptor<ReqT, RespT> method, ReqT request) {
    return unaryCall(method, request, CallOptions.DEFAULT);
  }

  /**
   * Starts a unary call. The request is serialized before this returns; the call is one batch.
   *
   * @return completes with the response, or fails with {@link StatusException}; cancelling it
   *     cancels the RPC
   */
  @SuppressWarnings("unchecked")
  public <ReqT, RespT> CompletableFuture<RespT> unaryCall(
      MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return (CompletableFuture<RespT>)
        start(method, request, options, executorFor(options), false).future();
  }

  /**
   * Starts a unary call whose future also carries the response headers and trailers.
   *
   * @see #unaryCall(MethodDescriptor, Object, CallOptions)
   */
  @SuppressWarnings("unchecked")
  public <ReqT, RespT> CompletableFuture<UnaryResponse<RespT>> unaryCallWithMetadata(
      MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return (CompletableFuture<UnaryResponse<RespT>>)
        (CompletableFuture<?>) start(method, request, options, executorFor(options), true).future();
  }

  /** Makes a unary call and waits for its response. */
  public <ReqT, RespT> RespT blockingUnaryCall(MethodDescriptor<ReqT, RespT> method, ReqT request) {
    return blockingUnaryCall(method, request, CallOptions.DEFAULT);
  }

  /**
   * Makes a unary call and waits for its response, which is parsed on the calling thread.
   *
   * @throws StatusException for a non-OK status; CANCELLED if the thread is interrupted (the RPC is
   *     cancelled and the interrupt flag stays set)
   * @throws IllegalStateException on a poller thread (in a direct-executor callback), whose queue
   *     could then deliver the response to no one but the waiting thread itself
   */
  @SuppressWarnings("unchecked")
  public <ReqT, RespT> RespT blockingUnaryCall(
      MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    if (CompletionQueue.isPollerThread()) {
      throw new IllegalStateException(
          "a blocking call cannot wait on a poller thread (a direct-executor callback); use"
              + " unaryCall");
    }
    ClientUnaryCall<RespT> call = start(method, request, options, null, false);
    Object result;
    try {
      result = call.future().get();
    } catch (InterruptedException e) {
      call.cancel("Thread interrupted");
      Thread.currentThread().interrupt();
      throw new StatusException(
          Status.CANCELLED.withDescription("Thread interrupted").withCause(e));
    } catch (ExecutionException e) {
      throw (StatusException) e.getCause();
    }
    return (RespT) call.response((ClientUnaryCall.Result) result);
  }

  // ---- streaming

  /**
   * A call of any kind at the lowest level; see {@link ClientCall}. Its listener runs on the call's
   * executor. The headers and compression of {@code options} are sent with those given to {@link
   * ClientCall#start}.
   */
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    ClientStreamCall<ReqT, RespT> call = streamCall(method, ClientStreamCall.Shape.DUPLEX, options);
    call.setOptionHeaders(options.headersForCall());
    return call;
  }

  /**
   * Starts a server-streaming call for each subscriber: the responses as a {@link Flow.Publisher}.
   * A response is read only when the subscriber requested it, so a slow subscriber slows the server
   * down (HTTP/2 flow control) instead of filling memory. Cancelling the subscription cancels the
   * call; a non-OK status arrives as {@code onError(StatusException)}.
   */
  public <ReqT, RespT> Flow.Publisher<RespT> serverStreamingCall(
      MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return subscriber -> {
      ClientStreamCall<ReqT, RespT> call =
          streamCall(method, ClientStreamCall.Shape.SERVER_STREAMING, options);
      InboundPublisher<RespT> responses = Streams.responsesOf(call);
      responses.subscribe(subscriber);
      call.startWith(Streams.toPublisher(responses, null), options.headersForCall(), request);
    };
  }

  /**
   * Starts a client-streaming call: subscribes to {@code requests} and sends each one as the C core
   * accepts the previous (a few are requested ahead), half-closing when it completes. Cancelling
   * the returned future cancels the call; a failing publisher cancels it too.
   */
  public <ReqT, RespT> CompletableFuture<RespT> clientStreamingCall(
      MethodDescriptor<ReqT, RespT> method, Flow.Publisher<ReqT> requests, CallOptions options) {
    ClientStreamCall<ReqT, RespT> call =
        streamCall(method, ClientStreamCall.Shape.CLIENT_STREAMING, options);
    CompletableFuture<RespT> result = new Streams.CallFuture<>(call);
    OutboundSubscriber<ReqT> sender = Streams.requestsTo(call);
    call.start(Streams.toFuture(result, sender::stop), options.headersForCall());
    requests.subscribe(sender);
    return result;
  }

  /**
   * Starts a bidirectional call for each subscriber: {@code requests} are sent as in {@link
   * #clientStreamingCall}, responses are published as in {@link #serverStreamingCall}. Subscribe
   * once per call; {@code requests} is subscribed to once per subscriber.
   */
  public <ReqT, RespT> Flow.Publisher<RespT> bidiStreamingCall(
      MethodDescriptor<ReqT, RespT> method, Flow.Publisher<ReqT> requests, CallOptions options) {
    return subscriber -> {
      ClientStreamCall<ReqT, RespT> call =
          streamCall(method, ClientStreamCall.Shape.DUPLEX, options);
      InboundPublisher<RespT> responses = Streams.responsesOf(call);
      OutboundSubscriber<ReqT> sender = Streams.requestsTo(call);
      responses.subscribe(subscriber);
      call.start(Streams.toPublisher(responses, sender::stop), options.headersForCall());
      requests.subscribe(sender);
    };
  }

  /**
   * Observer style: starts a server-streaming call delivering responses to {@code responses}, one
   * at a time, each after the previous {@code onNext} returned (one more is read ahead meanwhile).
   */
  public <ReqT, RespT> void asyncServerStreamingCall(
      MethodDescriptor<ReqT, RespT> method,
      ReqT request,
      StreamObserver<RespT> responses,
      CallOptions options) {
    ClientStreamCall<ReqT, RespT> call =
        streamCall(method, ClientStreamCall.Shape.SERVER_STREAMING, options);
    call.startWith(
        Streams.toObserver(call, responses, new AtomicReference<>(), new AtomicBoolean()),
        options.headersForCall(),
        request);
    call.request(ObserverReads.INITIAL_REQUEST);
  }

  /**
   * Observer style: starts a client-streaming call. Send requests through the returned observer
   * (its {@code write} futures and {@code isReady} give backpressure); the response and status go
   * to {@code responses}.
   */
  public <ReqT, RespT> ClientCallStreamObserver<ReqT> asyncClientStreamingCall(
      MethodDescriptor<ReqT, RespT> method, StreamObserver<RespT> responses, CallOptions options) {
    return Streams.requestObserver(
        streamCall(method, ClientStreamCall.Shape.CLIENT_STREAMING, options),
        responses,
        options.headersForCall());
  }

  /** Observer style: starts a bidirectional call; see {@link #asyncClientStreamingCall}. */
  public <ReqT, RespT> ClientCallStreamObserver<ReqT> asyncBidiStreamingCall(
      MethodDescriptor<ReqT, RespT> method, StreamObserver<RespT> responses, CallOptions options) {
    return Streams.requestObserver(
        streamCall(method, ClientStreamCall.Shape.DUPLEX, options),
        responses,
        options.headersForCall());
  }

  private <ReqT, RespT> ClientStreamCall<ReqT, RespT> streamCall(
      MethodDescriptor<ReqT, RespT> method, ClientStreamCall.Shape shape, CallOptions options) {
    return new ClientStreamCall<>(
        core,
        method,
        shape,
        options.deadline(),
        options.isWaitForReady() ? WAIT_FOR_READY : 0,
        executorFor(options));
  }

  private <ReqT, RespT> ClientUnaryCall<RespT> start(
      MethodDescriptor<ReqT, RespT> method,
      ReqT request,
      CallOptions options,
      Executor executor,
      boolean withMetadata) {
    if (method.type() != MethodDescriptor.MethodType.UNARY) {
      throw new IllegalArgumentException("not a unary method: " + method);
    }
    return ClientUnaryCall.start(
        core,
        method,
        request,
        options.headersForCall(),
        options.deadline(),
        options.isWaitForReady() ? WAIT_FOR_READY : 0,
        executor,
        withMetadata);
  }

  private Executor executorFor(CallOptions options) {
    return options.executor() != null ? options.executor() : executor;
  }

  /** Refuses new calls; calls in flight finish normally. Idempotent. */
  public void shutdown() {
    core.shutdown();
  }

  /** Refuses new calls and fails those in flight with UNAVAILABLE. Idempotent. */
  public void shutdownNow() {
    core.shutdownNow();
  }

  public boolean isShutdown() {
    return core.isShutdown();
  }

  /** True once shut down, every call finished, and the native channel destroyed. */
  public boolean isTerminated() {
    return core.terminationFuture().isDone();
  }

  /** Waits until terminated; false if {@code timeout} elapsed first. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Termination.await(core.terminationFuture(), timeout);
  }

  /** Completes when the channel is terminated. */
  public CompletableFuture<Void> terminationFuture() {
    return core.terminationFuture().copy();
  }

  /** {@link #shutdownNow()}, then waits for termination (30 s at most). Idempotent. */
  @Override
  public void close() {
    Termination.shutdownNowAndWait(
        this::shutdownNow, core.terminationFuture(), CLOSE_TIMEOUT, this, logger);
  }

  @Override
  public String toString() {
    return "Channel{target="
        + core.target()
        + ", inFlight="
        + core.callsInFlight()
        + (isShutdown() ? ", shut down" : "")
        + "}";
  }
}
