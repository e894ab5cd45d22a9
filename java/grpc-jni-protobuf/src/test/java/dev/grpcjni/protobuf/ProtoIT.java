// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.grpcjni.CallOptions;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.MethodDescriptor.MethodType;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.UnaryHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Protobuf messages end to end on 127.0.0.1:0: unary and streaming, bad input, size limits. */
class ProtoIT {
  static final String SERVICE = "grpcjni.test.Proto";
  static final MethodDescriptor<Struct, Struct> ECHO =
      ProtoMethods.method(
          MethodType.UNARY,
          SERVICE + "/Echo",
          Struct.getDefaultInstance(),
          Struct.getDefaultInstance());
  static final MethodDescriptor<Value, Value> SPLIT =
      ProtoMethods.method(
          MethodType.SERVER_STREAMING,
          SERVICE + "/Split",
          Value.getDefaultInstance(),
          Value.getDefaultInstance());

  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .maxInboundMessageSize(16 * 1024)
            .addService(
                ServiceDefinition.builder(SERVICE)
                    .unary(
                        ECHO,
                        UnaryHandler.sync(
                            (req, ctx) ->
                                req.toBuilder()
                                    .putFields(
                                        "echoed", Value.newBuilder().setBoolValue(true).build())
                                    .build()))
                    .serverStreaming(
                        SPLIT,
                        (req, ctx) ->
                            subscriber -> {
                              String[] words = req.getStringValue().split(" ");
                              subscriber.onSubscribe(
                                  new Flow.Subscription() {
                                    int next;

                                    @Override
                                    public void request(long n) {
                                      for (long i = 0; i < n && next < words.length; i++) {
                                        subscriber.onNext(
                                            Value.newBuilder()
                                                .setStringValue(words[next++])
                                                .build());
                                      }
                                      if (next == words.length) {
                                        next++;
                                        subscriber.onComplete();
                                      }
                                    }

                                    @Override
                                    public void cancel() {}
                                  });
                            })
                    .build())
            .build()
            .start();
    channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  @Test
  void unaryAndStreamingMessagesRoundTrip() throws Exception {
    Struct request =
        Struct.newBuilder()
            .putFields("q", Value.newBuilder().setStringValue("\u4e16\u754c").build())
            .build();
    Struct reply = ClientCalls.blockingUnaryCall(channel, ECHO, request);
    assertThat(reply.getFieldsOrThrow("q")).isEqualTo(request.getFieldsOrThrow("q"));
    assertThat(reply.getFieldsOrThrow("echoed").getBoolValue()).isTrue();

    List<String> words = new java.util.ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCalls.serverStreamingCall(
            channel,
            SPLIT,
            Value.newBuilder().setStringValue("a bb ccc").build(),
            CallOptions.DEFAULT)
        .subscribe(
            new Flow.Subscriber<Value>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(Value v) {
                words.add(v.getStringValue());
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                done.complete(null);
              }
            });
    done.get(10, TimeUnit.SECONDS);
    assertThat(words).containsExactly("a", "bb", "ccc");
  }

  @Test
  void malformedRequestIsInternalAndTheServerSurvives() throws Exception {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.unary(ECHO.fullMethodName(), Marshallers.bytes(), Marshallers.bytes());
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class,
            () ->
                ClientCalls.unaryCall(channel, raw, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01})
                    .get(10, TimeUnit.SECONDS));
    Status status = ((StatusException) e.getCause()).status();
    assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.description())
        .contains("Failed to parse request")
        .contains("invalid protobuf message");
    assertThat(
            ClientCalls.blockingUnaryCall(channel, ECHO, Struct.getDefaultInstance())
                .containsFields("echoed"))
        .isTrue();
  }

  @Test
  void messagesOverTheServersLimitAreResourceExhausted() {
    Struct big =
        Struct.newBuilder()
            .putFields("x", Value.newBuilder().setStringValue("y".repeat(32 * 1024)).build())
            .build();
    StatusException e =
        catchThrowableOfType(
            StatusException.class, () -> ClientCalls.blockingUnaryCall(channel, ECHO, big));
    assertThat(e.status().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }
}
