// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * Sees every call a channel makes, of every kind, before it starts: to add or read metadata, time
 * or count calls, change the call options, or end a call with a status of its own. Install it with
 * {@link ClientInterceptors#intercept(Channel, ClientInterceptor...)} or a generated stub's {@code
 * withInterceptors}.
 *
 * <p>Most return a {@link ForwardingClientCall.SimpleForwardingClientCall} over {@code
 * next.newCall(method, options)} that overrides {@code start} (to change headers or wrap the
 * listener in a {@link ForwardingClientCallListener.SimpleForwardingClientCallListener}).
 *
 * <pre>{@code
 * ClientInterceptor auth = new ClientInterceptor() {
 *   public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
 *       MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
 *     return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
 *       public void start(Listener<RespT> listener, Metadata headers) {
 *         Metadata h = headers == null ? new Metadata() : headers;
 *         super.start(listener, h.put("authorization", "Bearer " + token()));
 *       }
 *     };
 *   }
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe: one interceptor serves every call of its channel.
 */
@FunctionalInterface
public interface ClientInterceptor {
  /**
   * Makes the call for {@code method}: usually {@code next.newCall(method, options)}, wrapped.
   *
   * @param next the channel (or the next interceptor) to make the call on
   */
  <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next);
}
