// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

/**
 * Serves a method at the lowest level: given a new call, returns the listener for what the client
 * sends. Runs on the server's executor. {@link ServerCalls} adapts Flow- and observer-style
 * handlers to this.
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
@FunctionalInterface
public interface ServerCallHandler<ReqT, RespT> {
  ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call);
}
