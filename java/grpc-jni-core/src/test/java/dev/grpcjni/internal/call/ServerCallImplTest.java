// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.MethodDescriptor.MethodType;
import dev.grpcjni.ServerCall;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerMethodDefinition;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.UnaryHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server call engine against {@link FakeNativeCall}: what a call does on arrival, which batches
 * its replies become, how its end reaches the handler, and that the native call is disposed once.
 * No libgrpc is loaded.
 */
class ServerCallImplTest {
  private final FakeNativeCall fake = new FakeNativeCall();
  private final ManualExecutor executor = new ManualExecutor();
  private final List<String> events = new ArrayList<>();

  @AfterEach
  void nothingLeaked() {
    assertThat(fake.liveMessages()).as("messages serialized and never sent or freed").isZero();
    assertThat(fake.disposals).as("dispose() calls").isLessThanOrEqualTo(1);
  }

  private static MethodDescriptor<String, String> method(MethodType type) {
    return MethodDescriptor.create(type, "test.S/M", Marshallers.utf8(), Marshallers.utf8());
  }

  /** A call of {@code type}; a unary or server-streaming one arrives with {@code payload}. */
  private ServerCallImpl<String, String> arrive(
      MethodType type, ServerCallHandler<String, String> handler, String payload) {
    boolean reads = type.clientSendsOneMessage();
    if (payload != null) {
      fake.arrivedWith(payload);
    }
    ServerCallImpl<String, String> call =
        new ServerCallImpl<>(
            fake,
            handler == null ? null : new ServerMethodDefinition<>(method(type), handler),
            "/test.S/M",
            new Metadata().put("x-req", "1"),
            null,
            executor,
            reads,
            payload == null ? -1 : payload.length(),
            payload == null ? -1 : 0,
            null);
    call.start();
    return call;
  }

  /** A handler whose listener writes down what it hears; {@code onStart} may act on the call. */
  private ServerCallHandler<String, String> recording(
      Function<ServerCall<String, String>, Void> onStart) {
    return call -> {
      events.add("start");
      if (onStart != null) {
        onStart.apply(call);
      }
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(String message) {
          events.add("message " + message);
        }

        @Override
        public void onHalfClose() {
          events.add("halfClose");
        }

        @Override
        public void onCancel() {
          events.add("cancel");
        }

        @Override
        public void onComplete() {
          events.add("complete");
        }

        @Override
        public void onReady() {
          events.add("ready");
        }
      };
    };
  }

  // ---- unary

  @Test
  void aUnaryReplyIsOneBatchOfHeadersMessageStatusAndTrailers() {
    UnaryHandler<String, String> echo =
        (req, ctx) -> {
          ctx.responseHeaders().put("x-h", "h");
          ctx.responseTrailers().put("x-t", "t");
          return CompletableFuture.completedFuture("re:" + req);
        };
    ServerCallImpl<String, String> call = arrive(MethodType.UNARY, ServerCalls.unary(echo), "hi");
    assertThat(fake.ops).containsExactly("startServerSide");
    assertThat(executor.runAll()).as("one task runs the handler").isEqualTo(1);
    assertThat(fake.ops)
        .containsExactly(
            "startServerSide",
            "sendStatusFromServer(headersMetadata{x-h=h}, message re:hi, OK, trailersMetadata{x-t=t})");
    assertThat(call.wasLastMessageCompressed()).isFalse();
    fake.completeSend(true);
    fake.closeServer(false);
    assertThat(executor.queued()).as("a unary listener ignores onComplete: no task").isZero();
    assertThat(fake.disposals).isEqualTo(1);
    assertThat(fake.freed).isTrue();
  }

  @Test
  void aHandlerFailureBecomesItsStatusAndTrailers() {
    UnaryHandler<String, String> failing =
        (req, ctx) ->
            CompletableFuture.failedFuture(
                Status.NOT_FOUND
                    .withDescription("no " + req)
                    .asException(new Metadata().put("x-why", "because")));
    arrive(MethodType.UNARY, ServerCalls.unary(failing), "k");
    executor.runAll();
    assertThat(fake.ops)
        .last()
        .isEqualTo(
            "sendStatusFromServer(headersMetadata{}, NOT_FOUND no k, trailersMetadata{x-why=because})");
    fake.completeSend(true);
    fake.closeServer(false);
  }

  @Test
  void anUnknownMethodIsAnsweredOnArrivalWithoutATask() {
    ServerCallImpl<String, String> call = arrive(MethodType.BIDI_STREAMING, null, null);
    assertThat(executor.queued()).isZero();
    assertThat(fake.ops)
        .containsExactly(
            "startServerSide",
            "sendStatusFromServer(headersMetadata{}, UNIMPLEMENTED Method not found: test.S/M)");
    assertThat(call.fullMethodName()).isEqualTo("test.S/M");
    fake.completeSend(true);
    fake.closeServer(false);
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aMissingOrUndecodableRequestIsInternalWithoutTheHandler() {
    ServerCallImpl<String, String> missing =
        new ServerCallImpl<>(
            fake,
            new ServerMethodDefinition<>(method(MethodType.UNARY), recording(null)),
            "/test.S/M",
            new Metadata(),
            null,
            executor,
            true,
            -1,
            -1,
            null);
    missing.start();
    assertThat(fake.ops)
        .last()
        .isEqualTo(
            "sendStatusFromServer(headersMetadata{}, INTERNAL Half-closed without a request)");
    FakeNativeCall other = new FakeNativeCall();
    new ServerCallImpl<>(
            other,
            new ServerMethodDefinition<>(method(MethodType.UNARY), recording(null)),
            "/test.S/M",
            new Metadata(),
            null,
            executor,
            true,
            -2,
            -1,
            null)
        .start();
    assertThat(other.ops)
        .last()
        .isEqualTo(
            "sendStatusFromServer(headersMetadata{}, INTERNAL Failed to decompress the request)");
    assertThat(executor.queued()).isZero();
    assertThat(events).isEmpty();
    fake.completeSend(true);
    fake.closeServer(false);
  }

  @Test
  void aRequestThatDoesNotParseIsInternalAndNeverReachesTheListener() {
    MethodDescriptor<Integer, String> numbers =
        MethodDescriptor.unary(
            "test.S/M",
            new dev.grpcjni.codec.Marshaller<>() {
              @Override
              public int serializedSize(Integer value) {
                return 4;
              }

              @Override
              public void serialize(Integer value, java.nio.ByteBuffer target) {
                target.putInt(value);
              }

              @Override
              public Integer parse(java.nio.ByteBuffer source) {
                throw new IllegalArgumentException("not a number");
              }
            },
            Marshallers.utf8());
    fake.arrivedWith("abc");
    List<String> heard = new ArrayList<>();
    ServerCallHandler<Integer, String> handler =
        call ->
            new ServerCall.Listener<Integer>() {
              @Override
              public void onMessage(Integer message) {
                heard.add("message");
              }

              @Override
              public void onHalfClose() {
                heard.add("halfClose");
              }
            };
    new ServerCallImpl<>(
            fake,
            new ServerMethodDefinition<>(numbers, handler),
            "/test.S/M",
            new Metadata(),
            null,
            executor,
            true,
            3,
            0,
            null)
        .start();
    executor.runAll();
    assertThat(heard).isEmpty();
    assertThat(fake.ops.get(1))
        .startsWith("sendStatusFromServer(headersMetadata{}, INTERNAL Failed to parse request");
    fake.completeSend(true);
    fake.closeServer(false);
  }

  @Test
  void aCancelledCallTellsTheHandlerAfterItsRunningCallbackAndDropsItsReply() {
    CompletableFuture<String> response = new CompletableFuture<>();
    ServerCallImpl<String, String> call =
        arrive(MethodType.UNARY, ServerCalls.unary((req, ctx) -> response), "x");
    CompletableFuture<Void> cancelled = call.whenCancelled();
    executor.runAll();
    fake.closeServer(true);
    assertThat(call.isCancelled()).isTrue();
    assertThat(fake.disposals).isEqualTo(1);
    executor.runAll();
    assertThat(cancelled).isCompleted();
    assertThat(response).as("the unary adapter cancels the handler's future").isCancelled();
    assertThat(fake.ops).containsExactly("startServerSide"); // no reply went out
    assertThat(fake.freed).isTrue();
  }

  @Test
  void theEndComesAfterTheHandlerStartedAndOnlyOnce() {
    ServerCallImpl<String, String> call = arrive(MethodType.BIDI_STREAMING, recording(null), null);
    fake.closeServer(true); // before the handler ran
    executor.runAll();
    assertThat(events).containsExactly("start", "cancel");
    assertThat(call.isReady()).isFalse();
    CompletableFuture<Void> late = call.sendMessage("late"); // not closed by the handler: no throw
    executor.runAll();
    assertThat(late).isCompletedExceptionally();
    assertThat(fake.ops).containsExactly("startServerSide");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void aListenerThatThrowsEndsTheCallWithUnknownAndHearsNothingMore() {
    ServerCallHandler<String, String> handler =
        call -> {
          call.request(5);
          return new ServerCall.Listener<>() {
            @Override
            public void onMessage(String message) {
              events.add("message " + message);
              throw new IllegalStateException("handler bug");
            }

            @Override
            public void onHalfClose() {
              events.add("halfClose");
            }
          };
        };
    arrive(MethodType.BIDI_STREAMING, handler, null);
    executor.runAll();
    fake.completeRecv("one");
    executor.runAll();
    assertThat(fake.ops)
        .last()
        .isEqualTo(
            "sendStatusFromServer(headersMetadata{}, UNKNOWN Application error processing RPC)");
    fake.completeSend(true);
    fake.endRecv(false); // the client half-closes: no onHalfClose now
    fake.closeServer(false);
    executor.runAll();
    assertThat(events).containsExactly("message one");
  }

  @Test
  void anExecutorThatRejectsTheCallAnswersUnavailable() {
    executor.rejecting = true;
    arrive(MethodType.UNARY, recording(null), "x");
    assertThat(fake.ops)
        .containsExactly(
            "startServerSide",
            "sendStatusFromServer(headersMetadata{}, UNAVAILABLE Server executor rejected the call)");
    fake.completeSend(true);
    fake.closeServer(false);
  }

  @Test
  void aCallThatCannotBeWatchedIsGivenUpAtOnce() {
    fake.refuseOps = true;
    ServerCallImpl<String, String> call = arrive(MethodType.UNARY, recording(null), "x");
    assertThat(call.isCancelled()).isTrue();
    assertThat(executor.queued()).isZero();
    assertThat(fake.disposals).isEqualTo(1);
  }

  // ---- streaming

  @Test
  void requestsAreReadAsAskedAndTheHalfCloseFollowsTheLast() {
    ServerCallImpl<String, String> call =
        arrive(
            MethodType.BIDI_STREAMING,
            recording(
                c -> {
                  c.request(1);
                  return null;
                }),
            null);
    executor.runAll();
    assertThat(fake.hasPendingRecv()).isTrue();
    fake.completeRecv("a");
    assertThat(fake.hasPendingRecv()).as("no demand left").isFalse();
    executor.runAll();
    call.request(2);
    fake.completeRecv("b");
    fake.endRecv(false);
    executor.runAll();
    assertThat(events).containsExactly("start", "ready", "message a", "message b", "halfClose");
    call.close(Status.OK, null);
    fake.completeSend(true);
    fake.closeServer(false);
    executor.runAll();
    assertThat(events).last().isEqualTo("complete");
  }

  @Test
  void headersRideWithTheFirstMessageAndTheLastMessageWithTheStatus() {
    ServerCallImpl<String, String> call = arrive(MethodType.SERVER_STREAMING, recording(null), "q");
    executor.runAll();
    assertThat(events).containsExactly("start", "message q", "halfClose", "ready");
    call.context().responseHeaders().put("x-h", "1");
    call.sendMessage("r1");
    call.sendMessage("r2");
    call.sendMessage("r3");
    call.close(Status.OK, new Metadata().put("x-t", "2"));
    assertThat(fake.ops)
        .containsExactly("startServerSide", "sendMessage(r1, headersMetadata{x-h=1})");
    fake.completeSend(true);
    assertThat(fake.ops).last().isEqualTo("sendMessage(r2, hint)");
    fake.completeSend(true);
    assertThat(fake.ops)
        .last()
        .isEqualTo("sendStatusFromServer(message r3, OK, trailersMetadata{x-t=2})");
    fake.completeSend(true);
    fake.closeServer(false);
    executor.runAll();
    assertThat(events).last().isEqualTo("complete");
    assertThat(fake.disposals).isEqualTo(1);
  }

  @Test
  void headersSentAloneGoFirstAndOnlyOnce() {
    ServerCallImpl<String, String> call = arrive(MethodType.BIDI_STREAMING, recording(null), null);
    executor.runAll();
    call.sendHeaders(new Metadata().put("x-h", "now"));
    assertThatThrownBy(() -> call.sendHeaders(null)).isInstanceOf(IllegalStateException.class);
    assertThat(fake.ops).last().isEqualTo("sendInitialMetadataMetadata{x-h=now}");
    fake.completeSend(true);
    call.close(Status.OK, null);
    assertThat(fake.ops).last().isEqualTo("sendStatusFromServer(OK)");
    assertThatThrownBy(() -> call.sendMessage("late")).isInstanceOf(IllegalStateException.class);
    fake.completeSend(true);
    fake.closeServer(false);
  }

  @Test
  void aWriteThatFailsFailsWithTheCallsEnd() {
    ServerCallImpl<String, String> call = arrive(MethodType.BIDI_STREAMING, recording(null), null);
    executor.runAll();
    CompletableFuture<Void> w = call.sendMessage("a");
    CompletableFuture<Void> queued = call.sendMessage("b");
    fake.completeSend(false);
    fake.closeServer(true);
    executor.runAll();
    assertThat(w).isCompletedExceptionally();
    assertThat(queued).isCompletedExceptionally();
    try {
      w.join();
    } catch (java.util.concurrent.CompletionException e) {
      assertThat(((StatusException) e.getCause()).status().code()).isEqualTo(Status.Code.CANCELLED);
    }
    assertThat(events).endsWith("cancel");
  }

  @Test
  void peerAndContextAnswerAfterTheCallIsGone() {
    ServerCallImpl<String, String> call =
        arrive(
            MethodType.UNARY,
            ServerCalls.unary((r, c) -> CompletableFuture.completedFuture(r)),
            "x");
    assertThat(call.peer()).isEqualTo("fake:peer");
    assertThat(call.requestHeaders().get("x-req")).isEqualTo("1");
    executor.runAll();
    fake.completeSend(true);
    fake.closeServer(false);
    assertThat(call.peer()).isEqualTo("unknown");
    assertThat(call.isCancelled()).isFalse();
  }
}
