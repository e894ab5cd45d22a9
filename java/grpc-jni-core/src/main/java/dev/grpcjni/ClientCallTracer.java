// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * Follows one client call: its request headers going out, the response's headers, messages and
 * trailers coming in, and its end, as grpc-java's {@code ClientStreamTracer} does. Set a {@link
 * Factory} on a channel ({@code ChannelBuilder.addCallTracer}) or a call ({@link
 * CallOptions#withCallTracer}); see {@link CallTracer} for threads and sizes.
 *
 * <p>A call's events, in order: the factory's {@link Factory#newClientCallTracer} when it starts;
 * {@link #outboundHeaders} when its headers go to the C core (for a unary or server-streaming call
 * at {@code halfClose()}, with its request); {@link #outboundMessage} per request; {@link
 * #inboundHeaders}; {@link #inboundMessage} per response delivered; {@link #inboundTrailers} and
 * {@link #callClosed}, right before the listener's {@code onClose}. A call that ends before it went
 * out (cancelled, its deadline already passed, its call credentials failed, its channel shut down)
 * reports only {@code callClosed}. Time the call by reading a clock in them: construction is its
 * start, {@code inboundHeaders} its first byte, {@code callClosed} its end.
 */
public abstract class ClientCallTracer extends CallTracer {
  /** A tracer whose events do nothing until overridden. */
  protected ClientCallTracer() {}

  /** Makes the tracer of each call; must be thread-safe. */
  @FunctionalInterface
  public interface Factory {
    /**
     * The tracer of a call that is starting, on the thread that starts it.
     *
     * @param info the call's method, target and headers
     * @return its tracer; null to leave this call untraced
     */
    ClientCallTracer newClientCallTracer(CallInfo info);
  }

  /**
   * What a tracer learns of its call when it starts.
   *
   * @param method the method called
   * @param target the channel's target (as given to its builder)
   * @param headers the request headers the call starts with, including what interceptors and call
   *     credentials added (a bearer token, say: do not log them whole), and not to be changed
   */
  public record CallInfo(MethodDescriptor<?, ?> method, String target, Metadata headers) {}

  /** The request headers went to the C core, which sends them. */
  public void outboundHeaders() {}

  /**
   * The response headers arrived. A call that ends with an error status and no response reports
   * none if they were empty: the C core gives such a call (a trailers-only response, a cancel, a
   * deadline) empty headers too, so empty ones are reported only with the first response or an OK
   * status, where they surely came.
   */
  public void inboundHeaders(Metadata headers) {}

  /**
   * The trailers that came with the final status (empty if none came), right before {@link
   * #callClosed}.
   */
  public void inboundTrailers(Metadata trailers) {}
}
