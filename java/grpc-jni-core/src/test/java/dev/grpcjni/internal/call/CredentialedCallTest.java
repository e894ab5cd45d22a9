// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.CallCredentials;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link CredentialedCall} against a recording call: no libgrpc. */
class CredentialedCallTest {
  static final CallCredentials.RequestInfo INFO =
      new CallCredentials.RequestInfo("s/M", "host", true);

  /** Records what is done to it, in order. */
  static final class Recorder implements ClientCall<String, String> {
    final List<String> ops = new ArrayList<>();
    Listener<String> listener;

    @Override
    public synchronized void start(Listener<String> listener, Metadata headers) {
      this.listener = listener;
      ops.add("start " + headers.get("authorization") + " " + headers.get("x-app"));
    }

    @Override
    public synchronized void request(int n) {
      ops.add("request " + n);
    }

    @Override
    public synchronized CompletableFuture<Void> sendMessage(String message) {
      ops.add("send " + message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void sendUnobserved(String message) {
      ops.add("sendUnobserved " + message);
    }

    @Override
    public synchronized void halfClose() {
      ops.add("halfClose");
    }

    @Override
    public synchronized void cancel(String message, Throwable cause) {
      ops.add("cancel " + message);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public synchronized void setMessageCompression(boolean enabled) {
      ops.add("compression " + enabled);
    }

    @Override
    public boolean wasLastMessageCompressed() {
      return false;
    }
  }

  final Recorder delegate = new Recorder();
  final RecordingListener listener = new RecordingListener();

  CredentialedCall<String, String> call(CallCredentials creds, boolean permitted, Deadline d) {
    return new CredentialedCall<>(delegate, creds, INFO, permitted, Runnable::run, d);
  }

  @Test
  void whatTheCallerDidWhileWaitingIsReplayedInOrderAfterTheStart() throws Exception {
    CompletableFuture<Metadata> md = new CompletableFuture<>();
    CredentialedCall<String, String> c = call(info -> md, true, null);
    c.start(listener, new Metadata().put("x-app", "1"));
    CompletableFuture<Void> sent = c.sendMessage("a");
    c.request(2);
    c.setMessageCompression(false);
    c.halfClose();
    assertThat(c.isReady()).isFalse();
    assertThat(delegate.ops).isEmpty();
    assertThat(sent).isNotDone();

    md.complete(new Metadata().put("authorization", "Bearer t"));
    assertThat(delegate.ops)
        .containsExactly(
            "start Bearer t 1", "send a", "request 2", "compression false", "halfClose");
    assertThat(sent.get(1, TimeUnit.SECONDS)).isNull();
    assertThat(c.isReady()).isTrue();
    c.request(1); // after the start: straight through
    assertThat(delegate.ops).endsWith("request 1");
  }

  @Test
  void unobservedSendsAreReplayedAsSuchAndDroppedOnceClosed() {
    CompletableFuture<Metadata> md = new CompletableFuture<>();
    CredentialedCall<String, String> c = call(info -> md, true, null);
    assertThatThrownBy(() -> c.sendUnobserved("early")).isInstanceOf(IllegalStateException.class);
    c.start(listener, new Metadata());
    c.sendUnobserved("a"); // waiting: queued, no future
    c.sendMessage("b");
    assertThat(delegate.ops).isEmpty();
    md.complete(new Metadata());
    c.sendUnobserved("c"); // started: straight through, still without a future
    assertThat(delegate.ops)
        .containsExactly("start null null", "sendUnobserved a", "send b", "sendUnobserved c");

    CredentialedCall<String, String> failed =
        call(info -> CompletableFuture.failedFuture(new RuntimeException("no")), true, null);
    failed.start(new RecordingListener(), new Metadata());
    int before = delegate.ops.size();
    failed.sendUnobserved("late"); // closed: dropped, its close said why
    assertThat(delegate.ops).hasSize(before);
  }

  @Test
  void failingCredentialsCloseOnceAndFailQueuedSends() {
    CompletableFuture<Metadata> md = new CompletableFuture<>();
    CredentialedCall<String, String> c = call(info -> md, true, null);
    c.start(listener, null);
    CompletableFuture<Void> sent = c.sendMessage("a");
    md.completeExceptionally(Status.PERMISSION_DENIED.withDescription("no").asException());
    assertThat(listener.events).containsExactly("close PERMISSION_DENIED no");
    assertThat(sent).isCompletedExceptionally();
    assertThat(delegate.ops).isEmpty();
    // Later operations do nothing; a later send fails with the same status.
    c.request(1);
    c.halfClose();
    c.cancel("late", null);
    assertThat(c.sendMessage("b")).isCompletedExceptionally();
    assertThat(delegate.ops).isEmpty();
    assertThat(listener.events).hasSize(1);
  }

  @Test
  void aThrowingOrNullAnsweringCredentialIsUnauthenticated() {
    call(
            info -> {
              throw new IllegalStateException("boom");
            },
            true,
            null)
        .start(listener, null);
    assertThat(listener.status.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(listener.status.cause()).hasMessage("boom");

    RecordingListener second = new RecordingListener();
    call(info -> null, true, null).start(second, null);
    assertThat(second.status.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(delegate.ops).isEmpty();
  }

  @Test
  void cancelWhileWaitingEndsTheCallAndTheCredentialsAreIgnored() {
    CompletableFuture<Metadata> md = new CompletableFuture<>();
    CredentialedCall<String, String> c = call(info -> md, true, null);
    c.start(listener, null);
    c.cancel("bye", null);
    assertThat(listener.events).containsExactly("close CANCELLED bye");
    md.complete(new Metadata());
    assertThat(delegate.ops).isEmpty();
  }

  @Test
  void cancelAfterTheStartGoesToTheCall() {
    CredentialedCall<String, String> c =
        call(info -> CompletableFuture.completedFuture(new Metadata()), true, null);
    c.start(listener, null);
    c.cancel("bye", null);
    assertThat(delegate.ops).containsExactly("start null null", "cancel bye");
    assertThat(listener.events).isEmpty(); // the call under it reports its own close
  }

  @Test
  void notPermittedMeansUnauthenticatedWithoutAskingTheCredentials() {
    List<CallCredentials.RequestInfo> asked = new ArrayList<>();
    call(
            info -> {
              asked.add(info);
              return CompletableFuture.completedFuture(new Metadata());
            },
            false,
            null)
        .start(listener, null);
    assertThat(listener.status.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(asked).isEmpty();
    assertThat(delegate.ops).isEmpty();
  }

  @Test
  void theDeadlineEndsTheWait() throws Exception {
    CredentialedCall<String, String> c =
        call(info -> new CompletableFuture<>(), true, Deadline.after(Duration.ofMillis(50)));
    c.start(listener, null);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (listener.status == null && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(listener.status.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(delegate.ops).isEmpty();
  }

  @Test
  void startTwiceOrSendBeforeStartIsRefused() {
    CredentialedCall<String, String> c =
        call(info -> CompletableFuture.completedFuture(new Metadata()), true, null);
    assertThatThrownBy(() -> c.sendMessage("x")).isInstanceOf(IllegalStateException.class);
    c.start(listener, null);
    assertThatThrownBy(() -> c.start(listener, null)).isInstanceOf(IllegalStateException.class);
  }
}
