// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/**
 * The protoc plugin that generates grpc-jni stubs ({@code dev.grpcjni.compiler.ProtocPlugin}, run
 * by protoc with the request on stdin). It exports no API.
 */
// protobuf-java is an automatic module (Automatic-Module-Name: com.google.protobuf).
@SuppressWarnings("requires-automatic")
module dev.grpcjni.compiler {
  requires com.google.protobuf;
}
