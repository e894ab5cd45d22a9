// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.MethodDescriptor;

/** grpc-java's method descriptors as grpc-jni's. */
final class Methods {
  private Methods() {}

  /** The same method for grpc-jni: its name, kind and marshallers. */
  static <ReqT, RespT> dev.grpcjni.MethodDescriptor<ReqT, RespT> toCore(
      MethodDescriptor<ReqT, RespT> method) {
    return dev.grpcjni.MethodDescriptor.create(
        typeOf(method.getType()),
        method.getFullMethodName(),
        new StreamMarshaller<>(method.getRequestMarshaller()),
        new StreamMarshaller<>(method.getResponseMarshaller()));
  }

  /** The same, refusing responses above {@code maxInbound} bytes (a call's own limit). */
  static <ReqT, RespT> dev.grpcjni.MethodDescriptor<ReqT, RespT> toCore(
      MethodDescriptor<ReqT, RespT> method, int maxInbound) {
    return dev.grpcjni.MethodDescriptor.create(
        typeOf(method.getType()),
        method.getFullMethodName(),
        new StreamMarshaller<>(method.getRequestMarshaller()),
        new StreamMarshaller<>(method.getResponseMarshaller(), maxInbound));
  }

  static dev.grpcjni.MethodDescriptor.MethodType typeOf(MethodDescriptor.MethodType type) {
    switch (type) {
      case UNARY:
        return dev.grpcjni.MethodDescriptor.MethodType.UNARY;
      case SERVER_STREAMING:
        return dev.grpcjni.MethodDescriptor.MethodType.SERVER_STREAMING;
      case CLIENT_STREAMING:
        return dev.grpcjni.MethodDescriptor.MethodType.CLIENT_STREAMING;
      default: // BIDI_STREAMING, UNKNOWN: the general shape, whatever the calls do
        return dev.grpcjni.MethodDescriptor.MethodType.BIDI_STREAMING;
    }
  }
}
