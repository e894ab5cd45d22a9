// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Objects;

/**
 * A {@link ServerCall.Listener} that passes everything to another one: how a server interceptor
 * sees what the client sends, and the call's end, around the handler.
 */
public abstract class ForwardingServerCallListener<ReqT> extends ServerCall.Listener<ReqT> {
  /** For subclasses. */
  protected ForwardingServerCallListener() {}

  /** The listener everything is passed to. */
  protected abstract ServerCall.Listener<ReqT> delegate();

  @Override
  public void onMessage(ReqT message) {
    delegate().onMessage(message);
  }

  @Override
  public void onHalfClose() {
    delegate().onHalfClose();
  }

  @Override
  public void onCancel() {
    delegate().onCancel();
  }

  @Override
  public void onComplete() {
    delegate().onComplete();
  }

  @Override
  public void onReady() {
    delegate().onReady();
  }

  /** A forwarding listener over a listener given at construction. */
  public abstract static class SimpleForwardingServerCallListener<ReqT>
      extends ForwardingServerCallListener<ReqT> {
    private final ServerCall.Listener<ReqT> delegate;

    protected SimpleForwardingServerCallListener(ServerCall.Listener<ReqT> delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    protected ServerCall.Listener<ReqT> delegate() {
      return delegate;
    }
  }
}
