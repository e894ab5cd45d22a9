// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

/**
 * Receives a stream of messages: any number of {@link #onNext}, then exactly one of {@link
 * #onError} or {@link #onCompleted}. grpc-jni calls an observer you give it one method at a time,
 * never concurrently, on the call's executor.
 *
 * @param <T> the message type
 */
public interface StreamObserver<T> {
  void onNext(T value);

  /**
   * The stream failed; {@code t} is a {@link dev.grpcjni.StatusException} when it came from RPC.
   */
  void onError(Throwable t);

  void onCompleted();
}
