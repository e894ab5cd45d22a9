// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import java.util.Iterator;

/**
 * The responses of a blocking server-streaming call ({@link
 * ClientCalls#blockingServerStreamingCall}), read as they are iterated: {@link #hasNext()} waits
 * for the next response or the end of the call, and a response is asked of the server only once the
 * previous one was taken, so a slow reader slows the server down (HTTP/2 flow control) instead of
 * filling memory.
 *
 * <p>A non-OK status is thrown by {@code hasNext()} (and {@code next()}) as a {@link
 * dev.grpcjni.StatusException}, after the responses that came before it. Close the iterator — with
 * try-with-resources — when you stop reading before the end: that cancels the call. Reading to the
 * end closes it too. An interrupt while waiting cancels the call: {@code hasNext()} then throws
 * CANCELLED and the thread's interrupt flag stays set.
 *
 * <p>Not thread-safe: use it from one thread at a time, never from a poller thread (a
 * direct-executor callback), where waiting would block the queue the responses come from.
 *
 * @param <T> the response type
 */
public interface ResponseIterator<T> extends Iterator<T>, AutoCloseable {
  /**
   * Cancels the call if it has not ended, and waits (briefly: the cancel is local) until it did.
   * Responses not yet taken are dropped. Later calls do nothing.
   */
  @Override
  void close();
}
