// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.reflection;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.grpcjni.MethodDescriptor.MethodType;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.protobuf.ProtoMethods;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.services.health.HealthStatusManager;
import dev.grpcjni.services.reflection.v1.ExtensionRequest;
import dev.grpcjni.services.reflection.v1.ServerReflectionGrpcJni;
import dev.grpcjni.services.reflection.v1.ServerReflectionRequest;
import dev.grpcjni.services.reflection.v1.ServerReflectionResponse;
import dev.grpcjni.services.reflection.v1.ServerReflectionResponse.MessageResponseCase;
import dev.grpcjni.services.reflection.v1.ServiceResponse;
import dev.grpcjni.services.testproto.Dep;
import dev.grpcjni.services.testproto.ReflectedGrpcJni;
import dev.grpcjni.services.testproto.Request;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server reflection on a real server through grpc-jni's own client stub: each kind of request, the
 * errors the proto specifies, transitive dependencies, and many requests on one stream.
 */
class ReflectionServiceTest {
  static final String REFLECTED = "grpcjni.test.reflection.Reflected";
  static final String FILE = "grpcjni/test/reflected.proto";
  static final String DEP = "grpcjni/test/reflected_dep.proto";
  static final String TIMESTAMP = "google/protobuf/timestamp.proto";

  Server server;
  ManagedChannel channel;

  /** A server with a generated service, health, reflection, and a service with no schema. */
  static Server reflectedServer() throws Exception {
    ProtoReflectionService reflection = ProtoReflectionService.newInstance();
    ServiceDefinition handMade =
        ServiceDefinition.builder("hand.Made")
            .unary(
                ProtoMethods.method(
                    MethodType.UNARY,
                    "hand.Made/Call",
                    Dep.getDefaultInstance(),
                    Dep.getDefaultInstance()),
                (req, ctx) -> CompletableFuture.completedFuture(req))
            .build();
    return ServerBuilder.forAddress("127.0.0.1:0")
        .addService(
            new ReflectedGrpcJni.ImplBase() {
              @Override
              public CompletableFuture<Dep> echo(
                  Request request, dev.grpcjni.ServerCallContext context) {
                return CompletableFuture.completedFuture(request.getDep());
              }
            }.bindService())
        .addService(new HealthStatusManager().getHealthService())
        .addService(handMade)
        .addService(reflection.bindService())
        .addService(reflection.bindServiceV1Alpha())
        .build()
        .start();
  }

  final dev.grpcjni.services.NativeLeaks leaks = new dev.grpcjni.services.NativeLeaks();

  @BeforeEach
  void start() throws Exception {
    server = reflectedServer();
    channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.close();
    server.close();
    leaks.assertNoneLeft();
  }

  List<ServerReflectionResponse> ask(ServerReflectionRequest... requests) throws Exception {
    CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
    List<ServerReflectionResponse> got = Collections.synchronizedList(new ArrayList<>());
    ClientCallStreamObserver<ServerReflectionRequest> out =
        ServerReflectionGrpcJni.newStub(channel)
            .withDeadlineAfter(Duration.ofSeconds(20))
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
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
    for (ServerReflectionRequest r : requests) {
      out.onNext(r);
    }
    out.onCompleted();
    return done.get(20, TimeUnit.SECONDS);
  }

  ServerReflectionResponse ask1(ServerReflectionRequest request) throws Exception {
    List<ServerReflectionResponse> r = ask(request);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).getOriginalRequest()).isEqualTo(request);
    assertThat(r.get(0).getValidHost()).isEqualTo(request.getHost());
    return r.get(0);
  }

  static ServerReflectionRequest symbol(String symbol) {
    return ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build();
  }

  static List<String> fileNames(ServerReflectionResponse r) throws InvalidProtocolBufferException {
    assertThat(r.getMessageResponseCase()).isEqualTo(MessageResponseCase.FILE_DESCRIPTOR_RESPONSE);
    List<String> names = new ArrayList<>();
    for (ByteString b : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      names.add(FileDescriptorProto.parseFrom(b).getName());
    }
    return names;
  }

  static void assertError(ServerReflectionResponse r, Status.Code code, String contains) {
    assertThat(r.getMessageResponseCase()).isEqualTo(MessageResponseCase.ERROR_RESPONSE);
    assertThat(r.getErrorResponse().getErrorCode()).isEqualTo(code.value());
    assertThat(r.getErrorResponse().getErrorMessage()).contains(contains);
  }

  @Test
  void listsTheServicesThatHaveASchema() throws Exception {
    ServerReflectionResponse r =
        ask1(ServerReflectionRequest.newBuilder().setHost("localhost").setListServices("").build());
    assertThat(r.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .containsExactly( // sorted by name
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            REFLECTED);
  }

  @Test
  void aFileComesWithItsTransitiveDependenciesAndBuilds() throws Exception {
    ServerReflectionResponse r = ask1(symbol(REFLECTED));
    assertThat(fileNames(r)).containsExactly(FILE, DEP, TIMESTAMP);
    // The protos are whole: a client can rebuild the descriptors and find the service in them.
    Map<String, FileDescriptor> built = new HashMap<>();
    List<ByteString> protos = r.getFileDescriptorResponse().getFileDescriptorProtoList();
    for (int i = protos.size() - 1; i >= 0; i--) {
      FileDescriptorProto p = FileDescriptorProto.parseFrom(protos.get(i));
      List<FileDescriptor> deps = new ArrayList<>();
      for (String d : p.getDependencyList()) {
        deps.add(built.get(d));
      }
      built.put(p.getName(), FileDescriptor.buildFrom(p, deps.toArray(new FileDescriptor[0])));
    }
    assertThat(built.get(FILE).findServiceByName("Reflected").getMethods())
        .extracting(m -> m.getInputType().getFullName())
        .containsExactly("grpcjni.test.reflection.Request");

    assertThat(fileNames(ask1(ServerReflectionRequest.newBuilder().setFileByFilename(DEP).build())))
        .containsExactly(DEP, TIMESTAMP);
    assertThat(
            fileNames(
                ask1(ServerReflectionRequest.newBuilder().setFileByFilename(TIMESTAMP).build())))
        .containsExactly(TIMESTAMP);
  }

  @Test
  void everyKindOfSymbolIsFound() throws Exception {
    for (String s :
        List.of(
            REFLECTED + ".Echo",
            "grpcjni.test.reflection.Request",
            "grpcjni.test.reflection.Request.Nested",
            "grpcjni.test.reflection.Request.Kind",
            "grpcjni.test.reflection.ext_a")) {
      assertThat(fileNames(ask1(symbol(s)))).as(s).first().isEqualTo(FILE);
    }
    assertThat(fileNames(ask1(symbol("grpcjni.test.reflection.Dep")))).first().isEqualTo(DEP);
    assertThat(fileNames(ask1(symbol("google.protobuf.Timestamp")))).containsExactly(TIMESTAMP);
    assertThat(fileNames(ask1(symbol("grpc.health.v1.Health.Watch"))))
        .containsExactly("grpc/health/v1/health.proto");
  }

  @Test
  void extensions() throws Exception {
    ServerReflectionResponse numbers =
        ask1(
            ServerReflectionRequest.newBuilder()
                .setAllExtensionNumbersOfType("grpcjni.test.reflection.Request")
                .build());
    assertThat(numbers.getAllExtensionNumbersResponse().getBaseTypeName())
        .isEqualTo("grpcjni.test.reflection.Request");
    assertThat(numbers.getAllExtensionNumbersResponse().getExtensionNumberList())
        .containsExactly(100, 120);
    // A known type without extensions has none, rather than being unknown.
    assertThat(
            ask1(ServerReflectionRequest.newBuilder()
                    .setAllExtensionNumbersOfType("grpcjni.test.reflection.Dep")
                    .build())
                .getAllExtensionNumbersResponse()
                .getExtensionNumberList())
        .isEmpty();
    assertThat(fileNames(ask1(extension("grpcjni.test.reflection.Request", 120))))
        .first()
        .isEqualTo(FILE);
    assertError(
        ask1(extension("grpcjni.test.reflection.Request", 150)),
        Status.Code.NOT_FOUND,
        "extension not found");
    assertError(
        ask1(ServerReflectionRequest.newBuilder().setAllExtensionNumbersOfType("no.Type").build()),
        Status.Code.NOT_FOUND,
        "no.Type");
  }

  static ServerReflectionRequest extension(String type, int number) {
    return ServerReflectionRequest.newBuilder()
        .setFileContainingExtension(
            ExtensionRequest.newBuilder().setContainingType(type).setExtensionNumber(number))
        .build();
  }

  @Test
  void unknownNamesAndEmptyRequestsGetErrorsAndTheStreamGoesOn() throws Exception {
    List<ServerReflectionResponse> r =
        ask(
            symbol("no.such.Symbol"),
            ServerReflectionRequest.newBuilder().setFileByFilename("no/such.proto").build(),
            symbol("hand.Made"), // served, but without a schema: reflection does not know it
            ServerReflectionRequest.newBuilder().setHost("h").build(),
            symbol(REFLECTED));
    assertThat(r).hasSize(5);
    assertError(r.get(0), Status.Code.NOT_FOUND, "no.such.Symbol");
    assertError(r.get(1), Status.Code.NOT_FOUND, "no/such.proto");
    assertError(r.get(2), Status.Code.NOT_FOUND, "hand.Made");
    assertError(r.get(3), Status.Code.UNIMPLEMENTED, "not implemented MESSAGEREQUEST_NOT_SET");
    assertThat(r.get(3).getValidHost()).isEqualTo("h");
    assertThat(fileNames(r.get(4))).first().isEqualTo(FILE);
  }

  @Test
  void manyRequestsOnOneStreamAreAnsweredInOrder() throws Exception {
    ServerReflectionRequest[] requests = new ServerReflectionRequest[500];
    for (int i = 0; i < requests.length; i++) {
      requests[i] =
          i % 2 == 0
              ? symbol(REFLECTED)
              : ServerReflectionRequest.newBuilder().setHost("h" + i).setListServices("").build();
    }
    List<ServerReflectionResponse> r = ask(requests);
    assertThat(r).hasSize(requests.length);
    for (int i = 0; i < requests.length; i++) {
      assertThat(r.get(i).getOriginalRequest()).isEqualTo(requests[i]);
    }
  }

  @Test
  void aStreamWithNoRequestsEndsOk() throws Exception {
    assertThat(ask()).isEmpty();
  }
}
