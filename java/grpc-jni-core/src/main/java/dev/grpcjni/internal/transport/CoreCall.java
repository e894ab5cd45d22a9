// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import static dev.grpcjni.internal.ffi.GrpcJniLib.GRPCJNI_NO_DEADLINE;

import dev.grpcjni.AuthContext;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.RefCounted;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.wire.MetadataCodec;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@code grpc_call} of the C core behind {@link NativeCall}.
 *
 * <pre>
 * Overview:
 *   Kinds. One operation of each kind may be in flight; the kind is the tag's op number and picks
 *     the completion to call: FINISH (a client's start shape, or a server's RECV_CLOSE_ON_SERVER),
 *     SEND, RECV (RECV_MESSAGE) and HEADERS (RECV_INITIAL_METADATA). The native call (a
 *     grpcjni_call) keeps a batch context per kind, made by the shim on first use: one handle,
 *     and no JNI crossing to make or free contexts.
 *   The bracket. Every start is begin() -> shim start -> end(): begin takes a reference (refused
 *     once disposed) and registers the tag with the queue (refused once it shuts down); end
 *     unregisters it if the start failed (no event will come), cancels the call if the C core
 *     refused the batch, and drops the reference. A completion drops the reference its start
 *     took, after its callback returned.
 *   Decoding. Completions copy what they report (status, metadata, message) out of native memory
 *     on the poller thread, before anything can free it.
 *   Client calls make their grpc_call when they start (on the channel, with the parent's native
 *     call for propagation when it is still alive) and are counted by the channel from then until
 *     freed, so that shutdownNow() can cancel them. Server calls get theirs from the request slot
 *     and hold a reference on the server.
 *   free() (last reference): the native call with its batch contexts, the channel's count or the
 *     server's reference.
 * </pre>
 *
 * <p>Keep in sync with native/src/grpcjni_call.c.
 */
public final class CoreCall extends RefCounted implements NativeCall, CallTag {
  // The kinds of operation, which are also the tags' op numbers (at most TagRegistry.MAX_OP).
  private static final int FINISH = GrpcJniLib.GRPCJNI_OP_FINISH;
  private static final int SEND = GrpcJniLib.GRPCJNI_OP_SEND;
  private static final int RECV = GrpcJniLib.GRPCJNI_OP_RECV;
  private static final int HEADERS = GrpcJniLib.GRPCJNI_OP_HEADERS;

  private static final int CORE_WRITE_BUFFER_HINT =
      GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_WRITE_BUFFER_HINT);
  private static final int CORE_WRITE_NO_COMPRESS =
      GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_WRITE_NO_COMPRESS);
  private static final int CORE_WAIT_FOR_READY =
      GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_INITIAL_METADATA_WAIT_FOR_READY);

  /** What a client's start shape receives with its status. */
  private enum Shape {
    UNARY,
    SERVER_STREAMING,
    CLIENT_STREAMING,
    DUPLEX
  }

  private final CompletionQueue cq;
  private final NativeChannel channel; // client calls, else null
  private final String path; // client calls
  private final NativeServer server; // server calls, else null
  private volatile long call;
  private volatile boolean entered; // counted by the channel (enterCall), uncounted by free()
  private Shape shape; // the client start shape, set before its batch starts
  private boolean withHeaders; // its completion decodes the response headers
  // Why the shim refused what a streamed client call received (its headers: above the channel's
  // metadata bound, or malformed; a message: undecodable, or too large decompressed): the call
  // ends with it, whatever status the server sent after them.
  private volatile Status refused;
  // A client's server as its status batch named it, "unknown" if none answered; null before:
  // what peer() answers from then on, with the native call there or not.
  private volatile String servedBy;

  // The completion of the operation of each kind in flight; set in begin(), taken in complete().
  private Object finishDone;
  private SendDone sendDone;
  private MessageDone recvDone;
  private HeadersDone headersDone;

  private CoreCall(
      CompletionQueue cq, NativeChannel channel, String path, NativeServer server, long call) {
    this.cq = cq;
    this.channel = channel;
    this.path = path;
    this.server = server;
    this.call = call;
  }

  /** A client call to {@code path}, not yet made: its start shape makes it. */
  static CoreCall forClient(NativeChannel channel, CompletionQueue cq, String path) {
    return new CoreCall(cq, channel, path, null, 0);
  }

  /**
   * A server call that arrived on {@code cq}; it owns {@code call} and a reference on {@code
   * server} that the caller took.
   */
  static CoreCall forServer(NativeServer server, CompletionQueue cq, long call) {
    return new CoreCall(cq, null, null, server, call);
  }

  // ---- messages

  @Override
  public <T> long serialize(Marshaller<T> marshaller, T value, int size) {
    return newMessage(marshaller, value, size);
  }

  /**
   * Serializes {@code value} into this thread's native buffer and copies it into a new {@code
   * grpc_byte_buffer} the caller owns (grpcjni_byte_buffer_destroy, or a send takes it).
   */
  public static <T> long newMessage(Marshaller<T> marshaller, T value, int size) {
    NativeBuffer buf = NativeBuffer.acquire(size);
    try {
      NativeBuffer.serialize(marshaller, value, buf.buffer(), size);
      return GrpcJniLib.grpcjni_byte_buffer_create(buf.address(), size);
    } finally {
      buf.release();
    }
  }

  @Override
  public void discard(long message) {
    GrpcJniLib.grpcjni_byte_buffer_destroy(message);
  }

  /** Messages above this are parsed from a heap copy, not the thread's native buffer. */
  private static final int PARSE_IN_PLACE_MAX = NativeBuffer.RETAINED_CAPACITY;

  @Override
  public <T> T parseReceived(Marshaller<T> marshaller, int length) {
    if (!tryRetain()) {
      return null; // disposed and freed meanwhile: nothing left to read
    }
    try {
      long c = call;
      if (length > PARSE_IN_PLACE_MAX) {
        byte[] heap = new byte[length];
        int n =
            server != null
                ? GrpcJniLib.grpcjni_call_copy_payload(c, heap, length)
                : GrpcJniLib.grpcjni_call_copy_recv_message(c, FINISH, heap, length);
        checkCopied(n, length);
        return marshaller.parse(heap, 0, heap.length);
      }
      NativeBuffer buf = NativeBuffer.acquire(length);
      try {
        int n =
            server != null
                ? GrpcJniLib.grpcjni_call_copy_payload(c, buf.address(), length)
                : GrpcJniLib.grpcjni_call_copy_recv_message(c, FINISH, buf.address(), length);
        checkCopied(n, length);
        ByteBuffer b = buf.buffer();
        b.limit(length);
        return marshaller.parse(b);
      } finally {
        buf.release();
      }
    } finally {
      release();
    }
  }

  private static void checkCopied(int copied, int length) {
    if (copied != length) {
      throw new IllegalStateException("received message changed: " + copied + " of " + length);
    }
  }

  // ---- client start shapes

  @Override
  public <T> Status startUnary(
      Metadata headers,
      Marshaller<T> marshaller,
      T request,
      Deadline deadline,
      NativeCall parent,
      int flags,
      boolean withHeaders,
      ClientDone done) {
    this.withHeaders = withHeaders;
    return startWithRequest(
        Shape.UNARY, headers, marshaller, request, deadline, parent, flags, done);
  }

  @Override
  public <T> Status startServerStreaming(
      Metadata headers,
      Marshaller<T> marshaller,
      T request,
      Deadline deadline,
      NativeCall parent,
      int flags,
      ClientDone done) {
    return startWithRequest(
        Shape.SERVER_STREAMING, headers, marshaller, request, deadline, parent, flags, done);
  }

  /** How a client call whose request headers no send can carry fails: RESOURCE_EXHAUSTED. */
  private static Status unsendable(MetadataCodec.TooManyEntriesException e) {
    return Status.RESOURCE_EXHAUSTED.withDescription("request headers: " + e.getMessage());
  }

  /** Cancels the call after a send could not be prepared; too much metadata is the caller's. */
  private void sendNotPrepared(RuntimeException e) {
    if (e instanceof MetadataCodec.TooManyEntriesException) {
      cancel(Status.Code.RESOURCE_EXHAUSTED, e.getMessage());
    } else {
      cancel(Status.Code.INTERNAL, "failed to prepare a send: " + e);
    }
  }

  /** Encodes headers and request into this thread's buffer ([headers][request]) and starts. */
  private <T> Status startWithRequest(
      Shape shape,
      Metadata headers,
      Marshaller<T> marshaller,
      T request,
      Deadline deadline,
      NativeCall parent,
      int flags,
      ClientDone done) {
    int mdSize;
    try {
      mdSize = MetadataCodec.encodedSize(headers);
    } catch (MetadataCodec.TooManyEntriesException e) {
      return unsendable(e);
    }
    NativeBuffer buf = NativeBuffer.acquire(mdSize);
    try {
      int msgSize;
      try {
        msgSize = NativeBuffer.sizeOf(marshaller, request);
        buf.ensureCapacity(mdSize + msgSize);
        ByteBuffer b = buf.buffer();
        MetadataCodec.encode(headers, b);
        NativeBuffer.serialize(marshaller, request, b, msgSize);
      } catch (RuntimeException | Error e) {
        return Status.INTERNAL.withDescription("Failed to serialize request: " + e).withCause(e);
      }
      return startClient(shape, buf.address(), mdSize, msgSize, deadline, parent, flags, done);
    } finally {
      buf.release();
    }
  }

  @Override
  public Status startClientStreaming(
      Metadata headers,
      Deadline deadline,
      NativeCall parent,
      int flags,
      boolean withHeaders,
      ClientDone done) {
    this.withHeaders = withHeaders;
    return startWithHeaders(Shape.CLIENT_STREAMING, headers, deadline, parent, flags, done);
  }

  @Override
  public Status startDuplex(
      Metadata headers, Deadline deadline, NativeCall parent, int flags, ClientDone done) {
    return startWithHeaders(Shape.DUPLEX, headers, deadline, parent, flags, done);
  }

  private Status startWithHeaders(
      Shape shape,
      Metadata headers,
      Deadline deadline,
      NativeCall parent,
      int flags,
      ClientDone done) {
    int mdSize;
    try {
      mdSize = MetadataCodec.encodedSize(headers);
    } catch (MetadataCodec.TooManyEntriesException e) {
      return unsendable(e);
    }
    NativeBuffer buf = NativeBuffer.acquire(mdSize);
    try {
      MetadataCodec.encode(headers, buf.buffer());
      return startClient(shape, buf.address(), mdSize, 0, deadline, parent, flags, done);
    } finally {
      buf.release();
    }
  }

  /**
   * Makes the native call and starts its shape; {@code address} holds the encoded headers, then the
   * request for the shapes that send one.
   */
  private Status startClient(
      Shape shape,
      long address,
      int mdSize,
      int msgSize,
      Deadline deadline,
      NativeCall parent,
      int flags,
      ClientDone done) {
    if (channel == null || this.shape != null) {
      throw new IllegalStateException("not a client call, or already started");
    }
    this.shape = shape;
    long deadlineNanos =
        deadline == null ? GRPCJNI_NO_DEADLINE : ApiAccess.get().nanosRemaining(deadline);
    if (deadlineNanos <= 0) {
      return Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started");
    }
    if (!channel.enterCall(this)) {
      return Status.UNAVAILABLE.withDescription("Channel is shut down");
    }
    entered = true;
    long key = begin(FINISH, done);
    if (key == 0) {
      return Status.UNAVAILABLE.withDescription("Environment is closed");
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    Status failed = null;
    try {
      call = createCall(parent, deadlineNanos);
      if (call == 0) {
        failed = Status.UNAVAILABLE.withDescription("Channel is shut down");
      } else {
        int coreFlags = (flags & WAIT_FOR_READY) != 0 ? CORE_WAIT_FOR_READY : 0;
        rc = startShape(shape, address, mdSize, msgSize, coreFlags, key);
        if (rc != 0) {
          failed =
              Status.INTERNAL.withDescription(
                  "grpc_call_start_batch failed: " + GrpcJniLib.grpcjni_call_error_to_string(rc));
        }
      }
    } finally {
      end(FINISH, key, rc, null);
    }
    if (failed == null && channel.isShutdownNow()) {
      // shutdownNow() may have swept the channel's calls before this one had a native call.
      cancel(Status.Code.UNAVAILABLE, "Channel shutdownNow invoked");
    }
    return failed;
  }

  /** The native call, inheriting from {@code parent}'s if it is still alive. */
  private long createCall(NativeCall parent, long deadlineNanos) {
    CoreCall p = parent instanceof CoreCall ? (CoreCall) parent : null;
    if (p == null || !p.tryRetain()) {
      return channel.createCall(cq.handle(), path, 0, deadlineNanos);
    }
    try {
      return channel.createCall(cq.handle(), path, p.call, deadlineNanos);
    } finally {
      p.release();
    }
  }

  private int startShape(Shape shape, long address, int mdSize, int msgSize, int flags, long key) {
    switch (shape) {
      case UNARY:
        return GrpcJniLib.grpcjni_call_start_unary(
            call, address, mdSize, address + mdSize, msgSize, flags, 0, key);
      case SERVER_STREAMING:
        return GrpcJniLib.grpcjni_call_start_server_streaming(
            call, address, mdSize, flags, address + mdSize, msgSize, 0, key);
      case CLIENT_STREAMING:
        return GrpcJniLib.grpcjni_call_start_client_streaming(call, address, mdSize, flags, key);
      default:
        return GrpcJniLib.grpcjni_call_start_duplex_streaming(call, address, mdSize, flags, key);
    }
  }

  // ---- operations after the start

  @Override
  public boolean recvInitialMetadata(HeadersDone done) {
    long key = begin(HEADERS, done);
    if (key == 0) {
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      rc = GrpcJniLib.grpcjni_call_recv_initial_metadata(call, key);
    } finally {
      end(HEADERS, key, rc, "RECV_INITIAL_METADATA");
    }
    return rc == 0;
  }

  @Override
  public boolean recvMessage(MessageDone done) {
    long key = begin(RECV, done);
    if (key == 0) {
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      rc = GrpcJniLib.grpcjni_call_recv_message(call, key);
    } finally {
      end(RECV, key, rc, "RECV_MESSAGE");
    }
    return rc == 0;
  }

  @Override
  public boolean sendMessage(Metadata headers, long message, int writeFlags, SendDone done) {
    long key = begin(SEND, done);
    if (key == 0) {
      discard(message);
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    NativeBuffer buf = null;
    try {
      int flags = coreWriteFlags(writeFlags);
      if (headers == null) {
        rc = GrpcJniLib.grpcjni_call_send_message(call, 0, 0, 0, message, flags, key);
      } else {
        int mdSize = MetadataCodec.encodedSize(headers);
        buf = NativeBuffer.acquire(mdSize);
        MetadataCodec.encode(headers, buf.buffer());
        rc =
            GrpcJniLib.grpcjni_call_send_message(
                call,
                GrpcJniLib.GRPCJNI_SEND_INITIAL_METADATA,
                buf.address(),
                mdSize,
                message,
                flags,
                key);
      }
    } catch (RuntimeException e) { // metadata that no longer encodes: the shim was not reached
      discard(message);
      sendNotPrepared(e);
    } finally {
      if (buf != null) {
        buf.release();
      }
      end(SEND, key, rc, "SEND_MESSAGE");
    }
    return rc == 0;
  }

  @Override
  public boolean sendCloseFromClient(SendDone done) {
    long key = begin(SEND, done);
    if (key == 0) {
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      rc = GrpcJniLib.grpcjni_call_send_close_from_client(call, key);
    } finally {
      end(SEND, key, rc, "SEND_CLOSE_FROM_CLIENT");
    }
    return rc == 0;
  }

  @Override
  public boolean sendInitialMetadata(Metadata headers, SendDone done) {
    long key = begin(SEND, done);
    if (key == 0) {
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    NativeBuffer buf = null;
    try {
      int mdSize = MetadataCodec.encodedSize(headers);
      buf = NativeBuffer.acquire(mdSize);
      MetadataCodec.encode(headers, buf.buffer());
      rc = GrpcJniLib.grpcjni_call_send_initial_metadata(call, buf.address(), mdSize, key);
    } catch (RuntimeException e) {
      sendNotPrepared(e);
    } finally {
      if (buf != null) {
        buf.release();
      }
      end(SEND, key, rc, "SEND_INITIAL_METADATA");
    }
    return rc == 0;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Buffer layout: [headers][trailers][description].
   */
  @Override
  public boolean sendStatusFromServer(
      Metadata headers,
      long message,
      int writeFlags,
      Status status,
      Metadata trailers,
      SendDone done) {
    long key = begin(SEND, done);
    if (key == 0) {
      if (message != 0) {
        discard(message);
      }
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    NativeBuffer buf = null;
    boolean handedOver = false;
    try {
      if (status.details() != null) { // a copy: the caller's trailers stay as they are
        trailers = trailers == null ? new Metadata() : new Metadata(trailers);
        ApiAccess.get().putStatusDetails(trailers, status.details());
      }
      byte[] description = utf8(status.description());
      int headersSize = MetadataCodec.encodedSize(headers);
      int trailersSize = MetadataCodec.encodedSize(trailers);
      buf = NativeBuffer.acquire(headersSize + trailersSize + description.length);
      ByteBuffer b = buf.buffer();
      MetadataCodec.encode(headers, b);
      MetadataCodec.encode(trailers, b);
      b.put(description);
      long a = buf.address();
      handedOver = true;
      rc =
          GrpcJniLib.grpcjni_call_send_status_from_server(
              call,
              headers == null ? 0 : GrpcJniLib.GRPCJNI_SEND_INITIAL_METADATA,
              a,
              headersSize,
              message,
              coreWriteFlags(writeFlags),
              status.code().value(),
              a + headersSize + trailersSize,
              description.length,
              a + headersSize,
              trailersSize,
              key);
    } catch (RuntimeException e) {
      if (!handedOver && message != 0) {
        discard(message);
      }
      sendNotPrepared(e);
    } finally {
      if (buf != null) {
        buf.release();
      }
      end(SEND, key, rc, "SEND_STATUS_FROM_SERVER");
    }
    return rc == 0;
  }

  @Override
  public boolean startServerSide(ServerClosed done) {
    long key = begin(FINISH, done);
    if (key == 0) {
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      rc = GrpcJniLib.grpcjni_call_start_serverside(call, key);
    } finally {
      end(FINISH, key, rc, "RECV_CLOSE_ON_SERVER");
    }
    return rc == 0;
  }

  private static int coreWriteFlags(int writeFlags) {
    return ((writeFlags & WRITE_BUFFER_HINT) != 0 ? CORE_WRITE_BUFFER_HINT : 0)
        | ((writeFlags & WRITE_NO_COMPRESS) != 0 ? CORE_WRITE_NO_COMPRESS : 0);
  }

  // ---- the bracket

  /** Takes a reference and registers the tag; 0 if disposed or the queue is shut down. */
  private long begin(int kind, Object done) {
    if (!tryRetain()) {
      return 0;
    }
    setDone(kind, done);
    try {
      return cq.beginOp(this, kind);
    } catch (RejectedExecutionException e) {
      setDone(kind, null);
      release();
      return 0;
    }
  }

  /**
   * Ends what {@link #begin} began: if the start failed, no event will come, so the tag is dropped
   * with the reference, and a batch the C core refused (rc > 0) cancels the call, or the peer would
   * wait for it forever.
   *
   * @param what the batch, for the cancel's description; null when the caller reports the failure
   */
  private void end(int kind, long key, int rc, String what) {
    cq.endOp(key, rc == 0);
    if (rc != 0) {
      setDone(kind, null);
      if (rc > 0 && what != null) {
        cancel(
            Status.Code.INTERNAL,
            "failed to start " + what + ": " + GrpcJniLib.grpcjni_call_error_to_string(rc));
      }
      release();
    }
  }

  private void setDone(int kind, Object done) {
    switch (kind) {
      case FINISH:
        finishDone = done;
        break;
      case SEND:
        sendDone = (SendDone) done;
        break;
      case RECV:
        recvDone = (MessageDone) done;
        break;
      default:
        headersDone = (HeadersDone) done;
    }
  }

  // ---- completions (poller thread)

  // A client's status batch that completed while its headers batch was still pending: it is
  // completed right after the headers (poller thread only), so that headers the shim refused
  // decide the call's status even when the server's status came in first.
  private ClientDone deferredFinish;
  private boolean deferredFinishSuccess;

  @Override
  public void complete(int kind, boolean success) {
    boolean deferred = false;
    try {
      switch (kind) {
        case FINISH:
          Object done = finishDone;
          finishDone = null;
          if (server != null) {
            ((ServerClosed) done).onServerClosed(serverCancelled(success));
          } else if (headersDone != null) {
            deferredFinish = (ClientDone) done; // keeps this operation's reference until then
            deferredFinishSuccess = success;
            deferred = true;
          } else {
            completeClient((ClientDone) done, success);
          }
          break;
        case SEND:
          SendDone sent = sendDone;
          sendDone = null;
          sent.onSent(success);
          break;
        case RECV:
          MessageDone received = recvDone;
          recvDone = null;
          completeRecv(received, success);
          break;
        default:
          HeadersDone headers = headersDone;
          headersDone = null;
          headers.onHeaders(success ? decodeHeaders() : null);
          ClientDone finish = deferredFinish;
          if (finish != null) {
            deferredFinish = null;
            try {
              completeClient(finish, deferredFinishSuccess);
            } finally {
              release(); // the deferred status batch's reference
            }
          }
      }
    } finally {
      if (!deferred) {
        release(); // the operation's reference
      }
    }
  }

  private boolean serverCancelled(boolean success) {
    return !success || GrpcJniLib.grpcjni_call_recv_close_on_server_cancelled(call, FINISH) != 0;
  }

  private void completeRecv(MessageDone done, boolean success) {
    long info = success ? GrpcJniLib.grpcjni_call_recv_message_info(call) : -1;
    int length = (int) info;
    if (length >= 0) {
      byte[] message = new byte[length];
      GrpcJniLib.grpcjni_call_copy_recv_message(call, RECV, message, length);
      done.onMessage(message, (int) (info >> 32));
      return;
    }
    // Not decodable (corrupt, or flagged compressed without an encoding), or decompressing to more
    // than the call's maximum message size: either ends the call.
    boolean failed =
        length < -1 || !success || GrpcJniLib.grpcjni_call_failed_before_recv_message(call) != 0;
    if (length == GrpcJniLib.GRPCJNI_MESSAGE_UNDECODABLE) {
      refuse(Status.Code.INTERNAL, "Failed to decompress a message");
    } else if (length == GrpcJniLib.GRPCJNI_MESSAGE_TOO_LARGE) {
      refuse(
          Status.Code.RESOURCE_EXHAUSTED, "Decompressed message larger than maxInboundMessageSize");
    }
    done.onMessagesEnd(failed);
  }

  /**
   * Ends the call for what it received: cancels it with {@code code}, and on a client makes that
   * its status even if the server's already arrived (a stream's headers and messages complete
   * before its status, so the status batch, when it completes, reads this).
   */
  private void refuse(Status.Code code, String description) {
    if (server == null) {
      refused = Status.fromCodeValue(code.value()).withDescription(description);
    }
    cancel(code, description);
  }

  private Metadata decodeHeaders() {
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      ByteBuffer b = buf.fill(CoreCall::encodeHeaders, call);
      // This batch receives no status; the shim sets one only when it refused the headers (above
      // the channel's metadata bound, or malformed), which then end the call.
      int code = b.getInt();
      String why = utf8(b);
      utf8(b);
      Metadata headers = MetadataCodec.decode(b);
      if (code != Status.Code.OK.value()) {
        refuse(Status.Code.fromValue(code), why);
      }
      return headers;
    } finally {
      buf.release();
    }
  }

  private void completeClient(ClientDone done, boolean success) {
    Status status;
    Metadata headers = null;
    Metadata trailers;
    int messageLength = -1;
    int compressed = -1;
    if (!success) {
      // RECV_STATUS_ON_CLIENT "always succeeds": a failed start batch is a bug in the core or here.
      status = Status.INTERNAL.withDescription("the call's batch failed without a status");
      trailers = new Metadata();
    } else {
      NativeBuffer buf = NativeBuffer.acquire(0);
      try {
        ByteBuffer b = buf.fill(CoreCall::encodeFinish, call);
        int code = b.getInt();
        String description = utf8(b);
        String debug = utf8(b);
        if (withHeaders) { // only the unary and client-streaming shapes receive them here
          headers = MetadataCodec.decode(b);
        } else {
          MetadataCodec.skip(b);
        }
        trailers = MetadataCodec.decode(b);
        messageLength = b.getInt();
        compressed = b.getInt();
        servedBy = channel.servedBy(b);
        status = status(code, description, debug, trailers);
        Status local = refused;
        if (local != null) { // the server's status, after what the call could not accept
          status = local;
          trailers = new Metadata();
        }
      } catch (RuntimeException e) {
        status = Status.INTERNAL.withDescription("Failed to read the status").withCause(e);
        headers = null;
        trailers = new Metadata();
        messageLength = -1;
      } finally {
        buf.release();
      }
    }
    byte[] message = null;
    if (messageLength >= 0 && messageLength <= COPIED_RESPONSE_MAX) {
      // Small: copied out now, so that the call can be freed here, on the thread that polls its
      // queue. Freed from another thread, the C core's teardown costs that thread more (its
      // memory came from this one's allocator) than the copy does. Larger ones stay in the call
      // and are parsed in place (parseReceived).
      byte[] copy = new byte[messageLength];
      int n = GrpcJniLib.grpcjni_call_copy_recv_message(call, FINISH, copy, messageLength);
      message = n == messageLength ? copy : null; // else parseReceived reports it
    }
    done.onClientDone(status, headers, trailers, messageLength, compressed, message);
  }

  /** Single responses up to this size are copied out with the status (see completeClient). */
  static final int COPIED_RESPONSE_MAX = 16 * 1024;

  // Static encoders for NativeBuffer.fill (a static method reference allocates nothing).

  private static int encodeFinish(long call, long dst, int capacity) {
    return GrpcJniLib.grpcjni_call_encode_result(call, FINISH, dst, capacity);
  }

  private static int encodeHeaders(long call, long dst, int capacity) {
    return GrpcJniLib.grpcjni_call_encode_result(call, HEADERS, dst, capacity);
  }

  /**
   * The status a client received: code, description, the core's debug string for failures, and the
   * rich-error details, which it takes out of {@code trailers}.
   */
  private static Status status(int code, String description, String debug, Metadata trailers) {
    Status status = Status.fromCodeValue(code);
    if (description != null) {
      status = status.withDescription(description);
    }
    if (debug != null && !status.isOk()) {
      status = status.withDebugString(debug);
    }
    byte[] details = ApiAccess.get().takeStatusDetails(trailers);
    return details == null ? status : status.withDetails(details);
  }

  /** Reads a u32 length and that many UTF-8 bytes; null when empty. */
  private static String utf8(ByteBuffer b) {
    int len = b.getInt();
    if (len == 0) {
      return null;
    }
    byte[] bytes = new byte[len];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static final byte[] NO_BYTES = new byte[0];

  private static byte[] utf8(String s) {
    return s == null ? NO_BYTES : s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- any time

  @Override
  public void cancel(Status.Code code, String description) {
    if (tryRetain()) {
      try {
        long c = call;
        if (c != 0) {
          GrpcJniLib.grpcjni_call_cancel_with_status(c, code.value(), description);
        }
      } finally {
        release();
      }
    }
  }

  @Override
  public AuthContext authContext() {
    if (!tryRetain()) {
      return AuthContext.NONE;
    }
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      long c = call;
      ByteBuffer b = c == 0 ? null : buf.fill(GrpcJniLib::grpcjni_call_encode_auth_context, c);
      if (b == null) {
        return AuthContext.NONE;
      }
      String identity = utf8(b); // null: unauthenticated
      int count = b.getInt();
      java.util.List<AuthContext.Property> properties = new java.util.ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String name = utf8(b);
        String value = utf8(b);
        properties.add(
            new AuthContext.Property(name == null ? "" : name, value == null ? "" : value));
      }
      return properties.isEmpty() && identity == null
          ? AuthContext.NONE
          : AuthContext.create(identity, properties);
    } finally {
      buf.release();
      release();
    }
  }

  @Override
  public String peer() {
    String served = servedBy; // a client call that ended: its server, kept
    if (served != null) {
      return served;
    }
    if (!tryRetain()) {
      return "unknown";
    }
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      long c = call;
      if (channel != null) { // a client's: its server once on a connection, else unknown
        ByteBuffer b = c == 0 ? null : buf.fill(GrpcJniLib::grpcjni_call_get_server_peer, c);
        return b == null ? "unknown" : channel.servedBy(b);
      }
      ByteBuffer b = c == 0 ? null : buf.fill(GrpcJniLib::grpcjni_call_get_peer, c);
      if (b == null) {
        return "unknown";
      }
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } finally {
      buf.release();
      release();
    }
  }

  @Override
  public void dispose() {
    close();
  }

  @Override
  protected void free() {
    long c = call;
    if (c != 0) {
      GrpcJniLib.grpcjni_call_unref(c);
    }
    if (entered) {
      channel.exitCall(this);
    }
    if (server != null) {
      server.release();
    }
  }

  @Override
  public String toString() {
    return "CoreCall{" + (path != null ? path : "server") + (isFreed() ? ", freed" : "") + "}";
  }
}
