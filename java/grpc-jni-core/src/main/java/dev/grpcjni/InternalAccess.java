// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.cq.EventLoop;
import java.nio.ByteBuffer;

/**
 * Not API: lets grpc-jni's internal packages reach package-private parts of this package. May
 * change or disappear in any release.
 */
public final class InternalAccess {
  private InternalAccess() {}

  public static EventLoop eventLoop(Environment environment) {
    return environment.eventLoop();
  }

  public static int encodedSize(Metadata metadata) {
    return metadata.encodedSize();
  }

  public static void encode(Metadata metadata, ByteBuffer out) {
    metadata.encode(out);
  }

  public static Metadata decodeMetadata(ByteBuffer in) {
    return Metadata.decode(in);
  }

  public static void skipMetadata(ByteBuffer in) {
    Metadata.skip(in);
  }

  /** Adds {@code grpc-status-details-bin}, which {@link Metadata#putBinary} refuses. */
  public static void putStatusDetails(Metadata metadata, byte[] details) {
    metadata.putUnchecked(Metadata.STATUS_DETAILS_KEY, details.clone());
  }

  /** Removes and returns the last {@code grpc-status-details-bin} value, or null. */
  public static byte[] takeStatusDetails(Metadata metadata) {
    byte[] details = metadata.getBinary(Metadata.STATUS_DETAILS_KEY);
    metadata.removeAll(Metadata.STATUS_DETAILS_KEY);
    return details;
  }

  public static Deadline deadlineAfterNanos(long nanos) {
    return Deadline.afterNanos(nanos);
  }

  public static long nanosRemaining(Deadline deadline) {
    return deadline.nanosRemaining();
  }
}
