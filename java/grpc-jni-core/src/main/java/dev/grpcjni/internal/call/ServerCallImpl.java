// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Context;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCall;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.ServerMethodDefinition;
import dev.grpcjni.Status;
import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.transport.CallAcceptor;
import dev.grpcjni.internal.transport.NativeCall;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The server call engine: every {@link ServerCall} a server serves, for every kind of method.
 *
 * <pre>
 * Overview:
 *   start() (poller, right after the call arrived): posts RECV_CLOSE_ON_SERVER, whose completion
 *     says the call is over and whether it was cancelled. A call no handler serves (unknown
 *     method, missing or undecodable request) is answered there and then, without user code;
 *     otherwise the handler's startCall runs on the executor. A unary or server-streaming call's
 *     request arrived with the call; it is parsed there, from native memory, and delivered with
 *     onHalfClose right after startCall. Other calls read requests as the handler asks (the
 *     receive side, Inbound).
 *   Sends go through the send side (Outbound), which fuses what the core allows into one batch:
 *     headers with the first message or the status, the last message with the status, and for a
 *     method answering with one message, headers + message + status as one batch.
 *   RECV_CLOSE_ON_SERVER ends everything: onCancel or onComplete, queued sends are dropped, and
 *     the owner's reference on the native call is dropped (a reply in flight holds its own).
 *   Callbacks run one at a time on the serialized executor, with the call's Context current
 *     (this engine is its Source: the context is made only if something asks). The context is
 *     cancelled when the call ends: at once for a cancelled call (on the executor), after
 *     onComplete for a completed one; a client call made in it is the C core's child call. A
 *     listener that throws closes the call with UNKNOWN (or cancels it, if it was closed already),
 *     and nothing more is delivered but the end.
 *   Locking: `this` guards the response metadata and the queued-send flags; no part, listener or
 *     native call is called while holding it.
 * </pre>
 */
public final class ServerCallImpl<ReqT, RespT>
    implements ServerCall<ReqT, RespT>,
        ServerCallContext,
        NativeCall.ServerClosed,
        Inbound.Sink,
        Outbound.Owner,
        CallAcceptor.Arrived,
        Context.Source,
        Runnable {
  private static final Logger logger = System.getLogger(ServerCallImpl.class.getName());

  private final NativeCall call;
  private final ServerMethodDefinition<ReqT, RespT> definition; // null for an unknown method
  private final String path;
  private final Metadata requestHeaders;
  private final Deadline deadline;
  private final SerializingExecutor callbacks; // on the server's executor
  private final int payloadLength; // the request that arrived with the call: CallAcceptor.accept
  private final int payloadCompressed;
  private final boolean readsPayload; // the method's request arrives with the call
  private final Outbound outbound;
  private final Inbound inbound; // null when the request arrives with the call

  private final Trace trace; // the call's tracers, or null: not traced

  private volatile boolean cancelled;
  private volatile byte lastCompressed = ClientCallImpl.NO_MESSAGE_YET; // as the client's

  private volatile Listener<ReqT> listener; // set by startCall, on the callbacks executor
  private volatile boolean terminated; // the call is over: nothing more is delivered but its end

  // ---- callbacks executor only
  private boolean inputFailed; // a request did not parse, or the listener threw

  // ---- guarded by this
  private Metadata responseHeaders; // made on first use
  private Metadata responseTrailers;
  private boolean headersQueued;
  private boolean closeQueued;
  private boolean halfCloseDelivered;
  private CompletableFuture<Void> cancellation;
  private CallContext scope; // the call's Context, made when something asks for it
  private boolean ended; // RECV_CLOSE_ON_SERVER came ...
  private boolean endedCancelled; // ... cancelled ...
  private boolean endedByDeadline; // ... when the deadline had passed

  /**
   * @param definition the method served and its handler, or null for a method no handler serves
   *     (answered UNIMPLEMENTED)
   * @param readsPayload whether the method is registered to read its request with the call
   * @param payloadLength as {@link CallAcceptor#accept} says
   * @param trace the call's tracers, or null: not traced
   */
  ServerCallImpl(
      NativeCall call,
      ServerMethodDefinition<ReqT, RespT> definition,
      String path,
      Metadata requestHeaders,
      Deadline deadline,
      Executor executor,
      boolean readsPayload,
      int payloadLength,
      int payloadCompressed,
      Trace trace) {
    this.trace = trace;
    this.call = call;
    this.definition = definition;
    this.path = path;
    this.requestHeaders = requestHeaders;
    this.deadline = deadline;
    this.callbacks = new SerializingExecutor(executor, trace == null ? null : trace.flight());
    this.readsPayload = readsPayload;
    this.payloadLength = payloadLength;
    this.payloadCompressed = payloadCompressed;
    boolean oneResponse = definition != null && definition.method().type().serverSendsOneMessage();
    this.outbound = new Outbound(call, this, executor, false, oneResponse);
    this.inbound = readsPayload ? null : new Inbound(call, callbacks, this);
  }

  /** Called on the poller thread right after the call arrived. */
  @Override
  public void start() {
    if (!call.startServerSide(this)) {
      logger.log(Level.WARNING, "cannot watch call " + path + " for cancellation");
      cancelled = true;
      outbound.finish(Status.CANCELLED);
      call.dispose();
      if (trace != null) {
        trace.closed(Status.CANCELLED, null);
        released();
      }
      return;
    }
    Flight flight = trace == null ? null : trace.flight();
    if (flight != null) {
      flight.peer(call.peer());
    }
    outbound.start();
    if (definition == null) {
      close(Status.UNIMPLEMENTED.withDescription("Method not found: " + fullMethodName()), null);
    } else if (readsPayload && payloadLength == -1) {
      close(Status.INTERNAL.withDescription("Half-closed without a request"), null);
    } else if (readsPayload && payloadLength == CallAcceptor.PAYLOAD_TOO_LARGE) {
      close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "Decompressed request larger than the server's maxInboundMessageSize"),
          null);
    } else if (readsPayload && payloadLength < 0) { // PAYLOAD_UNDECODABLE
      close(Status.INTERNAL.withDescription("Failed to decompress the request"), null);
    } else {
      if (inbound != null) {
        inbound.start();
      }
      // Nothing else of this call can be scheduled meanwhile: its events come to this thread.
      if (!callbacks.executeFirst(this)) {
        close(Status.UNAVAILABLE.withDescription("Server executor rejected the call"), null);
      }
    }
  }

  /** Starts the handler; on the callbacks executor. */
  @Override
  public void run() {
    Object previous = ApiAccess.get().enterContext(this);
    try {
      startHandler();
    } finally {
      ApiAccess.get().exitContext(previous);
    }
  }

  private void startHandler() {
    Listener<ReqT> l;
    try {
      l = definition.handler().startCall(this);
    } catch (Throwable t) {
      logger.log(Level.WARNING, "handler of " + fullMethodName() + " failed to start", t);
      close(Status.fromThrowable(t), null);
      return;
    }
    if (l == null) {
      close(Status.INTERNAL.withDescription("Handler returned no listener"), null);
      return;
    }
    listener = l;
    if (readsPayload) {
      deliverPayload();
      deliverHalfClose();
    }
    deliverReady();
  }

  /** Parses the request that arrived with the call, from native memory, and delivers it. */
  private void deliverPayload() {
    if (terminated || cancelled) {
      return;
    }
    if (trace != null) {
      trace.inboundMessage(payloadLength, payloadCompressed);
    }
    ReqT value;
    try {
      value = call.parseReceived(definition.method().requestMarshaller(), payloadLength);
    } catch (RuntimeException | Error e) {
      failToParse(e);
      return;
    }
    if (value == null) {
      return; // the call is over and gone: its end is on its way
    }
    deliverMessage(value, payloadCompressed);
  }

  private void failToParse(Throwable e) {
    inputFailed = true;
    if (inbound != null) {
      inbound.discard();
    }
    close(Status.INTERNAL.withDescription("Failed to parse request: " + e).withCause(e), null);
  }

  // ---- ServerCall

  @Override
  public void request(int numMessages) {
    if (inbound != null) {
      inbound.request(numMessages);
    } else if (numMessages <= 0) {
      throw new IllegalArgumentException("numMessages must be positive: " + numMessages);
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
    if (trace != null) {
      trace.serverHeadersSent(md);
    }
    outbound.sendHeaders(md);
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
    boolean withHeaders;
    synchronized (this) {
      if (closeQueued) {
        throw new IllegalStateException("call closed");
      }
      withHeaders = !headersQueued;
      headersQueued = true;
    }
    if (trace != null) {
      if (withHeaders) {
        trace.serverHeadersSent(headersToSend());
      }
      trace.outboundMessage(definition.method().responseMarshaller(), message);
    }
    return outbound.sendMessage(definition.method().responseMarshaller(), message, observed);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    boolean withHeaders;
    synchronized (this) {
      if (closeQueued) {
        return;
      }
      closeQueued = true;
      withHeaders = !headersQueued;
      headersQueued = true;
    }
    if (trace != null) {
      trace.serverClosing(status);
    }
    if (trace != null && withHeaders) {
      trace.serverHeadersSent(headersToSend());
    }
    Metadata t;
    synchronized (this) {
      t = responseTrailers;
    }
    if (trailers != null && !trailers.isEmpty()) {
      t = t == null ? new Metadata(trailers) : new Metadata(t).merge(trailers);
    }
    outbound.close(status, t);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    if (trace != null) {
      trace.messageCompression(enabled);
    }
    outbound.setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    return !cancelled && outbound.isReady();
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public MethodDescriptor<ReqT, RespT> method() {
    return definition == null ? null : definition.method();
  }

  @Override
  public ServerCallContext context() {
    return this;
  }

  // ---- what the parts report

  @Override
  public void onMessageBytes(byte[] message, int compressed) {
    if (terminated || cancelled || inputFailed) {
      return;
    }
    Object previous = ApiAccess.get().enterContext(this);
    try {
      parseAndDeliver(message, compressed);
    } finally {
      ApiAccess.get().exitContext(previous);
    }
  }

  private void parseAndDeliver(byte[] message, int compressed) {
    if (trace != null) {
      trace.inboundMessage(message.length, compressed);
    }
    ReqT value;
    try {
      value = definition.method().requestMarshaller().parse(message, 0, message.length);
    } catch (RuntimeException | Error e) {
      failToParse(e);
      return;
    }
    deliverMessage(value, compressed);
  }

  private void deliverMessage(ReqT value, int compressed) {
    lastCompressed = (byte) compressed;
    try {
      listener.onMessage(value);
    } catch (Throwable t) {
      failFromListener("onMessage", t);
    }
  }

  @Override
  public void onInputEnded() {}

  @Override
  public void onInputDrained(boolean failed) {
    if (!failed) { // a stream cut off by an error is not a half-close
      callbacks.execute(this::halfCloseTask);
    }
  }

  private void halfCloseTask() {
    Object previous = ApiAccess.get().enterContext(this);
    try {
      deliverHalfClose();
    } finally {
      ApiAccess.get().exitContext(previous);
    }
  }

  private void deliverHalfClose() {
    synchronized (this) {
      if (halfCloseDelivered || cancelled || terminated || inputFailed) {
        return;
      }
      halfCloseDelivered = true;
    }
    Listener<ReqT> l = listener;
    if (l != null) {
      try {
        l.onHalfClose();
      } catch (Throwable t) {
        failFromListener("onHalfClose", t);
      }
    }
  }

  @Override
  public void onSendReady() {
    callbacks.execute(this::readyTask);
  }

  private void readyTask() {
    Object previous = ApiAccess.get().enterContext(this);
    try {
      deliverReady();
    } finally {
      ApiAccess.get().exitContext(previous);
    }
  }

  private void deliverReady() {
    Listener<ReqT> l = listener;
    if (l != null && !terminated && !inputFailed && isReady()) {
      try {
        l.onReady();
      } catch (Throwable t) {
        failFromListener("onReady", t);
      }
    }
  }

  /** Sent as the headers of a call whose handler added none; only ever encoded. */
  private static final Metadata NO_HEADERS = new Metadata();

  @Override
  public synchronized Metadata headersToSend() {
    return responseHeaders == null ? NO_HEADERS : responseHeaders;
  }

  /**
   * A listener callback threw: as grpc-java, the call ends with UNKNOWN, and nothing but its end is
   * delivered from now on. On the callbacks executor.
   */
  private void failFromListener(String callback, Throwable t) {
    logger.log(Level.WARNING, callback + " of " + fullMethodName() + " threw", t);
    inputFailed = true;
    if (inbound != null) {
      inbound.discard();
    }
    boolean wasClosed;
    synchronized (this) {
      wasClosed = closeQueued;
    }
    if (wasClosed) {
      call.cancel(Status.Code.UNKNOWN, "Application error processing RPC");
    } else {
      close(Status.UNKNOWN.withDescription("Application error processing RPC"), null);
    }
  }

  @Override
  public void onServerClosed(boolean wasCancelled) {
    try {
      if (inbound != null) {
        inbound.discard(); // the call is over: requests not yet delivered never will be
      }
      CompletableFuture<Void> f;
      CallContext context;
      synchronized (this) {
        cancelled = wasCancelled;
        f = cancellation;
        ended = true;
        endedCancelled = wasCancelled;
        endedByDeadline = wasCancelled && deadline != null && deadline.isExpired();
        context = scope;
      }
      terminated = true;
      if (trace != null) {
        trace.serverClosed(wasCancelled);
      }
      outbound.finish(
          wasCancelled ? Status.CANCELLED.withDescription("Call cancelled") : Status.OK);
      if (context != null && wasCancelled) {
        // At once, not behind the handler's callbacks: the calls it made stop now. Not here on
        // the poller either: the context's listeners may be the application's.
        cancelOnExecutor(context, endCause());
      }
      Listener<ReqT> l = listener;
      if (f != null
          || l == null
          || context != null
          || ListenerMethods.overrides(
              l, wasCancelled ? ListenerMethods.ON_CANCEL : ListenerMethods.ON_COMPLETE)) {
        callbacks.execute(() -> deliverEnd(wasCancelled, f));
      }
      // else: a listener that ignores this end (a unary handler's, completed) costs no task.
    } finally {
      call.dispose();
      released();
    }
  }

  /** The call's end is queued: nothing more is scheduled for its JFR event. */
  private void released() {
    Flight flight = trace == null ? null : trace.flight();
    if (flight != null) {
      flight.release();
    }
  }

  /** Why the ended call's context is cancelled: null (completed), its deadline, or the cancel. */
  private synchronized Throwable endCause() {
    if (!endedCancelled) {
      return null;
    }
    return endedByDeadline
        ? new java.util.concurrent.TimeoutException("context timed out")
        : Status.CANCELLED.withDescription("RPC cancelled").asException();
  }

  private void cancelOnExecutor(CallContext context, Throwable cause) {
    try {
      callbacks.delegate().execute(() -> context.cancel(cause));
    } catch (RuntimeException e) { // rejected: the server is going away
      context.cancel(cause);
    }
  }

  @Override
  public synchronized Context toContext() {
    if (scope == null) {
      scope = new CallContext(deadline, call);
      if (ended) {
        scope.cancel(endCause());
      }
    }
    return scope;
  }

  private void deliverEnd(boolean wasCancelled, CompletableFuture<Void> cancellationFuture) {
    Listener<ReqT> l = listener;
    Object previous = ApiAccess.get().enterContext(this);
    try {
      if (l != null) {
        if (wasCancelled) {
          l.onCancel();
        } else {
          l.onComplete();
        }
      }
    } catch (Throwable t) {
      logger.log(Level.WARNING, "the end of " + fullMethodName() + " threw", t);
    } finally {
      ApiAccess.get().exitContext(previous);
    }
    if (wasCancelled && cancellationFuture != null) {
      cancellationFuture.complete(null);
    }
    CallContext context;
    synchronized (this) {
      context = scope;
    }
    if (context != null && !wasCancelled) {
      context.cancel(null); // as grpc-java: a completed call's context ends after onComplete
    }
  }

  // ---- ServerCallContext

  @Override
  public String fullMethodName() {
    if (definition != null) {
      return definition.method().fullMethodName();
    }
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
    return call.peer();
  }

  @Override
  public dev.grpcjni.AuthContext authContext() {
    return call.authContext();
  }

  @Override
  public <T extends dev.grpcjni.ServerCallTracer> T tracer(Class<T> type) {
    return trace == null ? null : trace.find(type);
  }

  @Override
  public boolean wasLastMessageCompressed() {
    return ClientCallImpl.checkCompressed(lastCompressed);
  }

  @Override
  public String toString() {
    return "ServerCall{" + fullMethodName() + (cancelled ? ", cancelled" : "") + "}";
  }
}
