// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/**
 * gRPC's standard OpenTelemetry metrics (gRFC A66) for grpc-jni: see {@link
 * dev.grpcjni.opentelemetry.GrpcJniOpenTelemetry}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.grpcjni.opentelemetry {
  requires transitive dev.grpcjni;
  requires transitive io.opentelemetry.api;

  exports dev.grpcjni.opentelemetry;
}
