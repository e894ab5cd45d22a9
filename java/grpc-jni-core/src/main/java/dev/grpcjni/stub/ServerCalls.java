// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ServerCall;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;

/**
 * Every server handler style as a {@link ServerCallHandler}: future-returning unary handlers,
 * {@link Flow}-style handlers for each streaming kind, and {@link StreamObserver}-style ones, for
 * {@link dev.grpcjni.server.ServiceDefinition.Builder#method}. The future- and Flow-style ones are
 * also what {@code unary}, {@code serverStreaming}, {@code clientStreaming} and {@code
 * bidiStreaming} on that builder use.
 *
 * <p>A handler's failure, thrown or as its future's or publisher's error, closes the call with the
 * status a {@link StatusException} carries (and its trailers), CANCELLED for a cancellation, and
 * UNKNOWN ("Application error processing RPC", logged) for anything else, with the exception as the
 * status's {@link Status#cause() cause} (not sent): a {@link dev.grpcjni.ServerInterceptor} that
 * wraps {@link ServerCall#close} can map it to a status of its own.
 */
public final class ServerCalls {
  private static final Logger logger = System.getLogger(ServerCalls.class.getName());

  private ServerCalls() {}

  /** Observer style: (request, responses) for a server-streaming method. */
  @FunctionalInterface
  public interface ServerStreamingMethod<ReqT, RespT> {
    void invoke(ReqT request, ServerCallStreamObserver<RespT> responses);
  }

  /** Observer style: responses in, request observer out, for client-streaming and bidi methods. */
  @FunctionalInterface
  public interface StreamingRequestMethod<ReqT, RespT> {
    StreamObserver<ReqT> invoke(ServerCallStreamObserver<RespT> responses);
  }

  // ---- unary

  /**
   * A unary method served by a future-returning handler. The response (headers, message, status and
   * {@link ServerCallContext#responseTrailers()}) is sent when the future completes, in one batch;
   * a null future or a null response sends INTERNAL. A second request closes the call with
   * INTERNAL; cancelling the call cancels the handler's future.
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> unary(
      UnaryHandler<ReqT, RespT> handler) {
    return call -> new UnaryListener<>(call, handler);
  }

  /** Runs a unary handler on the request and replies when its future completes. */
  private static final class UnaryListener<ReqT, RespT> extends ServerCall.Listener<ReqT>
      implements java.util.function.BiConsumer<RespT, Throwable> {
    /** {@link #state} before the request arrived. */
    private static final Object NO_REQUEST = new Object();

    /** {@link #state} for a request the marshaller parsed as null. */
    private static final Object NULL_REQUEST = new Object();

    private final ServerCall<ReqT, RespT> call;
    private final UnaryHandler<ReqT, RespT> handler;

    // The request until onHalfClose hands it to the handler, then the handler's future: one field
    // for both keeps this object, made for every call, at 24 bytes. Callbacks come one at a time,
    // so onCancel, the future's one reader, sees the future if the handler ran; before that it may
    // see the request, which it leaves alone unless it is itself a future (no marshaller makes one
    // anybody else holds, so cancelling it would change nothing).
    private volatile Object state = NO_REQUEST;

    UnaryListener(ServerCall<ReqT, RespT> call, UnaryHandler<ReqT, RespT> handler) {
      this.call = call;
      this.handler = handler;
      call.request(2); // the second one would be a protocol error: see onMessage
    }

    @Override
    public void onMessage(ReqT message) {
      if (state != NO_REQUEST) {
        call.close(Status.INTERNAL.withDescription("Too many requests"), null);
        return;
      }
      state = message == null ? NULL_REQUEST : message;
    }

    @Override
    public void onHalfClose() {
      Object received = state;
      if (received == NO_REQUEST) {
        call.close(Status.INTERNAL.withDescription("Half-closed without a request"), null);
        return;
      }
      @SuppressWarnings("unchecked") // what onMessage stored
      ReqT request = received == NULL_REQUEST ? null : (ReqT) received;
      CompletableFuture<RespT> f;
      try {
        f = handler.invoke(request, call.context());
      } catch (Throwable t) {
        closeWithError(call, t);
        return;
      }
      if (f == null) {
        call.close(Status.INTERNAL.withDescription("Handler returned no future"), null);
        return;
      }
      state = f;
      if (f.isDone() && !f.isCompletedExceptionally()) {
        reply(call, f.join()); // a synchronous handler: no continuation to allocate
      } else {
        f.whenComplete(this);
      }
    }

    @Override
    public void accept(RespT value, Throwable error) {
      if (error != null) {
        closeWithError(call, error);
      } else {
        reply(call, value);
      }
    }

    @Override
    public void onCancel() {
      if (state instanceof CompletableFuture<?> f) {
        f.cancel(false);
      }
    }
  }

  // ---- Flow style

  /** A server-streaming method served by a {@link Flow.Publisher} of responses. */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> serverStreaming(
      ServerStreamingHandler<ReqT, RespT> handler) {
    return call -> {
      call.request(1);
      return new ServerCall.Listener<ReqT>() {
        private ReqT request;
        private OutboundSubscriber<RespT> responses;

        @Override
        public void onMessage(ReqT message) {
          request = message;
        }

        @Override
        public void onHalfClose() {
          responses = subscribe(call, () -> handler.invoke(request, call.context()));
        }

        @Override
        public void onCancel() {
          if (responses != null) {
            responses.stop();
          }
        }
      };
    };
  }

  /** A client-streaming method: requests in as a publisher, the response out as a future. */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> clientStreaming(
      ClientStreamingHandler<ReqT, RespT> handler) {
    return call -> {
      InboundPublisher<ReqT> requests = requestsOf(call);
      CompletableFuture<RespT> response;
      try {
        response = handler.invoke(requests, call.context());
      } catch (RuntimeException e) {
        response = CompletableFuture.failedFuture(e);
      }
      if (response == null) {
        response =
            CompletableFuture.failedFuture(
                Status.INTERNAL.withDescription("Handler returned no future").asException());
      }
      response.whenComplete(
          (value, error) -> {
            if (error != null) {
              closeWithError(call, error);
            } else {
              reply(call, value);
            }
          });
      CompletableFuture<RespT> r = response;
      return new RequestListener<>(requests) {
        @Override
        public void onCancel() {
          super.onCancel();
          r.cancel(false);
        }
      };
    };
  }

  /** A bidirectional method: requests in as a publisher, responses out as a publisher. */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> bidiStreaming(
      BidiStreamingHandler<ReqT, RespT> handler) {
    return call -> {
      InboundPublisher<ReqT> requests = requestsOf(call);
      OutboundSubscriber<RespT> responses =
          subscribe(call, () -> handler.invoke(requests, call.context()));
      return new RequestListener<>(requests) {
        @Override
        public void onCancel() {
          super.onCancel();
          responses.stop();
        }
      };
    };
  }

  // ---- observer style

  /** A server-streaming method written with a response observer. */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncServerStreaming(
      ServerStreamingMethod<ReqT, RespT> method) {
    return call -> {
      ResponseObserver<RespT> responses = new ResponseObserver<>(call);
      call.request(1);
      return new ServerCall.Listener<ReqT>() {
        private ReqT request;

        @Override
        public void onMessage(ReqT message) {
          request = message;
        }

        @Override
        public void onHalfClose() {
          try {
            method.invoke(request, responses);
          } catch (RuntimeException e) {
            responses.onError(e);
          }
        }

        @Override
        public void onCancel() {
          responses.cancelled();
        }

        @Override
        public void onReady() {
          responses.ready();
        }
      };
    };
  }

  /**
   * A client-streaming or bidirectional method written with observers. Requests are delivered one
   * at a time, each after the previous {@code onNext} returned; one more is read ahead meanwhile.
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncStreaming(
      StreamingRequestMethod<ReqT, RespT> method) {
    return call -> {
      ResponseObserver<RespT> responses = new ResponseObserver<>(call);
      StreamObserver<ReqT> requests;
      try {
        requests = method.invoke(responses);
      } catch (RuntimeException e) {
        responses.onError(e);
        return new ServerCall.Listener<ReqT>() {};
      }
      call.request(ObserverReads.INITIAL_REQUEST);
      return new ServerCall.Listener<ReqT>() {
        @Override
        public void onMessage(ReqT message) {
          requests.onNext(message);
          call.request(1);
        }

        @Override
        public void onHalfClose() {
          requests.onCompleted();
        }

        @Override
        public void onCancel() {
          responses.cancelled();
          requests.onError(Status.CANCELLED.withDescription("Call cancelled").asException());
        }

        @Override
        public void onReady() {
          responses.ready();
        }
      };
    };
  }

  // ---- defaults for generated code

  /** A future failed with UNIMPLEMENTED, for a method a server does not implement. */
  public static <T> CompletableFuture<T> unimplementedFuture(
      dev.grpcjni.MethodDescriptor<?, ?> method) {
    return CompletableFuture.failedFuture(unimplemented(method));
  }

  /** A publisher that fails with UNIMPLEMENTED, for a method a server does not implement. */
  public static <T> Flow.Publisher<T> unimplementedPublisher(
      dev.grpcjni.MethodDescriptor<?, ?> method) {
    return subscriber -> {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(unimplemented(method));
    };
  }

  private static StatusException unimplemented(dev.grpcjni.MethodDescriptor<?, ?> method) {
    return Status.UNIMPLEMENTED
        .withDescription("Method " + method.fullMethodName() + " is unimplemented")
        .asException();
  }

  // ---- helpers

  private static <ReqT> InboundPublisher<ReqT> requestsOf(ServerCall<ReqT, ?> call) {
    return new InboundPublisher<>(
        new InboundPublisher.Source() {
          @Override
          public void request(int n) {
            call.request(n);
          }

          @Override
          public void cancel(String reason) {
            call.close(Status.CANCELLED.withDescription("Server stopped reading: " + reason), null);
          }

          @Override
          public void fail(Throwable t) {
            logger.log(
                Level.WARNING,
                "request subscriber of " + call.method().fullMethodName() + " threw",
                t);
            call.close(applicationError(t), null);
          }
        });
  }

  /** Routes a call's incoming messages to an inbound publisher. */
  private static class RequestListener<ReqT> extends ServerCall.Listener<ReqT> {
    private final InboundPublisher<ReqT> requests;

    RequestListener(InboundPublisher<ReqT> requests) {
      this.requests = requests;
    }

    @Override
    public void onMessage(ReqT message) {
      requests.next(message);
    }

    @Override
    public void onHalfClose() {
      requests.complete();
    }

    @Override
    public void onCancel() {
      requests.fail(Status.CANCELLED.withDescription("Call cancelled").asException());
    }

    @Override
    public void onComplete() {
      // The call was closed before the requests ended (a handler that finished early, or a
      // request that failed to parse): that is not a clean end of the request stream.
      requests.fail(
          Status.CANCELLED.withDescription("Call closed before the requests ended").asException());
    }
  }

  /** Subscribes the call's response side to the publisher the handler returns. */
  private static <RespT> OutboundSubscriber<RespT> subscribe(
      ServerCall<?, RespT> call, java.util.function.Supplier<Flow.Publisher<RespT>> handler) {
    OutboundSubscriber<RespT> subscriber =
        new OutboundSubscriber<>(
            new OutboundSubscriber.Sink<RespT>() {
              @Override
              public CompletableFuture<Void> write(RespT value) {
                return call.sendMessage(value);
              }

              @Override
              public void complete() {
                call.close(Status.OK, null);
              }

              @Override
              public void fail(Throwable t) {
                closeWithError(call, t);
              }
            });
    Flow.Publisher<RespT> publisher;
    try {
      publisher = handler.get();
    } catch (RuntimeException e) {
      closeWithError(call, e);
      subscriber.stop();
      return subscriber;
    }
    if (publisher == null) {
      call.close(Status.INTERNAL.withDescription("Handler returned no publisher"), null);
      subscriber.stop();
      return subscriber;
    }
    publisher.subscribe(subscriber);
    return subscriber;
  }

  /**
   * Sends a handler's single response and closes with OK; a response that fails to go is INTERNAL.
   */
  private static <RespT> void reply(ServerCall<?, RespT> call, RespT value) {
    if (value == null) {
      call.close(Status.INTERNAL.withDescription("Handler completed with null"), null);
      return;
    }
    try {
      call.sendUnobserved(value);
    } catch (RuntimeException | Error e) {
      logger.log(
          Level.WARNING,
          "serializing the response of " + call.method().fullMethodName() + " failed",
          e);
      call.close(Status.INTERNAL.withDescription("Failed to serialize response"), null);
      return;
    }
    call.close(Status.OK, null);
  }

  /** What a call failed by its own application code ends with, in grpc-java's words. */
  private static Status applicationError(Throwable t) {
    return Status.UNKNOWN.withDescription("Application error processing RPC").withCause(t);
  }

  /** Closes with the status a handler's failure stands for, as the unary path does. */
  static void closeWithError(ServerCall<?, ?> call, Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof StatusException) {
      StatusException se = (StatusException) e;
      call.close(se.status(), se.trailers());
    } else if (e instanceof CancellationException) {
      call.close(Status.CANCELLED.withDescription("Handler cancelled its response"), null);
    } else {
      logger.log(Level.WARNING, "handler of " + call.method().fullMethodName() + " failed", e);
      call.close(applicationError(e), null);
    }
  }

  /** The response side of a server call, as an observer. */
  private static final class ResponseObserver<RespT> implements ServerCallStreamObserver<RespT> {
    private final ServerCall<?, RespT> call;
    private volatile Runnable onReady;
    private volatile Runnable onCancel;

    ResponseObserver(ServerCall<?, RespT> call) {
      this.call = call;
    }

    @Override
    public CompletableFuture<Void> write(RespT value) {
      return Senders.write(call, value);
    }

    @Override
    public void onNext(RespT value) {
      call.sendUnobserved(value);
    }

    @Override
    public void onError(Throwable t) {
      closeWithError(call, t);
    }

    @Override
    public void onCompleted() {
      call.close(Status.OK, null);
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
    public void setOnReadyHandler(Runnable onReady) {
      this.onReady = onReady;
    }

    @Override
    public ServerCallContext context() {
      return call.context();
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setOnCancelHandler(Runnable onCancel) {
      this.onCancel = onCancel;
    }

    void ready() {
      Runnable r = onReady;
      if (r != null) {
        r.run();
      }
    }

    void cancelled() {
      Runnable r = onCancel;
      if (r != null) {
        r.run();
      }
    }
  }
}
