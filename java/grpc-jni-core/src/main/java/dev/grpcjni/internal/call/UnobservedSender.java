// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

/**
 * A streaming call that can queue a message nobody waits for, as a {@code StreamObserver}'s {@code
 * onNext} does. Unlike {@code sendMessage}, no future is made, so the message's completion
 * schedules no task on the call's executor: one thread hand-off less per message.
 *
 * @param <T> the message type
 */
public interface UnobservedSender<T> {
  /**
   * Queues {@code message} as {@code sendMessage} does, without a completion future. Flow control
   * is left to {@code isReady()} and {@code onReady}.
   *
   * @throws IllegalStateException if the call can no longer take messages from its side
   */
  void sendUnobserved(T message);
}
