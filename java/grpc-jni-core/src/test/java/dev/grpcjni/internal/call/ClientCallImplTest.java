// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.ClientCall;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.MethodDescriptor.MethodType;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.codec.Marshallers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client call engine against {@link FakeNativeCall}: which batches each call shape starts, in
 * what order callbacks arrive, how cancel and failures end a call, and that the native call is
 * disposed exactly once and nothing is started after. No libgrpc is loaded.
 */
class ClientCallImplTest {
  private final FakeNativeCall fake = new FakeNativeCall();
  private final ManualExecutor executor = new ManualExecutor();
  private final RecordingListener listener = new RecordingListener();

  private static MethodDescriptor<String, String> method(MethodType type) {
    return MethodDescriptor.create(type, "test.S/M", Marshallers.utf8(), Marshallers.utf8());
  }

  private ClientCallImpl<String, String> call(MethodType type) {
    return new ClientCallImpl<>(fake, method(type), executor, null, null, 0, null);
  }

  @AfterEach
  void nothingLeaked() {
    assertThat(fake.liveMessages()).as("messages serialized and never sent or freed").isZero();
    assertThat(fake.disposals).as("dispose() calls").isLessThanOrEqualTo(1);
  }

  // ---- unary

  @Test
  void unaryGoesOutAsOneBatchAtHalfCloseAndDeliversEverythingInOneTask() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, new Metadata().put("x-a", "1"));
    call.request(1);
    call.sendMessage("hello");
    assertThat(fake.ops).as("held until the half-close").isEmpty();
    call.halfClose();
    assertThat(fake.ops).containsExactly("startUnary(hello)Metadata{x-a=1}");
    assertThat(fake.lastWithHeaders).as("the listener reads headers").isTrue();

    fake.completeStatus(
        Status.OK, new Metadata().put("x-h", "h"), new Metadata().put("x-t", "t"), "world");
    assertThat(listener.events).as("nothing on the poller").isEmpty();
    assertThat(fake.disposals).as("kept until its response was read").isZero();
    assertThat(executor.runAll()).isEqualTo(1);
    assertThat(listener.events)
        .containsExactly("headersMetadata{x-h=h}", "message world", "close OK");
    assertThat(listener.trailers.get("x-t")).isEqualTo("t");
    assertThat(fake.disposals).isEqualTo(1);
    assertThat(fake.freed).isTrue();
  }

  @Test
  void aResponseCopiedOutWithTheStatusFreesTheCallOnThePoller() {
    fake.copyResponses = true; // as CoreCall does for a small response
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    call.sendMessage("hello");
    call.halfClose();
    fake.completeStatus(Status.OK, null, null, "world");
    assertThat(fake.disposals).as("dropped at once, on the completing thread").isEqualTo(1);
    assertThat(fake.freed).isTrue();
    assertThat(listener.events).isEmpty();
    assertThat(executor.runAll()).isEqualTo(1);
    assertThat(listener.events).containsExactly("message world", "close OK");
    assertThat(fake.disposals).as("exactly once").isEqualTo(1);
  }

  @Test
  void aListenerThatIgnoresHeadersDoesNotMakeTheCallDecodeThem() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(new ClientCall.Listener<>() {}, null);
    call.sendUnobserved("a");
    call.halfClose();
    assertThat(fake.lastWithHeaders).isFalse();
    fake.completeStatus(Status.OK, null, null, "b");
    executor.runAll();
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void unaryErrorStatusClosesWithoutAMessage() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    fake.completeStatus(
        Status.NOT_FOUND.withDescription("gone"), null, new Metadata().put("x-t", "t"), null);
    executor.runAll();
    assertThat(listener.events).containsExactly("close NOT_FOUND gone");
    assertThat(listener.trailers.get("x-t")).isEqualTo("t");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void unaryOkWithoutAResponseIsInternal() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    fake.completeStatus(Status.OK);
    executor.runAll();
    assertThat(listener.events).containsExactly("close INTERNAL No response message received");
  }

  @Test
  void aResponseThatDoesNotParseIsInternal() {
    ClientCallImpl<String, String> call =
        new ClientCallImpl<>(
            fake,
            MethodDescriptor.unary("test.S/M", Marshallers.utf8(), failingParser()),
            executor,
            null,
            null,
            0,
            null);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    fake.completeStatus(Status.OK, new Metadata(), null, "y");
    executor.runAll();
    assertThat(listener.events).hasSize(2).first().isEqualTo("headersMetadata{}");
    assertThat(listener.status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(listener.status.description()).startsWith("Failed to parse response");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aRequestThatDoesNotSerializeFailsTheCallWithoutStartingIt() {
    ClientCallImpl<String, String> call =
        new ClientCallImpl<>(
            fake,
            MethodDescriptor.unary("test.S/M", failingSerializer(), Marshallers.utf8()),
            executor,
            null,
            null,
            0,
            null);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    assertThat(fake.hasPendingStatus()).isFalse();
    executor.runAll();
    assertThat(listener.status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(listener.status.description()).startsWith("Failed to serialize request");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aStartTheTransportRefusesClosesTheCallWithItsStatus() {
    fake.startFailure = Status.UNAVAILABLE.withDescription("Channel is shut down");
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    CompletableFuture<Void> sent = call.sendMessage("x");
    call.halfClose();
    executor.runAll();
    assertThat(listener.events).containsExactly("close UNAVAILABLE Channel is shut down");
    assertThat(sent).isCompletedExceptionally();
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void cancelBeforeTheHalfCloseEndsTheCallWithoutSendingIt() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    CompletableFuture<Void> sent = call.sendMessage("x");
    call.cancel("stop", null);
    executor.runAll();
    assertThat(listener.events).containsExactly("close CANCELLED stop");
    assertThat(sent).isCompletedExceptionally();
    assertThat(call.sendMessage("late")).isCompletedExceptionally();
    call.halfClose(); // does nothing now
    executor.runAll();
    assertThat(fake.ops).isEmpty();
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void cancelBeforeStartEndsTheCallAtStart() {
    ClientCallImpl<String, String> call = call(MethodType.BIDI_STREAMING);
    call.cancel("early", null);
    call.start(listener, null);
    executor.runAll();
    assertThat(listener.events).containsExactly("close CANCELLED early");
    assertThat(fake.ops).isEmpty();
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void cancelInFlightCancelsTheNativeCallAndTheStatusCloses() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    call.cancel("Cancelled by client", null);
    assertThat(fake.cancels).isEqualTo(1);
    assertThat(fake.cancelCode).isEqualTo(Status.Code.CANCELLED);
    assertThat(fake.cancelDescription).isEqualTo("Cancelled by client");
    assertThat(listener.events).isEmpty();
    fake.completeStatus(Status.CANCELLED.withDescription("Cancelled by client"));
    executor.runAll();
    assertThat(listener.events).containsExactly("close CANCELLED Cancelled by client");
    call.cancel("again", null); // over: nothing happens
    assertThat(fake.cancels).isEqualTo(1);
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aChildCancelledByItsParentAtTheirSharedDeadlineReportsTheDeadline() throws Exception {
    Deadline soon = Deadline.after(Duration.ofMillis(50));
    ClientCallImpl<String, String> call =
        new ClientCallImpl<>(
            fake, method(MethodType.UNARY), executor, soon, new FakeNativeCall(), 0, null);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    assertThat(fake.ops).isNotEmpty(); // sent before the deadline
    Thread.sleep(60);
    fake.completeStatus(Status.CANCELLED.withDescription("Cancelled")); // the core's propagation
    executor.runAll();
    assertThat(listener.events).hasSize(1);
    assertThat(listener.events.get(0)).startsWith("close DEADLINE_EXCEEDED");
  }

  @Test
  void aChildCancelledByItsParentBeforeTheDeadlineStaysCancelled() {
    Deadline later = Deadline.after(Duration.ofMinutes(1));
    ClientCallImpl<String, String> call =
        new ClientCallImpl<>(
            fake, method(MethodType.UNARY), executor, later, new FakeNativeCall(), 0, null);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    fake.completeStatus(Status.CANCELLED.withDescription("Cancelled"));
    executor.runAll();
    assertThat(listener.events).containsExactly("close CANCELLED Cancelled");
  }

  @Test
  void cancelAfterTheStatusOfAUnaryCallIsTooLate() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    call.sendMessage("x");
    call.halfClose();
    fake.completeStatus(Status.OK, null, null, "y");
    call.cancel("late", null);
    executor.runAll();
    assertThat(listener.events).containsExactly("message y", "close OK");
    assertThat(fake.cancels).isZero();
  }

  @Test
  void startingTwiceOrSendingAfterHalfCloseIsRefused() {
    ClientCallImpl<String, String> call = call(MethodType.BIDI_STREAMING);
    assertThatThrownBy(() -> call.sendMessage("x")).isInstanceOf(IllegalStateException.class);
    call.start(listener, null);
    assertThatThrownBy(() -> call.start(listener, null)).isInstanceOf(IllegalStateException.class);
    call.halfClose();
    assertThatThrownBy(() -> call.sendMessage("x")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(call::halfClose).isInstanceOf(IllegalStateException.class);
    fake.completeSend(true);
    fake.completeStatus(Status.OK);
    fake.endRecv(false);
    executor.runAll();
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void anExpiredDeadlineFailsTheCallBeforeAnythingStarts() {
    Deadline past = Deadline.after(Duration.ofNanos(1));
    while (!past.isExpired()) {
      Thread.onSpinWait();
    }
    ClientCallImpl<String, String> call =
        new ClientCallImpl<>(fake, method(MethodType.UNARY), executor, past, null, 0, null);
    call.start(listener, null);
    executor.runAll();
    assertThat(listener.status.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(fake.ops).isEmpty();
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aUnaryCallWithTwoRequestsStreamsThemAsAClientStreamingCall() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    CompletableFuture<Void> first = call.sendMessage("a");
    call.sendMessage("b");
    call.halfClose();
    assertThat(fake.ops).containsExactly("startClientStreaming", "sendMessage(a)");
    fake.completeSend(true);
    // A message with the half-close queued behind it may wait for it: the half-close flushes.
    assertThat(fake.ops).last().isEqualTo("sendMessage(b, hint)");
    fake.completeSend(true);
    assertThat(fake.ops)
        .containsExactly(
            "startClientStreaming",
            "sendMessage(a)",
            "sendMessage(b, hint)",
            "sendCloseFromClient");
    fake.completeSend(true);
    executor.runAll();
    assertThat(first).isCompleted();
    fake.completeStatus(Status.OK, null, null, "sum");
    executor.runAll();
    // No onReady: the call was half-closed before its callbacks ran.
    assertThat(listener.events).containsExactly("message sum", "close OK");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aUnaryCallHalfClosedWithoutARequestStillReachesTheServer() {
    ClientCallImpl<String, String> call = call(MethodType.UNARY);
    call.start(listener, null);
    call.halfClose();
    assertThat(fake.ops).containsExactly("startClientStreaming", "sendCloseFromClient");
    fake.completeSend(true);
    fake.completeStatus(Status.INTERNAL.withDescription("Half-closed without a request"));
    executor.runAll();
    assertThat(listener.events).endsWith("close INTERNAL Half-closed without a request");
    assertThat(fake.disposals).isEqualTo(1);
  }

  // ---- client streaming

  @Test
  void writesGoOneBatchAtATimeAndCompleteWhenTheCoreTakesThem() {
    ClientCallImpl<String, String> call = call(MethodType.CLIENT_STREAMING);
    call.start(listener, null);
    assertThat(fake.ops).containsExactly("startClientStreaming");
    executor.runAll();
    assertThat(listener.events).containsExactly("ready");
    CompletableFuture<Void> a = call.sendMessage("a");
    CompletableFuture<Void> b = call.sendMessage("b");
    assertThat(fake.ops).containsExactly("startClientStreaming", "sendMessage(a)");
    fake.completeSend(true);
    executor.runAll();
    assertThat(a).isCompleted();
    assertThat(b).isNotDone();
    assertThat(fake.ops).last().isEqualTo("sendMessage(b)");
    fake.completeSend(true);
    executor.runAll();
    assertThat(b).isCompleted();
    call.halfClose();
    fake.completeSend(true);
    fake.completeStatus(Status.OK, new Metadata(), null, "r");
    executor.runAll();
    assertThat(listener.events)
        .containsExactly("ready", "headersMetadata{}", "message r", "close OK");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aWriteThatFailsCarriesTheFinalStatusOnceItArrives() {
    ClientCallImpl<String, String> call = call(MethodType.CLIENT_STREAMING);
    call.start(listener, null);
    CompletableFuture<Void> w = call.sendMessage("a");
    CompletableFuture<Void> queued = call.sendMessage("b");
    fake.completeSend(false);
    executor.runAll();
    assertThat(w).as("held for the status").isNotDone();
    assertThat(queued).isNotDone();
    assertThat(fake.liveMessages()).as("the queued one was freed").isZero();
    fake.completeStatus(Status.PERMISSION_DENIED.withDescription("no"));
    executor.runAll();
    assertThat(statusOf(w).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(statusOf(queued).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(listener.events).endsWith("close PERMISSION_DENIED no");
    // Later writes fail with the same status, and start nothing.
    CompletableFuture<Void> later = call.sendMessage("c");
    executor.runAll();
    assertThat(statusOf(later).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(fake.ops).containsExactly("startClientStreaming", "sendMessage(a)");
  }

  @Test
  void aWriteAfterAnOkStatusFailsAndSendsNothing() {
    ClientCallImpl<String, String> call = call(MethodType.CLIENT_STREAMING);
    call.start(listener, null);
    fake.completeStatus(Status.OK, null, null, "early");
    executor.runAll();
    CompletableFuture<Void> late = call.sendMessage("x");
    executor.runAll();
    assertThat(statusOf(late).code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(fake.ops).containsExactly("startClientStreaming");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void readinessFollowsTheBytesQueuedAndOnReadyFollowsWhenItReturns() {
    ClientCallImpl<String, String> call = call(MethodType.CLIENT_STREAMING);
    call.start(listener, null);
    executor.runAll();
    String half = "x".repeat(Outbound.READY_THRESHOLD / 2);
    call.sendMessage(half);
    assertThat(call.isReady()).isTrue();
    call.sendMessage(half); // bytes not yet taken by the core, in flight or queued, count
    assertThat(call.isReady()).isFalse();
    fake.completeSend(true);
    fake.completeSend(true);
    executor.runAll();
    assertThat(call.isReady()).isTrue();
    assertThat(listener.events).containsExactly("ready", "ready");
    call.cancel("done", null);
    fake.completeStatus(Status.CANCELLED);
    executor.runAll();
  }

  // ---- server streaming and bidirectional

  @Test
  void aServerStreamingRequestGoesWithItsHalfCloseAndResponsesAreReadAsRequested() {
    ClientCallImpl<String, String> call = call(MethodType.SERVER_STREAMING);
    call.request(1); // before start, as a Flow subscriber does in onSubscribe
    call.start(listener, null);
    call.sendMessage("q");
    assertThat(fake.ops).isEmpty();
    call.halfClose();
    assertThat(fake.ops)
        .containsExactly("startServerStreaming(q)", "recvInitialMetadata", "recvMessage");
    fake.completeHeaders(new Metadata().put("x-h", "1"));
    fake.completeRecv("r1");
    assertThat(fake.hasPendingRecv()).as("no demand left").isFalse();
    executor.runAll();
    assertThat(listener.events).containsExactly("headersMetadata{x-h=1}", "message r1");
    call.request(1);
    fake.completeRecv("r2");
    call.request(5);
    fake.endRecv(false);
    fake.completeStatus(Status.OK);
    executor.runAll();
    assertThat(listener.events)
        .containsExactly("headersMetadata{x-h=1}", "message r1", "message r2", "close OK");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void responsesTheCoreStillHoldsAreDeliveredAsRequestedAfterTheStatus() {
    ClientCallImpl<String, String> call = call(MethodType.BIDI_STREAMING);
    call.start(listener, null);
    assertThat(fake.ops).containsExactly("startDuplex", "recvInitialMetadata");
    fake.completeStatus(Status.OK); // before any response was read
    assertThat(fake.hasPendingRecv()).as("draining without demand").isTrue();
    fake.completeRecv("r1");
    fake.completeRecv("r2");
    fake.endRecv(false);
    assertThat(fake.disposals).as("no more input will be read").isEqualTo(1);
    executor.runAll();
    assertThat(listener.events).as("no onReady: the call was over first").isEmpty();
    call.request(1);
    executor.runAll();
    assertThat(listener.events).containsExactly("message r1");
    call.request(1);
    executor.runAll();
    assertThat(listener.events).containsExactly("message r1", "message r2", "close OK");
  }

  @Test
  void anErrorStatusEndsTheStreamAfterWhatWasRead() {
    ClientCallImpl<String, String> call = call(MethodType.BIDI_STREAMING);
    call.start(listener, null);
    call.request(10);
    fake.completeRecv("r1");
    fake.completeStatus(Status.UNAVAILABLE.withDescription("reset"));
    fake.endRecv(true); // the core fails the reads it still had
    executor.runAll();
    // What was read before the status is delivered; no onReady, the call was over first.
    assertThat(listener.events).containsExactly("message r1", "close UNAVAILABLE reset");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void cancelDiscardsBufferedResponsesOnceTheStatusIsIn() {
    ClientCallImpl<String, String> call = call(MethodType.BIDI_STREAMING);
    call.start(listener, null);
    fake.completeStatus(Status.OK);
    fake.completeRecv("unread");
    fake.endRecv(false);
    call.cancel("enough", null);
    call.request(1);
    executor.runAll();
    assertThat(listener.events).containsExactly("close CANCELLED enough");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aListenerThatThrowsCancelsTheCallWithTheCause() {
    ClientCallImpl<String, String> call = call(MethodType.BIDI_STREAMING);
    listener.throwOnMessage = new IllegalStateException("boom");
    call.start(listener, null);
    call.request(2);
    fake.completeRecv("r1");
    executor.runAll();
    assertThat(fake.cancelCode).isEqualTo(Status.Code.CANCELLED);
    assertThat(fake.cancelDescription).isEqualTo("Failed to read message.");
    fake.completeRecv("r2"); // arrives anyway: not delivered
    assertThat(fake.hasPendingRecv()).as("nothing more is read").isFalse();
    fake.completeStatus(Status.CANCELLED.withDescription("Failed to read message."));
    executor.runAll();
    assertThat(listener.events)
        .containsExactly("ready", "message r1", "close CANCELLED Failed to read message.");
    assertThat(listener.status.cause()).hasMessage("boom");
  }

  @Test
  void aCancelThatComesWhileTheCallStartsIsAppliedWhenTheStartReturns() {
    FakeNativeCall racing =
        new FakeNativeCall() {
          @Override
          public Status startDuplex(
              Metadata headers,
              Deadline deadline,
              dev.grpcjni.internal.transport.NativeCall parent,
              int flags,
              ClientDone done) {
            Status s = super.startDuplex(headers, deadline, parent, flags, done);
            ((ClientCallImpl<?, ?>) done).cancel("while starting", null); // another thread's
            return s;
          }
        };
    ClientCallImpl<String, String> call =
        new ClientCallImpl<>(
            racing, method(MethodType.BIDI_STREAMING), executor, null, null, 0, null);
    call.start(listener, null);
    assertThat(racing.cancels).isEqualTo(1);
    assertThat(racing.cancelDescription).isEqualTo("while starting");
    racing.completeStatus(Status.CANCELLED.withDescription("while starting"));
    racing.completeHeaders(null);
    racing.endRecv(true);
    executor.runAll();
    assertThat(listener.events).endsWith("close CANCELLED while starting");
    assertThat(racing.disposals).isEqualTo(1);
  }

  @Test
  void messageCompressionCanBeTurnedOffPerMessage() {
    ClientCallImpl<String, String> call = call(MethodType.CLIENT_STREAMING);
    call.start(listener, null);
    call.setMessageCompression(false);
    call.sendMessage("plain");
    assertThat(fake.ops).last().isEqualTo("sendMessage(plain, no-compress)");
    call.cancel("done", null);
    fake.completeSend(false);
    fake.completeStatus(Status.CANCELLED);
    executor.runAll();
  }

  @Test
  void anExecutorThatRejectsStillGetsTheCallClosed() {
    executor.rejecting = true;
    java.util.List<String> ran = new java.util.ArrayList<>();
    ClientCallImpl<String, String> call =
        new ClientCallImpl<>(fake, method(MethodType.UNARY), executor, null, null, 0, null);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            synchronized (ran) {
              ran.add(status.code().toString());
              ran.notifyAll();
            }
          }
        },
        null);
    call.sendMessage("x");
    call.halfClose();
    fake.completeStatus(Status.ABORTED);
    synchronized (ran) {
      long end = System.nanoTime() + 5_000_000_000L;
      while (ran.isEmpty() && System.nanoTime() < end) {
        try {
          ran.wait(100);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
    assertThat(ran).containsExactly("ABORTED");
  }

  // ---- helpers

  private static Status statusOf(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (java.util.concurrent.CompletionException e) {
      return ((StatusException) e.getCause()).status();
    }
  }

  private static Marshaller<String> failingParser() {
    return new Marshaller<>() {
      @Override
      public int serializedSize(String value) {
        return Marshallers.utf8().serializedSize(value);
      }

      @Override
      public void serialize(String value, ByteBuffer target) {
        Marshallers.utf8().serialize(value, target);
      }

      @Override
      public String parse(ByteBuffer source) {
        throw new IllegalArgumentException("not a message");
      }
    };
  }

  private static Marshaller<String> failingSerializer() {
    return new Marshaller<>() {
      @Override
      public int serializedSize(String value) {
        throw new IllegalArgumentException("cannot serialize");
      }

      @Override
      public void serialize(String value, ByteBuffer target) {}

      @Override
      public String parse(ByteBuffer source) {
        return Marshallers.utf8().parse(source);
      }
    };
  }
}
