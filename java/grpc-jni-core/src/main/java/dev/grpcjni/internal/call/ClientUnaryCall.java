// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import static dev.grpcjni.internal.ffi.GrpcJniLib.GRPCJNI_NO_DEADLINE;

import dev.grpcjni.Deadline;
import dev.grpcjni.InternalAccess;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.UnaryResponse;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A client unary call: one native batch of six ops (send headers, message and half-close; receive
 * headers, message and status), one completion-queue event.
 *
 * <pre>
 * Overview:
 *   start()     serializes the request into the thread's NativeBuffer, creates the grpc_call and a
 *               batch context, registers this tag and starts the batch. Any failure before the
 *               batch started frees what was made and fails the future at once.
 *   complete()  (poller) decodes status, metadata and message out of native memory, frees the
 *               native objects and hands the result to the executor, which parses the response
 *               and completes the future. Without an executor (blocking calls) the future is
 *               completed with the raw Result on the poller, and the waiting thread parses.
 *   cancel()    grpc_call_cancel_with_status, only while the native call is retained: after
 *               complete() released it, cancel does nothing. The C core then finishes the batch
 *               with CANCELLED and complete() frees as usual.
 *   Native lifetime: this RefCounted owns `call` and `ctx`; free() releases them and uncounts
 *   the call from the channel.
 * </pre>
 */
public final class ClientUnaryCall<RespT> extends RefCounted
    implements CallTag, ChannelCore.ClientCall {
  private final ChannelCore channel;
  private final Marshaller<RespT> marshaller;
  private final Executor executor; // null: complete with the raw Result
  private final boolean withMetadata;
  private final CallFuture future = new CallFuture();
  private volatile long call;
  private volatile long ctx;
  private volatile boolean entered;

  private ClientUnaryCall(
      ChannelCore channel, Marshaller<RespT> marshaller, Executor executor, boolean withMetadata) {
    this.channel = channel;
    this.marshaller = marshaller;
    this.executor = executor;
    this.withMetadata = withMetadata;
  }

  /**
   * Starts a call. Never throws: failures to start fail the returned call's future.
   *
   * @param headers request metadata, or null
   * @param deadline or null for none
   * @param executor where the response is parsed and the future completed; null to complete the
   *     future with a {@link Result} on the poller thread, for a caller that blocks
   * @param withMetadata complete with a {@link UnaryResponse} instead of the message alone
   */
  public static <ReqT, RespT> ClientUnaryCall<RespT> start(
      ChannelCore channel,
      MethodDescriptor<ReqT, RespT> method,
      ReqT request,
      Metadata headers,
      Deadline deadline,
      int initialMetadataFlags,
      Executor executor,
      boolean withMetadata) {
    ClientUnaryCall<RespT> c =
        new ClientUnaryCall<>(channel, method.responseMarshaller(), executor, withMetadata);
    int mdSize = headers == null || headers.isEmpty() ? 0 : InternalAccess.encodedSize(headers);
    Marshaller<ReqT> m = method.requestMarshaller();
    NativeBuffer buf = NativeBuffer.acquire(mdSize);
    try {
      int msgSize;
      try {
        msgSize = NativeBuffer.sizeOf(m, request);
        buf.ensureCapacity(mdSize + msgSize);
        ByteBuffer b = buf.buffer();
        if (mdSize > 0) {
          InternalAccess.encode(headers, b);
        }
        NativeBuffer.serialize(m, request, b, msgSize);
      } catch (RuntimeException | Error e) {
        c.fail(Status.INTERNAL.withDescription("Failed to serialize request: " + e).withCause(e));
        return c;
      }
      long deadlineNanos =
          deadline == null ? GRPCJNI_NO_DEADLINE : InternalAccess.nanosRemaining(deadline);
      // Not inside the catch above: once the batch started, only its completion may free it.
      c.startNative(
          method.path(), buf.address(), mdSize, msgSize, deadlineNanos, initialMetadataFlags);
    } finally {
      buf.release();
    }
    return c;
  }

  private void startNative(
      String path, long address, int mdSize, int msgSize, long deadlineNanos, int flags) {
    if (deadlineNanos <= 0) {
      // As grpc-java: a call whose deadline already passed is not sent at all.
      fail(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started"));
      return;
    }
    if (!channel.enterCall(this)) {
      fail(Status.UNAVAILABLE.withDescription("Channel is shut down"));
      return;
    }
    entered = true;
    CompletionQueue cq = channel.loop().pickQueue();
    long key;
    try {
      key = cq.beginOp(this, 0);
    } catch (RejectedExecutionException e) {
      fail(Status.UNAVAILABLE.withDescription("Environment is closed").withCause(e));
      return;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      call = channel.createCall(cq.handle(), path, deadlineNanos);
      if (call == 0) {
        fail(Status.UNAVAILABLE.withDescription("Channel is shut down"));
        return;
      }
      ctx = GrpcJniLib.grpcjni_batch_context_create();
      rc =
          GrpcJniLib.grpcjni_call_start_unary(
              call, ctx, address, mdSize, address + mdSize, msgSize, flags, 0, key);
    } finally {
      cq.endOp(key, rc == 0);
    }
    if (rc != 0) {
      fail(
          Status.INTERNAL.withDescription(
              "grpc_call_start_batch failed: " + GrpcJniLib.grpcjni_call_error_to_string(rc)));
    } else if (channel.isShutdownNow()) {
      // shutdownNow() may have swept the channel's calls before this one had a native call.
      cancel(Status.Code.UNAVAILABLE, "Channel shutdownNow invoked");
    }
  }

  /** Fails a call whose batch never started, freeing whatever native objects it made. */
  private void fail(Status status) {
    close();
    future.completeExceptionally(new StatusException(status));
  }

  /** The future: completes with the response, a {@link UnaryResponse}, or a {@link Result}. */
  public CompletableFuture<Object> future() {
    return future;
  }

  /** Cancels the RPC with CANCELLED if it is still in flight. Safe from any thread, any time. */
  public void cancel(String description) {
    cancel(Status.Code.CANCELLED, description);
  }

  /** Ends the RPC with a local {@code code} if it is still in flight; the server sees CANCELLED. */
  @Override
  public void cancel(Status.Code code, String description) {
    NativeCalls.cancel(this, call, code, description);
  }

  @Override
  protected void free() {
    GrpcJniLib.grpcjni_batch_context_destroy(ctx);
    GrpcJniLib.grpcjni_call_unref(call);
    if (entered) {
      channel.exitCall(this);
    }
  }

  // ---- completion (poller thread)

  /** What the batch produced, before the response is parsed. */
  public static final class Result {
    final Status status;
    final Metadata headers; // null unless asked for
    final Metadata trailers; // null on success unless asked for
    final byte[] message;

    Result(Status status, Metadata headers, Metadata trailers, byte[] message) {
      this.status = status;
      this.headers = headers;
      this.trailers = trailers;
      this.message = message;
    }
  }

  @Override
  public void complete(int op, boolean success) {
    Result result;
    try {
      result = success ? decode() : new Result(batchFailed(), null, null, null);
    } catch (RuntimeException e) {
      result =
          new Result(
              Status.INTERNAL.withDescription("Failed to read the result").withCause(e),
              null,
              null,
              null);
    } finally {
      close();
    }
    if (executor == null) {
      future.complete(result);
      return;
    }
    Result r = result;
    try {
      executor.execute(() -> finish(r));
    } catch (RuntimeException e) { // rejected, or a broken executor: never lose the result
      finish(r);
    }
  }

  private static Status batchFailed() {
    // RECV_STATUS_ON_CLIENT "always succeeds"; a failed unary batch is a bug in core or here.
    return Status.INTERNAL.withDescription("unary batch failed without a status");
  }

  private Result decode() {
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      ByteBuffer b = buf.fill(GrpcJniLib::grpcjni_batch_context_encode_client_result, ctx);
      int code = b.getInt();
      String description = NativeCalls.utf8(b);
      String debug = NativeCalls.utf8(b);
      boolean ok = code == Status.Code.OK.value();
      Metadata headers = null;
      if (withMetadata) {
        headers = InternalAccess.decodeMetadata(b);
      } else {
        InternalAccess.skipMetadata(b);
      }
      Metadata trailers = null;
      if (withMetadata || !ok) {
        trailers = InternalAccess.decodeMetadata(b);
      } else {
        InternalAccess.skipMetadata(b);
      }
      int messageLength = b.getInt();
      if (ok) {
        if (messageLength < 0) {
          return new Result(
              Status.INTERNAL.withDescription("No response message received"),
              headers,
              trailers,
              null);
        }
        byte[] message = new byte[messageLength];
        GrpcJniLib.grpcjni_batch_context_copy_recv_message(ctx, message, messageLength);
        return new Result(Status.OK, headers, trailers, message);
      }
      return new Result(
          NativeCalls.status(code, description, debug, trailers), headers, trailers, null);
    } finally {
      buf.release();
    }
  }

  private void finish(Result r) {
    try {
      Object value = response(r);
      future.complete(value);
    } catch (StatusException e) {
      future.completeExceptionally(e);
    }
  }

  /**
   * The response a {@link Result} stands for: the message (or a {@link UnaryResponse}).
   *
   * @throws StatusException for a non-OK status or a response that does not parse
   */
  public Object response(Result r) {
    if (!r.status.isOk()) {
      throw new StatusException(r.status, r.trailers);
    }
    RespT message;
    try {
      message = marshaller.parse(ByteBuffer.wrap(r.message));
    } catch (RuntimeException | Error e) {
      throw new StatusException(
          Status.INTERNAL.withDescription("Failed to parse response: " + e).withCause(e),
          r.trailers);
    }
    return withMetadata ? new UnaryResponse<>(message, r.headers, r.trailers) : message;
  }

  /** A future whose {@code cancel} cancels the RPC. */
  private final class CallFuture extends CompletableFuture<Object> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      // Future first: cancelling the RPC first lets the poller complete it with CANCELLED before
      // this method does, and cancel() would wrongly report false.
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      ClientUnaryCall.this.cancel("Cancelled by client");
      return cancelled;
    }
  }
}
