// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import static dev.grpcjni.internal.ffi.GrpcJniLib.GRPCJNI_NO_DEADLINE;

import dev.grpcjni.Deadline;
import dev.grpcjni.InternalAccess;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.client.ClientCall;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A client call of any kind on the streaming engine ({@link StreamCore}).
 *
 * <pre>
 * Overview:
 *   Start shapes (one native batch each, its tag is OP_FINISH and returns the final status):
 *     DUPLEX            SEND_INITIAL_METADATA + RECV_STATUS_ON_CLIENT; messages and half-close
 *                       follow as send batches, responses as RECV_MESSAGE batches.
 *     SERVER_STREAMING  also the one request and the half-close: the send side is done at start.
 *     CLIENT_STREAMING  also RECV_INITIAL_METADATA and RECV_MESSAGE: the receive side is done at
 *                       start, and the single response arrives with the status.
 *   DUPLEX and SERVER_STREAMING also post RECV_INITIAL_METADATA (OP_HEADERS) at start: the core
 *   holds messages until it is posted.
 *   Close: after the status arrives, the responses the core still holds are read (buffering what
 *   was not requested) and delivered as requested; onClose follows the last one. With an error
 *   status (and after a core-side cancel, deadline or transport failure) the core fails those
 *   reads, so only what was read before is delivered; a local cancel() discards at once.
 *   A response that fails to parse turns the close into INTERNAL.
 *   The owner's reference is dropped (outside any lock) as soon as the status is known and no
 *   more input will be read, even while onClose still waits for demand: the native call does
 *   not outlive the RPC. A cancel() before the call started is remembered and applied.
 * </pre>
 */
public final class ClientStreamCall<ReqT, RespT> extends StreamCore
    implements ClientCall<ReqT, RespT>, ChannelCore.ClientCall, UnobservedSender<ReqT> {
  /** How the call starts; see the overview. */
  public enum Shape {
    DUPLEX,
    SERVER_STREAMING,
    CLIENT_STREAMING
  }

  private final ChannelCore channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final Shape shape;
  private final Deadline deadline;
  private final int initialMetadataFlags;
  private volatile long finishCtx;
  private volatile long headersCtx;
  private volatile boolean entered;
  private Listener<RespT> listener; // set once in start, read by callbacks
  private boolean started; // guarded by this
  private boolean halfClosed; // guarded by this
  private boolean closeScheduled; // guarded by this
  private Status closedWith; // guarded by this: the status onClose was scheduled with
  private Metadata trailers; // guarded by this, set before finalStatus
  private String cancelRequested; // guarded by this: cancel() before the call existed
  private Status.Code cancelCode; // guarded by this, with cancelRequested
  private volatile Status parseFailure; // set on the callback thread
  private volatile int lastCompressed = NO_MESSAGE_YET; // of the last delivered response
  private Metadata optionHeaders; // set before start, by Channel.newCall
  private final java.util.concurrent.atomic.AtomicBoolean ownerReleased =
      new java.util.concurrent.atomic.AtomicBoolean();

  public ClientStreamCall(
      ChannelCore channel,
      MethodDescriptor<ReqT, RespT> method,
      Shape shape,
      Deadline deadline,
      int initialMetadataFlags,
      Executor executor) {
    super(channel.loop().pickQueue(), executor);
    this.channel = channel;
    this.method = method;
    this.shape = shape;
    this.deadline = deadline;
    this.initialMetadataFlags = initialMetadataFlags;
  }

  // ---- ClientCall

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    Metadata fromOptions = optionHeaders;
    if (fromOptions != null) {
      headers = headers == null ? fromOptions : new Metadata(fromOptions).merge(headers);
    }
    startWith(listener, headers, null);
  }

  /**
   * Headers {@link #start} adds to the caller's: those of the call options ({@code
   * Channel.newCall}), so that their metadata and compression apply to a low-level call too.
   */
  public void setOptionHeaders(Metadata headers) {
    this.optionHeaders = headers;
  }

  /**
   * Starts the call; for {@link Shape#SERVER_STREAMING} with its one {@code request}, which is
   * serialized here.
   */
  public void startWith(Listener<RespT> listener, Metadata headers, ReqT request) {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("call already started");
      }
      started = true;
      this.listener = listener;
    }
    if (deadline != null && deadline.isExpired()) {
      // As grpc-java: a call whose deadline already passed is not sent at all.
      failToStart(
          Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started"));
      return;
    }
    if (!channel.enterCall(this)) {
      failToStart(Status.UNAVAILABLE.withDescription("Channel is shut down"));
      return;
    }
    entered = true;
    int mdSize = headers == null || headers.isEmpty() ? 0 : InternalAccess.encodedSize(headers);
    int msgSize = 0;
    NativeBuffer buf = NativeBuffer.acquire(mdSize);
    try {
      if (shape == Shape.SERVER_STREAMING) {
        try {
          msgSize = NativeBuffer.sizeOf(method.requestMarshaller(), request);
          buf.ensureCapacity(mdSize + msgSize);
          ByteBuffer b = buf.buffer();
          b.position(mdSize);
          NativeBuffer.serialize(method.requestMarshaller(), request, b, msgSize);
        } catch (RuntimeException | Error e) {
          failToStart(
              Status.INTERNAL.withDescription("Failed to serialize request: " + e).withCause(e));
          return;
        }
      }
      if (mdSize > 0) {
        ByteBuffer b = buf.buffer();
        b.clear();
        InternalAccess.encode(headers, b);
      }
      startNative(buf.address(), mdSize, msgSize);
    } finally {
      buf.release();
    }
  }

  private void startNative(long address, int mdSize, int msgSize) {
    long deadlineNanos =
        deadline == null ? GRPCJNI_NO_DEADLINE : InternalAccess.nanosRemaining(deadline);
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    String cancelled;
    synchronized (this) {
      cancelled = cancelRequested;
    }
    if (cancelled != null) {
      Status.Code code;
      synchronized (this) {
        code = cancelCode;
      }
      failToStart(Status.fromCodeValue(code.value()).withDescription(cancelled));
      return;
    }
    synchronized (this) {
      finishCtx = GrpcJniLib.grpcjni_batch_context_create();
      if (shape != Shape.CLIENT_STREAMING) {
        recvCtx = GrpcJniLib.grpcjni_batch_context_create();
        headersCtx = GrpcJniLib.grpcjni_batch_context_create();
      }
      if (shape != Shape.SERVER_STREAMING) {
        sendCtx = GrpcJniLib.grpcjni_batch_context_create();
      }
      tryRetain(); // the FINISH batch's reference, taken before its tag can come back
      try {
        long key = cq.beginOp(this, OP_FINISH);
        try {
          call = channel.createCall(cq.handle(), method.path(), deadlineNanos);
          if (call != 0) {
            rc = startShape(address, mdSize, msgSize, key);
          }
        } finally {
          cq.endOp(key, rc == 0);
        }
      } catch (RejectedExecutionException e) {
        // environment closed: failed below
      }
      if (rc != 0) {
        release(); // nothing was posted: no event will come
      } else if (shape != Shape.CLIENT_STREAMING) {
        postHeaders();
      }
    }
    if (rc != 0) {
      failToStart(
          call == 0
              ? Status.UNAVAILABLE.withDescription("Channel is shut down")
              : Status.INTERNAL.withDescription(
                  "grpc_call_start_batch failed: " + GrpcJniLib.grpcjni_call_error_to_string(rc)));
      return;
    }
    pump(); // anything requested or queued while the call was starting
    String lateCancel;
    Status.Code lateCode;
    synchronized (this) {
      lateCancel = cancelRequested; // a cancel() that came while the call was being created
      lateCode = cancelCode;
    }
    if (lateCancel != null) {
      cancelNative(lateCode, lateCancel);
    }
    callbacks.execute(this::onReady);
    if (channel.isShutdownNow()) {
      cancel(Status.Code.UNAVAILABLE, "Channel shutdownNow invoked");
    }
  }

  private int startShape(long address, int mdSize, int msgSize, long key) {
    switch (shape) {
      case SERVER_STREAMING:
        return GrpcJniLib.grpcjni_call_start_server_streaming(
            call,
            finishCtx,
            address,
            mdSize,
            initialMetadataFlags,
            address + mdSize,
            msgSize,
            0,
            key);
      case CLIENT_STREAMING:
        return GrpcJniLib.grpcjni_call_start_client_streaming(
            call, finishCtx, address, mdSize, initialMetadataFlags, key);
      default:
        return GrpcJniLib.grpcjni_call_start_duplex_streaming(
            call, finishCtx, address, mdSize, initialMetadataFlags, key);
    }
  }

  /** Posts RECV_INITIAL_METADATA. Holds this. */
  private void postHeaders() {
    if (!tryRetain()) {
      return;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      long key = cq.beginOp(this, OP_HEADERS);
      try {
        rc = GrpcJniLib.grpcjni_call_recv_initial_metadata(call, headersCtx, key);
      } finally {
        cq.endOp(key, rc == 0);
      }
    } catch (RejectedExecutionException e) {
      // queue closed: the call ends without headers
    }
    if (rc != 0) {
      release();
    }
  }

  /** Fails a call that never started: onClose, and the native parts made so far are freed. */
  private void failToStart(Status status) {
    synchronized (this) {
      trailers = new Metadata();
    }
    finish(status);
    scheduleClose(status);
    releaseOwner();
  }

  @Override
  public void request(int numMessages) {
    if (shape == Shape.CLIENT_STREAMING) {
      return; // the single response comes with the status
    }
    addDemand(numMessages);
  }

  @Override
  public CompletableFuture<Void> sendMessage(ReqT message) {
    return send(message, true);
  }

  @Override
  public void sendUnobserved(ReqT message) {
    send(message, false);
  }

  private CompletableFuture<Void> send(ReqT message, boolean observed) {
    synchronized (this) {
      checkCanSend();
    }
    return enqueueMessage(method.requestMarshaller(), message, observed);
  }

  @Override
  public void halfClose() {
    synchronized (this) {
      checkCanSend();
      halfClosed = true;
    }
    enqueue(HALF_CLOSE, null);
  }

  private void checkCanSend() {
    if (!started) {
      throw new IllegalStateException("call not started");
    }
    if (halfClosed) {
      throw new IllegalStateException("call already half-closed");
    }
    if (shape == Shape.SERVER_STREAMING) {
      throw new IllegalStateException("a server-streaming call sends its request at start");
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    cancel(Status.Code.CANCELLED, message == null ? "Cancelled by client" : message);
  }

  @Override
  public void cancel(Status.Code code, String description) {
    synchronized (this) {
      if (call == 0 && !closeScheduled) {
        cancelRequested = description; // applied when the call starts
        cancelCode = code;
        return;
      }
    }
    cancelNative(code, description);
    // A call whose status arrived and that only waits for its responses to be requested ends
    // here, with the cancel's status.
    boolean closeNow;
    synchronized (this) {
      closeNow = finalStatus() != null && !closeScheduled;
    }
    if (closeNow) {
      discardBuffered();
      scheduleClose(Status.fromCodeValue(code.value()).withDescription(description));
      releaseOwner();
    }
  }

  @Override
  public boolean isReady() {
    return isSendReady();
  }

  // ---- events

  @Override
  int startSend(Outbound o, ArrayDeque<Outbound> queue, long key, int writeFlags) {
    if (o.kind == HALF_CLOSE) {
      return GrpcJniLib.grpcjni_call_send_close_from_client(call, sendCtx, key);
    }
    return GrpcJniLib.grpcjni_call_send_message(
        call, sendCtx, 0, 0, 0, o.byteBuffer, writeFlags, key);
  }

  @Override
  void onOtherDone(int op, boolean success) {
    try {
      if (op == OP_HEADERS) {
        onHeaders(success);
      } else {
        onFinish();
      }
    } finally {
      release(); // the batch's reference
    }
  }

  private void onHeaders(boolean success) {
    if (!success) {
      return; // the status will tell why
    }
    Metadata headers = decode(headersCtx, call).headers;
    Listener<RespT> l = listener;
    synchronized (this) {
      if (!closeScheduled) { // scheduled under the lock: never after onClose
        callbacks.execute(() -> l.onHeaders(headers));
      }
    }
  }

  private void onFinish() {
    Decoded d;
    try {
      d = decode(finishCtx, call);
    } catch (RuntimeException e) {
      d = new Decoded(Status.INTERNAL.withDescription("Failed to read the status").withCause(e));
    }
    synchronized (this) {
      trailers = d.trailers; // before the status is visible to afterBufferedDrained
    }
    finish(d.status);
    try {
      closeAfterFinish(d);
    } finally {
      releaseOwnerIfDone();
    }
  }

  private void closeAfterFinish(Decoded d) {
    Status failedParse = parseFailure;
    if (failedParse != null) {
      scheduleClose(failedParse); // a response did not parse: nothing after it counts
      return;
    }
    if (shape == Shape.CLIENT_STREAMING) {
      Listener<RespT> l = listener;
      Decoded r = d;
      synchronized (this) {
        if (r.status.isOk() && r.headers != null && !closeScheduled) {
          callbacks.execute(() -> l.onHeaders(r.headers));
        }
      }
      if (r.status.isOk() && r.message == null) {
        scheduleClose(Status.INTERNAL.withDescription("No response message received"));
        return;
      }
      if (r.status.isOk()) {
        callbacks.execute(() -> onMessageBytes(r.message, r.compressed));
      }
      scheduleClose(r.status);
    } else if (isInboundDone()) {
      scheduleClose(d.status);
    } else {
      drainInbound(); // afterBufferedDrained() closes
    }
  }

  @Override
  void afterBufferedDrained() {
    Status s = finalStatus();
    if (s != null) {
      scheduleCloseLocked(s);
    }
  }

  @Override
  void onInboundDone(boolean failed) {
    // The status (OP_FINISH) says why; afterBufferedDrained handles an orderly end.
    releaseOwnerIfDone();
  }

  private void scheduleClose(Status status) {
    synchronized (this) {
      scheduleCloseLocked(status);
    }
  }

  /** Schedules onClose once. Holds this. */
  private void scheduleCloseLocked(Status status) {
    if (closeScheduled) {
      return;
    }
    closeScheduled = true;
    closedWith = status;
    Metadata t = trailers == null ? new Metadata() : trailers;
    Listener<RespT> l = listener;
    callbacks.execute(
        () -> {
          Status failedParse = parseFailure;
          l.onClose(status.isOk() && failedParse != null ? failedParse : status, t);
        });
  }

  /** Drops the owner's reference once nothing more will be started on the native call. */
  private void releaseOwnerIfDone() {
    boolean done;
    synchronized (this) {
      Status s = finalStatus();
      done = s != null && (closeScheduled || inboundEnded() || shape == Shape.CLIENT_STREAMING);
    }
    if (done) {
      releaseOwner();
    }
  }

  private void releaseOwner() {
    if (ownerReleased.compareAndSet(false, true)) {
      close();
    }
  }

  @Override
  void onMessageBytes(byte[] message, int compressed) {
    synchronized (this) {
      if (parseFailure != null || (closedWith != null && !closedWith.isOk())) {
        return; // the call already failed: nothing more is delivered
      }
    }
    RespT value;
    try {
      value = method.responseMarshaller().parse(ByteBuffer.wrap(message));
    } catch (RuntimeException | Error e) {
      Status s = Status.INTERNAL.withDescription("Failed to parse response: " + e).withCause(e);
      parseFailure = s;
      discardBuffered();
      cancelNative(Status.Code.INTERNAL, s.description());
      if (finalStatus() != null) {
        // The status is in: the cancel cannot end the call any more, so close it here.
        scheduleClose(s);
        releaseOwner();
      }
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
  void onReady() {
    Listener<RespT> l = listener;
    if (l != null && isReady()) {
      l.onReady();
    }
  }

  @Override
  protected void free() {
    GrpcJniLib.grpcjni_batch_context_destroy(finishCtx);
    GrpcJniLib.grpcjni_batch_context_destroy(headersCtx);
    super.free();
    if (entered) {
      channel.exitCall(this);
    }
  }

  // ---- decoding

  private static final class Decoded {
    final Status status;
    Metadata headers;
    Metadata trailers;
    byte[] message;
    int compressed = -1;

    Decoded(Status status) {
      this.status = status;
    }
  }

  /** Decodes a batch result of {@code call}; read on the poller. */
  private static Decoded decode(long ctx, long call) {
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      ByteBuffer b = buf.fill(GrpcJniLib::grpcjni_batch_context_encode_client_result, ctx);
      int code = b.getInt();
      String description = NativeCalls.utf8(b);
      String debug = NativeCalls.utf8(b);
      Metadata headers = InternalAccess.decodeMetadata(b);
      Metadata trailers = InternalAccess.decodeMetadata(b);
      int messageLength = b.getInt();
      Decoded d = new Decoded(NativeCalls.status(code, description, debug, trailers));
      d.headers = headers;
      d.trailers = trailers;
      if (messageLength >= 0) {
        d.message = new byte[messageLength];
        GrpcJniLib.grpcjni_batch_context_copy_recv_message(ctx, d.message, messageLength);
        d.compressed = lastMessageCompressed(call);
      }
      return d;
    } finally {
      buf.release();
    }
  }
}
