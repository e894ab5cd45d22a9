// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Objects;

/**
 * A method and the handler that serves it: what a server registers, one per method.
 *
 * @param method the method
 * @param handler serves every call of it
 * @param <ReqT> the request type
 * @param <RespT> the response type
 */
public record ServerMethodDefinition<ReqT, RespT>(
    MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
  public ServerMethodDefinition {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(handler, "handler");
  }

  /** The same method served by {@code handler} instead. */
  public ServerMethodDefinition<ReqT, RespT> withHandler(ServerCallHandler<ReqT, RespT> handler) {
    return new ServerMethodDefinition<>(method, handler);
  }
}
