// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * The grpc-java API that came after the oldest grpc-java an application may bring (the 1.60 line,
 * which TiKV's Java client pins): used only where the application's grpc-api has it, so that the
 * provider, compiled against the current release, links against both. Each check is made once.
 */
final class Compat {
  private Compat() {}

  /** {@code ClientStreamTracer.inboundHeaders(Metadata)} (grpc-java 1.62). */
  private static final boolean TRACER_HEADERS_WITH_METADATA =
      has(ClientStreamTracer.class, "inboundHeaders", Metadata.class);

  /**
   * The response headers arrived: {@code inboundHeaders(headers)}, else {@code inboundHeaders()}.
   */
  static void inboundHeaders(ClientStreamTracer tracer, Metadata headers) {
    if (TRACER_HEADERS_WITH_METADATA) {
      tracer.inboundHeaders(headers); // whose default calls inboundHeaders()
    } else {
      tracer.inboundHeaders();
    }
  }

  private static boolean has(Class<?> type, String name, Class<?>... parameters) {
    try {
      type.getMethod(name, parameters);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
