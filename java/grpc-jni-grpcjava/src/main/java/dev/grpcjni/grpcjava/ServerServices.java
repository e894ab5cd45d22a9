// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import java.util.List;

/** grpc-java's service definitions as grpc-jni's: every method's handler behind the adapter. */
final class ServerServices {
  private ServerServices() {}

  static dev.grpcjni.server.ServiceDefinition toCore(
      ServerServiceDefinition service, List<ServerStreamTracer.Factory> tracers) {
    dev.grpcjni.server.ServiceDefinition.Builder b =
        dev.grpcjni.server.ServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      b.method(toCore(m, tracers));
    }
    return b.build();
  }

  static <ReqT, RespT> dev.grpcjni.ServerMethodDefinition<ReqT, RespT> toCore(
      ServerMethodDefinition<ReqT, RespT> m, List<ServerStreamTracer.Factory> tracers) {
    io.grpc.MethodDescriptor<ReqT, RespT> method = m.getMethodDescriptor();
    ServerCallHandler<ReqT, RespT> handler = m.getServerCallHandler();
    return new dev.grpcjni.ServerMethodDefinition<>(
        Methods.toCore(method), call -> GrpcJniServerCall.start(call, method, handler, tracers));
  }
}
