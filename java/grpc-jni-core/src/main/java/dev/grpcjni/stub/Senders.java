// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ClientCall;
import dev.grpcjni.ServerCall;
import dev.grpcjni.internal.call.UnobservedSender;
import java.util.concurrent.CompletableFuture;

/**
 * Sends for the adapters: {@link CallStreamObserver#write}, and sends that ignore the message's
 * completion (a unary request or response, an observer's {@code onNext}), for which grpc-jni's own
 * calls make no future and schedule no executor task; any other call (an interceptor's) goes
 * through {@code sendMessage}.
 */
final class Senders {
  private Senders() {}

  @SuppressWarnings("unchecked")
  static <ReqT> void sendUnobserved(ClientCall<ReqT, ?> call, ReqT message) {
    if (call instanceof UnobservedSender) {
      ((UnobservedSender<ReqT>) call).sendUnobserved(message);
    } else {
      call.sendMessage(message);
    }
  }

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

  @SuppressWarnings("unchecked")
  static <RespT> void sendUnobserved(ServerCall<?, RespT> call, RespT message) {
    if (call instanceof UnobservedSender) {
      ((UnobservedSender<RespT>) call).sendUnobserved(message);
    } else {
      call.sendMessage(message);
    }
  }
}
