// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ClientCall} that passes everything to another one: the base of client interceptors'
 * calls. Override what the interceptor changes.
 */
public abstract class ForwardingClientCall<ReqT, RespT> implements ClientCall<ReqT, RespT> {
  /** For subclasses. */
  protected ForwardingClientCall() {}

  /** The call everything is passed to. */
  protected abstract ClientCall<ReqT, RespT> delegate();

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    delegate().start(listener, headers);
  }

  @Override
  public void request(int numMessages) {
    delegate().request(numMessages);
  }

  @Override
  public CompletableFuture<Void> sendMessage(ReqT message) {
    return delegate().sendMessage(message);
  }

  @Override
  public void halfClose() {
    delegate().halfClose();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    delegate().cancel(message, cause);
  }

  @Override
  public boolean isReady() {
    return delegate().isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate().setMessageCompression(enabled);
  }

  @Override
  public boolean wasLastMessageCompressed() {
    return delegate().wasLastMessageCompressed();
  }

  @Override
  public String peer() {
    return delegate().peer();
  }

  @Override
  public AuthContext authContext() {
    return delegate().authContext();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + delegate() + "}";
  }

  /** A forwarding call over a call given at construction. */
  public abstract static class SimpleForwardingClientCall<ReqT, RespT>
      extends ForwardingClientCall<ReqT, RespT> {
    private final ClientCall<ReqT, RespT> delegate;

    protected SimpleForwardingClientCall(ClientCall<ReqT, RespT> delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    protected ClientCall<ReqT, RespT> delegate() {
      return delegate;
    }
  }
}
