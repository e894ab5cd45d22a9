// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Request metadata a client adds to its calls to say who it is: a bearer token, an API key, a
 * signed request. Set per call ({@link CallOptions#withCallCredentials}) or for every call of a
 * channel ({@link dev.grpcjni.client.ChannelBuilder#callCredentials}); as grpc-java's {@code
 * CallCredentials}, the metadata may come later, from any thread (an OAuth refresh, say), and the
 * call starts once it did.
 *
 * <pre>{@code
 * CallCredentials auth = info -> tokens.current().thenApply(token ->
 *     new Metadata().put(CallCredentials.AUTHORIZATION, "Bearer " + token));
 * ChannelBuilder.forTarget("api.example.com:443").useTransportSecurity().callCredentials(auth);
 * }</pre>
 *
 * <p>A future that fails ends the call without starting it: with the status of a {@link
 * StatusException}, else UNAUTHENTICATED with the exception as the cause. The call's deadline still
 * counts while the metadata is awaited. Credentials go only over a secure channel (TLS or local):
 * on a plaintext one the call fails with UNAUTHENTICATED, unless the channel allows it.
 */
@FunctionalInterface
public interface CallCredentials {
  /** The {@code authorization} request header. */
  String AUTHORIZATION = "authorization";

  /** What the credentials know of the call they are asked for. */
  record RequestInfo(String fullMethodName, String authority, boolean secure) {}

  /**
   * The metadata to add to the call's headers. Called once per call, on the thread that starts it;
   * must not block.
   */
  CompletableFuture<Metadata> requestMetadata(RequestInfo info);

  /** {@code authorization: Bearer <token>}, the token read for each call. */
  static CallCredentials bearerToken(Supplier<String> token) {
    Objects.requireNonNull(token, "token");
    return info ->
        CompletableFuture.completedFuture(
            new Metadata().put(AUTHORIZATION, "Bearer " + token.get()));
  }
}
