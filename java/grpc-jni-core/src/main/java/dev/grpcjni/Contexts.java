// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Objects;
import java.util.concurrent.TimeoutException;

/** {@link Context} with calls: a server interceptor's context, and the status of a cancellation. */
public final class Contexts {
  private Contexts() {}

  /**
   * Starts {@code call} with {@code context} current, for the handler and every listener callback:
   * how a {@link ServerInterceptor} hands values (an authenticated user, a tenant) to the handler.
   *
   * <pre>{@code
   * return Contexts.interceptCall(Context.current().withValue(USER, user), call, next);
   * }</pre>
   */
  public static <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      Context context, ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
    Objects.requireNonNull(context, "context");
    Context previous = context.attach();
    try {
      return new ContextualListener<>(context, next.startCall(call));
    } finally {
      context.detach(previous);
    }
  }

  private static final class ContextualListener<ReqT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final Context context;

    ContextualListener(Context context, ServerCall.Listener<ReqT> delegate) {
      super(delegate);
      this.context = context;
    }

    @Override
    public void onMessage(ReqT message) {
      Context previous = context.attach();
      try {
        super.onMessage(message);
      } finally {
        context.detach(previous);
      }
    }

    @Override
    public void onHalfClose() {
      Context previous = context.attach();
      try {
        super.onHalfClose();
      } finally {
        context.detach(previous);
      }
    }

    @Override
    public void onCancel() {
      Context previous = context.attach();
      try {
        super.onCancel();
      } finally {
        context.detach(previous);
      }
    }

    @Override
    public void onComplete() {
      Context previous = context.attach();
      try {
        super.onComplete();
      } finally {
        context.detach(previous);
      }
    }

    @Override
    public void onReady() {
      Context previous = context.attach();
      try {
        super.onReady();
      } finally {
        context.detach(previous);
      }
    }
  }

  /**
   * The status a call ended by {@code context}'s cancellation reports: DEADLINE_EXCEEDED for its
   * deadline, the status a {@link StatusException} cause carries, else CANCELLED; null if it is not
   * cancelled.
   */
  public static Status statusFromCancelled(Context context) {
    Objects.requireNonNull(context, "context must not be null");
    if (!context.isCancelled()) {
      return null;
    }
    Throwable cause = context.cancellationCause();
    if (cause == null) {
      return Status.CANCELLED.withDescription("Context was cancelled without error");
    }
    if (cause instanceof TimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription(cause.getMessage()).withCause(cause);
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof StatusException) {
        return ((StatusException) c).status().withCause(cause);
      }
    }
    return Status.CANCELLED.withDescription("Context cancelled").withCause(cause);
  }
}
