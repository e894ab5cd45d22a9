// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ServerCallContext;
import java.util.concurrent.Flow;

/**
 * Serves a server-streaming method: one request in, a publisher of responses out. grpc-jni
 * subscribes once and requests as the transport accepts; the publisher's completion ends the call
 * with OK (and {@link ServerCallContext#responseTrailers()}), its error with the error's status.
 * The subscription is cancelled if the call is cancelled.
 */
@FunctionalInterface
public interface ServerStreamingHandler<ReqT, RespT> {
  Flow.Publisher<RespT> invoke(ReqT request, ServerCallContext context);
}
