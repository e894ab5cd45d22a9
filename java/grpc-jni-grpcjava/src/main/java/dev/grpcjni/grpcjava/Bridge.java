// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import java.util.concurrent.TimeUnit;

/**
 * Conversions between grpc-java's values and grpc-jni's: metadata, statuses and deadlines.
 *
 * <p>Metadata goes entry by entry, in order, text values as strings and {@code -bin} values as
 * their raw bytes (both libraries keep binary values decoded). Keys the transport owns (content
 * type, user agent, timeout, encodings, status) are not copied into a request: the C core writes
 * them itself. Nor are those {@link dev.grpcjni.Metadata#isReserved} names besides: fields HTTP/2
 * forbids ({@code connection}, {@code host}, …) and {@code grpc-} keys the protocol reserves
 * (grpc-java's Netty transport would send those; gRPC's spec says applications must not).
 */
final class Bridge {
  private Bridge() {}

  private static final String STATUS_DETAILS_KEY = "grpc-status-details-bin";

  /** grpc-java's metadata as grpc-jni's; null or empty gives null (no metadata). */
  static dev.grpcjni.Metadata toCore(io.grpc.Metadata md) {
    if (md == null || md.keys().isEmpty()) {
      return null;
    }
    dev.grpcjni.Metadata out = new dev.grpcjni.Metadata();
    for (String key : md.keys()) {
      if (key.startsWith(":") || dev.grpcjni.Metadata.isReserved(key)) {
        continue;
      }
      if (key.endsWith(io.grpc.Metadata.BINARY_HEADER_SUFFIX)) {
        Iterable<byte[]> values =
            md.getAll(io.grpc.Metadata.Key.of(key, io.grpc.Metadata.BINARY_BYTE_MARSHALLER));
        if (values != null) {
          for (byte[] v : values) {
            out.putBinary(key, v);
          }
        }
      } else {
        Iterable<String> values =
            md.getAll(io.grpc.Metadata.Key.of(key, io.grpc.Metadata.ASCII_STRING_MARSHALLER));
        if (values != null) {
          for (String v : values) {
            out.put(key, v);
          }
        }
      }
    }
    return out;
  }

  /** grpc-jni's metadata as grpc-java's; {@code details}, if any, as grpc-status-details-bin. */
  static io.grpc.Metadata toGrpc(dev.grpcjni.Metadata md, byte[] details) {
    io.grpc.Metadata out = new io.grpc.Metadata();
    if (md != null) {
      for (String key : md.keys()) {
        if (key.endsWith(dev.grpcjni.Metadata.BINARY_SUFFIX)) {
          io.grpc.Metadata.Key<byte[]> k =
              io.grpc.Metadata.Key.of(key, io.grpc.Metadata.BINARY_BYTE_MARSHALLER);
          for (byte[] v : md.getAllBinary(key)) {
            out.put(k, v);
          }
        } else {
          io.grpc.Metadata.Key<String> k =
              io.grpc.Metadata.Key.of(key, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
          for (String v : md.getAll(key)) {
            out.put(k, v);
          }
        }
      }
    }
    if (details != null) {
      out.put(
          io.grpc.Metadata.Key.of(STATUS_DETAILS_KEY, io.grpc.Metadata.BINARY_BYTE_MARSHALLER),
          details);
    }
    return out;
  }

  /** grpc-jni's status as grpc-java's, description and cause kept. */
  static io.grpc.Status toGrpc(dev.grpcjni.Status status) {
    io.grpc.Status s = io.grpc.Status.fromCodeValue(status.code().value());
    if (status.description() != null) {
      s = s.withDescription(status.description());
    }
    if (status.cause() != null) {
      s = s.withCause(status.cause());
    }
    return s;
  }

  /** The earlier of two grpc-java deadlines, either may be null. */
  static io.grpc.Deadline earlier(io.grpc.Deadline a, io.grpc.Deadline b) {
    return a == null ? b : b == null ? a : a.minimum(b);
  }

  /** A grpc-java deadline as grpc-jni's (same instant, nanosecond precision); null stays null. */
  static dev.grpcjni.Deadline toCore(io.grpc.Deadline deadline) {
    if (deadline == null) {
      return null;
    }
    return dev.grpcjni.Deadline.after(
        deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
  }
}
