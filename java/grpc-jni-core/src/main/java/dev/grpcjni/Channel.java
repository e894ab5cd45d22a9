// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * Makes calls to one target: the one thing every call style needs. {@link
 * dev.grpcjni.client.ManagedChannel} is the channel to a server (with its lifecycle); {@link
 * ClientInterceptors#intercept} makes a channel whose calls pass through interceptors first.
 * Generated stubs and {@link dev.grpcjni.stub.ClientCalls} take any channel.
 *
 * <p>Implementations are thread-safe.
 */
public abstract class Channel {
  /** For subclasses. */
  protected Channel() {}

  /**
   * A new call of {@code method}, not started. Its listener runs on the executor of {@code options}
   * if it has one, else the channel's.
   */
  public abstract <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options);

  /** The authority calls are made to ({@code host:port}), as the {@code :authority} header. */
  public abstract String authority();
}
