// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Serves every method no added service has, as grpc-java's server does: through the builder's
 * fallback {@link HandlerRegistry} if it knows the method (the server's interceptors in front),
 * else with UNIMPLEMENTED "Method not found" — the stream tracers see both. grpc-jni hands such a
 * call over as raw bytes; the registry's method descriptor marshals them.
 */
final class FallbackHandler implements dev.grpcjni.ServerCallHandler<byte[], byte[]> {
  private final HandlerRegistry registry; // or null
  private final List<ServerInterceptor> interceptors;
  private final List<ServerStreamTracer.Factory> tracers;

  FallbackHandler(
      HandlerRegistry registry,
      List<ServerInterceptor> interceptors,
      List<ServerStreamTracer.Factory> tracers) {
    this.registry = registry;
    this.interceptors = interceptors;
    this.tracers = tracers;
  }

  @Override
  public dev.grpcjni.ServerCall.Listener<byte[]> startCall(
      dev.grpcjni.ServerCall<byte[], byte[]> call) {
    String name = call.context().fullMethodName();
    ServerMethodDefinition<?, ?> def = registry == null ? null : registry.lookupMethod(name, null);
    if (def == null) {
      Metadata headers = Bridge.toGrpc(call.context().requestHeaders(), null);
      Status s = Status.UNIMPLEMENTED.withDescription("Method not found: " + name);
      io.grpc.Context context = io.grpc.Context.ROOT.withCancellation();
      for (ServerStreamTracer t : GrpcJniServerCall.newTracers(tracers, name, headers)) {
        t.filterContext(context); // as grpc-java's server: every call's tracers see its Context
        t.streamClosed(s);
      }
      call.close(GrpcJniServerCall.toCore(s), null);
      return new dev.grpcjni.ServerCall.Listener<>() {};
    }
    return typed(call, def);
  }

  private <ReqT, RespT> dev.grpcjni.ServerCall.Listener<byte[]> typed(
      dev.grpcjni.ServerCall<byte[], byte[]> call, ServerMethodDefinition<ReqT, RespT> def) {
    MethodDescriptor<ReqT, RespT> method = def.getMethodDescriptor();
    ServerCallHandler<ReqT, RespT> handler = def.getServerCallHandler();
    for (ServerInterceptor interceptor : interceptors) {
      ServerCallHandler<ReqT, RespT> next = handler;
      handler = (c, h) -> interceptor.interceptCall(c, h, next);
    }
    Typed<ReqT, RespT> typed = new Typed<>(call, method);
    dev.grpcjni.ServerCall.Listener<ReqT> l =
        GrpcJniServerCall.start(typed, method, handler, tracers);
    return new dev.grpcjni.ServerCall.Listener<byte[]>() {
      @Override
      public void onMessage(byte[] message) {
        ReqT request;
        try {
          request = method.parseRequest(new ByteArrayInputStream(message));
        } catch (RuntimeException e) {
          call.close(
              dev.grpcjni.Status.INTERNAL
                  .withDescription("Failed to parse request: " + e)
                  .withCause(e),
              null);
          return;
        }
        l.onMessage(request);
      }

      @Override
      public void onHalfClose() {
        l.onHalfClose();
      }

      @Override
      public void onCancel() {
        l.onCancel();
      }

      @Override
      public void onComplete() {
        l.onComplete();
      }

      @Override
      public void onReady() {
        l.onReady();
      }
    };
  }

  /** A raw-bytes call seen through a method's marshallers. */
  private static final class Typed<ReqT, RespT> implements dev.grpcjni.ServerCall<ReqT, RespT> {
    private final dev.grpcjni.ServerCall<byte[], byte[]> call;
    private final MethodDescriptor<ReqT, RespT> method;
    private final dev.grpcjni.MethodDescriptor<ReqT, RespT> coreMethod;

    Typed(dev.grpcjni.ServerCall<byte[], byte[]> call, MethodDescriptor<ReqT, RespT> method) {
      this.call = call;
      this.method = method;
      this.coreMethod = Methods.toCore(method);
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(dev.grpcjni.Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public CompletableFuture<Void> sendMessage(RespT message) {
      byte[] bytes;
      try (InputStream in = method.streamResponse(message)) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return call.sendMessage(bytes);
    }

    @Override
    public void close(dev.grpcjni.Status status, dev.grpcjni.Metadata trailers) {
      call.close(status, trailers);
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public dev.grpcjni.MethodDescriptor<ReqT, RespT> method() {
      return coreMethod;
    }

    @Override
    public dev.grpcjni.ServerCallContext context() {
      return call.context();
    }
  }
}
