// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.protobuf;

import com.google.protobuf.MessageLite;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.MethodDescriptor.MethodType;

/** Method descriptors for protobuf messages, for service glue written by hand. */
public final class ProtoMethods {
  private ProtoMethods() {}

  /**
   * A descriptor for {@code fullMethodName} ({@code package.Service/Method}) whose messages are the
   * types of the two default instances.
   */
  public static <ReqT extends MessageLite, RespT extends MessageLite>
      MethodDescriptor<ReqT, RespT> method(
          MethodType type, String fullMethodName, ReqT requestDefault, RespT responseDefault) {
    return MethodDescriptor.create(
        type,
        fullMethodName,
        ProtoMarshaller.of(requestDefault),
        ProtoMarshaller.of(responseDefault));
  }
}
