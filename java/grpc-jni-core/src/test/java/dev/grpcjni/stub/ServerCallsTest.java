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

/** How the observer-style server adapters ask the call for request messages. */
class ServerCallsTest {
  /** A call that records what the adapter asks of it; nothing is sent anywhere. */
  private static final class RecordingCall implements ServerCall<String, String> {
    final List<Integer> requests = new ArrayList<>();

    @Override
    public void request(int numMessages) {
      requests.add(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public CompletableFuture<Void> sendMessage(String message) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close(Status status, Metadata trailers) {}

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
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerCallContext context() {
      throw new UnsupportedOperationException();
    }
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
