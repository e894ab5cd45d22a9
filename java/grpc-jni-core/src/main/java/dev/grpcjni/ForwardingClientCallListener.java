// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Objects;

/**
 * A {@link ClientCall.Listener} that passes everything to another one: how a client interceptor
 * sees what the server sends (headers, messages, the status) before the application does.
 */
public abstract class ForwardingClientCallListener<RespT> extends ClientCall.Listener<RespT> {
  /** For subclasses. */
  protected ForwardingClientCallListener() {}

  /** The listener everything is passed to. */
  protected abstract ClientCall.Listener<RespT> delegate();

  @Override
  public void onHeaders(Metadata headers) {
    delegate().onHeaders(headers);
  }

  @Override
  public void onMessage(RespT message) {
    delegate().onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    delegate().onClose(status, trailers);
  }

  @Override
  public void onReady() {
    delegate().onReady();
  }

  /** A forwarding listener over a listener given at construction. */
  public abstract static class SimpleForwardingClientCallListener<RespT>
      extends ForwardingClientCallListener<RespT> {
    private final ClientCall.Listener<RespT> delegate;

    protected SimpleForwardingClientCallListener(ClientCall.Listener<RespT> delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    protected ClientCall.Listener<RespT> delegate() {
      return delegate;
    }
  }
}
