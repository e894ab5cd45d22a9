// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.StreamTracer;

/**
 * A message's events for grpc-java's stream tracers, client's or server's, in the order and with
 * the sizes grpc-java's transports give them: {@code outboundMessage}, {@code outboundWireSize}
 * (when known), {@code outboundUncompressedSize}, {@code outboundMessageSent}; the same inbound.
 */
final class StreamTracers {
  private StreamTracers() {}

  /** Message {@code seqNo} was sent; {@code wireSize} is -1 where the C core may compress it. */
  static void outbound(StreamTracer[] tracers, int seqNo, long wireSize, long uncompressedSize) {
    for (StreamTracer t : tracers) {
      t.outboundMessage(seqNo);
      if (wireSize >= 0) {
        t.outboundWireSize(wireSize);
      }
      t.outboundUncompressedSize(uncompressedSize);
      t.outboundMessageSent(seqNo, wireSize, uncompressedSize);
    }
  }

  /** Message {@code seqNo} was received; {@code wireSize} is -1 where it came compressed. */
  static void inbound(StreamTracer[] tracers, int seqNo, long wireSize, long uncompressedSize) {
    for (StreamTracer t : tracers) {
      t.inboundMessage(seqNo);
      if (wireSize >= 0) {
        t.inboundWireSize(wireSize);
      }
      t.inboundUncompressedSize(uncompressedSize);
      t.inboundMessageRead(seqNo, wireSize, uncompressedSize);
    }
  }
}
