// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static dev.grpcjni.StreamingIT.ECHO;
import static dev.grpcjni.StreamingIT.RANGE;
import static dev.grpcjni.StreamingIT.SUM;
import static dev.grpcjni.StreamingIT.indexOf;
import static dev.grpcjni.StreamingIT.message;
import static dev.grpcjni.StreamingIT.rangeRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Volume: 100,000-message streams in each direction and 10,000 bidi ping-pong rounds, with 1 B, 1
 * KiB and 1 MiB messages, every message checked (about 100 GiB each way at 1 MiB; 2-3 minutes on 2
 * cores). Skipped when GRPCJNI_SKIP_VOLUME is set (scripts/test.sh does so on extra JDKs).
 */
class StreamingVolumeIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  @org.junit.jupiter.api.BeforeEach
  void onlyWhenWanted() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("GRPCJNI_SKIP_VOLUME") == null, "GRPCJNI_SKIP_VOLUME is set");
  }

  private ManagedChannel start() throws Exception {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(StreamingIT.service())
                .maxInboundMessageSize(-1)
                .build()
                .start());
    return grpc.register(
        ChannelBuilder.forTarget("127.0.0.1:" + server.port()).maxInboundMessageSize(-1).build());
  }

  @ParameterizedTest
  @CsvSource({"100000, 1", "100000, 1024", "100000, 1048576"})
  void serverStreaming(int count, int size) throws Exception {
    ManagedChannel channel = start();
    AtomicInteger received = new AtomicInteger();
    AtomicReference<String> wrong = new AtomicReference<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long t0 = System.nanoTime();
    ClientCalls.serverStreamingCall(channel, RANGE, rangeRequest(count, size), CallOptions.DEFAULT)
        .subscribe(
            new Flow.Subscriber<byte[]>() {
              private Flow.Subscription s;

              @Override
              public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                s.request(64);
              }

              @Override
              public void onNext(byte[] m) {
                int i = received.getAndIncrement();
                if (m.length != size || (size >= 4 && indexOf(m) != i)) {
                  wrong.compareAndSet(null, "message " + i + ": " + m.length + " bytes");
                }
                if (i % 32 == 31) {
                  s.request(32);
                }
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
    done.get(300, TimeUnit.SECONDS);
    System.out.printf(
        "server streaming %d x %d B: %.2f s%n", count, size, (System.nanoTime() - t0) / 1e9);
    assertThat(wrong.get()).isNull();
    assertThat(received.get()).isEqualTo(count);
  }

  @ParameterizedTest
  @CsvSource({"100000, 1", "100000, 1024", "100000, 1048576"})
  void clientStreaming(int count, int size) throws Exception {
    ManagedChannel channel = start();
    long t0 = System.nanoTime();
    byte[] r =
        ClientCalls.clientStreamingCall(
                channel, SUM, Flows.range(count, i -> message(i, size)), CallOptions.DEFAULT)
            .get(300, TimeUnit.SECONDS);
    System.out.printf(
        "client streaming %d x %d B: %.2f s%n", count, size, (System.nanoTime() - t0) / 1e9);
    ByteBuffer b = ByteBuffer.wrap(r);
    assertThat(b.getInt()).isEqualTo(count);
    assertThat(b.getLong()).isEqualTo((long) count * size);
  }

  @ParameterizedTest
  @CsvSource({"10000, 1", "10000, 1024", "10000, 1048576"})
  void bidiPingPong(int rounds, int size) throws Exception {
    ManagedChannel channel = start();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    AtomicReference<ClientCallStreamObserver<byte[]>> requests = new AtomicReference<>();
    AtomicInteger round = new AtomicInteger();
    long t0 = System.nanoTime();
    requests.set(
        ClientCalls.asyncBidiStreamingCall(
            channel,
            ECHO,
            new StreamObserver<byte[]>() {
              @Override
              public void onNext(byte[] echo) {
                int i = round.getAndIncrement();
                if (echo.length != size || (size >= 4 && indexOf(echo) != i)) {
                  done.completeExceptionally(new AssertionError("round " + i + " echoed wrongly"));
                  requests.get().cancel("wrong echo");
                  return;
                }
                if (i + 1 == rounds) {
                  requests.get().onCompleted();
                } else {
                  requests.get().onNext(message(i + 1, size));
                }
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(round.get());
              }
            },
            CallOptions.DEFAULT));
    requests.get().onNext(message(0, size));
    assertThat(done.get(300, TimeUnit.SECONDS)).isEqualTo(rounds);
    System.out.printf(
        "bidi ping-pong %d x %d B: %.2f s%n", rounds, size, (System.nanoTime() - t0) / 1e9);
  }
}
