// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21, defect 3: user code that throws from a callback (an observer's or a subscriber's {@code
 * onNext}, a publisher's {@code request}) ends its call as grpc-java does (the server closes with
 * UNKNOWN, the client cancels); it is never only logged, and the call never hangs.
 */
class CallbackFailureIT {
  static final String SERVICE = "grpcjni.test.Failing";

  static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(SERVICE, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  /** Observer style; its request observer throws on the first message. */
  static final MethodDescriptor<byte[], byte[]> OBSERVER_THROWS =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "ObserverThrows");

  /** Flow style; its request subscriber throws on the first message. */
  static final MethodDescriptor<byte[], byte[]> SUBSCRIBER_THROWS =
      method(MethodDescriptor.MethodType.CLIENT_STREAMING, "SubscriberThrows");

  /** Flow style; the response publisher's {@code request} throws once a message went out. */
  static final MethodDescriptor<byte[], byte[]> PUBLISHER_THROWS =
      method(MethodDescriptor.MethodType.SERVER_STREAMING, "PublisherThrows");

  /** Echoes; records every call's end. */
  static final MethodDescriptor<byte[], byte[]> ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "Echo");

  /** Bytes, except that a message whose first byte is 99 fails to serialize. */
  static final Marshaller<byte[]> POISONED =
      new Marshaller<byte[]>() {
        @Override
        public int serializedSize(byte[] value) {
          if (value.length > 0 && value[0] == 99) {
            throw new IllegalArgumentException("poisoned message");
          }
          return value.length;
        }

        @Override
        public void serialize(byte[] value, ByteBuffer target) {
          target.put(value);
        }

        @Override
        public byte[] parse(ByteBuffer source) {
          byte[] b = new byte[source.remaining()];
          source.get(b);
          return b;
        }
      };

  /** Client-streaming; its response (99) fails to serialize. */
  static final MethodDescriptor<byte[], byte[]> POISONED_RESPONSE =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.CLIENT_STREAMING,
          MethodDescriptor.fullMethodName(SERVICE, "PoisonedResponse"),
          POISONED,
          POISONED);

  /** Server-streaming with a marshaller a request of 99 fails. */
  static final MethodDescriptor<byte[], byte[]> POISONED_REQUEST =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.SERVER_STREAMING,
          MethodDescriptor.fullMethodName(SERVICE, "PoisonedRequest"),
          POISONED,
          POISONED);

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final AtomicInteger handlerCompletions = new AtomicInteger(); // onCompleted / onComplete runs
  final AtomicInteger messagesAfterThrow = new AtomicInteger();
  final LinkedBlockingQueue<ServerCallContext> contexts = new LinkedBlockingQueue<>();

  ServiceDefinition service() {
    return ServiceDefinition.builder(SERVICE)
        .method(
            OBSERVER_THROWS,
            ServerCalls.asyncStreaming(
                responses -> {
                  contexts.add(responses.context());
                  return new StreamObserver<byte[]>() {
                    boolean threw;

                    @Override
                    public void onNext(byte[] value) {
                      if (threw) {
                        messagesAfterThrow.incrementAndGet();
                      }
                      threw = true;
                      throw new IllegalStateException("observer boom");
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                      handlerCompletions.incrementAndGet();
                      responses.onCompleted();
                    }
                  };
                }))
        .clientStreaming(
            SUBSCRIBER_THROWS,
            (requests, ctx) -> {
              contexts.add(ctx);
              CompletableFuture<byte[]> response = new CompletableFuture<>();
              requests.subscribe(
                  new Flow.Subscriber<byte[]>() {
                    boolean threw;

                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                      s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(byte[] item) {
                      if (threw) {
                        messagesAfterThrow.incrementAndGet();
                      }
                      threw = true;
                      throw new IllegalStateException("subscriber boom");
                    }

                    @Override
                    public void onError(Throwable t) {
                      response.completeExceptionally(t);
                    }

                    @Override
                    public void onComplete() {
                      handlerCompletions.incrementAndGet();
                      response.complete(new byte[0]);
                    }
                  });
              return response;
            })
        .serverStreaming(
            PUBLISHER_THROWS,
            (req, ctx) -> {
              contexts.add(ctx);
              return subscriber ->
                  subscriber.onSubscribe(
                      new Flow.Subscription() {
                        boolean first = true;

                        @Override
                        public void request(long n) {
                          if (first) { // the first message goes out; asking for more throws
                            first = false;
                            subscriber.onNext(new byte[] {1});
                            return;
                          }
                          throw new IllegalStateException("publisher boom");
                        }

                        @Override
                        public void cancel() {}
                      });
            })
        .clientStreaming(
            POISONED_RESPONSE,
            (requests, ctx) -> {
              Flows.Counter counter = new Flows.Counter(4);
              requests.subscribe(counter);
              return counter.result().thenApply(c -> new byte[] {99});
            })
        .serverStreaming(POISONED_REQUEST, (req, ctx) -> Flows.range(1, i -> req))
        .bidiStreaming(
            ECHO,
            (requests, ctx) -> {
              contexts.add(ctx);
              return requests;
            })
        .build();
  }

  ManagedChannel start() throws IOException {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0").addService(service()).build().start());
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  static Status statusOf(Throwable t) {
    Throwable e = t instanceof ExecutionException ? t.getCause() : t;
    assertThat(e).isInstanceOf(StatusException.class);
    return ((StatusException) e).status();
  }

  /** Collects what a client-side observer hears. */
  static final class Heard implements StreamObserver<byte[]> {
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    final AtomicInteger messages = new AtomicInteger();

    @Override
    public void onNext(byte[] value) {
      messages.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      closed.complete(statusOf(t));
    }

    @Override
    public void onCompleted() {
      closed.complete(Status.OK);
    }
  }

  @Test
  void serverObserverThatThrowsEndsTheCallWithUnknownWithoutAHalfClose() throws Exception {
    ManagedChannel channel = start();
    Heard heard = new Heard();
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(channel, OBSERVER_THROWS, heard, CallOptions.DEFAULT);
    requests.onNext(new byte[] {1});
    requests.onNext(new byte[] {2});
    // No half-close: before the fix the call hung here for ever.
    Status status = heard.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description()).isEqualTo("Application error processing RPC");
    assertThat(handlerCompletions.get()).isZero();
    assertThat(messagesAfterThrow.get()).isZero();
  }

  @Test
  void serverObserverThatThrowsIsNotCompletedByTheHalfClose() throws Exception {
    ManagedChannel channel = start();
    Heard heard = new Heard();
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(channel, OBSERVER_THROWS, heard, CallOptions.DEFAULT);
    requests.onNext(new byte[] {1});
    requests.onNext(new byte[] {2});
    requests.onCompleted();
    Status status = heard.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(handlerCompletions.get()).as("the handler's onCompleted ran").isZero();
    assertThat(messagesAfterThrow.get()).isZero();
  }

  @Test
  void serverSubscriberThatThrowsEndsTheCallWithUnknown() throws Exception {
    ManagedChannel channel = start();
    // The request stream never completes: only the failure can end this call.
    CompletableFuture<byte[]> response =
        ClientCalls.clientStreamingCall(
            channel,
            SUBSCRIBER_THROWS,
            subscriber ->
                subscriber.onSubscribe(
                    new Flow.Subscription() {
                      int sent;

                      @Override
                      public void request(long n) {
                        for (long i = 0; i < n && sent < 3; i++) {
                          subscriber.onNext(new byte[] {(byte) sent++});
                        }
                      }

                      @Override
                      public void cancel() {}
                    }),
            CallOptions.DEFAULT);
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> response.get(10, TimeUnit.SECONDS));
    assertThat(statusOf(e).code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(handlerCompletions.get()).isZero();
    assertThat(messagesAfterThrow.get()).as("onNext after the subscriber threw").isZero();
  }

  @Test
  void serverPublisherWhoseRequestThrowsEndsTheCallWithUnknown() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> collector = new Flows.Collector<>(4);
    ClientCalls.serverStreamingCall(channel, PUBLISHER_THROWS, new byte[1], CallOptions.DEFAULT)
        .subscribe(collector);
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class, () -> collector.result().get(10, TimeUnit.SECONDS));
    assertThat(statusOf(e).code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(collector.items()).hasSize(1);
  }

  @Test
  void clientSubscriberThatThrowsCancelsTheCallAndHearsOnError() throws Exception {
    ManagedChannel channel = start();
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    CopyOnWriteArrayList<byte[]> received = new CopyOnWriteArrayList<>();
    ClientCalls.bidiStreamingCall(
            channel,
            ECHO,
            // Never completes: only the cancel can end this call.
            subscriber ->
                subscriber.onSubscribe(
                    new Flow.Subscription() {
                      int sent;

                      @Override
                      public void request(long n) {
                        for (long i = 0; i < n && sent < 5; i++) {
                          subscriber.onNext(new byte[] {(byte) sent++});
                        }
                      }

                      @Override
                      public void cancel() {}
                    }),
            CallOptions.DEFAULT)
        .subscribe(
            new Flow.Subscriber<byte[]>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(byte[] item) {
                received.add(item);
                throw new IllegalStateException("client subscriber boom");
              }

              @Override
              public void onError(Throwable t) {
                error.complete(t);
              }

              @Override
              public void onComplete() {
                error.complete(null);
              }
            });
    Throwable t = error.get(10, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("client subscriber boom");
    ServerCallContext server = contexts.poll(10, TimeUnit.SECONDS);
    assertThat(server).isNotNull();
    server.whenCancelled().get(10, TimeUnit.SECONDS); // the server saw the client's cancel
    assertThat(received).hasSize(1);
  }

  @Test
  void clientObserverThatThrowsCancelsTheCallWithGrpcJavasStatus() throws Exception {
    ManagedChannel channel = start();
    CompletableFuture<Status> closed = new CompletableFuture<>();
    AtomicInteger messages = new AtomicInteger();
    ClientCallStreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel,
            ECHO,
            new StreamObserver<byte[]>() {
              @Override
              public void onNext(byte[] value) {
                messages.incrementAndGet();
                throw new IllegalStateException("client observer boom");
              }

              @Override
              public void onError(Throwable t) {
                closed.complete(statusOf(t));
              }

              @Override
              public void onCompleted() {
                closed.complete(Status.OK);
              }
            },
            CallOptions.DEFAULT);
    requests.onNext(new byte[] {1});
    requests.onNext(new byte[] {2});
    Status status = closed.get(10, TimeUnit.SECONDS);
    assertThat(status.code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(status.description()).isEqualTo("Failed to read message.");
    assertThat(status.cause()).hasMessage("client observer boom");
    assertThat(messages.get()).isEqualTo(1);
    contexts.poll(10, TimeUnit.SECONDS).whenCancelled().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientStreamingResponseThatFailsToSerializeEndsTheCallWithInternal() throws Exception {
    ManagedChannel channel = start();
    CompletableFuture<byte[]> response =
        ClientCalls.clientStreamingCall(
            channel, POISONED_RESPONSE, Flows.range(3, i -> new byte[] {1}), CallOptions.DEFAULT);
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> response.get(10, TimeUnit.SECONDS));
    Status status = statusOf(e);
    assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.description()).isEqualTo("Failed to serialize response");
  }

  @Test
  void aServerStreamingRequestThatFailsToSerializeReachesTheSubscriber() throws Exception {
    ManagedChannel channel = start();
    Flows.Collector<byte[]> collector = new Flows.Collector<>(4);
    // Reactive Streams 1.9: subscribe returns normally; the failure is a signal.
    ClientCalls.serverStreamingCall(channel, POISONED_REQUEST, new byte[] {99}, CallOptions.DEFAULT)
        .subscribe(collector);
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class, () -> collector.result().get(10, TimeUnit.SECONDS));
    Status status = statusOf(e); // as a unary request's: the fused start serializes it
    assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.cause()).hasMessage("poisoned message");
  }

  @Test
  void anInterceptorThatThrowsFromSendMessageCancelsTheServerStream() throws Exception {
    ManagedChannel channel = start();
    ClientInterceptor refuse =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(
                next.newCall(method, options)) {
              @Override
              public CompletableFuture<Void> sendMessage(ReqT message) {
                throw new IllegalArgumentException("refused by the interceptor");
              }
            };
          }
        };
    Flows.Collector<byte[]> collector = new Flows.Collector<>(4);
    ClientCalls.serverStreamingCall(
            ClientInterceptors.intercept(channel, refuse),
            POISONED_REQUEST,
            new byte[] {1},
            CallOptions.DEFAULT)
        .subscribe(collector); // returns normally (Reactive Streams 1.9)
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class, () -> collector.result().get(10, TimeUnit.SECONDS));
    Status status = statusOf(e);
    assertThat(status.code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(status.cause()).hasMessage("refused by the interceptor");
  }
}
