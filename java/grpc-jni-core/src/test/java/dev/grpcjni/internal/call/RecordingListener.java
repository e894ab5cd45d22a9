// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.ClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import java.util.ArrayList;
import java.util.List;

/** A client listener that writes down what it heard, in order. */
class RecordingListener extends ClientCall.Listener<String> {
  final List<String> events = new ArrayList<>();
  Status status;
  Metadata trailers;
  RuntimeException throwOnMessage;

  @Override
  public void onHeaders(Metadata headers) {
    events.add("headers" + headers);
  }

  @Override
  public void onMessage(String message) {
    events.add("message " + message);
    if (throwOnMessage != null) {
      throw throwOnMessage;
    }
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    if (this.status != null) {
      throw new AssertionError("onClose twice: " + this.status + ", then " + status);
    }
    this.status = status;
    this.trailers = trailers;
    events.add(
        "close "
            + status.code()
            + (status.description() == null ? "" : " " + status.description()));
  }

  @Override
  public void onReady() {
    events.add("ready");
  }
}
