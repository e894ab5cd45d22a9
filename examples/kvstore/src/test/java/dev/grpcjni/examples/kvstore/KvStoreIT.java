// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Smoke test of the kvstore example: its commands, their errors, and the client's workload. */
class KvStoreIT {
  KvStoreServer store;
  Server server;
  ManagedChannel channel;
  KvStoreGrpcJni.Stub stub;

  @BeforeEach
  void start() throws Exception {
    store = new KvStoreServer();
    server =
        ServerBuilder.forAddress("127.0.0.1:0").addService(store.bindService()).build().start();
    channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
    stub =
        KvStoreGrpcJni.newStub(channel)
            .withHeaders(new Metadata().put(KvStoreServer.CLIENT_ID, "test"));
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static Status.Code code(Runnable call) {
    return catchThrowableOfType(StatusException.class, call::run).status().code();
  }

  @Test
  void commandsAndTheirErrors() {
    assertThat(
            stub.putBlocking(PutRequest.newBuilder().setKey(b("a")).setValue(b("1")).build())
                .getExisted())
        .isFalse();
    PutResponse again =
        stub.putBlocking(PutRequest.newBuilder().setKey(b("a")).setValue(b("2")).build());
    assertThat(again.getExisted()).isTrue();
    assertThat(again.getPrevious()).isEqualTo(b("1"));
    stub.putBlocking(PutRequest.newBuilder().setKey(b("b")).setValue(b("3")).build());
    assertThat(stub.getBlocking(GetRequest.newBuilder().setKey(b("a")).build()).getValue())
        .isEqualTo(b("2"));
    assertThat(
            stub.scanBlocking(ScanRequest.newBuilder().setStart(b("a")).setLimit(10).build())
                .getPairsList())
        .extracting(KeyValue::getKey)
        .containsExactly(b("a"), b("b"));
    assertThat(
            stub.scanBlocking(
                    ScanRequest.newBuilder().setStart(b("a")).setEnd(b("b")).setLimit(10).build())
                .getPairsCount())
        .isEqualTo(1);
    stub.deleteBlocking(DeleteRequest.newBuilder().setKey(b("a")).build());

    assertThat(code(() -> stub.getBlocking(GetRequest.newBuilder().setKey(b("a")).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> stub.deleteBlocking(DeleteRequest.newBuilder().setKey(b("zz")).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> stub.getBlocking(GetRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> stub.scanBlocking(ScanRequest.newBuilder().setLimit(0).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    KvStoreGrpcJni.Stub anonymous = KvStoreGrpcJni.newStub(channel);
    assertThat(code(() -> anonymous.getBlocking(GetRequest.newBuilder().setKey(b("b")).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    stub.withDeadline(Deadline.after(Duration.ofMillis(-1)))
                        .getBlocking(GetRequest.newBuilder().setKey(b("b")).build())))
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(store.commandsByClient().get("test").sum()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void clientWorkloadSummary() throws Exception {
    KvStoreClient.Summary s = new KvStoreClient(channel, "workload").run(2000);
    System.out.print(s);
    assertThat(s.count("put", "OK")).isEqualTo(2000);
    assertThat(s.count("get", "OK")).isEqualTo(2000);
    assertThat(s.count("get", "NOT_FOUND")).isEqualTo(200);
    assertThat(s.count("scan", "OK")).isEqualTo(20);
    assertThat(s.count("batch get", "OK")).isEqualTo(1000);
    assertThat(s.count("batch put", "OK")).isEqualTo(1000);
    assertThat(s.count("delete", "OK")).isEqualTo(2000);
    assertThat(s.total()).isEqualTo(2000 + 2200 + 20 + 2000 + 2000);
    assertThat(store.commandsByClient().get("workload").sum()).isEqualTo(s.total());
  }
}
