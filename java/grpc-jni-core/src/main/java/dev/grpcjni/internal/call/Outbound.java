// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.internal.transport.NativeCall;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The send side of a call: what the application sends, queued and handed to the C core one batch at
 * a time.
 *
 * <pre>
 * Overview:
 *   Queue. Messages are serialized on the sending thread into native messages and queued with
 *     their futures (none for unobserved sends: a StreamObserver's onNext, headers, half-close,
 *     close), so their completion schedules no executor task. At most one send batch is in flight;
 *     its completion means the C core accepted the bytes into HTTP/2 flow control, which completes
 *     the futures and starts the next batch.
 *   Batches. A client sends messages and a half-close (its headers went with the start). A server
 *     sends headers, messages and a close. The half-close or close is the last send and is kept
 *     apart from the list of the others. What the C core allows in one batch goes together:
 *     headers not sent yet ride with the next message or the status, and a message queued right
 *     before the close rides in the status batch. A call whose method answers with one message
 *     (unary, client-streaming) holds that message until the close, so its whole reply is one
 *     batch.
 *   Coalescing. A small message with more queued behind it carries WRITE_BUFFER_HINT, so the core
 *     may coalesce; at most HINTED_BYTES go that way before an unhinted write flushes them (a
 *     hinted write larger than the core's write buffer completes only once written, so the next
 *     would never start).
 *   Flow control. isReady() while fewer than READY_THRESHOLD bytes are queued or in flight; the
 *     owner hears onReady when it turns true again.
 *   End. finish(status) is the call's end: queued sends are dropped and every write that did not
 *     complete fails with that status (an OK status: INTERNAL, the message was not sent).
 *   Locking: `this` guards the queue and flags, and is held while a batch is started (which
 *     serializes the call's send starts, as the C core requires). Futures complete and the owner
 *     is called outside it.
 * </pre>
 */
final class Outbound implements NativeCall.SendDone {
  /** Unsent bytes above which isReady() is false; grpc-java's default. */
  static final int READY_THRESHOLD = 32 * 1024;

  /** Bytes that may be sent with WRITE_BUFFER_HINT before an unhinted write flushes. */
  static final int HINTED_BYTES = 16 * 1024;

  /** What the send side reports to its call. */
  interface Owner {
    /** isReady() turned true; called on no particular thread, holding no lock. */
    void onSendReady();

    /** The headers to send with the first message or status (server), read once. */
    Metadata headersToSend();
  }

  /** A queued send: a list node. The call's last send (half-close, close) is kept apart. */
  private abstract static class Op {
    Op next;
  }

  /** A serialized message; {@code future} null when nobody waits for it. */
  private static final class Message extends Op {
    final long buffer;
    final int size;
    final int flags;
    final CompletableFuture<Void> future;

    Message(long buffer, int size, int flags, CompletableFuture<Void> future) {
      this.buffer = buffer;
      this.size = size;
      this.flags = flags;
      this.future = future;
    }
  }

  private static final class Headers extends Op {
    final Metadata headers;

    Headers(Metadata headers) {
      this.headers = headers;
    }
  }

  private final NativeCall call;
  private final Owner owner;

  /**
   * Where write futures complete: the call's executor itself, not its serialized callbacks. A
   * listener may block in a callback until a write completes (e.g. a SubmissionPublisher waiting
   * for room); if completions waited behind that callback, the call would deadlock.
   */
  private final Executor writes;

  private final boolean holdSingleResponse;

  /** False: messages queued from now on go uncompressed (setMessageCompression). */
  private volatile boolean compress = true;

  // ---- guarded by this
  private Op first; // the queue, oldest first
  private Op last;
  private boolean endQueued; // the half-close or close is queued after the list ...
  private Status closeStatus; // ... a close: with this status
  private Metadata closeTrailers; // ... and these trailers
  private Op sending; // the batch in flight: its first op ...
  private Op sendingWith; // ... and the op it took along, or null
  private boolean sendingEnd; // ... and whether it carries the end (and the held reply, if any)

  // The reply of a single-response method, held for the close without a list node: the common
  // unary reply makes no Op at all.
  private boolean held;
  private long heldBuffer;
  private int heldSize;
  private int heldFlags;
  private CompletableFuture<Void> heldFuture;
  private boolean started; // the call may send (a client's start batch began)
  private boolean headersSent;
  private long unsentBytes;
  private int hintedBytes; // sent with the hint since the last unhinted write
  private boolean closed; // no more batches: the end went, the call ended, or a send failed
  private Status finalStatus;
  private List<CompletableFuture<Void>> failedWrites; // to fail once finalStatus is known

  /**
   * @param headersSent true for a client, whose headers go with its start batch
   * @param holdSingleResponse hold a message until the close (methods answering with one message)
   */
  Outbound(
      NativeCall call,
      Owner owner,
      Executor writes,
      boolean headersSent,
      boolean holdSingleResponse) {
    this.call = call;
    this.owner = owner;
    this.writes = writes;
    this.headersSent = headersSent;
    this.holdSingleResponse = holdSingleResponse;
  }

  // ---- what the call queues

  /**
   * Serializes and queues a message.
   *
   * @param observed whether the caller wants a future; without one, the message's completion
   *     schedules no task
   * @return the message's future, already failed if the call can no longer send; null if not
   *     observed
   * @throws RuntimeException what the marshaller threw; nothing was queued then
   */
  <T> CompletableFuture<Void> sendMessage(Marshaller<T> marshaller, T value, boolean observed) {
    int size = NativeBuffer.sizeOf(marshaller, value);
    long buffer = call.serialize(marshaller, value, size);
    CompletableFuture<Void> future = observed ? new CompletableFuture<>() : null;
    int flags = compress ? 0 : NativeCall.WRITE_NO_COMPRESS;
    boolean queued;
    synchronized (this) {
      queued = !closed && !endQueued;
      if (queued) {
        unsentBytes += size;
        if (holdSingleResponse && !held && first == null && sending == null) {
          held = true; // sent with the close
          heldBuffer = buffer;
          heldSize = size;
          heldFlags = flags;
          heldFuture = future;
        } else {
          if (held) { // a second message after all: the held one goes first, as any other
            held = false;
            add(new Message(heldBuffer, heldSize, heldFlags, heldFuture));
            heldFuture = null;
          }
          add(new Message(buffer, size, flags, future));
          pumpLocked();
        }
      }
    }
    if (!queued) {
      call.discard(buffer);
      failLater(future);
    }
    return future;
  }

  /** Queues a server's headers. */
  void sendHeaders(Metadata headers) {
    synchronized (this) {
      if (!closed && !endQueued) {
        add(new Headers(headers));
        pumpLocked();
      }
    }
  }

  /** Queues a client's half-close, the last send. */
  void halfClose() {
    end(null, null);
  }

  /**
   * Queues a server's close, the last send; {@code trailers} (null for none) are the call's to
   * send, and the status details go in.
   */
  void close(Status status, Metadata trailers) {
    end(status, trailers);
  }

  private synchronized void end(Status status, Metadata trailers) {
    if (closed || endQueued) {
      return;
    }
    endQueued = true;
    closeStatus = status;
    closeTrailers = trailers;
    pumpLocked();
  }

  private void add(Op op) {
    if (last == null) {
      first = op;
    } else {
      last.next = op;
    }
    last = op;
  }

  private Op poll() {
    Op op = first;
    if (op != null) {
      first = op.next;
      if (first == null) {
        last = null;
      }
      op.next = null;
    }
    return op;
  }

  /** Whether messages queued from now on may be compressed with the call's algorithm. */
  void setMessageCompression(boolean enabled) {
    compress = enabled;
  }

  /** The call may send from now on: starts what was queued before. */
  void start() {
    synchronized (this) {
      started = true;
      pumpLocked();
    }
  }

  synchronized boolean isReady() {
    return isReadyLocked();
  }

  private boolean isReadyLocked() {
    return !closed && !endQueued && unsentBytes < READY_THRESHOLD;
  }

  // ---- batches

  /** Starts the next batch if none is in flight. Holds this. */
  private void pumpLocked() {
    if (sending != null || sendingEnd || closed || !started) {
      return;
    }
    Op head = first;
    if (head == null) {
      if (endQueued) {
        sendingEnd = true; // with the held reply, if any: headers, message and status in one
        boolean ok =
            held ? sendEnd(headersOnce(), heldBuffer, heldFlags) : sendEnd(headersOnce(), 0, 0);
        if (!ok) {
          failedToStart(null, null);
        }
      }
      return;
    }
    if (holdSingleResponse && head instanceof Message && head.next == null && !endQueued) {
      return; // the reply goes out whole, with the close
    }
    poll();
    Op with = null;
    boolean ok;
    if (head instanceof Message m) {
      if (first == null && endQueued && closeStatus != null) {
        sendingEnd = true; // the last message rides with the status
        ok = sendEnd(headersOnce(), m.buffer, m.flags);
      } else {
        ok = call.sendMessage(headersOnce(), m.buffer, m.flags | hint(m), this);
      }
    } else {
      Metadata h = ((Headers) head).headers;
      headersSent = true;
      Op next = first;
      if (next instanceof Message m && !(holdSingleResponse && next.next == null && !endQueued)) {
        with = poll();
        if (first == null && endQueued && closeStatus != null) {
          sendingEnd = true; // headers, the last message and the status
          ok = sendEnd(h, m.buffer, m.flags);
        } else {
          ok = call.sendMessage(h, m.buffer, m.flags | hint(m), this);
        }
      } else if (next == null && endQueued && closeStatus != null) {
        sendingEnd = true;
        ok = sendEnd(h, 0, 0);
      } else {
        ok = call.sendInitialMetadata(h, this);
      }
    }
    if (ok) {
      sending = head;
      sendingWith = with;
    } else {
      failedToStart(head, with);
    }
  }

  /** The half-close (client) or the close, with the headers and a last message if given. */
  private boolean sendEnd(Metadata headers, long message, int flags) {
    if (closeStatus == null) {
      return call.sendCloseFromClient(this);
    }
    return call.sendStatusFromServer(headers, message, flags, closeStatus, closeTrailers, this);
  }

  /**
   * A batch did not start: the call can no longer send (it ended, or its queue closed), so this
   * batch and what follows fail. The seam took the batch's messages. Holds this.
   */
  private void failedToStart(Op head, Op with) {
    closed = true;
    if (sendingEnd) {
      sendingEnd = false;
      dropHeldLocked(false); // the seam had it
    }
    dropLocked(head, false);
    dropLocked(with, false);
    drainLocked();
  }

  /** Gives up on the held reply; frees its message if it is still ours. Holds this. */
  private void dropHeldLocked(boolean ownBuffer) {
    if (held) {
      held = false;
      if (ownBuffer) {
        call.discard(heldBuffer);
      }
      failLaterLocked(heldFuture);
      heldFuture = null;
    }
  }

  /** The headers not sent yet, for the batch being built; null once sent. Holds this. */
  private Metadata headersOnce() {
    if (headersSent) {
      return null;
    }
    headersSent = true;
    return owner.headersToSend();
  }

  /** WRITE_BUFFER_HINT for a small message with more behind it. Holds this. */
  private int hint(Message m) {
    if ((first != null || endQueued) && hintedBytes + m.size <= HINTED_BYTES) {
      hintedBytes += m.size;
      return NativeCall.WRITE_BUFFER_HINT;
    }
    hintedBytes = 0;
    return 0;
  }

  @Override
  public void onSent(boolean success) {
    Op done;
    Op with;
    CompletableFuture<Void> reply = null;
    boolean becameReady;
    synchronized (this) {
      done = sending;
      with = sendingWith;
      sending = null;
      sendingWith = null;
      boolean wasReady = isReadyLocked();
      unsentBytes -= sizeOf(done) + sizeOf(with);
      if (sendingEnd) {
        sendingEnd = false;
        closed = true; // the last send went
        closeTrailers = null;
        if (held) {
          unsentBytes -= heldSize;
          if (success) {
            held = false;
            reply = heldFuture;
            heldFuture = null;
          } else {
            dropHeldLocked(false); // the seam had it
          }
        }
      }
      if (!success) {
        closed = true;
        dropLocked(done, false); // the seam had them
        dropLocked(with, false);
        drainLocked();
      }
      becameReady = !wasReady && isReadyLocked();
      pumpLocked();
    }
    if (success) {
      completeWrite(done);
      completeWrite(with);
      if (reply != null) {
        CompletableFuture<Void> f = reply;
        runOnWrites(() -> f.complete(null));
      }
    }
    if (becameReady) {
      owner.onSendReady();
    }
    failWritesIfFinished();
  }

  private static long sizeOf(Op op) {
    return op instanceof Message m ? m.size : 0;
  }

  private void completeWrite(Op op) {
    if (op instanceof Message m && m.future != null) {
      CompletableFuture<Void> f = m.future;
      runOnWrites(() -> f.complete(null));
    }
  }

  // ---- the end

  /**
   * The call ended with {@code status}: nothing more is sent, and every write that did not complete
   * fails with it. Idempotent; the first status counts.
   */
  void finish(Status status) {
    synchronized (this) {
      if (finalStatus == null) {
        finalStatus = status;
      }
      closed = true;
      drainLocked();
    }
    failWritesIfFinished();
  }

  /** Drops every queued op; their futures fail with the final status. Holds this. */
  private void drainLocked() {
    Op op;
    while ((op = poll()) != null) {
      dropLocked(op, true);
    }
    if (!sendingEnd) {
      dropHeldLocked(true); // not in flight: still ours
    }
    unsentBytes = 0;
  }

  /**
   * Gives up on a send: frees its message if it is still ours ({@code ownBuffer}: it never reached
   * the seam), and queues its future to fail. Holds this.
   */
  private void dropLocked(Op op, boolean ownBuffer) {
    if (op instanceof Message m) {
      if (ownBuffer) {
        call.discard(m.buffer);
      }
      failLaterLocked(m.future);
    }
  }

  private void failLater(CompletableFuture<Void> future) {
    synchronized (this) {
      failLaterLocked(future);
    }
    failWritesIfFinished();
  }

  private void failLaterLocked(CompletableFuture<Void> future) {
    if (future != null) {
      if (failedWrites == null) {
        failedWrites = new ArrayList<>(2);
      }
      failedWrites.add(future);
    }
  }

  private void failWritesIfFinished() {
    List<CompletableFuture<Void>> toFail;
    Status status;
    synchronized (this) {
      status = finalStatus;
      if (status == null || failedWrites == null || failedWrites.isEmpty()) {
        return;
      }
      toFail = failedWrites;
      failedWrites = null;
    }
    StatusException e =
        new StatusException(
            status.isOk()
                ? Status.INTERNAL.withDescription("message not sent: the call had already ended")
                : status);
    runOnWrites(
        () -> {
          for (CompletableFuture<Void> f : toFail) {
            f.completeExceptionally(e);
          }
        });
  }

  /** Runs write-future completions on {@link #writes}, or the common pool if it refuses. */
  private void runOnWrites(Runnable r) {
    try {
      writes.execute(r);
    } catch (RuntimeException e) {
      ForkJoinPool.commonPool().execute(r);
    }
  }
}
