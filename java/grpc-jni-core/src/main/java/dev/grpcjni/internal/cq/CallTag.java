// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

/**
 * What a completion-queue tag resolves to. The tag posted to the C core is a {@code long} key into
 * a {@link TagRegistry}, never the address of this object: the JVM moves objects.
 *
 * <p>One object may have several operations in flight (a server call has its reply batch and its
 * RECV_CLOSE_ON_SERVER batch); {@code op}, a number from 0 to {@link TagRegistry#MAX_OP}, tells
 * them apart. The kinds in use: client unary batch, server reply and close batches, request slots
 * (generic, and registered with the payload read), and server shutdown.
 */
public interface CallTag {
  /**
   * Resolves the tag: called exactly once per successful start, on the poller thread of the queue
   * the operation was posted to. Must not block and must not run user code unless the user chose a
   * direct executor. Exceptions are logged and swallowed by the poller.
   *
   * @param op the operation number given when the tag was registered
   * @param success the C core's success bit for the batch
   */
  void complete(int op, boolean success);
}
