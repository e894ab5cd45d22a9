// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.ClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;

/**
 * A server-streaming call read by iteration. The call's callbacks run on a {@link
 * ThreadlessExecutor}, on the thread that iterates, while it waits; so the buffer and the status
 * are touched by that thread only, until the call ended and the executor shut down.
 */
final class BlockingResponseStream<RespT> extends ClientCall.Listener<RespT>
    implements ResponseIterator<RespT> {
  private final ThreadlessExecutor executor;
  private final ArrayDeque<RespT> buffer = new ArrayDeque<>(2); // at most one, plus a late one
  private ClientCall<?, RespT> call;
  private Status status; // set by onClose
  private Metadata trailers;
  private boolean finished; // the executor shut down: nothing more will come

  BlockingResponseStream(ThreadlessExecutor executor) {
    this.executor = executor;
  }

  void start(ClientCall<?, RespT> call) {
    this.call = call;
  }

  @Override
  public void onMessage(RespT message) {
    buffer.add(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    this.status = status;
    this.trailers = trailers;
  }

  @Override
  public boolean hasNext() {
    if (!buffer.isEmpty()) {
      return true;
    }
    awaitMessageOrClose();
    if (!buffer.isEmpty()) {
      return true;
    }
    finish();
    if (status.isOk()) {
      return false;
    }
    throw new StatusException(status, trailers);
  }

  @Override
  public RespT next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the call ended");
    }
    RespT value = buffer.poll();
    if (status == null) {
      call.request(1); // the next one, now that this one is taken
    }
    return value;
  }

  @Override
  public void close() {
    if (finished) {
      return;
    }
    if (status == null) {
      call.cancel("the response iterator was closed", null);
    }
    boolean interrupted = false;
    while (status == null) {
      try {
        executor.waitAndDrain();
      } catch (InterruptedException e) {
        interrupted = true; // the call is cancelled already: its close is on its way
      }
    }
    buffer.clear();
    finish();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until a response or the status is in, running the call's callbacks meanwhile. */
  private void awaitMessageOrClose() {
    if (status != null) {
      return;
    }
    ClientCalls.checkMayBlock();
    boolean interrupted = false;
    try {
      while (buffer.isEmpty() && status == null) {
        try {
          executor.waitAndDrain();
        } catch (InterruptedException e) {
          interrupted = true;
          call.cancel("Thread interrupted", e); // then wait for the status that says so
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      executor.shutdown();
    }
  }
}
