// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCall;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How the server adapters drive the call: request messages, replies, closes. */
class ServerCallsTest {
  /** A call that records what the adapter asks of it; nothing is sent anywhere. */
  private static final class RecordingCall implements ServerCall<String, String> {
    final List<Integer> requests = new ArrayList<>();
    final List<String> sent = new ArrayList<>();
    final List<Status> closes = new ArrayList<>();

    @Override
    public void request(int numMessages) {
      requests.add(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public CompletableFuture<Void> sendMessage(String message) {
      sent.add(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closes.add(status);
    }

    @Override
    public void setMessageCompression(boolean enabled) {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public MethodDescriptor<String, String> method() {
      return METHOD;
    }

    @Override
    public ServerCallContext context() {
      return null; // the unary handlers below do not look at it
    }
  }

  private static final MethodDescriptor<String, String> METHOD =
      MethodDescriptor.unary(
          "test.S/M", dev.grpcjni.codec.Marshallers.utf8(), dev.grpcjni.codec.Marshallers.utf8());

  @Test
  void unaryRepliesWithWhatTheHandlersFutureCompletesWith() {
    RecordingCall call = new RecordingCall();
    CompletableFuture<String> pending = new CompletableFuture<>();
    List<String> handled = new ArrayList<>();
    ServerCall.Listener<String> l =
        ServerCalls.<String, String>unary(
                (request, context) -> {
                  handled.add(request);
                  return pending;
                })
            .startCall(call);
    assertThat(call.requests).containsExactly(2);
    l.onMessage("hi");
    l.onHalfClose();
    assertThat(handled).containsExactly("hi");
    assertThat(call.sent).isEmpty();
    pending.complete("HI");
    assertThat(call.sent).containsExactly("HI");
    assertThat(call.closes).extracting(Status::code).containsExactly(Status.Code.OK);
    l.onComplete();
    assertThat(pending.isCancelled()).isFalse();
  }

  @Test
  void unaryRefusesASecondRequestAndAHalfCloseWithoutOne() {
    RecordingCall twice = new RecordingCall();
    ServerCall.Listener<String> l =
        ServerCalls.<String, String>unary((r, c) -> CompletableFuture.completedFuture(r))
            .startCall(twice);
    l.onMessage("a");
    l.onMessage("b");
    assertThat(twice.closes).extracting(Status::description).containsExactly("Too many requests");

    RecordingCall none = new RecordingCall();
    ServerCalls.<String, String>unary((r, c) -> CompletableFuture.completedFuture(r))
        .startCall(none)
        .onHalfClose();
    assertThat(none.closes)
        .extracting(Status::code, Status::description)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Status.Code.INTERNAL, "Half-closed without a request"));
    assertThat(none.sent).isEmpty();
  }

  @Test
  void unaryHandsANullRequestToTheHandlerAsNull() {
    RecordingCall call = new RecordingCall();
    List<String> handled = new ArrayList<>();
    ServerCall.Listener<String> l =
        ServerCalls.<String, String>unary(
                (request, context) -> {
                  handled.add(request);
                  return CompletableFuture.completedFuture("ok");
                })
            .startCall(call);
    l.onMessage(null);
    l.onHalfClose();
    assertThat(handled).containsExactly((String) null);
    assertThat(call.sent).containsExactly("ok");
  }

  @Test
  void cancellingAUnaryCallCancelsTheHandlersFutureOnly() {
    RecordingCall call = new RecordingCall();
    CompletableFuture<String> pending = new CompletableFuture<>();
    ServerCall.Listener<String> l =
        ServerCalls.<String, String>unary((request, context) -> pending).startCall(call);
    l.onMessage("x");
    l.onCancel(); // before the handler ran: nothing to cancel
    assertThat(pending.isCancelled()).isFalse();

    RecordingCall running = new RecordingCall();
    ServerCall.Listener<String> l2 =
        ServerCalls.<String, String>unary((request, context) -> pending).startCall(running);
    l2.onMessage("x");
    l2.onHalfClose();
    l2.onCancel();
    assertThat(pending.isCancelled()).isTrue();
    assertThat(running.sent).isEmpty();
  }

  @Test
  void streamingObserverReadsOneAheadThenOnePerDeliveredMessage() {
    RecordingCall call = new RecordingCall();
    List<String> delivered = new ArrayList<>();
    List<Integer> requestsSeenInOnNext = new ArrayList<>();
    ServerCall.Listener<String> listener =
        ServerCalls.<String, String>asyncStreaming(
                responses ->
                    new StreamObserver<>() {
                      @Override
                      public void onNext(String value) {
                        delivered.add(value);
                        requestsSeenInOnNext.add(call.requests.size());
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    })
            .startCall(call);

    // The first message and one read ahead, before anything is delivered.
    assertThat(call.requests).containsExactly(2);
    listener.onMessage("a");
    listener.onMessage("b");
    assertThat(delivered).containsExactly("a", "b");
    // One more per message, asked only after onNext returned.
    assertThat(requestsSeenInOnNext).containsExactly(1, 2);
    assertThat(call.requests).containsExactly(2, 1, 1);
  }
}
