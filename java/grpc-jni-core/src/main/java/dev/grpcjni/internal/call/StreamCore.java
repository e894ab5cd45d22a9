// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The engine shared by client and server streaming calls: a send queue, demand-driven reads, a
 * serialized callback executor, and the native call's lifetime.
 *
 * <pre>
 * Overview:
 *   Send side: messages are serialized on the caller's thread into native byte buffers and queued
 *     with their futures (none for unobserved sends: onNext, headers, half-close, close, whose
 *     completion then schedules no executor task). At most one send batch is in flight (the C
 *     core allows one SEND_MESSAGE at a time); its completion means the core accepted the bytes
 *     into HTTP/2 flow control, which completes the write's future and starts the next. A small
 *     message with more queued behind it carries GRPC_WRITE_BUFFER_HINT, so the core may
 *     coalesce; at most HINTED_BYTES are held that way before an unhinted write flushes them.
 *     (A hinted write larger than the core's write buffer completes only once written, which the
 *     hint prevents: the next write would never start.)
 *   Receive side: `demand` counts messages the consumer asked for. At most one RECV_MESSAGE is
 *     in flight, and only while demand exceeds what is already buffered. Messages are delivered
 *     on `callbacks` (one at a time, in order) and parsed there.
 *   Finish: the batch that reports the call's end (client: RECV_STATUS_ON_CLIENT; server:
 *     RECV_CLOSE_ON_SERVER) sets the final status. Queued writes are then dropped and every
 *     write that did not complete fails with that status.
 *   Locking: `this` guards the queues and flags, and is held while a batch is started (the core
 *     requires starts on one call to be serialized). No user code runs under it.
 *   Lifetime (RefCounted): each batch in flight holds a reference, and the owner's is dropped by
 *     the subclass when nothing more will be started (releaseOwner). free() frees the contexts
 *     and the call.
 * </pre>
 */
abstract class StreamCore extends RefCounted implements CallTag {
  static final int OP_FINISH = 0;
  static final int OP_SEND = 1;
  static final int OP_RECV = 2;
  static final int OP_HEADERS = 3;

  /** Unsent bytes above which isReady() is false; grpc-java's default. */
  static final int READY_THRESHOLD = 32 * 1024;

  /** Bytes that may be sent with GRPC_WRITE_BUFFER_HINT before an unhinted write flushes. */
  static final int HINTED_BYTES = 16 * 1024;

  static final int WRITE_BUFFER_HINT =
      GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_WRITE_BUFFER_HINT);
  static final int WRITE_NO_COMPRESS =
      GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_WRITE_NO_COMPRESS);

  /** Kinds of queued send operation. */
  static final int MESSAGE = 0;

  static final int HALF_CLOSE = 1;
  static final int HEADERS = 2;
  static final int STATUS = 3;

  /** One queued send operation. */
  static final class Outbound {
    final int kind;
    final long byteBuffer; // MESSAGE: native buffer this queue owns until sent or dropped
    final int size;
    final CompletableFuture<Void> future; // null for internal operations
    final Object payload; // HEADERS: Metadata; STATUS: ServerStreamCall.Close
    final int writeFlags; // MESSAGE: WRITE_NO_COMPRESS or 0
    Outbound fused; // a queued operation that startSend put into the same batch

    Outbound(
        int kind,
        long byteBuffer,
        int size,
        CompletableFuture<Void> future,
        Object payload,
        int writeFlags) {
      this.kind = kind;
      this.byteBuffer = byteBuffer;
      this.size = size;
      this.future = future;
      this.payload = payload;
      this.writeFlags = writeFlags;
    }
  }

  final CompletionQueue cq;
  final SerializingExecutor callbacks;

  /**
   * Where write futures complete: the call's executor itself, not {@link #callbacks}. A listener
   * may block in a callback until a write completes (e.g. a SubmissionPublisher waiting for room);
   * if completions waited behind that callback, the call would deadlock.
   */
  private final Executor writes;

  /** False: messages enqueued from now on are sent uncompressed (setMessageCompression). */
  private volatile boolean messageCompression = true;

  volatile long call;
  volatile long sendCtx;
  volatile long recvCtx;

  // ---- guarded by this
  private final ArrayDeque<Outbound> sendQueue = new ArrayDeque<>();
  private Outbound sending;
  private long unsentBytes;
  private int hintedBytes; // sent with the hint since the last unhinted write
  private boolean sendClosed; // no more sends will start (finished or failed)
  private final List<CompletableFuture<Void>> failedWrites = new ArrayList<>();
  private long demand;
  private boolean receiving;
  private boolean inboundDone;
  private boolean inboundFailed; // ended by an error, not by end of stream
  private final ArrayDeque<byte[]> buffered = new ArrayDeque<>();
  private final ArrayDeque<Integer> bufferedCompressed = new ArrayDeque<>(); // parallel to buffered
  private Status finalStatus;

  StreamCore(CompletionQueue cq, Executor executor) {
    this.cq = cq;
    this.callbacks = new SerializingExecutor(executor);
    this.writes = executor;
  }

  // ---- hooks

  /** Starts the send batch for {@code o} (a fused batch may take more from {@code queue}). */
  abstract int startSend(Outbound o, ArrayDeque<Outbound> queue, long key, int writeFlags);

  /**
   * A received message, on the callback executor; {@code compressed} as {@link
   * #lastMessageCompressed} reports it.
   */
  abstract void onMessageBytes(byte[] message, int compressed);

  /** The receive side ended; {@code failed}: by an error rather than end of stream. Poller. */
  abstract void onInboundDone(boolean failed);

  /** The send side can take more; on the callback executor. */
  abstract void onReady();

  // ---- send side

  /**
   * Serializes {@code value}, of the {@code size} its marshaller declared, into a native byte
   * buffer the caller owns.
   */
  static <T> long serialize(Marshaller<T> marshaller, T value, int size) {
    NativeBuffer buf = NativeBuffer.acquire(size);
    try {
      NativeBuffer.serialize(marshaller, value, buf.buffer(), size);
      return GrpcJniLib.grpcjni_byte_buffer_create(buf.address(), size);
    } finally {
      buf.release();
    }
  }

  /**
   * Serializes and queues a message.
   *
   * @param observed whether the caller wants a future (sendMessage, write); without one (a
   *     StreamObserver's onNext), the message's completion schedules no task on the executor
   * @return the message's future, already failed if the call can no longer send; null if not
   *     observed
   */
  final <T> CompletableFuture<Void> enqueueMessage(
      Marshaller<T> marshaller, T value, boolean observed) {
    int size = NativeBuffer.sizeOf(marshaller, value);
    long byteBuffer = serialize(marshaller, value, size);
    return enqueue(MESSAGE, byteBuffer, size, null, observed ? new CompletableFuture<>() : null);
  }

  /** Queues headers, a half-close or a close, whose completion nobody waits for. */
  final void enqueue(int kind, Object payload) {
    enqueue(kind, 0, 0, payload, null);
  }

  /** Queues a send with its future, or none (null); fails the future if the call cannot send. */
  private CompletableFuture<Void> enqueue(
      int kind, long byteBuffer, int size, Object payload, CompletableFuture<Void> f) {
    Status failedWith = null;
    synchronized (this) {
      if (sendClosed) {
        failedWith = finalStatus;
        if (failedWith == null && f != null) {
          failedWrites.add(f);
        }
      } else {
        int writeFlags = kind == MESSAGE && !messageCompression ? WRITE_NO_COMPRESS : 0;
        sendQueue.add(new Outbound(kind, byteBuffer, size, f, payload, writeFlags));
        unsentBytes += size;
        pumpSend();
        return f;
      }
    }
    GrpcJniLib.grpcjni_byte_buffer_destroy(byteBuffer);
    if (failedWith != null && f != null) {
      f.completeExceptionally(new StatusException(failedWith));
    }
    return f;
  }

  /**
   * Whether messages sent from now on may be compressed with the call's algorithm (default true);
   * false sends them uncompressed, with the call's compression still negotiated.
   */
  public final void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  /** Starts whatever is wanted and possible on both sides; after the call's start batch. */
  final synchronized void pump() {
    pumpSend();
    pumpRecv();
  }

  /** Starts the next send batch if none is in flight. Holds this. */
  private void pumpSend() {
    if (sending != null || sendQueue.isEmpty() || sendClosed || call == 0) {
      return;
    }
    Outbound o = sendQueue.poll();
    int flags = o.writeFlags;
    if (o.kind == MESSAGE && !sendQueue.isEmpty() && hintedBytes + o.size <= HINTED_BYTES) {
      flags |= WRITE_BUFFER_HINT;
      hintedBytes += o.size;
    } else {
      hintedBytes = 0;
    }
    if (!tryRetain()) {
      dropSend(o);
      return;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      long key = cq.beginOp(this, OP_SEND);
      try {
        rc = startSend(o, sendQueue, key, flags);
      } catch (Throwable e) { // e.g. metadata that no longer encodes: end the call
        rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
        // Native code was not reached, so the buffers are still ours.
        for (Outbound x = o; x != null; x = x.fused) {
          GrpcJniLib.grpcjni_byte_buffer_destroy(x.byteBuffer);
        }
        cancelNative(Status.Code.INTERNAL, "failed to prepare a send: " + e);
      } finally {
        cq.endOp(key, rc == 0);
      }
    } catch (RejectedExecutionException e) {
      GrpcJniLib.grpcjni_byte_buffer_destroy(o.byteBuffer);
    }
    if (rc == 0) {
      sending = o;
    } else {
      if (rc > 0) {
        // The core refused the batch: end the call, or the peer would wait for it forever.
        cancelNative(
            Status.Code.INTERNAL,
            "failed to start a send batch: " + GrpcJniLib.grpcjni_call_error_to_string(rc));
      }
      // The call can no longer send (it ended, or the queue closed): fail this and what follows.
      release();
      sendClosed = true;
      for (Outbound x = o; x != null; x = x.fused) {
        if (x.future != null) {
          failedWrites.add(x.future);
        }
      }
      drainSendQueue();
    }
  }

  private void dropSend(Outbound o) {
    GrpcJniLib.grpcjni_byte_buffer_destroy(o.byteBuffer);
    if (o.future != null) {
      failedWrites.add(o.future);
    }
  }

  /** Drops every queued send; their futures fail with the final status. Holds this. */
  private void drainSendQueue() {
    Outbound o;
    while ((o = sendQueue.poll()) != null) {
      dropSend(o);
    }
    unsentBytes = 0;
  }

  private void onSendDone(boolean success) {
    Outbound done;
    boolean becameReady;
    synchronized (this) {
      done = sending;
      sending = null;
      boolean wasReady = unsentBytes < READY_THRESHOLD;
      for (Outbound x = done; x != null; x = x.fused) {
        unsentBytes -= x.size;
      }
      if (!success) {
        sendClosed = true;
        for (Outbound x = done; x != null; x = x.fused) {
          if (x.future != null) {
            failedWrites.add(x.future);
          }
        }
        drainSendQueue();
      }
      becameReady = !wasReady && isReadyLocked();
      pumpSend();
    }
    release();
    if (success && hasFuture(done)) {
      completeWrites(
          () -> {
            for (Outbound x = done; x != null; x = x.fused) {
              if (x.future != null) {
                x.future.complete(null);
              }
            }
          });
    }
    if (becameReady) {
      callbacks.execute(this::onReady);
    }
    failWritesIfFinished();
  }

  private static boolean hasFuture(Outbound sent) {
    for (Outbound x = sent; x != null; x = x.fused) {
      if (x.future != null) {
        return true;
      }
    }
    return false;
  }

  final synchronized boolean isSendReady() {
    return isReadyLocked();
  }

  private boolean isReadyLocked() {
    return !sendClosed && finalStatus == null && unsentBytes < READY_THRESHOLD;
  }

  // ---- receive side

  /**
   * Whether the message {@code call} received last arrived compressed: 1 yes, 0 no, -1 unknown (the
   * linked libgrpc does not say). Read on the poller, before the next receive is posted.
   */
  static int lastMessageCompressed(long call) {
    return GrpcJniLib.grpcjni_call_last_message_compressed(call);
  }

  /**
   * The answer for {@code ClientCall/ServerCallContext.wasLastMessageCompressed}.
   *
   * @throws IllegalStateException if no message was delivered yet
   * @throws UnsupportedOperationException if the C core does not report it
   */
  static boolean checkCompressed(int compressed) {
    if (compressed == NO_MESSAGE_YET) {
      throw new IllegalStateException("no message was delivered yet");
    }
    if (compressed < 0) {
      throw new UnsupportedOperationException(
          "the linked libgrpc does not report whether a message was compressed");
    }
    return compressed == 1;
  }

  /** Value of a call's last-delivered-message-compressed field before any delivery. */
  static final int NO_MESSAGE_YET = -2;

  /** Adds demand and delivers buffered messages / posts a read. */
  final void addDemand(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("numMessages must be positive: " + n);
    }
    synchronized (this) {
      demand = Math.min(Long.MAX_VALUE / 2, demand + n);
      deliverBufferedLocked();
      pumpRecv();
    }
  }

  private void deliverBufferedLocked() {
    while (demand > 0 && !buffered.isEmpty()) {
      byte[] m = buffered.poll();
      int c = bufferedCompressed.poll();
      demand--;
      callbacks.execute(() -> onMessageBytes(m, c));
    }
    if (buffered.isEmpty() && inboundDone) {
      afterBufferedDrained();
    }
  }

  /** Called (holding this) once the inbound stream ended and every buffered message went out. */
  void afterBufferedDrained() {}

  /** Reads even without demand (messages are buffered): used to drain a finished call. */
  private boolean draining;

  final synchronized void drainInbound() {
    draining = true;
    pumpRecv();
  }

  /** Posts a RECV_MESSAGE if wanted and none is in flight. Holds this. */
  private void pumpRecv() {
    if (receiving
        || inboundDone
        || (demand <= buffered.size() && !draining)
        || recvCtx == 0
        || call == 0) {
      return;
    }
    if (!tryRetain()) {
      endInboundWithFailure();
      return;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      long key = cq.beginOp(this, OP_RECV);
      try {
        rc = GrpcJniLib.grpcjni_call_recv_message(call, recvCtx, key);
      } finally {
        cq.endOp(key, rc == 0);
      }
    } catch (RejectedExecutionException e) {
      // queue closed: treated as a failed read below
    }
    if (rc == 0) {
      receiving = true;
    } else {
      release();
      endInboundWithFailure();
    }
  }

  /** A read could not be posted: the input ends as failed. Holds this. */
  private void endInboundWithFailure() {
    inboundDone = true;
    inboundFailed = true;
    callbacks.execute(
        () -> {
          onInboundDone(true);
          synchronized (this) {
            deliverBufferedLocked();
          }
        });
  }

  private void onRecvDone(boolean success) {
    int length = success ? GrpcJniLib.grpcjni_batch_context_recv_message_length(recvCtx) : -1;
    byte[] message = null;
    int compressed = -1;
    if (length >= 0) {
      message = new byte[length];
      GrpcJniLib.grpcjni_batch_context_copy_recv_message(recvCtx, message, length);
      compressed = lastMessageCompressed(call);
    }
    boolean failed =
        length == -2
            || (length == -1
                && (!success || GrpcJniLib.grpcjni_call_failed_before_recv_message(call) != 0));
    boolean ended = message == null;
    if (length == -2) {
      cancelNative(Status.Code.INTERNAL, "Failed to decompress a message");
    }
    synchronized (this) {
      receiving = false;
      if (ended) {
        inboundDone = true;
        inboundFailed = failed;
      } else if (demand > 0 && buffered.isEmpty()) {
        demand--;
        byte[] m = message;
        int c = compressed;
        callbacks.execute(() -> onMessageBytes(m, c));
      } else {
        buffered.add(message);
        bufferedCompressed.add(compressed);
      }
      pumpRecv();
    }
    release();
    if (ended) {
      onInboundDone(failed);
      synchronized (this) {
        deliverBufferedLocked();
      }
    }
  }

  final synchronized boolean isInboundDone() {
    return inboundDone && buffered.isEmpty();
  }

  /** True once no more messages will be read from the core (some may still be buffered). */
  final synchronized boolean inboundEnded() {
    return inboundDone;
  }

  final synchronized boolean inboundFailed() {
    return inboundFailed;
  }

  /** Drops messages not yet delivered (after a failure, they will never be). */
  final synchronized void discardBuffered() {
    buffered.clear();
    bufferedCompressed.clear();
    demand = 0;
  }

  // ---- finish

  /**
   * Records the call's final status: nothing more is sent, and every write that did not complete
   * fails with it. Call once.
   */
  final void finish(Status status) {
    synchronized (this) {
      finalStatus = status;
      sendClosed = true;
      drainSendQueue();
    }
    failWritesIfFinished();
  }

  final synchronized Status finalStatus() {
    return finalStatus;
  }

  private void failWritesIfFinished() {
    List<CompletableFuture<Void>> toFail;
    Status status;
    synchronized (this) {
      status = finalStatus;
      if (status == null || failedWrites.isEmpty()) {
        return;
      }
      toFail = new ArrayList<>(failedWrites);
      failedWrites.clear();
    }
    StatusException e =
        new StatusException(
            status.isOk()
                ? Status.INTERNAL.withDescription("message not sent: the call had already ended")
                : status);
    completeWrites(
        () -> {
          for (CompletableFuture<Void> f : toFail) {
            f.completeExceptionally(e);
          }
        });
  }

  /** Runs write-future completions on {@link #writes}, or the common pool if it refuses. */
  private void completeWrites(Runnable r) {
    try {
      writes.execute(r);
    } catch (RuntimeException e) {
      java.util.concurrent.ForkJoinPool.commonPool().execute(r);
    }
  }

  @Override
  public void complete(int op, boolean success) {
    switch (op) {
      case OP_SEND:
        onSendDone(success);
        break;
      case OP_RECV:
        onRecvDone(success);
        break;
      default:
        onOtherDone(op, success);
    }
  }

  /** OP_FINISH and OP_HEADERS, handled by the subclass on the poller. */
  abstract void onOtherDone(int op, boolean success);

  /** Cancels the native call with a local status, if it is still alive. */
  final void cancelNative(Status.Code code, String description) {
    NativeCalls.cancel(this, call, code, description);
  }

  /** Frees the batch contexts and the call; subclasses add their own. */
  @Override
  protected void free() {
    GrpcJniLib.grpcjni_batch_context_destroy(sendCtx);
    GrpcJniLib.grpcjni_batch_context_destroy(recvCtx);
    GrpcJniLib.grpcjni_call_unref(call);
  }
}
