// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.helloworld;

import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.ServiceDefinition;
import java.util.concurrent.CompletableFuture;

/**
 * The Greeter service at the byte level: requests and responses are UTF-8 strings. (Protobuf stubs
 * generated from helloworld.proto replace this by hand-written descriptor later.)
 */
public final class Greeter {
  public static final String SERVICE = "helloworld.Greeter";

  public static final MethodDescriptor<String, String> SAY_HELLO =
      MethodDescriptor.unary(
          MethodDescriptor.fullMethodName(SERVICE, "SayHello"),
          Marshallers.utf8(),
          Marshallers.utf8());

  private Greeter() {}

  /** The service: SayHello answers "Hello " + name. */
  public static ServiceDefinition service() {
    return ServiceDefinition.builder(SERVICE)
        .unary(SAY_HELLO, (name, ctx) -> CompletableFuture.completedFuture("Hello " + name))
        .build();
  }
}
