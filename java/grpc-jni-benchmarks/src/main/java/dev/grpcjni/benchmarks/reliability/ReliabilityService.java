// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.reliability;

import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * The service the soak and chaos runs drive, on raw bytes: {@code Echo} (unary), {@code Fan} (one
 * request, as many responses as its first byte says), {@code Count} (client streaming: the number
 * of requests), {@code Hold} (bidirectional: echoes each request; a stream nobody writes to stays
 * open, which is what the chaos run's keepalive check needs).
 */
public final class ReliabilityService {
  public static final String NAME = "grpcjni.reliability.Service";

  public static final MethodDescriptor<byte[], byte[]> ECHO =
      method("Echo", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> FAN =
      method("Fan", MethodDescriptor.MethodType.SERVER_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> COUNT =
      method("Count", MethodDescriptor.MethodType.CLIENT_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> HOLD =
      method("Hold", MethodDescriptor.MethodType.BIDI_STREAMING);

  private ReliabilityService() {}

  private static MethodDescriptor<byte[], byte[]> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(NAME, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  public static ServiceDefinition definition() {
    return ServiceDefinition.builder(NAME)
        .unary(ECHO, (req, ctx) -> CompletableFuture.completedFuture(req))
        .method(
            FAN,
            ServerCalls.asyncServerStreaming(
                (byte[] req, dev.grpcjni.stub.ServerCallStreamObserver<byte[]> responses) -> {
                  int n = req.length == 0 ? 0 : req[0] & 0xff;
                  for (int i = 0; i < n; i++) {
                    responses.onNext(new byte[] {(byte) i});
                  }
                  responses.onCompleted();
                }))
        .method(
            COUNT,
            ServerCalls.asyncStreaming(
                responses ->
                    new StreamObserver<byte[]>() {
                      int count;

                      @Override
                      public void onNext(byte[] value) {
                        count++;
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        responses.onNext(new byte[] {(byte) count});
                        responses.onCompleted();
                      }
                    }))
        .method(
            HOLD,
            ServerCalls.asyncStreaming(
                responses ->
                    new StreamObserver<byte[]>() {
                      @Override
                      public void onNext(byte[] value) {
                        responses.onNext(value);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        responses.onCompleted();
                      }
                    }))
        .build();
  }
}
