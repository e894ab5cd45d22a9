// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

/**
 * The request side of a client-streaming or bidirectional call. {@link #onCompleted()} half-closes
 * the call; {@link #onError} and {@link #cancel} cancel it.
 *
 * <p>An instance dropped without {@code onCompleted}, {@code onError} or {@code cancel} cancels its
 * call once the garbage collector finds it, so an abandoned stream does not hold native resources.
 * That happens only if nothing the call still uses refers to it (a response observer that keeps the
 * request observer keeps it alive): finish or cancel streams explicitly.
 *
 * @param <T> the request type
 */
public interface ClientCallStreamObserver<T> extends CallStreamObserver<T> {
  /** Cancels the call with CANCELLED and {@code message}. */
  void cancel(String message);
}
