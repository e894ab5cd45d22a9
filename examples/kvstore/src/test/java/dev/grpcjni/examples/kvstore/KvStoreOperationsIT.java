// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.services.health.v1.HealthCheckRequest;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcjni.services.health.v1.HealthGrpcJni;
import dev.grpcjni.services.reflection.v1.ServerReflectionGrpcJni;
import dev.grpcjni.services.reflection.v1.ServerReflectionRequest;
import dev.grpcjni.services.reflection.v1.ServerReflectionResponse;
import dev.grpcjni.services.reflection.v1.ServiceResponse;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kvstore server as an operator sees it: health checks and server reflection. */
class KvStoreOperationsIT {
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server = KvStoreServer.start("127.0.0.1:0");
    channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  @Test
  void everyServiceAndTheServerAreServing() {
    HealthGrpcJni.Stub health =
        HealthGrpcJni.newStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
    for (String service :
        new String[] {"", KvStoreGrpcJni.SERVICE_NAME, HealthGrpcJni.SERVICE_NAME}) {
      assertThat(
              health
                  .checkBlocking(HealthCheckRequest.newBuilder().setService(service).build())
                  .getStatus())
          .as(service)
          .isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void reflectionListsTheStore() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    ClientCallStreamObserver<ServerReflectionRequest> out =
        ServerReflectionGrpcJni.newStub(channel)
            .withDeadlineAfter(Duration.ofSeconds(10))
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    out.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    out.onCompleted();
    assertThat(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .contains(
            KvStoreGrpcJni.SERVICE_NAME,
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");
  }
}
