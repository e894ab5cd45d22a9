// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.concurrent.CompletableFuture;

/**
 * A server call of any kind of method at the lowest level: request messages, send headers and
 * messages, close with a status. Every call a server serves is one, given to the method's {@link
 * ServerCallHandler}: the future-, {@code Flow}- and observer-style handlers of {@link
 * dev.grpcjni.stub.ServerCalls} are built on it, and {@link ServerInterceptor}s wrap it.
 *
 * <p>Requests are read only when asked for with {@link #request(int)}, except that a unary or
 * server-streaming call's single request arrives with the call and is delivered right after {@code
 * startCall}, followed by {@code onHalfClose}. A message is handed to the C core only after the
 * previous one was accepted; {@link #sendMessage}'s future completes at that point. A unary or
 * client-streaming method's response is held until {@link #close}, so that headers, message and
 * status leave in one batch.
 *
 * <p>Listener callbacks come one at a time, in order ({@code onMessage}*, {@code onHalfClose}, then
 * {@code onComplete} or {@code onCancel}, with {@code onReady} in between), on the server's
 * executor, with the call's {@link Context} current. A listener callback that throws cancels the
 * call (the client sees CANCELLED); {@code onCancel} follows.
 *
 * <p>Thread-safe, but {@code sendHeaders}, {@code sendMessage} and {@code close} must not be called
 * concurrently with each other.
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
public interface ServerCall<ReqT, RespT> {
  /** Receives what the client sends. Override what you need; the defaults do nothing. */
  abstract class Listener<T> {
    /** A listener whose callbacks do nothing until overridden. */
    public Listener() {}

    /** One requested request message. */
    public void onMessage(T message) {}

    /** The client half-closed: no more messages will come. */
    public void onHalfClose() {}

    /** The call was cancelled (client, deadline, disconnect, server shutdownNow). Last call. */
    public void onCancel() {}

    /** The call completed normally after {@link ServerCall#close}. Last call. */
    public void onComplete() {}

    /** The call can take another message without queueing it. */
    public void onReady() {}
  }

  /** Allows {@code numMessages} more request messages to be read and delivered. */
  void request(int numMessages);

  /**
   * Sends the response headers now (with {@link ServerCallContext#responseHeaders()} merged in).
   * Without it, headers go with the first message or the status.
   *
   * @throws IllegalStateException if headers were sent already or the call is closed
   */
  void sendHeaders(Metadata headers);

  /**
   * Queues a response message.
   *
   * @return completes when the C core accepted the message; fails with {@link
   *     dev.grpcjni.StatusException} if the call ended first
   * @throws IllegalStateException after {@link #close}
   */
  CompletableFuture<Void> sendMessage(RespT message);

  /**
   * Queues a response message as {@link #sendMessage} does, for a caller that does not wait for its
   * acceptance and paces itself with {@link #isReady()} and {@link Listener#onReady()} (as a {@code
   * StreamObserver}'s {@code onNext} and grpc-java's {@code ServerCall.sendMessage} do). grpc-jni's
   * own calls then make no future, and the message's acceptance schedules no task on the call's
   * executor; a message the call can no longer send is dropped. This default calls {@link
   * #sendMessage}, so an interceptor's {@code sendMessage} sees every message.
   *
   * @throws IllegalStateException after {@link #close}
   */
  default void sendUnobserved(RespT message) {
    sendMessage(message);
  }

  /**
   * Ends the call with {@code status} and {@code trailers} (null for none) after the queued
   * messages; {@link ServerCallContext#responseTrailers()} are sent too. Later calls do nothing.
   */
  void close(Status status, Metadata trailers);

  /**
   * Whether response messages sent from now on may be compressed (default true). With false they go
   * uncompressed even when the call compresses ({@link ServerCallContext#setCompression}), as in
   * grpc-java's {@code setMessageCompression}.
   */
  void setMessageCompression(boolean enabled);

  boolean isReady();

  boolean isCancelled();

  MethodDescriptor<ReqT, RespT> method();

  /** The call's context: request headers, deadline, response metadata, cancellation, peer. */
  ServerCallContext context();
}
