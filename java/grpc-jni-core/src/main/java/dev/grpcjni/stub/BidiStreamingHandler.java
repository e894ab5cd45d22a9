// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ServerCallContext;
import java.util.concurrent.Flow;

/**
 * Serves a bidirectional method: requests in as a single-subscriber publisher, responses out as a
 * publisher that grpc-jni subscribes to once. Both directions are flow-controlled end to end.
 */
@FunctionalInterface
public interface BidiStreamingHandler<ReqT, RespT> {
  Flow.Publisher<RespT> invoke(Flow.Publisher<ReqT> requests, ServerCallContext context);
}
