// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/**
 * grpc-jni: gRPC for the JVM on the gRPC C core.
 *
 * <p>Exports the API ({@code dev.grpcjni}: calls, metadata, status, context, interceptors), the
 * channel ({@code client}), the server ({@code server}), the call adapters ({@code stub}: futures,
 * {@code Flow}, observers, blocking) and the message codecs ({@code codec}). The {@code internal}
 * packages are not exported; JavaCPP, which loads the native libraries from {@code internal.ffi},
 * may open that one.
 */
module dev.grpcjni {
  // grpc-jni logs through System.Logger; the tests, compiled into this module, install JUL
  // handlers.
  requires java.logging;
  requires java.management; // NativeResources, an MXBean
  // The dev.grpcjni.Call event, when the runtime has JFR (a jlink image may leave it out).
  requires static jdk.jfr;
  requires org.bytedeco.javacpp;

  exports dev.grpcjni;
  exports dev.grpcjni.client;
  exports dev.grpcjni.codec;
  exports dev.grpcjni.server;
  exports dev.grpcjni.stub;

  // The native libraries are resources of this package, found by JavaCPP's Loader.
  opens dev.grpcjni.internal.ffi to
      org.bytedeco.javacpp;
}
