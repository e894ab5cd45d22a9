// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Deadline;
import dev.grpcjni.InternalAccess;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.server.ServerCall;
import dev.grpcjni.server.ServerCallContext;
import dev.grpcjni.server.ServerCallHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server call of a streaming method on the engine ({@link StreamCore}).
 *
 * <pre>
 * Overview:
 *   start() (poller) posts RECV_CLOSE_ON_SERVER (OP_FINISH), which completes when the call is
 *   over, cancelled or not; then runs the handler's startCall on the executor. A server-streaming
 *   call's request arrived with the call and is delivered with onHalfClose right after.
 *   Sends fuse where the core allows: headers ride with the first message (or the status), and a
 *   message queued right before close() rides in the status batch.
 *   OP_FINISH ends everything: onCancel or onComplete, queued sends are dropped, and the owner's
 *   reference is released.
 * </pre>
 */
final class ServerStreamCall<ReqT, RespT> extends StreamCore
    implements ServerCall<ReqT, RespT>,
        ServerCallContext,
        RequestSlot.Arrived,
        UnobservedSender<RespT> {
  private static final Logger logger = Logger.getLogger(ServerStreamCall.class.getName());

  /** What close() queues. */
  private static final class Close {
    final Status status;
    final Metadata trailers;

    Close(Status status, Metadata trailers) {
      this.status = status;
      this.trailers = trailers;
    }
  }

  private final ServerCore server;
  private final ServerCore.Registered method;
  private final Metadata requestHeaders;
  private final Deadline deadline;
  private final byte[] payload; // the request of a server-streaming call, else null
  private final int payloadCompressed; // as StreamCore.lastMessageCompressed reports it
  private volatile int lastCompressed = NO_MESSAGE_YET; // of the last delivered request
  private final ServerCallHandler<ReqT, RespT> handler;
  private volatile long finishCtx;
  private volatile boolean cancelled;
  private boolean terminated; // onCancel/onComplete ran; callback thread only
  private boolean parseFailed; // callback thread only
  private Listener<ReqT> listener; // set by the handler's startCall, on the executor
  private Metadata responseHeaders; // created on first use
  private Metadata responseTrailers;
  private boolean headersQueued; // guarded by this
  private boolean headersSent; // guarded by this (only the send pump touches it)
  private boolean closeQueued; // guarded by this
  private boolean halfCloseDelivered; // guarded by this
  private CompletableFuture<Void> cancellation; // guarded by this

  @SuppressWarnings("unchecked")
  ServerStreamCall(
      ServerCore server,
      CompletionQueue cq,
      long call,
      ServerCore.Registered method,
      Metadata requestHeaders,
      Deadline deadline,
      byte[] payload,
      int payloadCompressed) {
    super(cq, server.executor());
    this.server = server;
    this.call = call;
    this.method = method;
    this.requestHeaders = requestHeaders;
    this.deadline = deadline;
    this.payload = payload;
    this.payloadCompressed = payloadCompressed;
    this.handler = (ServerCallHandler<ReqT, RespT>) method.definition.callHandler();
  }

  /** Called on the poller thread right after the call arrived. */
  @Override
  public void start() {
    finishCtx = GrpcJniLib.grpcjni_batch_context_create();
    sendCtx = GrpcJniLib.grpcjni_batch_context_create();
    if (payload == null) {
      recvCtx = GrpcJniLib.grpcjni_batch_context_create();
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    tryRetain(); // the FINISH batch's reference
    try {
      long key = cq.beginOp(this, OP_FINISH);
      try {
        rc = GrpcJniLib.grpcjni_call_start_serverside(call, finishCtx, key);
      } finally {
        cq.endOp(key, rc == 0);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // queue closing: treated as a failed start
    }
    if (rc != 0) {
      release();
      cancelled = true;
      finish(Status.CANCELLED);
      close();
      return;
    }
    callbacks.execute(this::startHandler);
  }

  private void startHandler() {
    try {
      listener = handler.startCall(this);
    } catch (Throwable t) {
      logger.log(Level.WARNING, "handler of " + fullMethodName() + " failed to start", t);
      close(Status.fromThrowable(t), null);
      return;
    }
    if (listener == null) {
      close(Status.INTERNAL.withDescription("Handler returned no listener"), null);
      return;
    }
    if (payload != null) {
      onMessageBytes(payload, payloadCompressed);
      if (!parseFailed) {
        deliverHalfClose();
      }
    }
    if (isReady()) {
      listener.onReady();
    }
  }

  // ---- ServerCall

  @Override
  public void request(int numMessages) {
    if (payload == null) {
      addDemand(numMessages);
    }
  }

  @Override
  public void sendHeaders(Metadata headers) {
    synchronized (this) {
      if (headersQueued || closeQueued) {
        throw new IllegalStateException(closeQueued ? "call closed" : "headers already sent");
      }
      headersQueued = true;
    }
    Metadata md = new Metadata(responseHeaders());
    if (headers != null) {
      md.merge(headers);
    }
    enqueue(HEADERS, md);
  }

  @Override
  public CompletableFuture<Void> sendMessage(RespT message) {
    return send(message, true);
  }

  @Override
  public void sendUnobserved(RespT message) {
    send(message, false);
  }

  private CompletableFuture<Void> send(RespT message, boolean observed) {
    synchronized (this) {
      if (closeQueued) {
        throw new IllegalStateException("call closed");
      }
      headersQueued = true;
    }
    return enqueueMessage(method().responseMarshaller(), message, observed);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    synchronized (this) {
      if (closeQueued) {
        return;
      }
      closeQueued = true;
    }
    Metadata t = new Metadata(responseTrailers());
    if (trailers != null) {
      t.merge(trailers);
    }
    enqueue(STATUS, new Close(status, t));
  }

  @Override
  public boolean isReady() {
    return isSendReady();
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  @SuppressWarnings("unchecked")
  public MethodDescriptor<ReqT, RespT> method() {
    return (MethodDescriptor<ReqT, RespT>) method.definition.method();
  }

  @Override
  public ServerCallContext context() {
    return this;
  }

  // ---- sends

  @Override
  int startSend(Outbound o, ArrayDeque<Outbound> queue, long key, int writeFlags) {
    switch (o.kind) {
      case HEADERS:
        {
          Outbound next = queue.peek();
          if (next != null && next.kind == MESSAGE) {
            o.fused = queue.poll(); // headers ride with the first message
            int flags = (queue.isEmpty() ? 0 : WRITE_BUFFER_HINT) | next.writeFlags;
            return sendMessageBatch(next, (Metadata) o.payload, flags, key);
          }
          headersSent = true;
          return withMetadata(
              (Metadata) o.payload,
              (a, n) -> GrpcJniLib.grpcjni_call_send_initial_metadata(call, sendCtx, a, n, key));
        }
      case MESSAGE:
        {
          Outbound next = queue.peek();
          if (next != null && next.kind == STATUS && queue.size() == 1) {
            o.fused = queue.poll(); // the last message rides with the status
            return sendStatusBatch((Close) next.payload, o.byteBuffer, o.writeFlags, key);
          }
          return sendMessageBatch(o, headersSent ? null : responseHeaders(), writeFlags, key);
        }
      default: // STATUS
        return sendStatusBatch((Close) o.payload, 0, 0, key);
    }
  }

  private int sendMessageBatch(Outbound message, Metadata headers, int writeFlags, long key) {
    if (headers == null) {
      return GrpcJniLib.grpcjni_call_send_message(
          call, sendCtx, 0, 0, 0, message.byteBuffer, writeFlags, key);
    }
    headersSent = true;
    return withMetadata(
        headers,
        (a, n) ->
            GrpcJniLib.grpcjni_call_send_message(
                call,
                sendCtx,
                GrpcJniLib.GRPCJNI_SEND_INITIAL_METADATA,
                a,
                n,
                message.byteBuffer,
                writeFlags,
                key));
  }

  private int sendStatusBatch(Close close, long byteBuffer, int writeFlags, long key) {
    Metadata headers = headersSent ? null : responseHeaders();
    headersSent = true;
    Metadata trailers = close.trailers;
    if (close.status.details() != null) {
      InternalAccess.putStatusDetails(trailers, close.status.details());
    }
    byte[] description =
        close.status.description() == null
            ? new byte[0]
            : close.status.description().getBytes(StandardCharsets.UTF_8);
    int headersSize =
        headers == null || headers.isEmpty() ? 0 : InternalAccess.encodedSize(headers);
    int trailersSize = trailers.isEmpty() ? 0 : InternalAccess.encodedSize(trailers);
    NativeBuffer buf = NativeBuffer.acquire(headersSize + trailersSize + description.length);
    try {
      ByteBuffer b = buf.buffer();
      if (headersSize > 0) {
        InternalAccess.encode(headers, b);
      }
      if (trailersSize > 0) {
        InternalAccess.encode(trailers, b);
      }
      b.put(description);
      long a = buf.address();
      return GrpcJniLib.grpcjni_call_send_status_from_server(
          call,
          sendCtx,
          headers == null ? 0 : GrpcJniLib.GRPCJNI_SEND_INITIAL_METADATA,
          a,
          headersSize,
          byteBuffer,
          writeFlags,
          close.status.code().value(),
          a + headersSize + trailersSize,
          description.length,
          a + headersSize,
          trailersSize,
          key);
    } finally {
      buf.release();
    }
  }

  /** A native start that takes encoded metadata. */
  private interface MetadataStart {
    int start(long address, int length);
  }

  private static int withMetadata(Metadata md, MetadataStart start) {
    int size = md.isEmpty() ? 0 : InternalAccess.encodedSize(md);
    NativeBuffer buf = NativeBuffer.acquire(size);
    try {
      if (size > 0) {
        InternalAccess.encode(md, buf.buffer());
      }
      return start.start(buf.address(), size);
    } finally {
      buf.release();
    }
  }

  // ---- receives and the end

  @Override
  void onMessageBytes(byte[] message, int compressed) {
    if (terminated || cancelled || parseFailed) {
      return;
    }
    ReqT value;
    try {
      value = method().requestMarshaller().parse(ByteBuffer.wrap(message));
    } catch (RuntimeException | Error e) {
      parseFailed = true;
      discardBuffered();
      close(Status.INTERNAL.withDescription("Failed to parse request: " + e).withCause(e), null);
      return;
    }
    lastCompressed = compressed;
    listener.onMessage(value);
  }

  @Override
  public boolean wasLastMessageCompressed() {
    return checkCompressed(lastCompressed);
  }

  @Override
  void onInboundDone(boolean failed) {
    // End of stream: onHalfClose after the buffered messages (afterBufferedDrained).
  }

  @Override
  void afterBufferedDrained() {
    if (!inboundFailed()) { // a stream cut off by an error is not a half-close
      callbacks.execute(this::deliverHalfClose);
    }
  }

  private void deliverHalfClose() {
    synchronized (this) {
      if (halfCloseDelivered || cancelled || terminated || parseFailed) {
        return;
      }
      halfCloseDelivered = true;
    }
    if (listener != null) {
      listener.onHalfClose();
    }
  }

  @Override
  void onReady() {
    if (listener != null && isReady()) {
      listener.onReady();
    }
  }

  @Override
  void onOtherDone(int op, boolean success) {
    boolean wasCancelled =
        !success || GrpcJniLib.grpcjni_batch_context_recv_close_on_server_cancelled(finishCtx) != 0;
    try {
      discardBuffered(); // the call is over: requests not yet delivered never will be
      CompletableFuture<Void> f;
      synchronized (this) {
        cancelled = wasCancelled;
        f = cancellation;
      }
      finish(wasCancelled ? Status.CANCELLED.withDescription("Call cancelled") : Status.OK);
      callbacks.execute(
          () -> {
            terminated = true;
            if (listener != null) {
              if (wasCancelled) {
                listener.onCancel();
              } else {
                listener.onComplete();
              }
            }
            if (wasCancelled && f != null) {
              f.complete(null);
            }
          });
    } finally {
      release(); // the FINISH batch's reference
      close(); // the owner's
    }
  }

  @Override
  protected void free() {
    GrpcJniLib.grpcjni_batch_context_destroy(finishCtx);
    super.free();
    server.release();
  }

  // ---- ServerCallContext

  @Override
  public String fullMethodName() {
    return method.definition.method().fullMethodName();
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
  public CompletableFuture<Void> whenCancelled() {
    CompletableFuture<Void> f;
    boolean now;
    synchronized (this) {
      if (cancellation == null) {
        cancellation = new CompletableFuture<>();
      }
      f = cancellation;
      now = cancelled;
    }
    if (now) {
      callbacks.execute(() -> f.complete(null));
    }
    return f;
  }

  @Override
  public String peer() {
    return NativeCalls.peer(this, call);
  }

  @Override
  public String toString() {
    return "ServerStreamCall{" + fullMethodName() + (cancelled ? ", cancelled" : "") + "}";
  }
}
