// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/**
 * The standard gRPC services on grpc-jni: health checking ({@code dev.grpcjni.services.health},
 * messages and stubs of {@code grpc.health.v1}), server reflection ({@code
 * dev.grpcjni.services.reflection}, {@code grpc.reflection.v1} and {@code v1alpha}) and channelz
 * ({@code dev.grpcjni.services.channelz}, {@code grpc.channelz.v1}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.grpcjni.services {
  requires transitive dev.grpcjni.protobuf;
  requires com.google.protobuf.util; // JsonFormat, for the C core's channelz JSON

  exports dev.grpcjni.services.channelz;
  exports dev.grpcjni.services.channelz.v1;
  exports dev.grpcjni.services.health;
  exports dev.grpcjni.services.health.v1;
  exports dev.grpcjni.services.reflection;
  exports dev.grpcjni.services.reflection.v1;
  exports dev.grpcjni.services.reflection.v1alpha;
}
