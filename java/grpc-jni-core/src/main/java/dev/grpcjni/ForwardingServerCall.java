// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ServerCall} that passes everything to another one: how a server interceptor sees what
 * the handler sends (headers, messages, the status) before the client does.
 */
public abstract class ForwardingServerCall<ReqT, RespT> implements ServerCall<ReqT, RespT> {
  /** For subclasses. */
  protected ForwardingServerCall() {}

  /** The call everything is passed to. */
  protected abstract ServerCall<ReqT, RespT> delegate();

  @Override
  public void request(int numMessages) {
    delegate().request(numMessages);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    delegate().sendHeaders(headers);
  }

  @Override
  public CompletableFuture<Void> sendMessage(RespT message) {
    return delegate().sendMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    delegate().close(status, trailers);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate().setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    return delegate().isReady();
  }

  @Override
  public boolean isCancelled() {
    return delegate().isCancelled();
  }

  @Override
  public MethodDescriptor<ReqT, RespT> method() {
    return delegate().method();
  }

  @Override
  public ServerCallContext context() {
    return delegate().context();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + delegate() + "}";
  }

  /** A forwarding call over a call given at construction. */
  public abstract static class SimpleForwardingServerCall<ReqT, RespT>
      extends ForwardingServerCall<ReqT, RespT> {
    private final ServerCall<ReqT, RespT> delegate;

    protected SimpleForwardingServerCall(ServerCall<ReqT, RespT> delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    protected ServerCall<ReqT, RespT> delegate() {
      return delegate;
    }
  }
}
