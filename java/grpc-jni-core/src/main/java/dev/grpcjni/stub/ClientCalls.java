// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Channel;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.EventLoop;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every client call style, on any {@link Channel} (a managed channel, or one behind interceptors):
 * unary calls as futures or blocking, and each streaming kind as {@link Flow} publishers or as
 * stream observers. Each makes one {@link ClientCall} with {@link Channel#newCall} and drives it,
 * so interceptors see every call made here, and generated stubs call these.
 *
 * <p>Futures and listeners complete on the call's executor ({@link CallOptions#withExecutor}), else
 * the channel's. Futures fail with {@link StatusException} for any non-OK status; cancelling one
 * cancels the RPC (the server sees it cancelled). Blocking calls run the call's callbacks on the
 * waiting thread.
 */
public final class ClientCalls {
  /** Cancels calls whose request observers were dropped without being finished. */
  private static final Cleaner ABANDONED =
      Cleaner.create(EventLoop.daemonThreads("grpc-jni-abandoned-calls-"));

  private ClientCalls() {}

  // ---- unary

  /**
   * A unary call with default options; see {@link #unaryCall(Channel, MethodDescriptor, Object,
   * CallOptions)}.
   */
  public static <ReqT, RespT> CompletableFuture<RespT> unaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request) {
    return unaryCall(channel, method, request, CallOptions.DEFAULT);
  }

  /**
   * Starts a unary call: one batch of the C core, the request serialized before this returns.
   *
   * @return completes with the response, or fails with {@link StatusException}; cancelling it
   *     cancels the RPC
   * @throws IllegalArgumentException if {@code method} is not unary
   */
  public static <ReqT, RespT> CompletableFuture<RespT> unaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    checkUnary(method);
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    CallFuture<RespT> future = new CallFuture<>(call);
    startUnary(call, new UnaryListener<>(future), request);
    return future;
  }

  /**
   * Starts a unary call whose future also carries the response headers and trailers.
   *
   * @see #unaryCall(Channel, MethodDescriptor, Object, CallOptions)
   */
  public static <ReqT, RespT> CompletableFuture<UnaryResponse<RespT>> unaryCallWithMetadata(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    checkUnary(method);
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    CallFuture<UnaryResponse<RespT>> future = new CallFuture<>(call);
    startUnary(call, new UnaryWithMetadataListener<>(future), request);
    return future;
  }

  /** A blocking unary call with default options. */
  public static <ReqT, RespT> RespT blockingUnaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request) {
    return blockingUnaryCall(channel, method, request, CallOptions.DEFAULT);
  }

  /**
   * Makes a unary call and waits for its response, which is parsed on the calling thread (the call
   * runs its callbacks there).
   *
   * @throws StatusException for a non-OK status; CANCELLED if the thread is interrupted (the RPC is
   *     cancelled and the interrupt flag stays set)
   * @throws IllegalStateException on a poller thread (in a direct-executor callback), whose queue
   *     could then deliver the response to no one but the waiting thread itself
   */
  public static <ReqT, RespT> RespT blockingUnaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    checkUnary(method);
    checkMayBlock();
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, options.withExecutor(executor));
    CallFuture<RespT> future = new CallFuture<>(call);
    startUnary(call, new UnaryListener<>(future), request);
    boolean interrupted = false;
    try {
      while (!future.isDone()) {
        try {
          executor.waitAndDrain();
        } catch (InterruptedException e) {
          interrupted = true;
          call.cancel("Thread interrupted", e);
        }
      }
    } finally {
      executor.shutdown();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return getDone(future);
  }

  private static <T> T getDone(CompletableFuture<T> done) {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StatusException
          ? (StatusException) e.getCause()
          : new StatusException(Status.fromThrowable(e.getCause()));
    } catch (InterruptedException e) { // cannot happen: the future is done
      Thread.currentThread().interrupt();
      throw new StatusException(Status.CANCELLED.withCause(e));
    }
  }

  private static void checkUnary(MethodDescriptor<?, ?> method) {
    if (method.type() != MethodDescriptor.MethodType.UNARY) {
      throw new IllegalArgumentException("not a unary method: " + method);
    }
  }

  /** Refuses to wait on a poller thread, which would wait for itself. */
  static void checkMayBlock() {
    if (CompletionQueue.isPollerThread()) {
      throw new IllegalStateException(
          "a blocking call cannot wait on a poller thread (a direct-executor callback); use"
              + " unaryCall");
    }
  }

  /** Starts, sends the one request and half-closes; a call that throws here is cancelled. */
  private static <ReqT, RespT> void startUnary(
      ClientCall<ReqT, RespT> call, ClientCall.Listener<RespT> listener, ReqT request) {
    try {
      call.start(listener, null);
      call.sendUnobserved(request);
      call.halfClose();
    } catch (RuntimeException | Error e) {
      call.cancel("the call failed to start", e);
      throw e;
    }
  }

  /** Completes a future with what a call's single response makes. */
  private abstract static class SingleResponseListener<RespT, R>
      extends ClientCall.Listener<RespT> {
    private final CompletableFuture<R> future;
    private RespT value;

    SingleResponseListener(CompletableFuture<R> future) {
      this.future = future;
    }

    /** What the future completes with, after an OK status. */
    abstract R result(RespT value, Metadata trailers);

    @Override
    public void onMessage(RespT message) {
      value = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (status.isOk()) {
        future.complete(result(value, trailers));
      } else {
        future.completeExceptionally(status.asException(trailers));
      }
    }
  }

  /** Completes a future with a unary call's response. */
  private static final class UnaryListener<RespT> extends SingleResponseListener<RespT, RespT> {
    UnaryListener(CompletableFuture<RespT> future) {
      super(future);
    }

    @Override
    RespT result(RespT value, Metadata trailers) {
      return value;
    }
  }

  /** Completes a future with a unary call's response and its metadata. */
  private static final class UnaryWithMetadataListener<RespT>
      extends SingleResponseListener<RespT, UnaryResponse<RespT>> {
    private Metadata headers;

    UnaryWithMetadataListener(CompletableFuture<UnaryResponse<RespT>> future) {
      super(future);
    }

    @Override
    public void onHeaders(Metadata headers) {
      this.headers = headers;
    }

    @Override
    UnaryResponse<RespT> result(RespT value, Metadata trailers) {
      return new UnaryResponse<>(value, headers == null ? new Metadata() : headers, trailers);
    }
  }

  // ---- server streaming

  /**
   * Starts a server-streaming call for each subscriber: the responses as a {@link Flow.Publisher}.
   * A response is read only when the subscriber requested it, so a slow subscriber slows the server
   * down (HTTP/2 flow control) instead of filling memory. Cancelling the subscription cancels the
   * call; a non-OK status arrives as {@code onError(StatusException)}.
   */
  public static <ReqT, RespT> Flow.Publisher<RespT> serverStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return subscriber -> {
      ClientCall<ReqT, RespT> call = channel.newCall(method, options);
      InboundPublisher<RespT> responses = responsesOf(call);
      responses.subscribe(subscriber);
      call.start(toPublisher(responses, null), null);
      try {
        call.sendUnobserved(request);
        call.halfClose();
      } catch (RuntimeException e) { // the marshaller threw: the subscriber hears it as onError
        call.cancel("Failed to send the request", e);
      }
    };
  }

  /** A blocking server-streaming call with default options. */
  public static <ReqT, RespT> ResponseIterator<RespT> blockingServerStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request) {
    return blockingServerStreamingCall(channel, method, request, CallOptions.DEFAULT);
  }

  /**
   * Starts a server-streaming call whose responses are read by iterating, on the calling thread
   * (the call runs its callbacks there while it waits, as a blocking unary call does): one response
   * is asked of the server at a time. Close the iterator if you stop before the end; that cancels
   * the call. See {@link ResponseIterator}.
   *
   * @throws IllegalStateException on a poller thread (in a direct-executor callback)
   */
  public static <ReqT, RespT> ResponseIterator<RespT> blockingServerStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    if (method.type() != MethodDescriptor.MethodType.SERVER_STREAMING) {
      throw new IllegalArgumentException("not a server-streaming method: " + method);
    }
    checkMayBlock();
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, options.withExecutor(executor));
    BlockingResponseStream<RespT> responses = new BlockingResponseStream<>(executor);
    responses.start(call);
    try {
      startUnary(call, responses, request);
    } catch (RuntimeException | Error e) {
      executor.shutdown(); // the cancelled call's callbacks run now
      throw e;
    }
    call.request(1);
    return responses;
  }

  /**
   * Observer style: starts a server-streaming call delivering responses to {@code responses}, one
   * at a time, each after the previous {@code onNext} returned (one more is read ahead meanwhile).
   */
  public static <ReqT, RespT> void asyncServerStreamingCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      ReqT request,
      StreamObserver<RespT> responses,
      CallOptions options) {
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    call.start(toObserver(call, responses, new AtomicReference<>(), new AtomicBoolean()), null);
    try {
      call.sendUnobserved(request);
      call.halfClose();
    } catch (RuntimeException | Error e) { // as grpc-java: cancelled, and the caller hears it
      call.cancel("Failed to send the request", e);
      throw e;
    }
    call.request(ObserverReads.INITIAL_REQUEST);
  }

  // ---- client streaming

  /**
   * Starts a client-streaming call: subscribes to {@code requests} and sends each one as the C core
   * accepts the previous (a few are requested ahead), half-closing when it completes. Cancelling
   * the returned future cancels the call; a failing publisher cancels it too.
   */
  public static <ReqT, RespT> CompletableFuture<RespT> clientStreamingCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      Flow.Publisher<ReqT> requests,
      CallOptions options) {
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    CallFuture<RespT> result = new CallFuture<>(call);
    OutboundSubscriber<ReqT> sender = requestsTo(call);
    call.start(toFuture(result, sender::stop), null);
    requests.subscribe(sender);
    return result;
  }

  /**
   * Observer style: starts a client-streaming call. Send requests through the returned observer
   * (its {@code write} futures and {@code isReady} give backpressure); the response and status go
   * to {@code responses}.
   */
  public static <ReqT, RespT> ClientCallStreamObserver<ReqT> asyncClientStreamingCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      StreamObserver<RespT> responses,
      CallOptions options) {
    return requestObserver(channel.newCall(method, options), responses);
  }

  // ---- bidirectional

  /**
   * Starts a bidirectional call for each subscriber: {@code requests} are sent as in {@link
   * #clientStreamingCall}, responses are published as in {@link #serverStreamingCall}. Subscribe
   * once per call; {@code requests} is subscribed to once per subscriber.
   */
  public static <ReqT, RespT> Flow.Publisher<RespT> bidiStreamingCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      Flow.Publisher<ReqT> requests,
      CallOptions options) {
    return subscriber -> {
      ClientCall<ReqT, RespT> call = channel.newCall(method, options);
      InboundPublisher<RespT> responses = responsesOf(call);
      OutboundSubscriber<ReqT> sender = requestsTo(call);
      responses.subscribe(subscriber);
      call.start(toPublisher(responses, sender::stop), null);
      requests.subscribe(sender);
    };
  }

  /** Observer style: starts a bidirectional call; see {@link #asyncClientStreamingCall}. */
  public static <ReqT, RespT> ClientCallStreamObserver<ReqT> asyncBidiStreamingCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      StreamObserver<RespT> responses,
      CallOptions options) {
    return requestObserver(channel.newCall(method, options), responses);
  }

  // ---- adapters

  private static <ReqT, RespT> InboundPublisher<RespT> responsesOf(ClientCall<ReqT, RespT> call) {
    return new InboundPublisher<>(
        new InboundPublisher.Source() {
          @Override
          public void request(int n) {
            call.request(n);
          }

          @Override
          public void cancel(String reason) {
            call.cancel(reason, null);
          }

          @Override
          public void fail(Throwable t) {
            call.cancel("Failed to read message.", t); // grpc-java's words for a listener's throw
          }
        });
  }

  private static <ReqT> OutboundSubscriber<ReqT> requestsTo(ClientCall<ReqT, ?> call) {
    return new OutboundSubscriber<>(
        new OutboundSubscriber.Sink<ReqT>() {
          @Override
          public CompletableFuture<Void> write(ReqT value) {
            return call.sendMessage(value);
          }

          @Override
          public void complete() {
            call.halfClose();
          }

          @Override
          public void fail(Throwable t) {
            call.cancel("Request publisher failed: " + t, t);
          }
        });
  }

  /** A listener feeding an inbound publisher; {@code onEnd} runs when the call closes. */
  private static <RespT> ClientCall.Listener<RespT> toPublisher(
      InboundPublisher<RespT> responses, Runnable onEnd) {
    return new ClientCall.Listener<RespT>() {
      @Override
      public void onMessage(RespT message) {
        responses.next(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        if (onEnd != null) {
          onEnd.run();
        }
        if (status.isOk()) {
          responses.complete();
        } else {
          responses.fail(status.asException(trailers));
        }
      }
    };
  }

  /**
   * A listener feeding an observer one response at a time, asking for the next as onNext returns
   * (the caller starts it with {@link ObserverReads#INITIAL_REQUEST}).
   */
  private static <RespT> ClientCall.Listener<RespT> toObserver(
      ClientCall<?, RespT> call,
      StreamObserver<RespT> observer,
      AtomicReference<Runnable> onReady,
      AtomicBoolean done) {
    return new ClientCall.Listener<RespT>() {
      @Override
      public void onMessage(RespT message) {
        observer.onNext(message);
        call.request(1);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        done.set(true);
        if (status.isOk()) {
          observer.onCompleted();
        } else {
          observer.onError(status.asException(trailers));
        }
      }

      @Override
      public void onReady() {
        Runnable r = onReady.get();
        if (r != null) {
          r.run();
        }
      }
    };
  }

  /** The request side of a call as an observer, cancelled if dropped unfinished. */
  private static <ReqT, RespT> ClientCallStreamObserver<ReqT> requestObserver(
      ClientCall<ReqT, RespT> call, StreamObserver<RespT> responses) {
    AtomicReference<Runnable> onReady = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    RequestObserver<ReqT> requests = new RequestObserver<>(call, onReady, done);
    // The action must not reach `requests`, or it would never become unreachable.
    ABANDONED.register(
        requests,
        () -> {
          if (!done.get()) {
            call.cancel("Request stream abandoned without onCompleted/onError", null);
          }
        });
    call.start(toObserver(call, responses, onReady, done), null);
    call.request(ObserverReads.INITIAL_REQUEST);
    return requests;
  }

  private static final class RequestObserver<ReqT> implements ClientCallStreamObserver<ReqT> {
    private final ClientCall<ReqT, ?> call;
    private final AtomicReference<Runnable> onReady;
    private final AtomicBoolean done;

    RequestObserver(
        ClientCall<ReqT, ?> call, AtomicReference<Runnable> onReady, AtomicBoolean done) {
      this.call = call;
      this.onReady = onReady;
      this.done = done;
    }

    @Override
    public CompletableFuture<Void> write(ReqT value) {
      return Senders.write(call, value);
    }

    @Override
    public void onNext(ReqT value) {
      call.sendUnobserved(value);
    }

    @Override
    public void onError(Throwable t) {
      done.set(true);
      call.cancel("Cancelled by client: " + t, t);
    }

    @Override
    public void onCompleted() {
      done.set(true);
      call.halfClose();
    }

    @Override
    public void cancel(String message) {
      done.set(true);
      call.cancel(message, null);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
      onReady.set(handler);
    }
  }

  /** A future whose cancel cancels the call. */
  static final class CallFuture<T> extends CompletableFuture<T> {
    private final ClientCall<?, ?> call;

    CallFuture(ClientCall<?, ?> call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      // Future first: cancelling the RPC first lets the call complete it with CANCELLED before
      // this method does, and cancel() would wrongly report false.
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      call.cancel("Cancelled by client", null);
      return cancelled;
    }
  }

  /** Completes a future from a client-streaming call's single response. */
  private static <RespT> ClientCall.Listener<RespT> toFuture(
      CompletableFuture<RespT> result, Runnable onEnd) {
    return new ClientCall.Listener<RespT>() {
      private RespT value;

      @Override
      public void onMessage(RespT message) {
        value = message;
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        onEnd.run();
        if (status.isOk()) {
          result.complete(value);
        } else {
          result.completeExceptionally(status.asException(trailers));
        }
      }
    };
  }
}
