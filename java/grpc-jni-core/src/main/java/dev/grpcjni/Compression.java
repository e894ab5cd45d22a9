// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * Message compression algorithms the C core supports, by their {@code grpc-encoding} names. Set
 * them per channel ({@code ChannelBuilder.defaultCompression}), per call ({@code
 * CallOptions.withCompression}), per server ({@code ServerBuilder.defaultCompression}) or per
 * response ({@link dev.grpcjni.ServerCallContext#setCompression}). Receiving compressed messages
 * needs no setting.
 */
public final class Compression {
  public static final String IDENTITY = "identity";
  public static final String DEFLATE = "deflate";
  public static final String GZIP = "gzip";

  /**
   * The metadata key through which the C core takes a per-call algorithm; it is removed before the
   * headers go out.
   */
  static final String INTERNAL_REQUEST_KEY = "grpc-internal-encoding-request";

  private Compression() {}

  /**
   * The C core's {@code grpc_compression_algorithm} value for {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static int algorithm(String name) {
    if (name == null) {
      throw new IllegalArgumentException("compression name is null");
    }
    switch (name) {
      case IDENTITY:
        return 0;
      case DEFLATE:
        return 1;
      case GZIP:
        return 2;
      default:
        throw new IllegalArgumentException(
            "unknown compression '" + name + "': use identity, deflate or gzip");
    }
  }

  /** Asks the C core to compress what goes with {@code headers} with {@code name}. */
  public static Metadata request(Metadata headers, String name) {
    algorithm(name);
    headers.removeAll(INTERNAL_REQUEST_KEY);
    // A reserved grpc- key (put refuses it): the core reads it and never sends it.
    headers.putUnchecked(INTERNAL_REQUEST_KEY, name);
    return headers;
  }
}
