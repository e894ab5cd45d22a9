// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/** Protocol Buffers messages for grpc-jni: the marshaller generated stubs use. */
// protobuf-java is an automatic module (Automatic-Module-Name: com.google.protobuf); its types are
// in this API, so it is required transitively.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.grpcjni.protobuf {
  requires transitive com.google.protobuf;
  requires transitive dev.grpcjni;

  exports dev.grpcjni.protobuf;
}
