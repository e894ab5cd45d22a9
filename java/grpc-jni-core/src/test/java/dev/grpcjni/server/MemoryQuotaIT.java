// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.CallOptions;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCall;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.LiveObjects;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The C core's resource quota as {@code memoryQuota}: a flood of large requests that a handler
 * never reads is refused (streams reset with RESOURCE_EXHAUSTED, connections closed) instead of
 * being buffered; without it, all of it is buffered until the deadline.
 */
class MemoryQuotaIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final MethodDescriptor<byte[], byte[]> SINK =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.CLIENT_STREAMING,
          MethodDescriptor.fullMethodName(EchoService.NAME, "Sink"),
          Marshallers.bytes(),
          Marshallers.bytes());

  /** 40 client-streaming calls of 16 x 256 KiB each (160 MiB) to a handler that never reads. */
  List<Status.Code> flood(boolean quota) throws Exception {
    ServerBuilder b =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                dev.grpcjni.server.ServiceDefinition.builder(EchoService.NAME)
                    .unary(
                        EchoService.ECHO,
                        (req, ctx) -> java.util.concurrent.CompletableFuture.completedFuture(req))
                    .method(SINK, call -> new ServerCall.Listener<byte[]>() {})
                    .build());
    if (quota) {
      b.memoryQuota(8 << 20);
    }
    Server server = grpc.register(b.build().start());
    List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      channels.add(grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build()));
    }
    List<Status.Code> codes = new CopyOnWriteArrayList<>();
    int calls = 40;
    CountDownLatch closed = new CountDownLatch(calls);
    for (int i = 0; i < calls; i++) {
      ClientCall<byte[], byte[]> c =
          channels
              .get(i % channels.size())
              .newCall(SINK, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(3)));
      c.start(
          new ClientCall.Listener<byte[]>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
              codes.add(status.code());
              closed.countDown();
            }
          },
          null);
      for (int m = 0; m < 16; m++) {
        c.sendMessage(new byte[256 * 1024]);
      }
      c.halfClose();
    }
    assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    // The server still serves.
    assertThat(
            ClientCalls.blockingUnaryCall(
                channels.get(0), EchoService.ECHO, new byte[] {1}, CallOptions.DEFAULT))
        .containsExactly(1);
    return codes;
  }

  @Test
  void aFloodPastTheQuotaIsRefusedWithResourceExhausted() throws Exception {
    ChannelBuilder.forTarget("127.0.0.1:1").build().close(); // the shared queues exist from here
    long[] before = LiveObjects.snapshot();
    List<Status.Code> bounded = flood(true);
    assertThat(bounded).contains(Status.Code.RESOURCE_EXHAUSTED);
    // Streams reset (RESOURCE_EXHAUSTED) and, deeper in, connections closed (UNAVAILABLE); what
    // fits waits for its deadline.
    assertThat(bounded)
        .isSubsetOf(
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
    grpc.afterEach(null);
    assertThat(LiveObjects.awaitEqual(before, 10_000)).isEqualTo(before);
  }

  @Test
  void withoutAQuotaTheFloodIsBuffered() throws Exception {
    assertThat(flood(false)).containsOnly(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void aQuotaMustBePositive() {
    assertThatThrownBy(() -> ServerBuilder.forPort(0).memoryQuota(0))
        .hasMessageContaining("memoryQuota");
    assertThatThrownBy(() -> ChannelBuilder.forTarget("127.0.0.1:1").memoryQuota(-1))
        .hasMessageContaining("memoryQuota");
  }
}
