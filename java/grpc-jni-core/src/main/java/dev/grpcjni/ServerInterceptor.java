// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * Sees every call a server serves, of every kind (unary included), before its handler: to read
 * request headers ({@code call.context().requestHeaders()}), add response metadata, reject a call
 * with a status, time or count calls, wrap the listener, or make values available to the handler
 * through the {@link Context}. Install it per service ({@link
 * dev.grpcjni.server.ServiceDefinition#intercept}) or for the whole server ({@link
 * dev.grpcjni.server.ServerBuilder#intercept}).
 *
 * <pre>{@code
 * ServerInterceptor requireToken = new ServerInterceptor() {
 *   public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
 *       ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
 *     if (call.context().requestHeaders().get("authorization") == null) {
 *       call.close(Status.UNAUTHENTICATED.withDescription("no token"), null);
 *       return new ServerCall.Listener<>() {};
 *     }
 *     return next.startCall(call);
 *   }
 * };
 * }</pre>
 *
 * <p>Runs on the server's executor with the call's {@link Context} current. Implementations must be
 * thread-safe: one interceptor serves every call.
 */
@FunctionalInterface
public interface ServerInterceptor {
  /**
   * Starts the call: usually {@code next.startCall(call)}, with the call or the returned listener
   * wrapped ({@link ForwardingServerCall}, {@link ForwardingServerCallListener}).
   */
  <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next);
}
