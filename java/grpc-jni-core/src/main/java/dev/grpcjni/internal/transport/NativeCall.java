// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import dev.grpcjni.AuthContext;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.codec.Marshaller;

/**
 * One {@code grpc_call} as the call engines see it: one method per batch shape, each with a typed
 * completion. {@link CoreCall} is the C core's; tests drive the engines with a fake.
 *
 * <pre>
 * Overview:
 *   Starting. Every start method either starts its batch and returns true (its completion will
 *     be called exactly once, on a poller thread), or starts nothing and returns false (no
 *     completion will come): the call was disposed, its queue shut down, or the C core refused the
 *     batch, in which case the call is also cancelled with INTERNAL so that the peer does not wait
 *     for it. The client start shapes say why instead, as a non-null Status.
 *   At most one operation of each kind is in flight: the start shape (or, on a server,
 *     RECV_CLOSE_ON_SERVER), one send, one RECV_MESSAGE, one RECV_INITIAL_METADATA. Send starts
 *     must be serialized by the caller, likewise receive starts (grpc_call_start_batch allows a
 *     send and a receive to start concurrently); the start shape comes before either.
 *   Messages. serialize() turns a message into a native one the caller owns; passing it to a send
 *     method hands it over whether or not the send starts; discard() frees one never passed on.
 *   Lifetime. The engine holds the owner's reference until dispose(); each operation in flight
 *     holds one more. The native call is freed when the last is dropped, so an engine that disposed it
 *     may still get the completions of operations in flight, but cannot start new ones, and
 *     cancel() and peer() then do nothing: no native handle is used after it was freed.
 * </pre>
 *
 * <p>Thread-safe within the serialization rules above.
 */
public interface NativeCall {
  /**
   * Start flag: wait for the channel to be ready instead of failing fast. (The unary and
   * client-streaming starts' {@code withHeaders}: decode the response headers, which a listener
   * that ignores them need not pay for.)
   */
  int WAIT_FOR_READY = 1;

  /** Write flag: the C core may hold this message back to coalesce it with the next. */
  int WRITE_BUFFER_HINT = 1;

  /** Write flag: send this message uncompressed even if the call compresses. */
  int WRITE_NO_COMPRESS = 2;

  /** The end of a client call's start batch. Called once, on a poller thread. */
  interface ClientDone {
    /**
     * @param status the call's final status (details taken out of {@code trailers})
     * @param headers the response headers, for the shapes that receive them with the status (unary,
     *     client-streaming) when asked for ({@code withHeaders}); else null
     * @param trailers the trailing metadata, never null
     * @param messageLength the length of the single response of a unary or client-streaming call;
     *     -1 without one
     * @param compressed whether it arrived compressed: 1, 0, or -1 unknown
     * @param message that response, copied out here if small (the native call is then not needed
     *     any more, and is best disposed of on this thread); null if it is to be read in place with
     *     {@link #parseReceived}, or there is none
     */
    void onClientDone(
        Status status,
        Metadata headers,
        Metadata trailers,
        int messageLength,
        int compressed,
        byte[] message);
  }

  /** A RECV_INITIAL_METADATA. */
  interface HeadersDone {
    /**
     * @param headers the response headers, or null if the batch failed (the status says why)
     */
    void onHeaders(Metadata headers);
  }

  /** A RECV_MESSAGE: exactly one of the two methods is called. */
  interface MessageDone {
    /** A message (decompressed); {@code compressed} 1, 0, or -1 unknown. */
    void onMessage(byte[] message, int compressed);

    /**
     * No message: the peer half-closed ({@code failed} false), or the stream failed (true; the
     * status says why, and a message that could not be decompressed, or decompressed to more than
     * the call's maximum message size, cancelled the call).
     */
    void onMessagesEnd(boolean failed);
  }

  /** A send batch. */
  interface SendDone {
    /**
     * @param success the C core accepted every op (false: the call ended first)
     */
    void onSent(boolean success);
  }

  /** RECV_CLOSE_ON_SERVER: the server call is over. */
  interface ServerClosed {
    /**
     * @param cancelled the call ended without the server's status reaching the client
     */
    void onServerClosed(boolean cancelled);
  }

  // ---- messages

  /**
   * Serializes {@code value}, of the {@code size} its marshaller declared, into a native message
   * the caller owns.
   *
   * @throws RuntimeException what the marshaller threw, or IllegalStateException if it wrote
   *     another size than it declared
   */
  <T> long serialize(Marshaller<T> marshaller, T value, int size);

  /** Frees a message from {@link #serialize} that was not handed to a send. */
  void discard(long message);

  /**
   * Parses, from native memory, the single message the call received: a client's unary or
   * client-streaming response (its start batch done), or a server call's request that arrived with
   * it. On any thread, until the engine disposes the call.
   *
   * @param length the message's length, as the completion or the arrival reported it
   * @return the message; null if the call is gone (its native memory freed)
   * @throws RuntimeException what the marshaller threw
   */
  <T> T parseReceived(Marshaller<T> marshaller, int length);

  // ---- client start shapes: null if started, else the status the call fails with

  /**
   * The whole unary call in one batch: headers, {@code request}, half-close; response headers,
   * message and status.
   */
  <T> Status startUnary(
      Metadata headers,
      Marshaller<T> marshaller,
      T request,
      Deadline deadline,
      NativeCall parent,
      int flags,
      boolean withHeaders,
      ClientDone done);

  /** Headers, {@code request} and half-close; the status. Responses come from recvMessage. */
  <T> Status startServerStreaming(
      Metadata headers,
      Marshaller<T> marshaller,
      T request,
      Deadline deadline,
      NativeCall parent,
      int flags,
      ClientDone done);

  /** Headers; response headers, the one response and the status. Requests go by sendMessage. */
  Status startClientStreaming(
      Metadata headers,
      Deadline deadline,
      NativeCall parent,
      int flags,
      boolean withHeaders,
      ClientDone done);

  /** Headers; the status. Requests by sendMessage, responses by recvMessage. */
  Status startDuplex(
      Metadata headers, Deadline deadline, NativeCall parent, int flags, ClientDone done);

  // ---- operations after the start

  /** RECV_INITIAL_METADATA (client); post it before expecting messages. */
  boolean recvInitialMetadata(HeadersDone done);

  boolean recvMessage(MessageDone done);

  /**
   * SEND_MESSAGE, preceded by SEND_INITIAL_METADATA with {@code headers} if not null (a server's
   * first message).
   *
   * @param writeFlags {@link #WRITE_BUFFER_HINT} and {@link #WRITE_NO_COMPRESS} bits
   */
  boolean sendMessage(Metadata headers, long message, int writeFlags, SendDone done);

  boolean sendCloseFromClient(SendDone done);

  /** SEND_INITIAL_METADATA alone (a server sending headers before any message). */
  boolean sendInitialMetadata(Metadata headers, SendDone done);

  /**
   * SEND_STATUS_FROM_SERVER with {@code status} (its details go with the trailers, which may be
   * null for none and are not changed), preceded by the headers if not null and a last message if
   * not 0.
   */
  boolean sendStatusFromServer(
      Metadata headers,
      long message,
      int writeFlags,
      Status status,
      Metadata trailers,
      SendDone done);

  /** RECV_CLOSE_ON_SERVER, posted once when a server call arrives. */
  boolean startServerSide(ServerClosed done);

  // ---- any time

  /** Ends the call with a local status if it is alive; the peer sees it cancelled. */
  void cancel(Status.Code code, String description);

  /**
   * The peer's address, e.g. {@code ipv4:127.0.0.1:1234}, or "unknown". A client call's is its
   * server once it is on a connection ("unknown" before) and, from its status on, the server its
   * status batch named, kept whether disposed or not. A server call's is "unknown" once disposed.
   */
  String peer();

  /** The call's auth context (the peer's identity), or {@link AuthContext#NONE} once disposed. */
  AuthContext authContext();

  /**
   * Drops the owner's reference: no operation starts from now on, and the native call is freed once
   * those in flight completed. Idempotent.
   */
  void dispose();
}
