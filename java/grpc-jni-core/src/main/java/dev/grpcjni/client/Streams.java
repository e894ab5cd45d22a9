// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.internal.call.ClientStreamCall;
import dev.grpcjni.internal.call.InboundPublisher;
import dev.grpcjni.internal.call.ObserverReads;
import dev.grpcjni.internal.call.OutboundSubscriber;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.stream.ClientCallStreamObserver;
import dev.grpcjni.stream.StreamObserver;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** The Flow- and observer-style client streaming adapters behind {@link Channel}. */
final class Streams {
  /** Cancels calls whose request observers were dropped without being finished. */
  private static final Cleaner ABANDONED =
      Cleaner.create(EventLoop.daemonThreads("grpc-jni-abandoned-calls-"));

  private Streams() {}

  static <ReqT, RespT> InboundPublisher<RespT> responsesOf(ClientStreamCall<ReqT, RespT> call) {
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
        });
  }

  static <ReqT> OutboundSubscriber<ReqT> requestsTo(ClientStreamCall<ReqT, ?> call) {
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
  static <RespT> ClientCall.Listener<RespT> toPublisher(
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
  static <RespT> ClientCall.Listener<RespT> toObserver(
      ClientStreamCall<?, RespT> call,
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
  static <ReqT, RespT> ClientCallStreamObserver<ReqT> requestObserver(
      ClientStreamCall<ReqT, RespT> call, StreamObserver<RespT> responses, Metadata headers) {
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
    call.start(toObserver(call, responses, onReady, done), headers);
    call.request(ObserverReads.INITIAL_REQUEST);
    return requests;
  }

  private static final class RequestObserver<ReqT> implements ClientCallStreamObserver<ReqT> {
    private final ClientStreamCall<ReqT, ?> call;
    private final AtomicReference<Runnable> onReady;
    private final AtomicBoolean done;

    RequestObserver(
        ClientStreamCall<ReqT, ?> call, AtomicReference<Runnable> onReady, AtomicBoolean done) {
      this.call = call;
      this.onReady = onReady;
      this.done = done;
    }

    @Override
    public CompletableFuture<Void> write(ReqT value) {
      return call.sendMessage(value);
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
    private final ClientStreamCall<?, ?> call;

    CallFuture(ClientStreamCall<?, ?> call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      call.cancel("Cancelled by client", null);
      return cancelled;
    }
  }

  /** Completes a future from a client-streaming call's single response. */
  static <RespT> ClientCall.Listener<RespT> toFuture(
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
