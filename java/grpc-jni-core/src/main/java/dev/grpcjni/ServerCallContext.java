// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.concurrent.CompletableFuture;

/**
 * What a handler knows about the call it serves, and the metadata it sends back.
 *
 * <p>{@link #responseHeaders()} and {@link #responseTrailers()} are sent with the response, so
 * change them before the handler's future completes. A handler can also fail with a {@link
 * dev.grpcjni.StatusException} carrying trailers; those are added to {@code responseTrailers()}.
 *
 * <p>The accessors are thread-safe; the two mutable {@link Metadata} objects are not, so change
 * them from one thread at a time.
 */
public interface ServerCallContext {
  /** {@code package.Service/Method}. */
  String fullMethodName();

  /** The request headers the client sent. */
  Metadata requestHeaders();

  /** The client's deadline as of the call's arrival, or null if it set none. */
  Deadline deadline();

  /** Headers sent before the response message. Mutable until the response is sent. */
  Metadata responseHeaders();

  /** Trailers sent with the status. Mutable until the response is sent. */
  Metadata responseTrailers();

  /**
   * True once the call was cancelled: by the client, its deadline, a lost connection or {@link
   * Server#shutdownNow()}. A response sent after that is dropped.
   */
  boolean isCancelled();

  /**
   * Completes, on the server's executor, when the call is cancelled. Never completes for a call
   * that ends normally.
   */
  CompletableFuture<Void> whenCancelled();

  /** The client's address as the C core reports it, e.g. {@code ipv4:127.0.0.1:51234}. */
  String peer();

  /**
   * Who the client is, as the transport established it: with TLS, its certificate's names (when it
   * presented one the server trusts), the security level and the certificate itself; for a
   * plaintext call, {@code transport_security_type} {@code insecure} and no identity. {@link
   * AuthContext#NONE} (no properties) by default, for contexts that are not a grpc-jni call's.
   */
  default AuthContext authContext() {
    return AuthContext.NONE;
  }

  /**
   * This call's tracer of {@code type}, made for it by one of the server's {@link
   * ServerCallTracer.Factory factories} ({@code ServerBuilder.addCallTracer}); null if none made
   * one (a factory that returned null or threw). A handler or interceptor reaches what its call's
   * tracer keeps this way, as grpc-java's tracers hand their state on through the call's Context.
   * The tracer's events keep coming on grpc-jni's threads meanwhile, so what the handler reads of
   * it must be safe to read from another thread (volatile or atomic fields, say). Null by default,
   * for contexts that are not a grpc-jni call's.
   *
   * @param type the tracer's class (or a supertype of it)
   * @param <T> the tracer's type
   */
  default <T extends ServerCallTracer> T tracer(Class<T> type) {
    return null;
  }

  /**
   * Whether the request most recently delivered to the handler (a unary handler's request, or the
   * last {@code onMessage}) arrived compressed on the wire; the C core had inflated it. gRPC's
   * interop server uses this to check {@code expect_compressed}.
   *
   * @throws IllegalStateException if no request was delivered yet
   * @throws UnsupportedOperationException if the linked libgrpc does not report it (grpc-jni reads
   *     the C core's per-message flags, which libgrpc 1.51 exposes)
   */
  boolean wasLastMessageCompressed();

  /**
   * Compresses this call's response messages with {@code compression} (a {@link
   * dev.grpcjni.Compression} name). Call it before the response headers are sent; afterwards it has
   * no effect.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  default void setCompression(String compression) {
    dev.grpcjni.Compression.request(responseHeaders(), compression);
  }
}
