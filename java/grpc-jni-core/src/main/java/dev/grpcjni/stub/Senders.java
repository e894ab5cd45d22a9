// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ClientCall;
import dev.grpcjni.ServerCall;
import dev.grpcjni.internal.call.UnobservedSender;

/**
 * Sends for an adapter that ignores the message's completion (a unary request or response, an
 * observer's {@code onNext}): grpc-jni's own calls then make no future and schedule no executor
 * task for it; any other call (an interceptor's) goes through {@code sendMessage}.
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

  @SuppressWarnings("unchecked")
  static <RespT> void sendUnobserved(ServerCall<?, RespT> call, RespT message) {
    if (call instanceof UnobservedSender) {
      ((UnobservedSender<RespT>) call).sendUnobserved(message);
    } else {
      call.sendMessage(message);
    }
  }
}
