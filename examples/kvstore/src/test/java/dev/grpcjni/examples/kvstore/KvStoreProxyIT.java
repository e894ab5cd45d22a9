// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.grpcjni.CallOptions;
import dev.grpcjni.Channel;
import dev.grpcjni.ClientCall;
import dev.grpcjni.ClientInterceptor;
import dev.grpcjni.ClientInterceptors;
import dev.grpcjni.Deadline;
import dev.grpcjni.ForwardingClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCall;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerInterceptor;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The forwarding proxy in front of two kvstore backends, routing by {@code FORWARDED_HOST}. */
class KvStoreProxyIT {
  KvStoreServer storeA;
  KvStoreServer storeB;
  Server backendA;
  Server backendB;
  Server proxy;
  String hostA;
  String hostB;
  final Map<String, ManagedChannel> backends = new LinkedHashMap<>();
  ManagedChannel toProxy;
  final BlockingQueue<Optional<Deadline>> deadlinesAtB = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    storeA = new KvStoreServer();
    storeB = new KvStoreServer();
    backendA =
        ServerBuilder.forAddress("127.0.0.1:0").addService(storeA.bindService()).build().start();
    ServerInterceptor recordDeadline =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
            deadlinesAtB.add(Optional.ofNullable(call.context().deadline()));
            return next.startCall(call);
          }
        };
    backendB =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(storeB.bindService())
            .intercept(recordDeadline)
            .build()
            .start();
    hostA = "127.0.0.1:" + backendA.port();
    hostB = "127.0.0.1:" + backendB.port();
    backends.put(hostA, ChannelBuilder.forTarget(hostA).build());
    backends.put(hostB, ChannelBuilder.forTarget(hostB).build());
    proxy =
        ServerBuilder.forAddress("127.0.0.1:0")
            .fallbackHandler(KvStoreProxy.forwarding(backends))
            .build()
            .start();
    toProxy = ChannelBuilder.forTarget("127.0.0.1:" + proxy.port()).build();
  }

  @AfterEach
  void stop() {
    toProxy.close();
    proxy.close();
    backends.values().forEach(ManagedChannel::close);
    backendA.close();
    backendB.close();
  }

  /** The proxy channel with every call routed to {@code host}. */
  Channel routedTo(String host) {
    ClientInterceptor route =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(
                next.newCall(method, options)) {
              @Override
              public void start(Listener<RespT> listener, Metadata headers) {
                Metadata h = headers == null ? new Metadata() : headers;
                h.put(KvStoreProxy.FORWARDED_HOST, host);
                super.start(listener, h);
              }
            };
          }
        };
    return ClientInterceptors.intercept(toProxy, route);
  }

  static KvStoreGrpcJni.Stub stub(Channel channel) {
    return KvStoreGrpcJni.newStub(channel)
        .withHeaders(new Metadata().put(KvStoreServer.CLIENT_ID, "proxied"));
  }

  static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static PutRequest put(String k, String v) {
    return PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build();
  }

  static GetRequest get(String k) {
    return GetRequest.newBuilder().setKey(b(k)).build();
  }

  static Status.Code code(Runnable call) {
    return catchThrowableOfType(StatusException.class, call::run).status().code();
  }

  @Test
  void theHeaderPicksTheBackendAndWithoutItTheFirstOneServes() {
    stub(routedTo(hostB)).putBlocking(put("k", "in b"));
    stub(toProxy).putBlocking(put("k", "in a"));
    Metadata direct = new Metadata().put(KvStoreServer.CLIENT_ID, "direct");
    KvStoreGrpcJni.Stub directA = KvStoreGrpcJni.newStub(backends.get(hostA)).withHeaders(direct);
    KvStoreGrpcJni.Stub directB = KvStoreGrpcJni.newStub(backends.get(hostB)).withHeaders(direct);
    assertThat(directA.getBlocking(get("k")).getValue()).isEqualTo(b("in a"));
    assertThat(directB.getBlocking(get("k")).getValue()).isEqualTo(b("in b"));
    assertThat(stub(routedTo(hostB)).getBlocking(get("k")).getValue()).isEqualTo(b("in b"));
    // The application's headers went through: each backend counted the proxied client.
    assertThat(storeB.commandsByClient().get("proxied").sum()).isEqualTo(2);
    assertThat(storeA.commandsByClient().get("proxied").sum()).isEqualTo(1);
  }

  @Test
  void errorsOfTheBackendAndOfTheRouteReachTheClient() {
    KvStoreGrpcJni.Stub viaB = stub(routedTo(hostB));
    assertThat(code(() -> viaB.getBlocking(get("missing")))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> viaB.getBlocking(GetRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    // No x-client-id: the backend refuses, and says why.
    StatusException anonymous =
        catchThrowableOfType(
            StatusException.class,
            () -> KvStoreGrpcJni.newStub(routedTo(hostB)).getBlocking(get("k")));
    assertThat(anonymous.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(anonymous.status().description()).contains(KvStoreServer.CLIENT_ID);
    // A host the proxy was not configured with is not reached.
    StatusException unknown =
        catchThrowableOfType(
            StatusException.class, () -> stub(routedTo("127.0.0.1:1")).getBlocking(get("k")));
    assertThat(unknown.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(unknown.status().description()).contains(KvStoreProxy.FORWARDED_HOST);
    assertThat(storeA.commandsByClient()).doesNotContainKey("proxied");
  }

  @Test
  void aBatchStreamIsRelayedMessageByMessage() throws Exception {
    SubmissionPublisher<BatchRequest> requests = new SubmissionPublisher<>();
    Flow.Publisher<BatchResponse> responses = stub(routedTo(hostB)).batch(requests);
    CompletableFuture<List<BatchResponse>> all = new CompletableFuture<>();
    List<BatchResponse> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    responses.subscribe(
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(BatchResponse r) {
            got.add(r);
          }

          @Override
          public void onError(Throwable t) {
            all.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            all.complete(got);
          }
        });
    for (int i = 0; i < 200; i++) {
      requests.submit(
          BatchRequest.newBuilder().setId(i).setPut(put("batch-" + i, "v" + i)).build());
    }
    requests.submit(BatchRequest.newBuilder().setId(1000).setGet(get("absent")).build());
    requests.close();
    List<BatchResponse> answers = all.get(30, TimeUnit.SECONDS);
    assertThat(answers).hasSize(201);
    assertThat(answers.stream().filter(BatchResponse::hasPut).count()).isEqualTo(200);
    BatchResponse absent =
        answers.stream().filter(r -> r.getId() == 1000).findFirst().orElseThrow();
    assertThat(absent.getError().getCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    assertThat(
            KvStoreGrpcJni.newStub(backends.get(hostB))
                .withHeaders(new Metadata().put(KvStoreServer.CLIENT_ID, "direct"))
                .getBlocking(get("batch-199"))
                .getValue())
        .isEqualTo(b("v199"));
  }

  @Test
  void theClientsWorkloadRunsThroughTheProxy() throws Exception {
    KvStoreClient.Summary s = new KvStoreClient(routedTo(hostB), "workload").run(500);
    assertThat(s.count("put", "OK")).isEqualTo(500);
    assertThat(s.count("get", "OK")).isEqualTo(500);
    assertThat(s.count("batch put", "OK")).isEqualTo(250);
    assertThat(s.count("delete", "OK")).isEqualTo(500);
    assertThat(storeB.commandsByClient().get("workload").sum()).isEqualTo(s.total());
    assertThat(storeA.commandsByClient()).doesNotContainKey("workload");
  }

  @Test
  void theClientsDeadlineTravelsThroughTheProxy() throws Exception {
    stub(routedTo(hostB)).withDeadlineAfter(Duration.ofSeconds(20)).putBlocking(put("d", "1"));
    Deadline seen = deadlinesAtB.poll(10, TimeUnit.SECONDS).orElseThrow();
    assertThat(seen.timeRemaining().toSeconds()).isBetween(10L, 20L);
    stub(routedTo(hostB)).putBlocking(put("d", "2"));
    assertThat(deadlinesAtB.poll(10, TimeUnit.SECONDS)).isEmpty();
  }
}
