// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.UnaryHandler;
import java.util.concurrent.CompletableFuture;

/** A byte-level test service: Echo returns the request, and tests add their own methods. */
public final class EchoService {
  public static final String NAME = "grpcjni.test.Echo";

  public static final MethodDescriptor<byte[], byte[]> ECHO = method("Echo");

  /** A bidirectional method of the service ({@code Stream}), for tests that serve one. */
  public static final MethodDescriptor<byte[], byte[]> STREAM =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.BIDI_STREAMING,
          MethodDescriptor.fullMethodName(NAME, "Stream"),
          Marshallers.bytes(),
          Marshallers.bytes());

  private EchoService() {}

  public static MethodDescriptor<byte[], byte[]> method(String name) {
    return MethodDescriptor.unary(
        MethodDescriptor.fullMethodName(NAME, name), Marshallers.bytes(), Marshallers.bytes());
  }

  /** A service with Echo, plus {@code name} served by {@code handler} when not null. */
  public static ServiceDefinition service(String name, UnaryHandler<byte[], byte[]> handler) {
    ServiceDefinition.Builder b =
        ServiceDefinition.builder(NAME)
            .unary(ECHO, (req, ctx) -> CompletableFuture.completedFuture(req));
    if (name != null) {
      b.unary(method(name), handler);
    }
    return b.build();
  }
}
