// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Handlers wrapped by {@link ServerInterceptor}s. */
public final class ServerInterceptors {
  private ServerInterceptors() {}

  /**
   * {@code handler} behind {@code interceptors}: the last one sees a call first, as in grpc-java
   * ({@code intercept(h, a, b)}: b, then a, then h).
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> intercept(
      ServerCallHandler<ReqT, RespT> handler, List<? extends ServerInterceptor> interceptors) {
    Objects.requireNonNull(handler, "handler");
    for (ServerInterceptor i : interceptors) {
      handler = new InterceptedHandler<>(i, handler);
    }
    return handler;
  }

  /** See {@link #intercept(ServerCallHandler, List)}. */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> intercept(
      ServerCallHandler<ReqT, RespT> handler, ServerInterceptor... interceptors) {
    return intercept(handler, Arrays.asList(interceptors));
  }

  /**
   * {@code handler} behind {@code interceptors} in the order given: the first sees a call first.
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> interceptForward(
      ServerCallHandler<ReqT, RespT> handler, List<? extends ServerInterceptor> interceptors) {
    Objects.requireNonNull(handler, "handler");
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      handler = new InterceptedHandler<>(interceptors.get(i), handler);
    }
    return handler;
  }

  /** {@code definition} with its handler behind {@code interceptors}; see {@link #intercept}. */
  public static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> intercept(
      ServerMethodDefinition<ReqT, RespT> definition,
      List<? extends ServerInterceptor> interceptors) {
    return interceptors.isEmpty()
        ? definition
        : definition.withHandler(intercept(definition.handler(), interceptors));
  }

  private static final class InterceptedHandler<ReqT, RespT>
      implements ServerCallHandler<ReqT, RespT> {
    private final ServerInterceptor interceptor;
    private final ServerCallHandler<ReqT, RespT> next;

    InterceptedHandler(ServerInterceptor interceptor, ServerCallHandler<ReqT, RespT> next) {
      this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
      this.next = next;
    }

    @Override
    public ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call) {
      return interceptor.interceptCall(call, next);
    }
  }
}
