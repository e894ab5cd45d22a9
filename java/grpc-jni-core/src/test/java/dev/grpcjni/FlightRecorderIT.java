// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static dev.grpcjni.InterceptorIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code dev.grpcjni.Call} JFR event on real calls (127.0.0.1:0), recorded and read back with
 * {@code jdk.jfr.consumer}: one event per call and side, with its method, target, peer, status and
 * message counts and sizes; the three times (core, hand-off, application) each seen where the test
 * put a delay; every kind of call, a cancel, a deadline and an unknown method; nothing recorded
 * unless a recording enables the event; a threshold keeps only slow calls.
 */
class FlightRecorderIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final String EVENT = "dev.grpcjni.Call";
  static final MethodDescriptor<byte[], byte[]> UNARY = CallTracerIT.UNARY;
  static final MethodDescriptor<byte[], byte[]> SLOW =
      CallTracerIT.method(MethodDescriptor.MethodType.UNARY, "Slow");
  static final int SERVER_WORK_MS = 60;
  static final int HANDOFF_MS = 40;
  static final int CLIENT_WORK_MS = 50;

  final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger flushes =
      new java.util.concurrent.atomic.AtomicInteger();
  final CountDownLatch hangEntered = new CountDownLatch(1);
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  RecordingStream stream;
  Server server;
  ManagedChannel channel;

  ServiceDefinition service() {
    return CallTracerIT.service(hangEntered)
        .unary(
            SLOW,
            (req, ctx) -> {
              sleep(SERVER_WORK_MS); // the handler's own time, on its callback
              return CompletableFuture.completedFuture(req);
            })
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0").addService(service()).build().start());
    channel = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.close();
    }
    timer.shutdownNow();
  }

  /** Starts streaming the event (above {@code threshold}) into {@link #events}. */
  private void record(Duration threshold) throws InterruptedException {
    stream = new RecordingStream();
    stream.enable(EVENT).withThreshold(threshold);
    stream.onEvent(EVENT, events::add);
    CountDownLatch started = new CountDownLatch(1);
    stream.onFlush(
        () -> {
          flushes.incrementAndGet();
          started.countDown();
        });
    stream.startAsync();
    assertThat(started.await(10, TimeUnit.SECONDS)).as("the recording runs").isTrue();
  }

  private void record() throws InterruptedException {
    record(Duration.ZERO);
  }

  /** The one event of {@code side} for {@code method}, waiting for the recording to flush it. */
  private RecordedEvent event(String side, MethodDescriptor<?, ?> method) throws Exception {
    List<RecordedEvent> found =
        await(
            e ->
                side.equals(e.getString("side"))
                    && method.fullMethodName().equals(e.getString("method")),
            1);
    return found.get(0);
  }

  private List<RecordedEvent> await(Predicate<RecordedEvent> which, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<RecordedEvent> found;
    do {
      found = new ArrayList<>();
      for (RecordedEvent e : events) {
        if (which.test(e)) {
          found.add(e);
        }
      }
      if (found.size() >= count) {
        break;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    assertThat(found).as("events so far: %s", events).hasSize(count);
    return found;
  }

  /**
   * Waits for two more flushes of the recording, so that every event committed so far has arrived
   * (a second event of a call would be here now), and returns them all.
   */
  private List<RecordedEvent> settle() throws InterruptedException {
    int target = flushes.get() + 2;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (flushes.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(flushes.get()).as("the recording flushes").isGreaterThanOrEqualTo(target);
    return List.copyOf(events);
  }

  /** The status a unary call of {@code method} with {@code deadline} failed with. */
  private Status statusOf(MethodDescriptor<byte[], byte[]> method, Duration deadline) {
    return CallTracerIT.statusOf(channel, method, CallOptions.DEFAULT.withDeadlineAfter(deadline));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long ms(RecordedEvent e, String field) {
    return e.getDuration(field).toMillis();
  }

  @Test
  void aUnaryCallIsOneEventPerSideWithItsTimesSplit() throws Exception {
    record();
    // Client callbacks wait HANDOFF_MS for a thread and onClose works CLIENT_WORK_MS; the server's
    // handler works SERVER_WORK_MS: each shows where it was spent.
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            SLOW,
            CallOptions.DEFAULT
                .withDeadlineAfter(Duration.ofSeconds(10))
                .withExecutor(r -> timer.schedule(r, HANDOFF_MS, TimeUnit.MILLISECONDS)));
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            sleep(CLIENT_WORK_MS);
            closed.complete(status);
          }
        },
        null);
    call.request(1);
    call.sendMessage(bytes("hello"));
    call.halfClose();
    assertThat(closed.get(10, TimeUnit.SECONDS).isOk()).isTrue();

    RecordedEvent c = event("client", SLOW);
    assertThat(c.getString("target")).isEqualTo("127.0.0.1:" + server.port());
    assertThat(c.getString("peer")).isEqualTo("ipv4:127.0.0.1:" + server.port());
    assertThat(c.getString("status")).isEqualTo("OK");
    assertThat(c.getString("description")).isNull();
    assertThat(c.getLong("messagesSent")).isEqualTo(1);
    assertThat(c.getLong("bytesSent")).isEqualTo(5);
    assertThat(c.getLong("messagesReceived")).isEqualTo(1);
    assertThat(c.getLong("bytesReceived")).isEqualTo(5);
    assertThat(c.getInt("callbacks")).isEqualTo(1); // a unary call's one task
    assertThat(ms(c, "handoffTime")).isBetween(HANDOFF_MS - 1L, HANDOFF_MS + 2_000L);
    assertThat(ms(c, "applicationTime")).isBetween(CLIENT_WORK_MS - 1L, CLIENT_WORK_MS + 2_000L);
    assertThat(ms(c, "coreTime"))
        .as("the server's work, seen from the client")
        .isGreaterThanOrEqualTo(SERVER_WORK_MS - 1L);
    assertSplitsDuration(c);

    RecordedEvent s = event("server", SLOW);
    assertThat(s.getString("target")).isNull();
    assertThat(s.getString("peer")).startsWith("ipv4:127.0.0.1:");
    assertThat(s.getString("status")).isEqualTo("OK");
    assertThat(s.getLong("messagesReceived")).isEqualTo(1);
    assertThat(s.getLong("bytesReceived")).isEqualTo(5);
    assertThat(s.getLong("messagesSent")).isEqualTo(1);
    assertThat(s.getLong("bytesSent")).isEqualTo(5);
    assertThat(ms(s, "applicationTime")).isBetween(SERVER_WORK_MS - 1L, SERVER_WORK_MS + 2_000L);
    assertThat(s.getInt("callbacks")).isGreaterThanOrEqualTo(1);
    assertSplitsDuration(s);
    assertThat(c.getDuration().toMillis())
        .as("the server's work fits in the client call")
        .isGreaterThanOrEqualTo(ms(s, "applicationTime") - 1);
    assertThat(settle()).as("one event per side").hasSize(2);
  }

  /** The three times add up to the event's duration (two clocks: a little slack). */
  private static void assertSplitsDuration(RecordedEvent e) {
    long sum =
        e.getDuration("coreTime").toNanos()
            + e.getDuration("handoffTime").toNanos()
            + e.getDuration("applicationTime").toNanos();
    long duration = e.getDuration().toNanos();
    assertThat(sum)
        .as("core + hand-off + application of %s", e)
        .isLessThanOrEqualTo(duration + TimeUnit.MILLISECONDS.toNanos(5));
    assertThat(duration - sum)
        .as("duration not in the split, %s", e)
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
  }

  @Test
  void eachStreamingKindCountsItsMessagesOnBothSides() throws Exception {
    record();
    assertThat(InterceptorIT.call(channel, CallTracerIT.SPLIT, "ab")).isEqualTo("ab0,ab1,ab2");
    assertThat(InterceptorIT.call(channel, CallTracerIT.CONCAT, "xyz")).isEqualTo("xyz0xyz1");
    assertThat(InterceptorIT.call(channel, CallTracerIT.ECHO, "q")).isEqualTo("q0,q1");
    // {sent, bytes sent, received, bytes received} per side
    assertCounts(event("client", CallTracerIT.SPLIT), 1, 2, 3, 9);
    assertCounts(event("server", CallTracerIT.SPLIT), 3, 9, 1, 2);
    assertCounts(event("client", CallTracerIT.CONCAT), 2, 8, 1, 8);
    assertCounts(event("server", CallTracerIT.CONCAT), 1, 8, 2, 8);
    assertCounts(event("client", CallTracerIT.ECHO), 2, 4, 2, 4);
    assertCounts(event("server", CallTracerIT.ECHO), 2, 4, 2, 4);
    List<RecordedEvent> all = settle();
    assertThat(all).as("one event per call and side").hasSize(6);
    for (RecordedEvent e : all) {
      assertThat(e.getString("status")).isEqualTo("OK");
      assertThat(e.getInt("callbacks")).as("%s", e).isGreaterThanOrEqualTo(1);
      assertSplitsDuration(e);
    }
  }

  private static void assertCounts(
      RecordedEvent e, long sent, long bytesSent, long received, long bytesReceived) {
    assertThat(
            new long[] {
              e.getLong("messagesSent"),
              e.getLong("bytesSent"),
              e.getLong("messagesReceived"),
              e.getLong("bytesReceived")
            })
        .as("%s", e)
        .containsExactly(sent, bytesSent, received, bytesReceived);
  }

  @Test
  void aCancelADeadlineAndAnUnknownMethodCarryTheirStatus() throws Exception {
    record();
    assertThat(CallTracerIT.cancelHanging(channel, hangEntered).code())
        .isEqualTo(Status.Code.CANCELLED);
    RecordedEvent cancelledClient = event("client", CallTracerIT.HANG);
    assertThat(cancelledClient.getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelledClient.getString("description")).isEqualTo("enough");
    assertThat(cancelledClient.getLong("messagesSent")).isEqualTo(1);
    assertThat(cancelledClient.getLong("messagesReceived")).isZero();
    assertThat(event("server", CallTracerIT.HANG).getString("status")).isEqualTo("CANCELLED");
    events.clear();

    assertThat(statusOf(CallTracerIT.HANG, Duration.ofMillis(200)).code())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    RecordedEvent expired = event("client", CallTracerIT.HANG);
    assertThat(expired.getString("status")).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(expired.getDuration().toMillis()).isGreaterThanOrEqualTo(150);
    assertThat(event("server", CallTracerIT.HANG).getString("status")).isEqualTo("CANCELLED");
    events.clear();

    assertThat(statusOf(CallTracerIT.MISSING, Duration.ofSeconds(10)).code())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(event("client", CallTracerIT.MISSING).getString("status"))
        .isEqualTo("UNIMPLEMENTED");
    RecordedEvent unknown = event("server", CallTracerIT.MISSING);
    assertThat(unknown.getString("status")).isEqualTo("UNIMPLEMENTED");
    assertThat(unknown.getLong("messagesReceived")).as("never read").isZero();
  }

  @Test
  void nothingIsRecordedUnlessARecordingEnablesTheEvent() throws Exception {
    Path file = Files.createTempFile("grpcjni", ".jfr");
    try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
      r.start();
      assertThat(InterceptorIT.call(channel, UNARY, "hello")).isEqualTo("hello");
      r.stop();
      r.dump(file);
      List<RecordedEvent> all = RecordingFile.readAllEvents(file);
      assertThat(all).as("the JDK's profile settings record other events").isNotEmpty();
      assertThat(all).noneMatch(e -> e.getEventType().getName().equals(EVENT));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aThresholdKeepsOnlyTheSlowCalls() throws Exception {
    // Connected first: the fast call has no handshake to wait for.
    assertThat(InterceptorIT.call(channel, UNARY, "warm")).isEqualTo("warm");
    record(Duration.ofMillis(150));
    assertThat(InterceptorIT.call(channel, UNARY, "fast")).isEqualTo("fast");
    assertThat(statusOf(CallTracerIT.HANG, Duration.ofMillis(300)).code())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    event("client", CallTracerIT.HANG);
    event("server", CallTracerIT.HANG);
    assertThat(settle())
        .as("the fast call went under the threshold")
        .hasSize(2)
        .allMatch(e -> e.getString("method").equals(CallTracerIT.HANG.fullMethodName()));
  }

  @Test
  void directRejectingAndCredentialedCallsEachCommitOnce() throws Exception {
    ManagedChannel credentialed =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .callCredentials(
                    info ->
                        CompletableFuture.supplyAsync(
                            () -> {
                              sleep(80); // a token fetch
                              Metadata m = new Metadata();
                              m.put("authorization", "Bearer t");
                              return m;
                            }))
                .allowCallCredentialsOnPlaintext()
                .build());
    assertThat(InterceptorIT.call(credentialed, UNARY, "warm")).isEqualTo("warm");
    record();
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10));
    assertThat(
            dev.grpcjni.stub.ClientCalls.unaryCall(
                    channel, UNARY, bytes("d"), options.withExecutor(Runnable::run))
                .get(10, TimeUnit.SECONDS))
        .isEqualTo(bytes("d"));
    java.util.concurrent.Executor rejecting =
        r -> {
          throw new java.util.concurrent.RejectedExecutionException("full");
        };
    Flows.Collector<byte[]> echoed = new Flows.Collector<>(2);
    dev.grpcjni.stub.ClientCalls.bidiStreamingCall(
            channel,
            CallTracerIT.ECHO,
            Flows.range(2, i -> bytes("r" + i)),
            options.withExecutor(rejecting))
        .subscribe(echoed);
    assertThat(echoed.result().get(10, TimeUnit.SECONDS)).hasSize(2);
    assertThat(InterceptorIT.call(credentialed, UNARY, "cred")).isEqualTo("cred");

    List<RecordedEvent> clients = await(e -> "client".equals(e.getString("side")), 3);
    assertThat(settle()).as("one event per call and side").hasSize(6);
    for (RecordedEvent e : clients) {
      assertThat(e.getString("status")).as("%s", e).isEqualTo("OK");
      assertThat(e.getInt("callbacks")).as("%s", e).isGreaterThanOrEqualTo(1);
      assertSplitsDuration(e);
    }
    RecordedEvent echo = event("client", CallTracerIT.ECHO);
    assertThat(echo.getLong("messagesSent")).isEqualTo(2);
    assertThat(echo.getLong("messagesReceived")).isEqualTo(2);
    RecordedEvent withToken =
        clients.stream()
            .filter(
                e ->
                    e.getString("method").equals(UNARY.fullMethodName())
                        && e.getLong("bytesSent") == 4)
            .findFirst()
            .orElseThrow();
    assertThat(withToken.getDuration().toMillis())
        .as("the credentialed call's event includes its token fetch: %s", clients)
        .isGreaterThanOrEqualTo(79);
  }
}
