// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.internal.call.InboundPublisher;
import dev.grpcjni.internal.call.ObserverReads;
import dev.grpcjni.internal.call.OutboundSubscriber;
import dev.grpcjni.internal.call.UnobservedSender;
import dev.grpcjni.stream.ServerCallStreamObserver;
import dev.grpcjni.stream.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Adapts handlers written against {@link Flow} or {@link StreamObserver} to {@link
 * ServerCallHandler}s, for {@link ServiceDefinition.Builder#method}. The Flow-style ones are also
 * what {@code serverStreaming}, {@code clientStreaming} and {@code bidiStreaming} on the builder
 * use.
 */
public final class ServerCalls {
  private static final Logger logger = Logger.getLogger(ServerCalls.class.getName());

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

  // ---- Flow style

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
            } else if (value == null) {
              call.close(Status.INTERNAL.withDescription("Handler completed with null"), null);
            } else {
              senderOf(call).sendUnobserved(value);
              call.close(Status.OK, null);
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
   * Sends for a caller that ignores the completion: the library's calls send without a future (no
   * executor task per message); any other ServerCall through sendMessage.
   */
  @SuppressWarnings("unchecked")
  private static <RespT> UnobservedSender<RespT> senderOf(ServerCall<?, RespT> call) {
    return call instanceof UnobservedSender
        ? (UnobservedSender<RespT>) call
        : (UnobservedSender<RespT>) call::sendMessage;
  }

  /** Closes with the status a handler's failure stands for, as the unary path does. */
  static void closeWithError(ServerCall<?, ?> call, Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof StatusException) {
      StatusException se = (StatusException) e;
      call.close(se.status(), se.trailers());
    } else if (e instanceof java.util.concurrent.CancellationException) {
      call.close(Status.CANCELLED.withDescription("Handler cancelled its response"), null);
    } else {
      logger.log(Level.WARNING, "handler of " + call.method().fullMethodName() + " failed", e);
      call.close(Status.UNKNOWN.withDescription("Application error processing RPC"), null);
    }
  }

  /** The response side of a server call, as an observer. */
  private static final class ResponseObserver<RespT> implements ServerCallStreamObserver<RespT> {
    private final ServerCall<?, RespT> call;
    private final UnobservedSender<RespT> sender;
    private volatile Runnable onReady;
    private volatile Runnable onCancel;

    ResponseObserver(ServerCall<?, RespT> call) {
      this.call = call;
      this.sender = senderOf(call);
    }

    @Override
    public CompletableFuture<Void> write(RespT value) {
      return call.sendMessage(value);
    }

    @Override
    public void onNext(RespT value) {
      sender.sendUnobserved(value);
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
