// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.services.health.v1.HealthCheckRequest;
import dev.grpcjni.services.health.v1.HealthCheckResponse;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcjni.services.health.v1.HealthGrpcJni;
import dev.grpcjni.stub.ResponseIterator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health service on a real server, through grpc-jni's own generated client stub. */
class HealthServiceTest {
  HealthStatusManager health;
  Server server;
  ManagedChannel channel;
  HealthGrpcJni.Stub stub;

  final dev.grpcjni.services.NativeLeaks leaks = new dev.grpcjni.services.NativeLeaks();

  @BeforeEach
  void start() throws Exception {
    health = new HealthStatusManager();
    server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(health.getHealthService())
            .build()
            .start();
    channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
    stub = HealthGrpcJni.newStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.close();
    server.close();
    leaks.assertNoneLeft();
  }

  static HealthCheckRequest req(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  ServingStatus check(String service) {
    return stub.checkBlocking(req(service)).getStatus();
  }

  @Test
  void checkAnswersKnownStatusesAndNotFoundForOthers() {
    assertThat(check("")).isEqualTo(ServingStatus.SERVING);
    StatusException unknown = catchThrowableOfType(StatusException.class, () -> check("no.Such"));
    assertThat(unknown.status().code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.status().description()).contains("no.Such");

    health.setStatus("a.Service", ServingStatus.NOT_SERVING);
    assertThat(check("a.Service")).isEqualTo(ServingStatus.NOT_SERVING);
    health.setStatus("a.Service", ServingStatus.SERVING);
    assertThat(check("a.Service")).isEqualTo(ServingStatus.SERVING);
    health.clearStatus("a.Service");
    assertThat(catchThrowableOfType(StatusException.class, () -> check("a.Service")).status())
        .extracting(Status::code)
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void statusesAServiceCannotHaveAreRefused() {
    assertThatThrownBy(() -> health.setStatus("x", ServingStatus.SERVICE_UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> health.setStatus("x", ServingStatus.UNRECOGNIZED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> health.setStatus(null, ServingStatus.SERVING))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> health.setStatus("x", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void watchSendsTheCurrentStatusThenEachChangeOnce() throws Exception {
    try (ResponseIterator<HealthCheckResponse> it = watch("w.Service")) {
      assertThat(next(it)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
      health.setStatus("w.Service", ServingStatus.SERVING);
      assertThat(next(it)).isEqualTo(ServingStatus.SERVING);
      health.setStatus("w.Service", ServingStatus.SERVING); // no change: not sent again
      health.setStatus("other", ServingStatus.NOT_SERVING); // another service: not sent
      health.setStatus("w.Service", ServingStatus.NOT_SERVING);
      assertThat(next(it)).isEqualTo(ServingStatus.NOT_SERVING);
      health.clearStatus("w.Service");
      assertThat(next(it)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
      assertThat(watchCount()).isEqualTo(1);
    }
    // Closing the iterator cancels the call: the watch is forgotten.
    awaitWatchCount(0);
  }

  /** A watch whose statuses land in a queue, so a test can see that nothing more arrives. */
  java.util.concurrent.BlockingQueue<ServingStatus> watchQueue(String service) {
    java.util.concurrent.BlockingQueue<ServingStatus> q =
        new java.util.concurrent.LinkedBlockingQueue<>();
    stub.watch(
        req(service),
        new dev.grpcjni.stub.StreamObserver<>() {
          @Override
          public void onNext(HealthCheckResponse value) {
            q.add(value.getStatus());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    return q;
  }

  /** Takes statuses until none comes for 200 ms; returns them. */
  static List<ServingStatus> drain(java.util.concurrent.BlockingQueue<ServingStatus> q)
      throws InterruptedException {
    List<ServingStatus> seen = new ArrayList<>();
    ServingStatus s;
    while ((s = q.poll(200, TimeUnit.MILLISECONDS)) != null) {
      seen.add(s);
    }
    return seen;
  }

  @Test
  void aWatcherEndsUpWithTheLatestStatusAfterManyChanges() throws Exception {
    java.util.concurrent.BlockingQueue<ServingStatus> q = watchQueue("busy");
    assertThat(q.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
    for (int i = 0; i < 1000; i++) {
      health.setStatus("busy", i % 2 == 0 ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }
    health.clearStatus("busy"); // a status the loop never set
    List<ServingStatus> seen = drain(q);
    // The last one is the latest, nothing follows it, and no status is sent twice in a row.
    assertThat(seen).isNotEmpty().hasSizeLessThanOrEqualTo(1001);
    assertThat(seen.get(seen.size() - 1)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)).isNotEqualTo(seen.get(i - 1));
    }
  }

  @Test
  void concurrentChangesLeaveEveryWatcherOnTheManagersStatus() throws Exception {
    List<java.util.concurrent.BlockingQueue<ServingStatus>> queues = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      java.util.concurrent.BlockingQueue<ServingStatus> q = watchQueue("raced");
      assertThat(q.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
      queues.add(q);
    }
    ServingStatus[] lastSeen = new ServingStatus[queues.size()];
    java.util.Arrays.fill(lastSeen, ServingStatus.SERVICE_UNKNOWN);
    // Many short rounds: a stale status would come from the last changes of a round overtaking
    // each other, and it would stay, since nothing changes until the next round.
    for (int round = 0; round < 300; round++) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = round * 4 + t;
        threads.add(
            new Thread(
                () -> {
                  java.util.Random r = new java.util.Random(seed);
                  for (int i = 0; i < 5; i++) {
                    health.setStatus(
                        "raced",
                        r.nextBoolean() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      ServingStatus expected = health.status("raced");
      for (int w = 0; w < queues.size(); w++) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (lastSeen[w] != expected && System.nanoTime() < end) {
          ServingStatus s = queues.get(w).poll(10, TimeUnit.MILLISECONDS);
          if (s != null) {
            lastSeen[w] = s;
          }
        }
        assertThat(lastSeen[w]).as("watcher %d, round %d", w, round).isEqualTo(expected);
      }
    }
  }

  @Test
  void shutdownSendsNotServingAndEndsWatchesSoTheServerTerminates() throws Exception {
    health.setStatus("s", ServingStatus.SERVING);
    ResponseIterator<HealthCheckResponse> a = watch("s");
    ResponseIterator<HealthCheckResponse> b = watch("");
    ResponseIterator<HealthCheckResponse> c = watch("unknown");
    assertThat(next(a)).isEqualTo(ServingStatus.SERVING);
    assertThat(next(b)).isEqualTo(ServingStatus.SERVING);
    assertThat(next(c)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);

    CompletableFuture<Void> terminated = server.shutdown();
    assertThat(next(a)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(next(b)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(a.hasNext()).isFalse(); // ended with OK, not an error
    assertThat(b.hasNext()).isFalse();
    assertThat(c.hasNext()).isFalse(); // unknown stays unknown: nothing new to send
    terminated.get(10, TimeUnit.SECONDS);
    assertThat(watchCount()).isZero();
    // Terminal: later changes are ignored.
    health.setStatus("s", ServingStatus.SERVING);
    assertThat(statusOf("s")).isEqualTo(ServingStatus.NOT_SERVING);
  }

  @Test
  void terminalStateTurnsEverythingNotServingAndIgnoresChanges() throws Exception {
    health.setStatus("t", ServingStatus.SERVING);
    try (ResponseIterator<HealthCheckResponse> it = watch("t")) {
      assertThat(next(it)).isEqualTo(ServingStatus.SERVING);
      health.enterTerminalState();
      assertThat(next(it)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(check("t")).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(check("")).isEqualTo(ServingStatus.NOT_SERVING);
      health.setStatus("t", ServingStatus.SERVING);
      health.clearStatus("t");
      assertThat(check("t")).isEqualTo(ServingStatus.NOT_SERVING);
    }
  }

  @Test
  void watchesCancelledByTheirDeadlineAreForgotten() throws Exception {
    ResponseIterator<HealthCheckResponse> it =
        HealthGrpcJni.newStub(channel)
            .withDeadlineAfter(Duration.ofMillis(300))
            .watchBlocking(req("d"));
    assertThat(next(it)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
    assertThat(catchThrowableOfType(StatusException.class, it::hasNext).status().code())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    awaitWatchCount(0);
  }

  // ---- helpers

  ResponseIterator<HealthCheckResponse> watch(String service) {
    return stub.watchBlocking(req(service));
  }

  static ServingStatus next(ResponseIterator<HealthCheckResponse> it) {
    return it.next().getStatus();
  }

  ServingStatus statusOf(String service) {
    return health.status(service);
  }

  int watchCount() {
    return health.watchCount();
  }

  void awaitWatchCount(int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (watchCount() != n && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(watchCount()).isEqualTo(n);
  }
}
