// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.internal.ffi.GrpcJniLib;

/**
 * Turns an arrived server call into the call that serves it: the seam between the transport (which
 * posts request slots and decodes what arrives) and the call layer (which finds the handler).
 */
public interface CallAcceptor {
  /** {@code payloadLength} of a request that could not be decompressed. */
  int PAYLOAD_UNDECODABLE = GrpcJniLib.GRPCJNI_MESSAGE_UNDECODABLE;

  /** {@code payloadLength} of a request that decompresses to more than the server's maximum. */
  int PAYLOAD_TOO_LARGE = GrpcJniLib.GRPCJNI_MESSAGE_TOO_LARGE;

  /**
   * Called on the poller thread of the call's queue, before its request slot is posted again; must
   * not block and never runs user code.
   *
   * @param call the arrived call; the acceptor owns it and must {@link NativeCall#dispose} it
   * @param method the index of the method in the list the server registered, or -1 for a method it
   *     did not register
   * @param path the HTTP/2 {@code :path} as sent (any string: the C core checks only that it is
   *     there)
   * @param deadline the client's deadline, or null
   * @param payloadLength the length of the request of a method registered to read it with the call,
   *     which {@link NativeCall#parseReceived} parses; -1 if the client half-closed without one,
   *     {@link #PAYLOAD_UNDECODABLE} if it could not be decompressed (or was flagged compressed
   *     without an encoding), {@link #PAYLOAD_TOO_LARGE} if it decompresses to more than the
   *     server's maximum message size; -1 also for methods that do not read it
   * @param payloadCompressed whether it arrived compressed: 1, 0, or -1 unknown
   * @return what to start once the slot is posted again
   */
  Arrived accept(
      NativeCall call,
      int method,
      String path,
      Metadata headers,
      Deadline deadline,
      int payloadLength,
      int payloadCompressed);

  /** A call made by {@link #accept}, started on the poller right after its slot is re-posted. */
  interface Arrived {
    void start();
  }
}
