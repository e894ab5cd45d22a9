// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.wire.MetadataCodec;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * One posted {@code grpc_server_request_(registered_)call}: a native request-call context that is
 * reused for every call it receives. Registered slots receive their method's calls (with the
 * request message for unary methods); generic slots (method == null) receive calls to unknown
 * methods.
 *
 * <p>A slot holds one reference on its server while it exists. It lives on one queue; only that
 * queue's poller touches it after the first post.
 */
final class RequestSlot implements CallTag {
  private static final System.Logger logger = System.getLogger(RequestSlot.class.getName());

  private final NativeServer server;
  private final NativeServer.Registered method; // null: generic
  private final CompletionQueue cq;
  private final long ctx = GrpcJniLib.grpcjni_request_call_context_create();

  RequestSlot(NativeServer server, NativeServer.Registered method, CompletionQueue cq) {
    this.server = server;
    this.method = method;
    this.cq = cq;
    GrpcJniLib.grpcjni_request_call_context_set_max_metadata_size(ctx, server.maxMetadataSize());
  }

  /** Posts the slot. False if the queue or server refused; then no event will come. */
  boolean post() {
    long key;
    try {
      key = cq.beginOp(this, 0);
    } catch (RejectedExecutionException e) {
      return false;
    }
    int rc = GrpcJniLib.GRPCJNI_ERROR_INVALID_ARGUMENT;
    try {
      rc =
          method == null
              ? GrpcJniLib.grpcjni_server_request_call(server.handle(), cq.handle(), ctx, key)
              : GrpcJniLib.grpcjni_server_request_registered_call(
                  server.handle(),
                  method.handle,
                  method.readPayload ? 1 : 0,
                  cq.handle(),
                  ctx,
                  key);
    } finally {
      cq.endOp(key, rc == 0);
    }
    if (rc == 0 && method != null) {
      method.armed.incrementAndGet();
    }
    return rc == 0;
  }

  void destroy() {
    GrpcJniLib.grpcjni_request_call_context_destroy(ctx);
  }

  @Override
  public void complete(int op, boolean success) {
    if (method != null) {
      server.slotTaken(method, success);
    }
    CallAcceptor.Arrived call = null;
    if (success) {
      try {
        call = accept();
      } catch (RuntimeException | Error e) {
        // e.g. no memory for the headers: answer this call (if the slot still holds it; reject
        // then frees what it holds, as take_call did otherwise) and keep the slot. The client
        // hears why, not a bare CANCELLED.
        Status.Code code = dropCode(e);
        GrpcJniLib.grpcjni_request_call_context_reject(ctx, code.value(), dropMessage(code));
        logger.log(System.Logger.Level.WARNING, "dropping an arriving call", e);
      }
    }
    // Re-arm before dispatching, so the slot serves the next call while this one runs.
    if (server.isShuttingDown() || !post()) {
      destroy();
      server.release();
    }
    if (call != null) {
      call.start();
    }
  }

  /**
   * Answers a call whose headers exceed the server's bound with RESOURCE_EXHAUSTED, having copied
   * none of them (a peer's HPACK-indexed headers can decode to thousands of times what it sent).
   * Logged at FINE only: a hostile peer must not flood the log either.
   */
  private void refuseLargeMetadata() {
    int limit = server.maxMetadataSize();
    GrpcJniLib.grpcjni_request_call_context_reject(
        ctx,
        Status.Code.RESOURCE_EXHAUSTED.value(),
        "Request metadata larger than the server's limit of " + limit + " bytes");
    logger.log(
        System.Logger.Level.DEBUG,
        () -> "refused a call with request metadata above " + limit + " bytes");
  }

  /**
   * Answers a call with a request header HTTP/2 calls malformed (RFC 9113 8.2: an upper-case or
   * non-token name, a connection-specific field, a text value with NUL, CR or LF) with INTERNAL, as
   * grpc-java's client reports the PROTOCOL_ERROR reset Netty sends for one. No handler sees it.
   */
  private void refuseMalformedMetadata() {
    GrpcJniLib.grpcjni_request_call_context_reject(
        ctx, Status.Code.INTERNAL.value(), "Malformed request header");
    logger.log(System.Logger.Level.DEBUG, "refused a call with a malformed request header");
  }

  /** How a call the server could not take is answered: out of memory is RESOURCE_EXHAUSTED. */
  private static Status.Code dropCode(Throwable e) {
    return e instanceof OutOfMemoryError ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.INTERNAL;
  }

  private static String dropMessage(Status.Code code) {
    return code == Status.Code.RESOURCE_EXHAUSTED
        ? "Server out of memory accepting the call"
        : "Server failed to accept the call";
  }

  /** Decodes the arrived call and takes its grpc_call; returns what starts it, or null. */
  private CallAcceptor.Arrived accept() {
    String path;
    Metadata headers;
    Deadline deadline;
    int payloadLength;
    int payloadCompressed;
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      ByteBuffer b = buf.fill(GrpcJniLib::grpcjni_request_call_context_encode, ctx);
      if (b == null) {
        if (buf.lastFill() == GrpcJniLib.GRPCJNI_ERROR_METADATA_TOO_LARGE) {
          refuseLargeMetadata();
        } else if (buf.lastFill() == GrpcJniLib.GRPCJNI_ERROR_MALFORMED_METADATA) {
          refuseMalformedMetadata();
        }
        return null;
      }
      long deadlineNanos = b.getLong();
      deadline =
          deadlineNanos == GrpcJniLib.GRPCJNI_NO_DEADLINE
              ? null
              : ApiAccess.get().deadlineAfterNanos(deadlineNanos);
      int pathLength = b.getInt();
      if (method != null) {
        path = method.path;
        b.position(b.position() + pathLength);
      } else {
        byte[] pathBytes = new byte[pathLength];
        b.get(pathBytes);
        path = new String(pathBytes, StandardCharsets.UTF_8);
      }
      headers = MetadataCodec.decode(b);
      payloadLength = b.getInt();
      payloadCompressed = b.getInt();
    } finally {
      buf.release();
    }
    long call = GrpcJniLib.grpcjni_request_call_context_take_call(ctx);
    if (call == 0) {
      return null;
    }
    if (!server.retainForCall()) {
      GrpcJniLib.grpcjni_call_unref(call);
      return null;
    }
    CoreCall arrived = CoreCall.forServer(server, cq, call);
    try {
      return server
          .acceptor()
          .accept(
              arrived,
              method == null ? -1 : method.index,
              path,
              headers,
              deadline,
              payloadLength,
              payloadCompressed);
    } catch (RuntimeException | Error e) {
      Status.Code code = dropCode(e);
      arrived.cancel(code, dropMessage(code));
      arrived.dispose(); // unreferenced
      throw e;
    }
  }
}
