// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ServerCallContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Serves a client-streaming method: the requests as a single-subscriber publisher (a request is
 * read only when its subscriber asks for it), one response out as a future. Failing the future ends
 * the call with the failure's status.
 */
@FunctionalInterface
public interface ClientStreamingHandler<ReqT, RespT> {
  CompletableFuture<RespT> invoke(Flow.Publisher<ReqT> requests, ServerCallContext context);
}
