// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.concurrent.CompletableFuture;

/**
 * A client call of any kind of method at the lowest level: start it, send messages, half-close, and
 * request responses. Every call a {@link Channel} makes is one, whatever its style: the futures,
 * {@code Flow} publishers, observers and blocking calls of {@link dev.grpcjni.stub.ClientCalls} and
 * the generated stubs are built on it, and {@link ClientInterceptor}s wrap it.
 *
 * <p>How it goes on the wire follows the method's type. A unary call is one batch of the C core,
 * started by {@link #halfClose()}: its one request is held, and serialized, until then (so do not
 * change it in between). A server-streaming call's request is likewise sent with its half-close.
 * Client-streaming and bidirectional calls start at {@link #start}. A call that sends another
 * number of requests than its type says still works, through the general (bidirectional) shape.
 *
 * <p>With an OK status every response is delivered (as requested) before {@code onClose}. With an
 * error status the C core drops the responses the client had not read yet when the status arrived,
 * so a prefix of what the server sent is delivered; after {@link #cancel} none are. The single
 * response of a unary or client-streaming call comes with its status, requested or not.
 *
 * <p>Flow control: a streamed response is read only when requested with {@link #request(int)}; a
 * message is handed to the C core only after the previous one was accepted, and {@link
 * #sendMessage}'s future completes at that point. Listener callbacks come one at a time, in order
 * ({@code onHeaders}, {@code onMessage}*, {@code onClose}, with {@code onReady} in between), on the
 * call's executor. A listener's {@code onHeaders}, {@code onMessage} or {@code onReady} that throws
 * cancels the call, which then closes with CANCELLED and the exception as its cause.
 *
 * <p>Thread-safe: methods may be called from any thread. {@code sendMessage} and {@code halfClose}
 * must not be called concurrently with each other.
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
public interface ClientCall<ReqT, RespT> {
  /** Receives what the server sends. Override what you need; the defaults do nothing. */
  abstract class Listener<T> {
    /** A listener whose callbacks do nothing until overridden. */
    public Listener() {}

    /** The response headers; not called if the call fails before any arrived. */
    public void onHeaders(Metadata headers) {}

    /** One requested response. */
    public void onMessage(T message) {}

    /** The call is over: the final status and trailers. Called exactly once, last. */
    public void onClose(Status status, Metadata trailers) {}

    /** The call can take another message without queueing it (see {@link #isReady()}). */
    public void onReady() {}
  }

  /**
   * Starts the call with request headers (null for none).
   *
   * @throws IllegalStateException if already started
   */
  void start(Listener<RespT> listener, Metadata headers);

  /** Allows {@code numMessages} more responses to be read and delivered. */
  void request(int numMessages);

  /**
   * Queues a request message.
   *
   * @return completes when the C core accepted the message into flow control; fails with {@link
   *     dev.grpcjni.StatusException} carrying the call's final status if the call ended first
   * @throws IllegalStateException if not started, or after {@link #halfClose()}
   */
  CompletableFuture<Void> sendMessage(ReqT message);

  /**
   * Queues a request message as {@link #sendMessage} does, for a caller that does not wait for its
   * acceptance and paces itself with {@link #isReady()} and {@link Listener#onReady()} (as a {@code
   * StreamObserver}'s {@code onNext} and grpc-java's {@code ClientCall.sendMessage} do). grpc-jni's
   * own calls then make no future, and the message's acceptance schedules no task on the call's
   * executor; a message the call can no longer send is dropped (the call's close says why). This
   * default calls {@link #sendMessage}, so an interceptor's {@code sendMessage} sees every message.
   *
   * @throws IllegalStateException if not started, or after {@link #halfClose()}
   */
  default void sendUnobserved(ReqT message) {
    sendMessage(message);
  }

  /** Ends the request stream (after the queued messages). */
  void halfClose();

  /**
   * Cancels the call: the listener's {@code onClose} gets CANCELLED with {@code message}, and the
   * server sees the call cancelled. Does nothing once the call is over.
   */
  void cancel(String message, Throwable cause);

  /** True if a message sent now would not wait behind others already queued. */
  boolean isReady();

  /**
   * Whether request messages sent from now on may be compressed (default true). With false they go
   * uncompressed even when the call compresses ({@link CallOptions#withCompression}).
   */
  void setMessageCompression(boolean enabled);

  /**
   * Whether the response most recently delivered to {@link Listener#onMessage} arrived compressed
   * on the wire (the C core inflated it). Call it from {@code onMessage} or after it.
   *
   * @throws IllegalStateException if no response was delivered yet
   * @throws UnsupportedOperationException if the linked libgrpc does not report it (grpc-jni reads
   *     the C core's per-message flags, which libgrpc 1.51 exposes)
   */
  boolean wasLastMessageCompressed();

  /**
   * The server's address as the C core reports it, e.g. {@code ipv4:127.0.0.1:50051}: known once
   * the call is on a connection (from {@link Listener#onHeaders} at the latest) and in {@link
   * Listener#onClose} and after it for every kind of call, unary ones included. {@code unknown}
   * before the call is on a connection, for a call that never reached one (it failed to connect, or
   * was cancelled or timed out before), and for a call that is not grpc-jni's.
   */
  default String peer() {
    return "unknown";
  }

  /**
   * The server as the transport established it: with TLS, its certificate's names, the security
   * level and the certificate itself ({@link AuthContext#peerCertificatePem()}); for a plaintext
   * call, {@code transport_security_type} {@code insecure}. Known while the C core's call is on its
   * connection (for a streaming call from {@link Listener#onHeaders} until its status; a unary
   * call's ends in the batch that brings its response, before its listener runs); {@link
   * AuthContext#NONE} otherwise. Ask while a stream runs and keep it if needed later.
   */
  default AuthContext authContext() {
    return AuthContext.NONE;
  }
}
