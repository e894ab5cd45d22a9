// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.wire.ChannelArgs;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, defect 8: a call the server cannot take reaches its client with a status that says why
 * (RESOURCE_EXHAUSTED when memory ran out, INTERNAL otherwise), not a bare CANCELLED, and the
 * request slot it arrived on serves the next call.
 */
class RequestSlotIT {
  @Test
  void aCallTheServerCannotTakeIsAnsweredWithWhy() throws Exception {
    AtomicInteger arrived = new AtomicInteger();
    CallAcceptor failing =
        (call, method, path, headers, deadline, payloadLength, payloadCompressed) -> {
          if (arrived.incrementAndGet() % 2 == 1) {
            throw new OutOfMemoryError("test: no room for the call");
          }
          throw new IllegalStateException("test: the call layer failed");
        };
    try (EventLoop loop = new EventLoop(1, null)) {
      String path = EchoService.ECHO.path();
      NativeServer server =
          new NativeServer(
              loop, new ChannelArgs(), List.of(new NativeServer.Method(path, true)), failing, 1);
      loop.addServer(server::shutdownNow);
      server.start(List.of("127.0.0.1:0"), null);
      try (ManagedChannel channel =
          ChannelBuilder.forTarget("127.0.0.1:" + server.ports().get(0)).build()) {
        // One slot: the calls after the first prove the slot was posted again each time.
        for (int i = 0; i < 4; i++) {
          ExecutionException e =
              catchThrowableOfType(
                  ExecutionException.class,
                  () ->
                      ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[] {1})
                          .get(10, TimeUnit.SECONDS));
          Status status = ((StatusException) e.getCause()).status();
          if (i % 2 == 0) {
            assertThat(status.code()).as("call %d", i).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.description()).contains("out of memory");
          } else {
            assertThat(status.code()).as("call %d", i).isEqualTo(Status.Code.INTERNAL);
          }
        }
      }
      assertThat(arrived.get()).isEqualTo(4);
      server.shutdownNow();
      assertThat(server.terminationFuture()).succeedsWithin(10, TimeUnit.SECONDS);
    }
  }
}
