// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * Follows one server call: its arrival, the requests delivered, the response headers and messages
 * sent, and its end, as grpc-java's {@code ServerStreamTracer} does. Set a {@link Factory} on a
 * server ({@code ServerBuilder.addCallTracer}); see {@link CallTracer} for threads and sizes.
 *
 * <p>A call's events, in order: the factory's {@link Factory#newServerCallTracer} when it arrives
 * (every call, also one for a method the server does not have, which is answered UNIMPLEMENTED);
 * {@link #inboundMessage} per request delivered to the handler; {@link #outboundHeaders} when the
 * response headers are handed to the C core (by {@code sendHeaders}, or with the first response or
 * the status); {@link #outboundMessage} per response; {@link #callClosed} when the C core says the
 * call is over. Construction is the call's start, {@code callClosed} its end.
 */
public abstract class ServerCallTracer extends CallTracer {
  /** A tracer whose events do nothing until overridden. */
  protected ServerCallTracer() {}

  /** Makes the tracer of each call; must be thread-safe, quick, and never block. */
  @FunctionalInterface
  public interface Factory {
    /**
     * The tracer of a call that just arrived, on the grpc-jni poller thread that received it.
     *
     * @param info the call's method and headers
     * @return its tracer; null to leave this call untraced
     */
    ServerCallTracer newServerCallTracer(CallInfo info);
  }

  /**
   * What a tracer learns of its call when it arrives.
   *
   * @param fullMethodName the method asked for, {@code package.Service/Method} (as the client sent
   *     it, for a method the server does not have)
   * @param registered whether the server has the method (a fallback handler's methods are not
   *     registered); gRFC A66 records the others as {@code other}
   * @param headers the request headers (do not change them)
   */
  public record CallInfo(String fullMethodName, boolean registered, Metadata headers) {}

  /** The response headers were handed to the C core, which sends them. */
  public void outboundHeaders(Metadata headers) {}
}
