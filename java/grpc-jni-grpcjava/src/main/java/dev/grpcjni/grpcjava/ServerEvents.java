// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.ServerStreamTracer;

/**
 * grpc-jni's tracer of a server call, handing its message events to the call's grpc-java {@link
 * ServerStreamTracer}s with the sizes grpc-jni knows, as grpc-java's transports do ({@link
 * StreamTracers}). Made for every call of a server with stream tracer factories; {@link
 * GrpcJniServerCall} hands it the call's tracers when it makes them, before the handler starts, so
 * none of its events comes before that.
 */
final class ServerEvents extends dev.grpcjni.ServerCallTracer {
  private static final ServerStreamTracer[] NONE = {};

  private volatile ServerStreamTracer[] tracers = NONE;

  void tracers(ServerStreamTracer[] tracers) {
    this.tracers = tracers;
  }

  @Override
  public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
    StreamTracers.outbound(tracers, seqNo, wireSize, uncompressedSize);
  }

  @Override
  public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
    StreamTracers.inbound(tracers, seqNo, wireSize, uncompressedSize);
  }
}
