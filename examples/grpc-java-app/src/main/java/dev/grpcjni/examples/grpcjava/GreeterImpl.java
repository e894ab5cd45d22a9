// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.grpcjava;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** The Greeter service, written against grpc-java's generated base class only. */
public final class GreeterImpl extends GreeterGrpc.GreeterImplBase {
  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
    if (request.getName().isEmpty()) {
      responseObserver.onError(
          Status.INVALID_ARGUMENT.withDescription("name is empty").asRuntimeException());
      return;
    }
    responseObserver.onNext(
        HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
    responseObserver.onCompleted();
  }

  @Override
  public void sayHelloStreamReply(
      HelloRequest request, StreamObserver<HelloReply> responseObserver) {
    for (int i = 0; i < request.getTimes(); i++) {
      String greeting = i == 0 ? "Hello " : "Hello again ";
      responseObserver.onNext(
          HelloReply.newBuilder().setMessage(greeting + request.getName()).build());
    }
    responseObserver.onCompleted();
  }
}
