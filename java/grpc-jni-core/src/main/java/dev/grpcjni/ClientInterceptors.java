// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Channels whose calls pass through {@link ClientInterceptor}s. */
public final class ClientInterceptors {
  private ClientInterceptors() {}

  /**
   * A channel whose calls pass through {@code interceptors} before {@code channel}: the last one
   * sees a call first, as in grpc-java ({@code intercept(ch, a, b)}: b, then a, then ch).
   */
  public static Channel intercept(Channel channel, ClientInterceptor... interceptors) {
    return intercept(channel, Arrays.asList(interceptors));
  }

  /** See {@link #intercept(Channel, ClientInterceptor...)}. */
  public static Channel intercept(Channel channel, List<? extends ClientInterceptor> interceptors) {
    Objects.requireNonNull(channel, "channel");
    for (ClientInterceptor i : interceptors) {
      channel = new InterceptedChannel(channel, i);
    }
    return channel;
  }

  /**
   * A channel whose calls pass through {@code interceptors} in the order given: the first one sees
   * a call first.
   */
  public static Channel interceptForward(Channel channel, ClientInterceptor... interceptors) {
    return interceptForward(channel, Arrays.asList(interceptors));
  }

  /** See {@link #interceptForward(Channel, ClientInterceptor...)}. */
  public static Channel interceptForward(
      Channel channel, List<? extends ClientInterceptor> interceptors) {
    Objects.requireNonNull(channel, "channel");
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      channel = new InterceptedChannel(channel, interceptors.get(i));
    }
    return channel;
  }

  private static final class InterceptedChannel extends Channel {
    private final Channel next;
    private final ClientInterceptor interceptor;

    InterceptedChannel(Channel next, ClientInterceptor interceptor) {
      this.next = next;
      this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      return interceptor.interceptCall(method, options, next);
    }

    @Override
    public String authority() {
      return next.authority();
    }

    @Override
    public String toString() {
      return "InterceptedChannel{" + interceptor + " -> " + next + "}";
    }
  }

  /**
   * A forwarding call whose {@link #checkedStart} may throw: the call then never starts, and the
   * listener is closed with the exception's status ({@link Status#fromThrowable}). For an
   * interceptor that must do something that can fail (fetch a token, check a quota) before the call
   * goes out.
   */
  public abstract static class CheckedForwardingClientCall<ReqT, RespT>
      extends ForwardingClientCall<ReqT, RespT> {
    private ClientCall<ReqT, RespT> delegate;

    protected CheckedForwardingClientCall(ClientCall<ReqT, RespT> delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Starts the call, usually by calling {@link #delegate()}{@code .start}. */
    protected abstract void checkedStart(Listener<RespT> listener, Metadata headers)
        throws Exception;

    @Override
    protected final ClientCall<ReqT, RespT> delegate() {
      return delegate;
    }

    @Override
    public final void start(Listener<RespT> listener, Metadata headers) {
      try {
        checkedStart(listener, headers);
      } catch (Exception e) {
        // The call did not go out: later calls on it do nothing, as on a closed call.
        delegate.cancel("start failed", e);
        delegate = new NoopClientCall<>();
        listener.onClose(Status.fromThrowable(e), new Metadata());
      }
    }
  }

  /** A call that does nothing: what a {@link CheckedForwardingClientCall} is after it failed. */
  private static final class NoopClientCall<ReqT, RespT> implements ClientCall<ReqT, RespT> {
    @Override
    public void start(Listener<RespT> listener, Metadata headers) {}

    @Override
    public void request(int numMessages) {}

    @Override
    public CompletableFuture<Void> sendMessage(ReqT message) {
      return CompletableFuture.failedFuture(
          Status.CANCELLED.withDescription("the call did not start").asException());
    }

    @Override
    public void halfClose() {}

    @Override
    public void cancel(String message, Throwable cause) {}

    @Override
    public boolean isReady() {
      return false;
    }

    @Override
    public void setMessageCompression(boolean enabled) {}

    @Override
    public boolean wasLastMessageCompressed() {
      throw new IllegalStateException("no message was delivered");
    }
  }
}
