// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.services.health.HealthStatusManager;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcjni.services.reflection.ProtoReflectionService;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-jni's health and reflection services with another implementation as the client: grpc-java's
 * own generated stubs ({@code io.grpc:grpc-services}) on its Netty transport.
 */
class GrpcJavaClientTest {
  HealthStatusManager health;
  Server server;
  ManagedChannel channel;

  final NativeLeaks leaks = new NativeLeaks();

  @BeforeEach
  void start() throws Exception {
    health = new HealthStatusManager();
    ProtoReflectionService reflection = ProtoReflectionService.newInstance();
    server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(health.getHealthService())
            .addService(reflection.bindService())
            .addService(reflection.bindServiceV1Alpha())
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.close();
    leaks.assertNoneLeft();
  }

  static HealthCheckRequest req(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  @Test
  void grpcJavaHealthStubChecksAndWatches() throws Exception {
    HealthGrpc.HealthBlockingStub stub =
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertThat(stub.check(req("")).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(
            catchThrowableOfType(StatusRuntimeException.class, () -> stub.check(req("nope")))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);

    Iterator<HealthCheckResponse> watch = stub.watch(req("svc"));
    assertThat(watch.next().getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN);
    health.setStatus("svc", ServingStatus.SERVING);
    assertThat(watch.next().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    server.shutdown();
    assertThat(watch.next().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    assertThat(watch.hasNext()).isFalse();
    assertThat(server.awaitTermination(java.time.Duration.ofSeconds(10))).isTrue();
  }

  /** Both reflection versions, through grpc-java's stubs of each. */
  @Test
  void grpcJavaReflectionStubsOfBothVersions() throws Exception {
    List<String> v1 =
        ask(
            io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)::serverReflectionInfo,
            io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build(),
            r ->
                r.getListServicesResponse().getServiceList().stream()
                    .map(io.grpc.reflection.v1.ServiceResponse::getName)
                    .collect(java.util.stream.Collectors.toList()));
    assertThat(v1)
        .containsExactly(
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    @SuppressWarnings("deprecation")
    List<String> files =
        ask(
            io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)::serverReflectionInfo,
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("grpc.health.v1.Health")
                .build(),
            r -> {
              List<String> names = new ArrayList<>();
              for (com.google.protobuf.ByteString b :
                  r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
                try {
                  FileDescriptorProto p = FileDescriptorProto.parseFrom(b);
                  names.add(p.getName() + " " + p.getService(0).getName());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                  throw new AssertionError(e);
                }
              }
              return names;
            });
    assertThat(files).containsExactly("grpc/health/v1/health.proto Health");

    @SuppressWarnings("deprecation")
    int code =
        ask(
            io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)::serverReflectionInfo,
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("no.Such")
                .build(),
            r -> r.getErrorResponse().getErrorCode());
    assertThat(code).isEqualTo(Status.Code.NOT_FOUND.value());
  }

  /** One request on a reflection stream of grpc-java's async stub; the answer mapped. */
  static <Q, R, T> T ask(
      Function<StreamObserver<R>, StreamObserver<Q>> start, Q request, Function<R, T> map)
      throws Exception {
    CompletableFuture<List<R>> done = new CompletableFuture<>();
    List<R> got = new ArrayList<>();
    StreamObserver<Q> out =
        start.apply(
            new StreamObserver<R>() {
              @Override
              public void onNext(R value) {
                got.add(value);
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(got);
              }
            });
    out.onNext(request);
    out.onCompleted();
    List<R> r = done.get(20, TimeUnit.SECONDS);
    assertThat(r).hasSize(1);
    return map.apply(r.get(0));
  }
}
