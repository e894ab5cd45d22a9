// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.InternalAccess;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Operations on a native call shared by the call classes; each holds the owner's reference. */
final class NativeCalls {
  private NativeCalls() {}

  /** Cancels {@code call} with a local status if {@code owner} still keeps it alive. */
  static void cancel(RefCounted owner, long call, Status.Code code, String description) {
    if (owner.tryRetain()) {
      try {
        GrpcJniLib.grpcjni_call_cancel_with_status(call, code.value(), description);
      } finally {
        owner.release();
      }
    }
  }

  /** The peer of {@code call}, or "unknown" once {@code owner} freed it. */
  static String peer(RefCounted owner, long call) {
    if (!owner.tryRetain()) {
      return "unknown";
    }
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      ByteBuffer b = buf.fill(GrpcJniLib::grpcjni_call_get_peer, call);
      byte[] bytes = new byte[b == null ? 0 : b.remaining()];
      if (b != null) {
        b.get(bytes);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } finally {
      buf.release();
      owner.release();
    }
  }

  /** Reads a u32 length and that many UTF-8 bytes; null when empty. */
  static String utf8(ByteBuffer b) {
    int len = b.getInt();
    if (len == 0) {
      return null;
    }
    byte[] bytes = new byte[len];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The status a client received: code, description, the core's debug string for failures, and the
   * rich-error details, which it takes out of {@code trailers}.
   */
  static Status status(int code, String description, String debug, Metadata trailers) {
    Status status = Status.fromCodeValue(code);
    if (description != null) {
      status = status.withDescription(description);
    }
    if (debug != null && !status.isOk()) {
      status = status.withDebugString(debug);
    }
    byte[] details = trailers == null ? null : InternalAccess.takeStatusDetails(trailers);
    return details == null ? status : status.withDetails(details);
  }
}
