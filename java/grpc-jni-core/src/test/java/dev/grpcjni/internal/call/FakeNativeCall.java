// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.internal.transport.NativeCall;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link NativeCall} without a C core, for the engines' unit tests (as gRPC's C# binding had
 * {@code FakeNativeCall}). It records every operation started, holds each kind's completion until
 * the test fires it, and enforces the seam's contract as the real call does, failing the test on
 * any breach:
 *
 * <ul>
 *   <li>at most one operation of each kind in flight;
 *   <li>after {@link #dispose()} nothing starts (starts return false, as the real one's do), and
 *       once the last operation in flight completed the call is freed: a parse then sees nothing;
 *   <li>dispose is counted, so tests assert it happened exactly once;
 *   <li>messages from {@link #serialize} are counted until a send takes them or they are discarded,
 *       so tests assert none leaked; one discarded or sent twice fails at once.
 * </ul>
 *
 * <p>Completions run on the test thread, synchronously, like the poller would run them. Not
 * thread-safe: a test drives it from one thread.
 */
class FakeNativeCall implements NativeCall {
  /** What each start recorded, in order: "startUnary(...)", "sendMessage(...)", ... */
  final List<String> ops = new ArrayList<>();

  Status startFailure; // the start shapes return this if set
  boolean refuseOps; // the other starts return false, as when the core refuses a batch
  int disposals;
  int cancels;
  Status.Code cancelCode;
  String cancelDescription;
  boolean freed;
  boolean lastWithHeaders;

  private ClientDone clientDone;
  private ServerClosed serverClosed;
  private SendDone send;
  private MessageDone recv;
  private HeadersDone headers;
  private int inFlight;
  private byte[] received; // the single message parseReceived reads

  /** Hand the single response over with the status, as CoreCall does for small ones. */
  boolean copyResponses;

  private final Map<Long, byte[]> live = new HashMap<>(); // serialized and not taken
  private long nextMessage = 1;

  // ---- messages

  @Override
  public <T> long serialize(Marshaller<T> marshaller, T value, int size) {
    ByteBuffer b = ByteBuffer.allocate(size);
    NativeBuffer.serialize(marshaller, value, b, size);
    long handle = nextMessage++;
    live.put(handle, b.array());
    return handle;
  }

  @Override
  public void discard(long message) {
    take(message);
  }

  private String take(long message) {
    byte[] bytes = live.remove(message);
    if (bytes == null) {
      throw new AssertionError("message " + message + " taken twice or never made");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Messages serialized and neither sent nor discarded. */
  int liveMessages() {
    return live.size();
  }

  @Override
  public <T> T parseReceived(Marshaller<T> marshaller, int length) {
    if (freed) {
      return null;
    }
    if (received == null || received.length != length) {
      throw new AssertionError("no single message of length " + length + " was received");
    }
    return marshaller.parse(ByteBuffer.wrap(received).asReadOnlyBuffer());
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
    lastWithHeaders = withHeaders;
    String text;
    try {
      text = serialized(marshaller, request);
    } catch (RuntimeException e) { // as CoreCall: the call fails to start
      return Status.INTERNAL.withDescription("Failed to serialize request: " + e).withCause(e);
    }
    return startClient("startUnary(" + text + ")", headers, done);
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
    String text;
    try {
      text = serialized(marshaller, request);
    } catch (RuntimeException e) {
      return Status.INTERNAL.withDescription("Failed to serialize request: " + e).withCause(e);
    }
    return startClient("startServerStreaming(" + text + ")", headers, done);
  }

  @Override
  public Status startClientStreaming(
      Metadata headers,
      Deadline deadline,
      NativeCall parent,
      int flags,
      boolean withHeaders,
      ClientDone done) {
    lastWithHeaders = withHeaders;
    return startClient("startClientStreaming", headers, done);
  }

  @Override
  public Status startDuplex(
      Metadata headers, Deadline deadline, NativeCall parent, int flags, ClientDone done) {
    return startClient("startDuplex", headers, done);
  }

  /** Serializes as the real start would, so a marshaller that throws fails the start. */
  private static <T> String serialized(Marshaller<T> marshaller, T value) {
    int size = NativeBuffer.sizeOf(marshaller, value);
    ByteBuffer b = ByteBuffer.allocate(size);
    NativeBuffer.serialize(marshaller, value, b, size);
    return new String(b.array(), StandardCharsets.UTF_8);
  }

  private Status startClient(String op, Metadata md, ClientDone done) {
    ops.add(md == null || md.isEmpty() ? op : op + md);
    if (startFailure != null) {
      return startFailure;
    }
    if (disposals > 0) {
      return Status.UNAVAILABLE.withDescription("fake: disposed");
    }
    checkFree(clientDone == null && serverClosed == null, "a start batch");
    clientDone = done;
    inFlight++;
    return null;
  }

  // ---- operations

  @Override
  public boolean recvInitialMetadata(HeadersDone done) {
    if (!startOp("recvInitialMetadata")) {
      return false;
    }
    checkFree(headers == null, "RECV_INITIAL_METADATA");
    headers = done;
    return true;
  }

  @Override
  public boolean recvMessage(MessageDone done) {
    if (!startOp("recvMessage")) {
      return false;
    }
    checkFree(recv == null, "RECV_MESSAGE");
    recv = done;
    return true;
  }

  @Override
  public boolean sendMessage(Metadata md, long message, int writeFlags, SendDone done) {
    String text = take(message);
    if (!startOp(
        "sendMessage("
            + text
            + ((writeFlags & WRITE_BUFFER_HINT) != 0 ? ", hint" : "")
            + ((writeFlags & WRITE_NO_COMPRESS) != 0 ? ", no-compress" : "")
            + (md != null ? ", headers" + md : "")
            + ")")) {
      return false;
    }
    return setSend(done);
  }

  @Override
  public boolean sendCloseFromClient(SendDone done) {
    return startOp("sendCloseFromClient") && setSend(done);
  }

  @Override
  public boolean sendInitialMetadata(Metadata md, SendDone done) {
    return startOp("sendInitialMetadata" + md) && setSend(done);
  }

  @Override
  public boolean sendStatusFromServer(
      Metadata md, long message, int writeFlags, Status status, Metadata trailers, SendDone done) {
    String text = message == 0 ? null : take(message);
    return startOp(
            "sendStatusFromServer("
                + (md != null ? "headers" + md + ", " : "")
                + (text != null ? "message " + text + ", " : "")
                + status.code()
                + (status.description() != null ? " " + status.description() : "")
                + (trailers != null && !trailers.isEmpty() ? ", trailers" + trailers : "")
                + ")")
        && setSend(done);
  }

  @Override
  public boolean startServerSide(ServerClosed done) {
    if (!startOp("startServerSide")) {
      return false;
    }
    checkFree(clientDone == null && serverClosed == null, "RECV_CLOSE_ON_SERVER");
    serverClosed = done;
    return true;
  }

  /** Records a start; false (nothing in flight) if the call was disposed or ops are refused. */
  private boolean startOp(String op) {
    ops.add(op);
    if (disposals > 0 || refuseOps) {
      return false;
    }
    inFlight++;
    return true;
  }

  private boolean setSend(SendDone done) {
    checkFree(send == null, "a send");
    send = done;
    return true;
  }

  private static void checkFree(boolean free, String what) {
    if (!free) {
      throw new AssertionError("started " + what + " while one was in flight");
    }
  }

  // ---- any time

  @Override
  public void cancel(Status.Code code, String description) {
    if (freed) {
      return;
    }
    cancels++;
    cancelCode = code;
    cancelDescription = description;
  }

  @Override
  public String peer() {
    return freed ? "unknown" : "fake:peer";
  }

  @Override
  public dev.grpcjni.AuthContext authContext() {
    return dev.grpcjni.AuthContext.NONE;
  }

  @Override
  public void dispose() {
    disposals++;
    freeIfDone();
  }

  private void freeIfDone() {
    if (disposals > 0 && inFlight == 0) {
      freed = true;
    }
  }

  // ---- completions, fired by the test as a poller would

  boolean hasPendingStatus() {
    return clientDone != null;
  }

  boolean hasPendingSend() {
    return send != null;
  }

  boolean hasPendingRecv() {
    return recv != null;
  }

  boolean hasPendingHeaders() {
    return headers != null;
  }

  /** The client start batch completes with {@code status} and (unary, client-streaming) these. */
  void completeStatus(Status status, Metadata responseHeaders, Metadata trailers, String message) {
    ClientDone d = clientDone;
    if (d == null) {
      throw new AssertionError("no start batch in flight");
    }
    clientDone = null;
    received = message == null ? null : message.getBytes(StandardCharsets.UTF_8);
    d.onClientDone(
        status,
        responseHeaders,
        trailers == null ? new Metadata() : trailers,
        received == null ? -1 : received.length,
        received == null ? -1 : 0,
        copyResponses && received != null ? received.clone() : null);
    done();
  }

  void completeStatus(Status status) {
    completeStatus(status, null, null, null);
  }

  void completeHeaders(Metadata md) {
    HeadersDone d = headers;
    if (d == null) {
      throw new AssertionError("no RECV_INITIAL_METADATA in flight");
    }
    headers = null;
    d.onHeaders(md);
    done();
  }

  void completeSend(boolean success) {
    SendDone d = send;
    if (d == null) {
      throw new AssertionError("no send in flight");
    }
    send = null;
    d.onSent(success);
    done();
  }

  void completeRecv(String message) {
    MessageDone d = takeRecv();
    d.onMessage(message.getBytes(StandardCharsets.UTF_8), 0);
    done();
  }

  void endRecv(boolean failed) {
    MessageDone d = takeRecv();
    d.onMessagesEnd(failed);
    done();
  }

  private MessageDone takeRecv() {
    MessageDone d = recv;
    if (d == null) {
      throw new AssertionError("no RECV_MESSAGE in flight");
    }
    recv = null;
    return d;
  }

  /** A server call's request arrived with it (before start()). */
  void arrivedWith(String payload) {
    received = payload.getBytes(StandardCharsets.UTF_8);
  }

  void closeServer(boolean cancelled) {
    ServerClosed d = serverClosed;
    if (d == null) {
      throw new AssertionError("no RECV_CLOSE_ON_SERVER in flight");
    }
    serverClosed = null;
    d.onServerClosed(cancelled);
    done();
  }

  private void done() {
    inFlight--;
    freeIfDone();
  }
}
