// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ServerCallContext;
import java.util.concurrent.CompletableFuture;

/**
 * Serves a unary method: one request in, one response out.
 *
 * <p>Runs on the server's executor (the poller thread with {@link ServerBuilder#directExecutor()}).
 * The response is sent when the returned future completes, on whichever thread completes it.
 * Failing it (or throwing) with a {@link dev.grpcjni.StatusException} sends that status and
 * trailers; any other exception sends UNKNOWN and is logged; a null future or null response sends
 * INTERNAL.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
@FunctionalInterface
public interface UnaryHandler<ReqT, RespT> {
  CompletableFuture<RespT> invoke(ReqT request, ServerCallContext context);

  /** A handler that computes its response synchronously, on the executor thread. */
  static <ReqT, RespT> UnaryHandler<ReqT, RespT> sync(
      java.util.function.BiFunction<ReqT, ServerCallContext, RespT> function) {
    return (request, context) ->
        CompletableFuture.completedFuture(function.apply(request, context));
  }
}
