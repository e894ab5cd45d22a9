// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * grpc-java {@link CallCredentials} as grpc-jni's: a composite channel credential's and the call's
 * (in that order, as grpc-java applies them), each asked with grpc-java's {@code RequestInfo} and
 * answering through its {@code MetadataApplier}. As in grpc-java, the credentials decide from the
 * security level whether to send anything over a plaintext channel.
 */
final class GrpcJavaCallCredentials {
  private GrpcJavaCallCredentials() {}

  static dev.grpcjni.CallCredentials adapt(
      List<CallCredentials> credentials,
      MethodDescriptor<?, ?> method,
      CallOptions options,
      Executor appExecutor) {
    return info -> {
      CompletableFuture<dev.grpcjni.Metadata> all =
          CompletableFuture.completedFuture(new dev.grpcjni.Metadata());
      for (CallCredentials c : credentials) {
        all =
            all.thenCompose(
                sofar -> apply(c, info, method, options, appExecutor).thenApply(sofar::merge));
      }
      return all;
    };
  }

  private static CompletableFuture<dev.grpcjni.Metadata> apply(
      CallCredentials credentials,
      dev.grpcjni.CallCredentials.RequestInfo info,
      MethodDescriptor<?, ?> method,
      CallOptions options,
      Executor appExecutor) {
    CompletableFuture<dev.grpcjni.Metadata> f = new CompletableFuture<>();
    CallCredentials.RequestInfo requestInfo =
        new CallCredentials.RequestInfo() {
          @Override
          public MethodDescriptor<?, ?> getMethodDescriptor() {
            return method;
          }

          @Override
          public CallOptions getCallOptions() {
            return options;
          }

          @Override
          public SecurityLevel getSecurityLevel() {
            return info.secure() ? SecurityLevel.PRIVACY_AND_INTEGRITY : SecurityLevel.NONE;
          }

          @Override
          public String getAuthority() {
            return options.getAuthority() != null ? options.getAuthority() : info.authority();
          }

          @Override
          public Attributes getTransportAttrs() {
            return Attributes.EMPTY;
          }
        };
    try {
      credentials.applyRequestMetadata(
          requestInfo,
          appExecutor,
          new CallCredentials.MetadataApplier() {
            @Override
            public void apply(Metadata headers) {
              f.complete(Bridge.toCore(headers));
            }

            @Override
            public void fail(Status status) {
              f.completeExceptionally(GrpcJniServerCall.toCore(status).asException());
            }
          });
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
    return f;
  }
}
