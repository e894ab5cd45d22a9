// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import java.util.concurrent.CompletableFuture;

/**
 * The sending side of a stream that grpc-jni gives you: the requests of a client call or the
 * responses of a server call. Besides {@link StreamObserver}, it tells you when the transport can
 * take more, so a producer can keep memory bounded:
 *
 * <ul>
 *   <li>{@link #write} returns a future that completes when the C core accepted the message into
 *       HTTP/2 flow control: waiting for it before the next write is end-to-end backpressure.
 *   <li>{@link #isReady} is false while unsent messages are queued beyond a small threshold; {@link
 *       #setOnReadyHandler} is called when it turns true again.
 * </ul>
 *
 * <p>{@link #onNext} never blocks and queues without limit: use it only when the total is small or
 * you check {@code isReady()}. It is also the cheaper call: with no future to complete, a message
 * sent with it costs no task on the executor. Methods may be called from any thread, but not
 * concurrently.
 *
 * @param <T> the message type
 */
public interface CallStreamObserver<T> extends StreamObserver<T> {
  /**
   * Sends {@code value}.
   *
   * @return completes when the C core accepted the message; fails with {@link
   *     dev.grpcjni.StatusException} carrying the call's final status if the call ended first, and
   *     with {@link IllegalStateException} after this side's {@link #onCompleted} or {@link
   *     #onError} (where {@link #onNext} throws it, as in grpc-java). Never throws for the call's
   *     state.
   */
  CompletableFuture<Void> write(T value);

  /** True if a message written now would not wait behind others. */
  boolean isReady();

  /** Called on the call's executor each time {@link #isReady()} turns true. */
  void setOnReadyHandler(Runnable onReady);

  /**
   * Whether messages written from now on may be compressed with the call's algorithm (default
   * true); false sends them uncompressed.
   */
  void setMessageCompression(boolean enabled);
}
