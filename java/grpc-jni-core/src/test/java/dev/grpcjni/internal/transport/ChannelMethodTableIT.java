// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Deadline;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.testing.GrpcCleanup;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21, defect 7: the C core keeps every method path a channel registers until the channel
 * closes (100,000 names once cost +64 MiB RSS). Past {@link NativeChannel#MAX_REGISTERED_METHODS}
 * the channel makes unregistered calls, which keep nothing and work the same end to end.
 */
class ChannelMethodTableIT {
  static final String SERVICE = "grpcjni.test.Anything";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Deadline> deadlines = new ConcurrentLinkedQueue<>();

  static MethodDescriptor<byte[], byte[]> method(String name) {
    return MethodDescriptor.create(
        MethodDescriptor.MethodType.UNARY,
        MethodDescriptor.fullMethodName(SERVICE, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  static NativeChannel nativeOf(ManagedChannel channel) throws Exception {
    Field core = ManagedChannel.class.getDeclaredField("core");
    core.setAccessible(true);
    return (NativeChannel) core.get(channel);
  }

  @Test
  void registrationsStopAtTheBoundAndLaterMethodsStillWork() throws Exception {
    // Any method: a fallback handler echoes and records the path and deadline it saw.
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .fallbackHandler(
                    ServerCalls.unary(
                        (byte[] req, dev.grpcjni.ServerCallContext ctx) -> {
                          paths.add(ctx.fullMethodName());
                          deadlines.add(ctx.deadline());
                          return CompletableFuture.completedFuture(req);
                        }))
                .build()
                .start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    NativeChannel core = nativeOf(channel);
    int total = NativeChannel.MAX_REGISTERED_METHODS + 200;
    for (int round = 0; round < 2; round++) { // the second round reuses what the first registered
      List<CompletableFuture<byte[]>> calls = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        calls.add(
            ClientCalls.unaryCall(
                channel,
                method("M" + i),
                new byte[] {(byte) i},
                CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofSeconds(30)))));
      }
      for (int i = 0; i < total; i++) {
        assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).containsExactly((byte) i);
      }
    }
    assertThat(core.registeredMethodCount()).isEqualTo(NativeChannel.MAX_REGISTERED_METHODS);
    assertThat(paths).hasSize(2 * total);
    assertThat(paths).contains(SERVICE + "/M0", SERVICE + "/M" + (total - 1));
    // Unregistered calls carry the deadline as registered ones do.
    assertThat(deadlines).doesNotContainNull();
  }
}
