// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * Serves a method at the lowest level: given a new call, returns the listener for what the client
 * sends. Every method of a server, of every kind, is served by one (in a {@link
 * ServerMethodDefinition}); {@link dev.grpcjni.stub.ServerCalls} makes them from future-, {@code
 * Flow}- and observer-style handlers, and {@link ServerInterceptor}s wrap them.
 *
 * <p>Runs on the server's executor, with the call's {@link Context} current; the request headers
 * are {@code call.context().requestHeaders()}. An exception thrown here closes the call with the
 * status it carries ({@link Status#fromThrowable}).
 *
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
@FunctionalInterface
public interface ServerCallHandler<ReqT, RespT> {
  ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call);
}
