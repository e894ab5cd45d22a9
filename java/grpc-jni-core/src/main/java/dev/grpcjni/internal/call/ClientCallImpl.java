// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.CallOptions;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Context;
import dev.grpcjni.Contexts;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.cq.DirectExecutor;
import dev.grpcjni.internal.transport.NativeCall;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The client call engine: every {@link ClientCall} a channel makes, for every kind of method.
 *
 * <pre>
 * Overview:
 *   Shapes (one native start batch each; its completion carries the final status):
 *     UNARY             held until halfClose(), then headers, request, half-close and the
 *                       response's headers, message and status in one batch: one event.
 *     SERVER_STREAMING  likewise held, then headers, request and half-close, with the status;
 *                       responses through the receive side, headers by RECV_INITIAL_METADATA.
 *     CLIENT_STREAMING  started by start(): headers, and the response's headers, message and
 *                       status; requests through the send side.
 *     DUPLEX            started by start(): headers and the status; both sides.
 *   The shape follows the method's type. A one-request shape that gets no request, or a second
 *   one, before halfClose() becomes the matching general shape (CLIENT_STREAMING, DUPLEX) then,
 *   so any sequence of calls works as on the wire.
 *   Parts: the send side (Outbound) for the shapes that stream requests, the receive side
 *   (Inbound) for those that stream responses; each owns its state and lock. `this` guards the
 *   call's own state (start, cancel, close) and is never held while calling a part that could
 *   call back, or the listener.
 *   Close: after the status arrives, the responses the core still holds are read (buffered if not
 *   requested) and delivered as requested; onClose follows the last one. With an error status the
 *   core fails those reads, so only what was read before is delivered; a local cancel() discards
 *   at once. A response that fails to parse, or a listener that throws, cancels the call, and
 *   onClose reports that instead. onClose is scheduled exactly once (`closed`).
 *   Native lifetime: the owner's reference on the native call is dropped (dispose) as soon as the
 *   status is known and no more input will be read, even while onClose still waits for demand.
 *   A single response of up to 16 KiB comes copied out with the status, so the call is dropped
 *   right there on the poller (cheaper for the C core than from another thread); a larger one is
 *   parsed in place from the native call in the delivering task, which drops it after.
 *   Cancel before the native call started is remembered: a call not started yet closes with it
 *   at once; a start in progress applies it when it returns.
 * </pre>
 */
public final class ClientCallImpl<ReqT, RespT>
    implements ClientCall<ReqT, RespT>,
        NativeCall.ClientDone,
        NativeCall.HeadersDone,
        Inbound.Sink,
        Outbound.Owner,
        Context.CancellationListener,
        Runnable {
  /** How the call starts; see the overview. */
  enum Shape {
    UNARY,
    SERVER_STREAMING,
    CLIENT_STREAMING,
    DUPLEX
  }

  /** Value of {@link #lastCompressed} before any message was delivered. */
  static final byte NO_MESSAGE_YET = -2;

  private final NativeCall call;
  private final MethodDescriptor<ReqT, RespT> method;
  private final Executor executor;
  private volatile SerializingExecutor callbacks; // null for UNARY: its one task needs none
  private final Deadline deadline;
  private final NativeCall parent;
  private final int flags;

  // ---- guarded by this
  private Shape shape;
  private Listener<RespT> listener;
  private Metadata headers; // the call options', then with start's; after the start, reused below
  private Outbound outbound;
  private Inbound inbound;
  private ReqT request; // the one request of a held shape, until halfClose()
  private int requests; // requests given to a held shape
  private CompletableFuture<Void> requestSent; // its future, if the caller asked for one
  private boolean started; // start() ran
  private boolean halfClosed;
  private boolean nativeStarting; // a start batch is being started (outside the lock)
  private boolean nativeStarted; // ... and was
  private Status cancelled; // cancel()'s status: applied once the native call exists; final if the
  // C core ends the call with its code
  private Status status; // the final status, once received
  private boolean closed; // onClose is scheduled ...
  private Status closedWith; // ... with this status (before a late failure replaces an OK one)
  private Metadata trailers; // ... and these trailers (the received ones, until then)
  private boolean disposed; // the native call's owner reference was dropped
  private boolean cancelledHere; // cancel() came: responses not delivered yet never will be

  // ---- the single response of a unary or client-streaming call, set with the status: its
  // headers are in `headers` (null if not decoded); the message copied out (small ones), else
  // still in the native call
  private int singleLength = -1;
  private byte singleCompressed; // as lastCompressed (bytes: the call object stays small)
  private byte[] singleMessage;

  private final Context scope; // cancels the call when it is cancelled, or null
  private final ServerCallContext foreignParent; // a parent that is not a Context.Source, or null
  private final Object callbackContext; // current while callbacks run (as stored), or null

  private final Trace trace; // the call's tracers (made by start()), or null: not traced

  private volatile Status failure; // a response that did not parse, or a listener that threw
  private volatile byte lastCompressed = NO_MESSAGE_YET; // 1, 0, -1 (unknown), NO_MESSAGE_YET
  private volatile boolean messageCompression = true;

  /**
   * A call of {@code method} as {@code options} say, in the current {@link Context}: the context's
   * deadline applies if earlier, its cancellation cancels the call, and its callbacks run with it
   * current. A call made for a server call (its context current, or {@code options.withParent}) is
   * the C core's child of it.
   *
   * @param executor where callbacks run
   */
  public static <ReqT, RespT> ClientCallImpl<ReqT, RespT> create(
      NativeCall call,
      MethodDescriptor<ReqT, RespT> method,
      Executor executor,
      CallOptions options) {
    return create(call, method, executor, options, null, null, false);
  }

  /**
   * As {@link #create(NativeCall, MethodDescriptor, Executor, CallOptions)}, traced by the tracers
   * {@code tracerFactories} make when it starts (none: not traced).
   *
   * @param target the channel's target, for the tracers
   * @param channelCompresses whether the channel compresses requests by default
   */
  public static <ReqT, RespT> ClientCallImpl<ReqT, RespT> create(
      NativeCall call,
      MethodDescriptor<ReqT, RespT> method,
      Executor executor,
      CallOptions options,
      java.util.List<dev.grpcjni.ClientCallTracer.Factory> tracerFactories,
      String target,
      boolean channelCompresses) {
    Object raw = ApiAccess.get().currentContextRaw();
    ServerCallContext explicit = options.parent();
    Context scope = null;
    ServerCallContext foreign = null;
    if (explicit instanceof Context.Source) {
      scope = ((Context.Source) explicit).toContext();
    } else if (explicit != null) {
      foreign = explicit;
    } else if (raw != null) {
      scope = ApiAccess.get().contextOf(raw);
    }
    Deadline deadline = options.deadline();
    NativeCall parent = null;
    if (scope != null) {
      deadline = earlier(deadline, scope.getDeadline());
      parent = CallContext.nativeParentOf(scope);
    } else if (foreign != null) {
      deadline = earlier(deadline, foreign.deadline());
    }
    return new ClientCallImpl<>(
        call,
        method,
        executor,
        deadline,
        parent,
        options.isWaitForReady() ? NativeCall.WAIT_FOR_READY : 0,
        ApiAccess.get().headersForCall(options),
        scope,
        foreign,
        raw,
        trace(method, tracerFactories, target, channelCompresses));
  }

  /** The call's tracing: its tracers and its JFR event; null for neither. */
  private static Trace trace(
      MethodDescriptor<?, ?> method,
      java.util.List<dev.grpcjni.ClientCallTracer.Factory> factories,
      String target,
      boolean compresses) {
    Flight flight = Flight.client(method.fullMethodName(), target);
    boolean traced = factories != null && !factories.isEmpty();
    if (!traced && flight == null) {
      return null;
    }
    return Trace.client(traced ? factories : java.util.List.of(), target, compresses, flight);
  }

  private static Deadline earlier(Deadline a, Deadline b) {
    return a == null ? b : b == null ? a : a.minimum(b);
  }

  /**
   * @param deadline the call's deadline, or null
   * @param parent a server call whose deadline and cancellation the call inherits, or null
   * @param flags {@link NativeCall#WAIT_FOR_READY} or 0
   * @param optionHeaders headers of the call options, sent before those given to start; or null
   */
  ClientCallImpl(
      NativeCall call,
      MethodDescriptor<ReqT, RespT> method,
      Executor executor,
      Deadline deadline,
      NativeCall parent,
      int flags,
      Metadata optionHeaders) {
    this(call, method, executor, deadline, parent, flags, optionHeaders, null, null, null, null);
  }

  private ClientCallImpl(
      NativeCall call,
      MethodDescriptor<ReqT, RespT> method,
      Executor executor,
      Deadline deadline,
      NativeCall parent,
      int flags,
      Metadata optionHeaders,
      Context scope,
      ServerCallContext foreignParent,
      Object callbackContext,
      Trace trace) {
    this.trace = trace;
    this.scope = scope;
    this.foreignParent = foreignParent;
    this.callbackContext = callbackContext;
    this.call = call;
    this.method = method;
    this.executor = executor;
    this.deadline = deadline;
    this.parent = parent;
    this.flags = flags;
    this.headers = optionHeaders;
    this.shape = shapeOf(method.type());
    // A unary call delivers everything in one task (run()); the other shapes serialize theirs.
    this.callbacks = shape == Shape.UNARY ? null : new SerializingExecutor(executor, flight());
  }

  private static Shape shapeOf(MethodDescriptor.MethodType type) {
    switch (type) {
      case UNARY:
        return Shape.UNARY;
      case SERVER_STREAMING:
        return Shape.SERVER_STREAMING;
      case CLIENT_STREAMING:
        return Shape.CLIENT_STREAMING;
      default:
        return Shape.DUPLEX;
    }
  }

  private static boolean held(Shape s) {
    return s == Shape.UNARY || s == Shape.SERVER_STREAMING;
  }

  // ---- ClientCall

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    if (listener == null) {
      throw new NullPointerException("listener");
    }
    Status failedEarly;
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("call already started");
      }
      started = true;
      this.listener = listener;
      if (headers != null) {
        Metadata fromOptions = this.headers;
        this.headers = fromOptions == null ? headers : new Metadata(fromOptions).merge(headers);
      }
      if (trace != null) {
        trace.startClient(method, this.headers);
      }
      failedEarly = cancelled;
      if (failedEarly == null && scope != null && scope.isCancelled()) {
        failedEarly = Contexts.statusFromCancelled(scope); // as grpc-java: never sent
      }
      if (failedEarly == null && deadline != null && deadline.isExpired()) {
        // As grpc-java: a call whose deadline already passed is not sent at all.
        failedEarly =
            Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started");
      }
      if (failedEarly != null) {
        status = failedEarly;
        trailers = new Metadata();
      }
    }
    if (failedEarly != null) {
      closeWith(failedEarly, trailers);
      return;
    }
    if (scope != null) {
      scope.addListener(this, DirectExecutor.INSTANCE); // removed when the call closes
    } else if (foreignParent != null) {
      foreignParent
          .whenCancelled()
          .thenRun(() -> cancel(Status.CANCELLED.withDescription("Parent call cancelled")));
    }
    if (!held(shape)) {
      startNative(null);
    }
  }

  /** The call's context was cancelled: the call ends with the status that stands for. */
  @Override
  public void cancelled(Context context) {
    cancel(Contexts.statusFromCancelled(context));
  }

  private void leaveScope() {
    if (scope != null) {
      scope.removeListener(this);
    }
  }

  /** Makes the call's context current for a callback; returns what to restore. */
  private Object enterScope() {
    return callbackContext == null ? null : ApiAccess.get().enterContextRaw(callbackContext);
  }

  private void exitScope(Object previous) {
    if (callbackContext != null) {
      ApiAccess.get().exitContext(previous);
    }
  }

  @Override
  public void request(int numMessages) {
    Inbound in;
    synchronized (this) {
      in = inboundLocked(); // before start() too: a Flow subscriber requests in onSubscribe
    }
    if (in != null) {
      in.request(numMessages);
    } else if (numMessages <= 0) {
      throw new IllegalArgumentException("numMessages must be positive: " + numMessages);
    }
    // The single response of a unary or client-streaming call comes with the status.
  }

  /** The receive side, made for the shapes that stream responses. Holds this. */
  private Inbound inboundLocked() {
    if (inbound == null && (shape == Shape.SERVER_STREAMING || shape == Shape.DUPLEX)) {
      inbound = new Inbound(call, callbacks, this);
    }
    return inbound;
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
    Outbound out;
    boolean generalize = false;
    synchronized (this) {
      checkCanSend();
      if (closed && outbound == null) {
        // Closed before the call went out (cancelled, deadline): nothing will be sent.
        return observed ? failedSend() : null;
      }
      if (held(shape) && !nativeStarted && !nativeStarting) {
        if (requests == 0) {
          requests = 1;
          request = message;
          if (observed) {
            requestSent = new CompletableFuture<>();
          }
          return requestSent;
        }
        generalize = true; // a second request: the call streams them after all
      }
      out = outbound;
    }
    if (generalize) {
      out = generalize();
      if (out == null) {
        return observed ? failedSend() : null;
      }
    }
    if (trace != null) {
      trace.outboundMessage(method.requestMarshaller(), message);
    }
    return out.sendMessage(method.requestMarshaller(), message, observed);
  }

  private CompletableFuture<Void> failedSend() {
    Status s;
    synchronized (this) {
      s = status;
    }
    return CompletableFuture.failedFuture(
        new StatusException(
            s != null && !s.isOk()
                ? s
                : Status.INTERNAL.withDescription("message not sent: the call had already ended")));
  }

  @Override
  public void halfClose() {
    Outbound out;
    boolean startHeld = false;
    boolean generalize = false;
    synchronized (this) {
      checkCanSend();
      halfClosed = true;
      if (closed && outbound == null) {
        return;
      }
      if (held(shape) && !nativeStarted && !nativeStarting) {
        if (requests == 1) {
          startHeld = true;
        } else {
          generalize = true;
        }
      }
      out = outbound;
    }
    if (startHeld) {
      startNative(request);
      return;
    }
    if (generalize) {
      out = generalize();
      if (out == null) {
        return;
      }
    }
    out.halfClose();
  }

  /**
   * Turns a held shape into the general one (UNARY into CLIENT_STREAMING, SERVER_STREAMING into
   * DUPLEX) and starts it, sending the request it held, if any. Returns the send side, or null if
   * the call could not start.
   */
  private Outbound generalize() {
    ReqT held;
    boolean observed;
    synchronized (this) {
      shape = shape == Shape.UNARY ? Shape.CLIENT_STREAMING : Shape.DUPLEX;
      if (callbacks == null) {
        callbacks = new SerializingExecutor(executor, flight());
      }
      held = requests == 1 ? request : null;
      request = null;
    }
    startNative(null);
    Outbound out;
    CompletableFuture<Void> f;
    synchronized (this) {
      out = outbound;
      f = requestSent;
      requestSent = null;
      observed = f != null;
    }
    if (held != null && out != null) {
      if (trace != null) {
        trace.outboundMessage(method.requestMarshaller(), held);
      }
      CompletableFuture<Void> sent = out.sendMessage(method.requestMarshaller(), held, observed);
      if (f != null) {
        sent.whenComplete((v, e) -> complete(f, e));
      }
    } else if (f != null) {
      complete(f, new StatusException(Status.CANCELLED.withDescription("call not started")));
    }
    return out;
  }

  private static void complete(CompletableFuture<Void> f, Throwable e) {
    if (e == null) {
      f.complete(null);
    } else {
      f.completeExceptionally(e);
    }
  }

  private void checkCanSend() {
    if (!started) {
      throw new IllegalStateException("call not started");
    }
    if (halfClosed) {
      throw new IllegalStateException("call already half-closed");
    }
  }

  /**
   * Starts the call's native batch (with {@code request} for the held shapes), then the parts.
   * Failing to start closes the call.
   */
  private void startNative(ReqT request) {
    Shape s;
    Metadata h;
    boolean withHeaders;
    synchronized (this) {
      s = shape;
      h = headers;
      headers = null; // sent: the field holds the response's headers from now on
      withHeaders =
          ListenerMethods.overrides(listener, ListenerMethods.ON_HEADERS)
              || (trace != null && trace.hasTracers());
      nativeStarting = true;
      if (s == Shape.CLIENT_STREAMING || s == Shape.DUPLEX) {
        outbound = new Outbound(call, this, executor, true, false);
      }
    }
    if (trace != null) {
      trace.clientStarting(method.requestMarshaller(), request, held(s));
    }
    Status failed;
    switch (s) {
      case UNARY:
        failed =
            call.startUnary(
                h, method.requestMarshaller(), request, deadline, parent, flags, withHeaders, this);
        break;
      case SERVER_STREAMING:
        failed =
            call.startServerStreaming(
                h, method.requestMarshaller(), request, deadline, parent, flags, this);
        break;
      case CLIENT_STREAMING:
        failed = call.startClientStreaming(h, deadline, parent, flags, withHeaders, this);
        break;
      default:
        failed = call.startDuplex(h, deadline, parent, flags, this);
    }
    Status lateCancel;
    Outbound out;
    Inbound in;
    synchronized (this) {
      nativeStarting = false;
      nativeStarted = failed == null;
      lateCancel = cancelled;
      out = outbound;
      in = inboundLocked();
    }
    if (trace != null) {
      if (failed != null) {
        trace.clientStartFailed();
      } else {
        trace.clientStarted();
      }
    }
    if (failed != null) {
      failToStart(failed);
      return;
    }
    if (in != null && !call.recvInitialMetadata(this)) {
      in = null; // the call is over already; its status says why
    }
    if (in != null) {
      in.start();
    }
    if (out != null) {
      out.start();
      callbacks.execute(this::readyTask);
    }
    if (lateCancel != null) {
      call.cancel(lateCancel.code(), lateCancel.description()); // came while starting
    }
  }

  /** A call whose start batch never started: onClose, and the native call goes. */
  private void failToStart(Status failed) {
    Outbound out;
    synchronized (this) {
      status = failed;
      trailers = new Metadata();
      out = outbound;
    }
    if (out != null) {
      out.finish(failed);
    }
    failRequestSent(failed);
    closeWith(failed, trailers);
  }

  private void failRequestSent(Status s) {
    CompletableFuture<Void> f;
    synchronized (this) {
      f = requestSent;
      requestSent = null;
    }
    if (f != null) {
      f.completeExceptionally(new StatusException(s));
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    Status s = Status.CANCELLED.withDescription(message == null ? "Cancelled by client" : message);
    cancel(cause == null ? s : s.withCause(cause));
  }

  /** Ends the call with {@code status} (a local one; the server sees CANCELLED). */
  void cancel(Status status) {
    boolean closeNow = false;
    boolean cancelNative = false;
    Inbound in;
    synchronized (this) {
      if (closed) {
        return;
      }
      cancelledHere = true;
      in = inbound;
      if (cancelled == null) {
        cancelled = status;
      }
      if (!nativeStarted) {
        if (started && !nativeStarting) {
          // Held, never sent: it ends here.
          this.status = status;
          trailers = new Metadata();
          closeNow = true;
        }
      } else {
        cancelNative = true;
        // A streaming call whose status arrived and that only waits for its responses to be
        // requested ends here, with the cancel's status.
        closeNow = this.status != null;
      }
    }
    if (cancelNative) {
      call.cancel(status.code(), status.description());
    }
    if (closeNow) {
      if (in != null) {
        in.discard();
      }
      failRequestSent(status);
      closeWith(status, new Metadata());
    }
  }

  @Override
  public boolean isReady() {
    Outbound out;
    synchronized (this) {
      if (!started || closed || halfClosed) {
        return false;
      }
      out = outbound;
    }
    return out == null || out.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
    if (trace != null) {
      trace.messageCompression(enabled);
    }
    Outbound out;
    synchronized (this) {
      out = outbound;
    }
    if (out != null) {
      out.setMessageCompression(enabled);
    }
  }

  @Override
  public boolean wasLastMessageCompressed() {
    return checkCompressed(lastCompressed);
  }

  @Override
  public String peer() {
    return call.peer();
  }

  @Override
  public dev.grpcjni.AuthContext authContext() {
    return call.authContext();
  }

  /**
   * The answer for {@code wasLastMessageCompressed}, from the value a call keeps: 1 yes, 0 no, -1
   * the C core does not say, {@link #NO_MESSAGE_YET}.
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

  // ---- completions (poller)

  @Override
  public void onHeaders(Metadata received) {
    if (received == null) {
      return; // the status will tell why
    }
    synchronized (this) {
      if (closed) {
        return; // scheduled under the lock: never after onClose
      }
      if (trace != null) {
        trace.clientHeadersReceived(received); // under the lock too: never after its close
      }
      callbacks.execute(
          () -> {
            Object previous = enterScope();
            try {
              deliverHeaders(received);
            } finally {
              exitScope(previous);
            }
          });
    }
  }

  @Override
  public void onClientDone(
      Status received,
      Metadata headers,
      Metadata trailers,
      int messageLength,
      int compressed,
      byte[] message) {
    Flight flight = flight();
    if (flight != null) {
      flight.peer(call.peer()); // now, while the native call surely is there
    }
    Outbound out;
    Inbound in;
    boolean single;
    boolean closeSingle = false;
    CompletableFuture<Void> f;
    synchronized (this) {
      Status c = cancelled;
      if (c != null && received.code() == c.code()) {
        // The C core ended it with the code and message of our cancel(): report that status as
        // given, cause included (the C core carries no cause).
        received = c;
      } else if (c == null
          && parent != null
          && received.code() == Status.Code.CANCELLED
          && deadline != null
          && deadline.isExpired()) {
        // The C core cancels a child when its parent ends; when the parent ended at the deadline
        // they share, the child is reported as its own deadline timer (and grpc-java) would.
        received = Status.DEADLINE_EXCEEDED.withDescription("deadline of the parent call exceeded");
      }
      status = received;
      this.trailers = trailers;
      out = outbound;
      in = inbound;
      single = shape == Shape.UNARY || shape == Shape.CLIENT_STREAMING;
      f = requestSent;
      requestSent = null;
      if (single && !closed) {
        // The response and the close go in one task (run()); a cancel from now on is too late.
        this.headers = headers;
        singleLength = messageLength;
        singleCompressed = (byte) compressed;
        singleMessage = message;
        closed = true;
        closedWith = received;
        closeSingle = true;
      }
    }
    if (out != null) {
      out.finish(received);
    }
    if (f != null) { // the request of a held shape: gone with the call
      complete(f, received.isOk() ? null : new StatusException(received));
    }
    if (single) {
      if (!closeSingle || message != null || messageLength < 0) {
        dispose(); // here, on the poller: nothing more is read from the native call
      }
      if (closeSingle && trace != null && headers != null) {
        trace.clientHeadersReceived(headers); // before run() reports the close
      }
      if (closeSingle) {
        schedule(this); // which parses the response (from the native call if still there)
        released();
      }
      return;
    }
    Status failed = failure;
    if (failed != null) {
      closeWith(failed, trailers); // a response did not parse: nothing after it counts
    } else if (in == null || in.isDrained()) {
      closeWith(received, trailers);
    } else {
      in.drain(); // onInputDrained() closes
    }
    disposeIfDone();
  }

  /**
   * Delivers the call's end: the single response of a unary or client-streaming call that got one,
   * then onClose. The one task that {@link #closeWith} (or the status of a single-response call)
   * schedules.
   */
  @Override
  public void run() {
    Status s;
    Metadata t;
    Listener<RespT> l;
    Metadata h;
    int length;
    byte[] bytes;
    boolean single;
    synchronized (this) {
      s = closedWith;
      t = trailers;
      l = listener;
      h = headers;
      headers = null;
      length = singleLength;
      singleLength = -1;
      bytes = singleMessage;
      singleMessage = null;
      single = shape == Shape.UNARY || shape == Shape.CLIENT_STREAMING;
    }
    leaveScope(); // over: its context no longer cancels it
    Object previous = enterScope();
    try {
      try {
        if (s.isOk() && single) {
          s = deliverSingle(h, length, bytes);
        }
      } finally {
        if (single) {
          dispose(); // the response was read from it (if it was not copied out before)
        }
      }
      deliverClose(l, s, t);
    } finally {
      exitScope(previous);
    }
  }

  /**
   * Delivers the single response of an OK call, from {@code bytes} if it was copied out, else from
   * the native call; returns the status onClose reports.
   */
  private Status deliverSingle(Metadata h, int length, byte[] bytes) {
    if (length < 0) {
      return Status.INTERNAL.withDescription("No response message received");
    }
    if (h != null) {
      deliverHeaders(h);
    }
    if (failure == null) {
      if (trace != null) {
        trace.inboundMessage(length, singleCompressed);
      }
      RespT value;
      try {
        value =
            bytes != null
                ? method.responseMarshaller().parse(bytes, 0, bytes.length)
                : call.parseReceived(method.responseMarshaller(), length);
      } catch (RuntimeException | Error e) {
        return Status.INTERNAL.withDescription("Failed to parse response: " + e).withCause(e);
      }
      if (value != null) {
        deliverValue(value, singleCompressed);
      }
    }
    Status failed = failure;
    return failed != null ? failed : Status.OK;
  }

  /** Runs {@code task} on the call's callbacks, or for a unary call on its executor. */
  private void schedule(Runnable task) {
    SerializingExecutor c = callbacks;
    if (c != null) {
      c.execute(task);
      return;
    }
    Flight flight = flight();
    if (flight != null) {
      task = flight.timed(task);
    }
    try {
      executor.execute(task);
    } catch (RuntimeException e) { // rejected: the executor shut down
      java.util.concurrent.ForkJoinPool.commonPool().execute(task);
    }
  }

  @Override
  public void onMessageBytes(byte[] message, int compressed) {
    synchronized (this) {
      if (failure != null || cancelledHere) {
        return; // failed or cancelled here: nothing more is delivered
      }
    }
    Object previous = enterScope();
    try {
      deliverMessage(message, compressed);
    } finally {
      exitScope(previous);
    }
  }

  @Override
  public void onInputEnded() {
    disposeIfDone(); // with the status in, nothing more will start on the native call
  }

  @Override
  public void onInputDrained(boolean failed) {
    Status s;
    Metadata t;
    synchronized (this) {
      s = status;
      t = trailers;
    }
    if (s != null) {
      Status f = failure;
      closeWith(f != null ? f : s, t);
    }
    // Without a status yet (the input ended first), the status closes; either way the native
    // call may go now if nothing more will start on it.
    disposeIfDone();
  }

  @Override
  public void onSendReady() {
    callbacks.execute(this::readyTask);
  }

  @Override
  public Metadata headersToSend() {
    return null; // a client's headers go with its start batch
  }

  // ---- delivery (callbacks executor)

  private void deliverHeaders(Metadata h) {
    try {
      listener.onHeaders(h);
    } catch (Throwable t) {
      failFromListener(Status.CANCELLED.withDescription("Failed to read headers").withCause(t));
    }
  }

  private void deliverMessage(byte[] message, int compressed) {
    if (trace != null) {
      trace.inboundMessage(message.length, compressed);
    }
    RespT value;
    try {
      value = method.responseMarshaller().parse(message, 0, message.length);
    } catch (RuntimeException | Error e) {
      fail(Status.INTERNAL.withDescription("Failed to parse response: " + e).withCause(e));
      return;
    }
    deliverValue(value, compressed);
  }

  private void deliverValue(RespT value, int compressed) {
    lastCompressed = (byte) compressed;
    try {
      listener.onMessage(value);
    } catch (Throwable t) {
      failFromListener(Status.CANCELLED.withDescription("Failed to read message.").withCause(t));
    }
  }

  private void readyTask() {
    Object previous = enterScope();
    try {
      deliverReady();
    } finally {
      exitScope(previous);
    }
  }

  private void deliverReady() {
    Listener<RespT> l = listener;
    if (l == null || failure != null || !isReady()) {
      return;
    }
    try {
      l.onReady();
    } catch (Throwable t) {
      failFromListener(Status.CANCELLED.withDescription("Failed to call onReady.").withCause(t));
    }
  }

  private void failFromListener(Status s) {
    fail(s);
  }

  /**
   * The call fails here, on the client: nothing more is delivered, the call is cancelled, and
   * onClose reports {@code s} (at once if the status already came).
   */
  private void fail(Status s) {
    if (failure != null) {
      return;
    }
    failure = s;
    Inbound in;
    Status received;
    Metadata t;
    boolean single;
    synchronized (this) {
      in = inbound;
      received = status;
      t = trailers;
      single = shape == Shape.UNARY || shape == Shape.CLIENT_STREAMING;
    }
    if (in != null) {
      in.discard();
    }
    call.cancel(s.code(), s.description());
    if (received != null && !single) {
      // The status is in: the cancel cannot end the call any more, so close it here.
      closeWith(s, t);
      disposeIfDone();
    }
  }

  /** Schedules onClose once: the task is run(). */
  private void closeWith(Status s, Metadata t) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closedWith = s;
      trailers = t == null ? new Metadata() : t;
    }
    schedule(this);
    released();
    disposeIfDone();
  }

  /** Starts the call's JFR event now, if it has one, ahead of start() (credentials first). */
  void beginFlight() {
    Flight flight = flight();
    if (flight != null) {
      flight.begin();
    }
  }

  /** The call's JFR event, or null. */
  private Flight flight() {
    return trace == null ? null : trace.flight();
  }

  /** The close is queued: nothing more is scheduled for the call's JFR event. */
  private void released() {
    Flight flight = flight();
    if (flight != null) {
      flight.release();
    }
  }

  private void deliverClose(Listener<RespT> l, Status s, Metadata t) {
    Status f = failure;
    Status reported = s.isOk() && f != null ? f : s;
    if (trace != null) {
      trace.closed(reported, t);
    }
    try {
      l.onClose(reported, t);
    } catch (Throwable e) {
      System.getLogger(ClientCallImpl.class.getName())
          .log(System.Logger.Level.WARNING, "onClose of " + method + " threw", e);
    }
  }

  /** Drops the owner's reference once nothing more will be started on the native call. */
  private void disposeIfDone() {
    boolean done;
    synchronized (this) {
      done =
          status != null
              && !disposed
              && (closed || inbound == null || inbound.isEnded() || !nativeStarted);
    }
    if (done) {
      dispose();
    }
  }

  private void dispose() {
    synchronized (this) {
      if (disposed) {
        return;
      }
      disposed = true;
    }
    call.dispose();
  }

  @Override
  public String toString() {
    return "ClientCall{" + method.fullMethodName() + ", " + shape + "}";
  }
}
