// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Deadline;
import dev.grpcjni.InternalAccess;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.server.ServerCallContext;
import dev.grpcjni.server.ServiceDefinition.MethodDefinition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server call being served: a unary call to a registered method, or a call to an unknown method
 * that is answered UNIMPLEMENTED.
 *
 * <pre>
 * Overview:
 *   start() (poller): posts RECV_CLOSE_ON_SERVER, whose completion says the call is over and
 *     whether it was cancelled; then hands the handler to the server's executor.
 *   The handler's future completes -> reply(): one batch of response headers, message, status
 *     and trailers. `replied` makes sure only one reply is ever attempted.
 *   Native lifetime (RefCounted): the owner reference is dropped when RECV_CLOSE_ON_SERVER
 *     completes; a reply in flight holds its own. A reply attempted after the call is over finds
 *     it closed and is dropped instead of touching a freed grpc_call.
 *   free(): frees both batch contexts, unrefs the call, releases the server.
 * </pre>
 */
final class UnaryServerCall extends RefCounted
    implements CallTag, ServerCallContext, RequestSlot.Arrived, Runnable {
  private static final Logger logger = Logger.getLogger(UnaryServerCall.class.getName());
  private static final int OP_CLOSE = 0;
  private static final int OP_REPLY = 1;

  private final ServerCore server;
  private final CompletionQueue cq;
  private final long call;
  private final ServerCore.Registered method; // null: unknown method
  private final String path;
  private final Metadata requestHeaders;
  private final Deadline deadline;
  private final byte[] payload;
  private final int payloadLength; // -1: none arrived; -2: could not be decompressed
  private final int payloadCompressed; // as StreamCore.lastMessageCompressed reports it
  private final AtomicBoolean replied = new AtomicBoolean();
  private volatile long closeCtx;
  private volatile long replyCtx;
  private volatile boolean cancelled;
  private Metadata responseHeaders; // guarded by this; created on first use
  private Metadata responseTrailers; // guarded by this
  private CompletableFuture<Void> cancellation; // guarded by this

  UnaryServerCall(
      ServerCore server,
      CompletionQueue cq,
      long call,
      ServerCore.Registered method,
      String path,
      Metadata requestHeaders,
      Deadline deadline,
      byte[] payload,
      int payloadLength,
      int payloadCompressed) {
    this.server = server;
    this.cq = cq;
    this.call = call;
    this.method = method;
    this.path = path;
    this.requestHeaders = requestHeaders;
    this.deadline = deadline;
    this.payload = payload;
    this.payloadLength = payloadLength;
    this.payloadCompressed = payloadCompressed;
  }

  /** Called on the poller thread right after the call arrived. */
  @Override
  public void start() {
    closeCtx = GrpcJniLib.grpcjni_batch_context_create();
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      long key = cq.beginOp(this, OP_CLOSE);
      try {
        rc = GrpcJniLib.grpcjni_call_start_serverside(call, closeCtx, key);
      } finally {
        cq.endOp(key, rc == 0);
      }
    } catch (RejectedExecutionException e) {
      // queue closing: treated like a failed start below
    }
    if (rc != 0) {
      logger.warning("cannot watch call " + path + " for cancellation: error " + rc);
      onClosed(true);
      return;
    }
    if (method == null) {
      reply(
          null,
          Status.UNIMPLEMENTED.withDescription("Method not found: " + fullMethodName()),
          null);
    } else if (payloadLength == -1) {
      reply(null, Status.INTERNAL.withDescription("Half-closed without a request"), null);
    } else if (payloadLength < 0) {
      reply(null, Status.INTERNAL.withDescription("Failed to decompress the request"), null);
    } else {
      try {
        server.executor().execute(this);
      } catch (RuntimeException e) { // rejected, or a broken executor
        reply(null, Status.UNAVAILABLE.withDescription("Server executor rejected the call"), null);
      }
    }
  }

  /** Parses the request and invokes the handler; on the server's executor. */
  @Override
  public void run() {
    invokeHandler();
  }

  @SuppressWarnings("unchecked")
  private void invokeHandler() {
    MethodDefinition<Object, Object> def = (MethodDefinition<Object, Object>) method.definition;
    Object request;
    try {
      request = def.method().requestMarshaller().parse(ByteBuffer.wrap(payload));
    } catch (RuntimeException | Error e) {
      reply(
          null,
          Status.INTERNAL.withDescription("Failed to parse request: " + e).withCause(e),
          null);
      return;
    }
    CompletableFuture<Object> response;
    try {
      response = def.unaryHandler().invoke(request, this);
    } catch (Throwable t) {
      replyError(t);
      return;
    }
    if (response == null) {
      reply(null, Status.INTERNAL.withDescription("Handler returned no future"), null);
      return;
    }
    if (response.isDone() && !response.isCompletedExceptionally()) {
      replyWith(response.join(), null); // a synchronous handler: no continuation to allocate
    } else {
      response.whenComplete(this::replyWith);
    }
  }

  private void replyWith(Object value, Throwable error) {
    if (error != null) {
      replyError(error);
    } else if (value == null) {
      reply(null, Status.INTERNAL.withDescription("Handler completed with null"), null);
    } else {
      reply(value, Status.OK, null);
    }
  }

  private void replyError(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof StatusException) {
      StatusException se = (StatusException) e;
      reply(null, se.status(), se.trailers());
    } else if (e instanceof CancellationException) {
      reply(null, Status.CANCELLED.withDescription("Handler cancelled its response"), null);
    } else {
      logger.log(Level.WARNING, "handler of " + fullMethodName() + " failed", e);
      reply(null, Status.UNKNOWN.withDescription("Application error processing RPC"), null);
    }
  }

  /**
   * Sends the one reply of this call: headers, the message if {@code response} is not null, status
   * and trailers, in one batch. Later attempts, and attempts after the call is over, do nothing.
   *
   * <p>Buffer layout: [message][headers][trailers][description], so that a message that fails to
   * serialize only means rewriting the tail.
   */
  @SuppressWarnings("unchecked")
  private void reply(Object response, Status status, Metadata extraTrailers) {
    if (!replied.compareAndSet(false, true) || !tryRetain()) {
      return;
    }
    boolean started = false;
    NativeBuffer buf = null;
    try {
      Metadata headers;
      Metadata trailers;
      synchronized (this) { // the handler may have created them on another thread
        headers = responseHeaders;
        trailers = responseTrailers;
      }
      if (extraTrailers != null && !extraTrailers.isEmpty()) {
        trailers = trailers == null ? new Metadata(extraTrailers) : trailers.merge(extraTrailers);
      }
      if (status.details() != null) {
        trailers = trailers == null ? new Metadata() : trailers;
        InternalAccess.putStatusDetails(trailers, status.details());
      }
      Marshaller<Object> marshaller =
          (Marshaller<Object>)
              (response == null ? null : method.definition.method().responseMarshaller());
      int messageSize = -1;
      if (marshaller != null) {
        try {
          messageSize = NativeBuffer.sizeOf(marshaller, response);
        } catch (RuntimeException | Error e) {
          status = serializeFailed(e);
        }
      }
      byte[] description = utf8(status.description());
      int headersSize = encodedSize(headers);
      int trailersSize = encodedSize(trailers);
      int tailSize = headersSize + trailersSize + description.length;
      buf = NativeBuffer.acquire(Math.max(messageSize, 0) + tailSize);
      ByteBuffer b = buf.buffer();
      if (messageSize >= 0) {
        try {
          NativeBuffer.serialize(marshaller, response, b, messageSize);
        } catch (RuntimeException | Error e) {
          status = serializeFailed(e);
          messageSize = -1;
          description = utf8(status.description());
          buf.ensureCapacity(headersSize + trailersSize + description.length);
          b = buf.buffer();
        }
      }
      int headersAt = Math.max(messageSize, 0);
      b.limit(b.capacity()).position(headersAt);
      if (headersSize > 0) {
        InternalAccess.encode(headers, b);
      }
      if (trailersSize > 0) {
        InternalAccess.encode(trailers, b);
      }
      b.put(description);
      long a = buf.address();
      replyCtx = GrpcJniLib.grpcjni_batch_context_create();
      long key = cq.beginOp(this, OP_REPLY);
      int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
      try {
        // Made once admitted: from here the shim owns it, whether or not the batch starts.
        long message = messageSize < 0 ? 0 : GrpcJniLib.grpcjni_byte_buffer_create(a, messageSize);
        rc =
            GrpcJniLib.grpcjni_call_send_status_from_server(
                call,
                replyCtx,
                GrpcJniLib.GRPCJNI_SEND_INITIAL_METADATA,
                a + headersAt,
                headersSize,
                message,
                0,
                status.code().value(),
                a + headersAt + headersSize + trailersSize,
                description.length,
                a + headersAt + headersSize,
                trailersSize,
                key);
      } finally {
        cq.endOp(key, rc == 0);
      }
      started = rc == 0;
      if (!started) {
        logger.warning(
            "sending the status of "
                + fullMethodName()
                + " failed: "
                + GrpcJniLib.grpcjni_call_error_to_string(rc));
      }
    } catch (RejectedExecutionException e) {
      // The queue is closed, so the environment is closing and cancels this call with it.
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "sending the status of " + fullMethodName() + " failed", e);
    } finally {
      if (buf != null) {
        buf.release();
      }
      if (!started) {
        // No status will be sent: end the call, or the client waits and the server never drains.
        GrpcJniLib.grpcjni_call_cancel_with_status(
            call, Status.Code.INTERNAL.value(), "Server failed to send the response");
        release();
      }
    }
  }

  private static int encodedSize(Metadata md) {
    return md == null || md.isEmpty() ? 0 : InternalAccess.encodedSize(md);
  }

  private static final byte[] NO_BYTES = new byte[0];

  private static byte[] utf8(String s) {
    return s == null ? NO_BYTES : s.getBytes(StandardCharsets.UTF_8);
  }

  private Status serializeFailed(Throwable e) {
    logger.log(Level.WARNING, "serializing the response of " + fullMethodName() + " failed", e);
    return Status.INTERNAL.withDescription("Failed to serialize response");
  }

  @Override
  public void complete(int op, boolean success) {
    if (op == OP_CLOSE) {
      onClosed(
          !success
              || GrpcJniLib.grpcjni_batch_context_recv_close_on_server_cancelled(closeCtx) != 0);
    } else {
      release(); // the reply's reference
    }
  }

  private void onClosed(boolean wasCancelled) {
    try {
      if (wasCancelled) {
        cancelled = true;
        CompletableFuture<Void> f;
        synchronized (this) {
          f = cancellation;
        }
        if (f != null) {
          completeOnExecutor(f);
        }
      }
    } finally {
      close();
    }
  }

  private void completeOnExecutor(CompletableFuture<Void> f) {
    try {
      server.executor().execute(() -> f.complete(null));
    } catch (RuntimeException e) { // rejected, or a broken executor
      f.complete(null);
    }
  }

  @Override
  protected void free() {
    GrpcJniLib.grpcjni_batch_context_destroy(closeCtx);
    GrpcJniLib.grpcjni_batch_context_destroy(replyCtx);
    GrpcJniLib.grpcjni_call_unref(call);
    server.release();
  }

  // ---- ServerCallContext

  @Override
  public String fullMethodName() {
    // The core checks only that :path is present: a peer may send "" or a path without the '/'.
    return path.startsWith("/") ? path.substring(1) : path;
  }

  @Override
  public Metadata requestHeaders() {
    return requestHeaders;
  }

  @Override
  public Deadline deadline() {
    return deadline;
  }

  @Override
  public synchronized Metadata responseHeaders() {
    if (responseHeaders == null) {
      responseHeaders = new Metadata();
    }
    return responseHeaders;
  }

  @Override
  public synchronized Metadata responseTrailers() {
    if (responseTrailers == null) {
      responseTrailers = new Metadata();
    }
    return responseTrailers;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public CompletableFuture<Void> whenCancelled() {
    CompletableFuture<Void> f;
    synchronized (this) {
      if (cancellation == null) {
        cancellation = new CompletableFuture<>();
      }
      f = cancellation;
    }
    if (cancelled) {
      completeOnExecutor(f);
    }
    return f;
  }

  @Override
  public String peer() {
    return NativeCalls.peer(this, call);
  }

  @Override
  public boolean wasLastMessageCompressed() {
    return StreamCore.checkCompressed(payloadCompressed);
  }

  @Override
  public String toString() {
    return "UnaryServerCall{" + path + (cancelled ? ", cancelled" : "") + "}";
  }
}
