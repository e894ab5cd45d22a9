// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ServerCallContext;

/**
 * The response side of a server-streaming or bidirectional call. {@link #onCompleted()} ends the
 * call with OK and {@code context().responseTrailers()}; {@link #onError} ends it with the status
 * of a {@link dev.grpcjni.StatusException} (UNKNOWN for any other exception).
 *
 * @param <T> the response type
 */
public interface ServerCallStreamObserver<T> extends CallStreamObserver<T> {
  /** The call's context: request headers, deadline, response metadata, cancellation. */
  ServerCallContext context();

  /** True once the client cancelled, the deadline passed or the server shut down. */
  boolean isCancelled();

  /** Called on the server's executor when the call is cancelled. */
  void setOnCancelHandler(Runnable onCancel);
}
