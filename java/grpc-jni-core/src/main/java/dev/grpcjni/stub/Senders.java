// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ClientCall;
import dev.grpcjni.ServerCall;
import java.util.concurrent.CompletableFuture;

/**
 * {@link CallStreamObserver#write} for the adapters. (Sends that ignore the message's completion, a
 * unary request or response and an observer's {@code onNext}, use the call's {@code
 * sendUnobserved}.)
 */
final class Senders {
  private Senders() {}

  /**
   * {@link CallStreamObserver#write}: the call's sendMessage, with a send after this side completed
   * (which the call refuses by throwing) as a failed future, so the future API never throws for the
   * call's state.
   */
  static <ReqT> CompletableFuture<Void> write(ClientCall<ReqT, ?> call, ReqT message) {
    try {
      return call.sendMessage(message);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@link #write(ClientCall, Object)} for a server's responses. */
  static <RespT> CompletableFuture<Void> write(ServerCall<?, RespT> call, RespT message) {
    try {
      return call.sendMessage(message);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
