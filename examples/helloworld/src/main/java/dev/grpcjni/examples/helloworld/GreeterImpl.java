// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.helloworld;

import dev.grpcjni.ServerCallContext;
import java.util.concurrent.CompletableFuture;

/** The Greeter service: SayHello answers "Hello " + name. */
public final class GreeterImpl extends GreeterGrpcJni.ImplBase {
  @Override
  public CompletableFuture<HelloReply> sayHello(HelloRequest request, ServerCallContext context) {
    return CompletableFuture.completedFuture(
        HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
  }
}
