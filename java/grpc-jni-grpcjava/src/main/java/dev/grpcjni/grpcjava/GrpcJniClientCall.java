// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A grpc-java {@link ClientCall} carried by a grpc-jni call.
 *
 * <pre>
 * Overview:
 *   Made by newCall in the caller's grpc-java Context, as grpc-java's own calls are: the call's
 *   deadline is the earlier of the CallOptions' and the Context's, the Context's cancellation
 *   cancels the call, and every listener callback runs with that Context attached.
 *   Callbacks run on CallOptions.getExecutor() if set (a blocking stub's ThreadlessExecutor, so its
 *   thread drains them), else on the channel's executor, one at a time, in order: grpc-jni's engine
 *   serializes them (onHeaders, onMessage*, onClose, onReady between).
 *   grpc-jni's own Context plays no part (it is detached while the call is made).
 *   A call whose deadline passed before start() is not sent: onClose gets DEADLINE_EXCEEDED in
 *   grpc-java's words ("ClientCall started after CallOptions deadline was exceeded ...").
 * </pre>
 */
final class GrpcJniClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private final dev.grpcjni.ClientCall<ReqT, RespT> call;
  private final Context context;
  private final Deadline deadline;
  private final boolean deadlineFromOptions; // the CallOptions' deadline is the effective one
  private final Executor executor;
  private final CallOptions options;
  private final io.grpc.MethodDescriptor.Marshaller<ReqT> requestMarshaller;
  private final long createdNanos = System.nanoTime();
  // The CallOptions' factories' tracers, from start(); their message events come from grpc-jni's
  // tracer of the call (MessageSizes), with the sizes grpc-jni knows.
  private volatile ClientStreamTracer[] tracers = NO_TRACERS;
  private volatile boolean failedEarly; // closed before it went out: the rest does nothing
  private Context.CancellationListener cancellation; // while the call runs, if cancellable
  private volatile Attributes attributes; // from the first getAttributes() on a connection

  private static final ClientStreamTracer[] NO_TRACERS = new ClientStreamTracer[0];

  GrpcJniClientCall(
      dev.grpcjni.Channel channel,
      dev.grpcjni.MethodDescriptor<ReqT, RespT> method,
      io.grpc.MethodDescriptor.Marshaller<ReqT> requestMarshaller,
      CallOptions options,
      Executor channelExecutor,
      dev.grpcjni.CallCredentials credentials) {
    this.context = Context.current();
    this.options = options;
    this.requestMarshaller = requestMarshaller;
    Deadline fromOptions = options.getDeadline();
    this.deadline = Bridge.earlier(fromOptions, context.getDeadline());
    this.deadlineFromOptions = deadline != null && deadline == fromOptions;
    this.executor = options.getExecutor() != null ? options.getExecutor() : channelExecutor;
    dev.grpcjni.CallOptions core = dev.grpcjni.CallOptions.DEFAULT.withExecutor(executor);
    if (deadline != null) {
      core = core.withDeadline(Bridge.toCore(deadline));
    }
    if (options.isWaitForReady()) {
      core = core.withWaitForReady();
    }
    if (credentials != null) {
      core = core.withCallCredentials(credentials);
    }
    if (!options.getStreamTracerFactories().isEmpty()) {
      core = core.withCallTracer(info -> new CoreEvents());
    }
    String compressor = options.getCompressor();
    if (compressor != null && !"identity".equals(compressor)) {
      core = core.withCompression(compressor);
    }
    // Made outside any grpc-jni Context (a grpc-jni server's handler runs in one): deadline and
    // cancellation come from grpc-java's Context only, as in grpc-java (where a call made in a
    // fork() outlives the server call, for one).
    dev.grpcjni.Context previous = dev.grpcjni.Context.ROOT.attach();
    try {
      this.call = channel.newCall(method, core);
    } finally {
      dev.grpcjni.Context.ROOT.detach(previous);
    }
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    if (listener == null) {
      throw new NullPointerException("listener");
    }
    if (headers == null) {
      throw new NullPointerException("headers");
    }
    tracers = newTracers(headers);
    if (deadline != null && deadline.isExpired()) {
      // As grpc-java: not sent, and said in its words (its interop suite checks them).
      failEarly(
          listener,
          Status.DEADLINE_EXCEEDED.withDescription(
              String.format(
                  Locale.ROOT,
                  "ClientCall started after %s deadline was exceeded %.9f seconds ago",
                  deadlineFromOptions ? "CallOptions" : "Context",
                  -deadline.timeRemaining(TimeUnit.NANOSECONDS) / 1e9)));
      return;
    }
    if (context.isCancelled()) {
      failEarly(listener, Contexts.statusFromCancelled(context));
      return;
    }
    dev.grpcjni.Metadata coreHeaders;
    try {
      coreHeaders = Bridge.toCore(headers);
    } catch (IllegalArgumentException e) {
      failEarly(
          listener,
          Status.INTERNAL
              .withDescription("Invalid request metadata: " + e.getMessage())
              .withCause(e));
      return;
    }
    for (ClientStreamTracer t : tracers) {
      t.streamCreated(Attributes.EMPTY, headers);
    }
    call.start(new ListenerAdapter(listener), coreHeaders); // CoreEvents: outboundHeaders()
    if (context != Context.ROOT) {
      Context.CancellationListener l =
          c -> {
            Throwable cause = c.cancellationCause();
            if (!(cause instanceof TimeoutException)) {
              // A Context that timed out needs nothing: its deadline is the call's, in the C core.
              call.cancel("Context cancelled", cause);
            }
          };
      synchronized (this) {
        cancellation = l;
      }
      context.addListener(l, Runnable::run);
    }
  }

  private ClientStreamTracer[] newTracers(Metadata headers) {
    java.util.List<ClientStreamTracer.Factory> factories = options.getStreamTracerFactories();
    if (factories.isEmpty()) {
      return NO_TRACERS;
    }
    ClientStreamTracer.StreamInfo info =
        ClientStreamTracer.StreamInfo.newBuilder().setCallOptions(options).build();
    ClientStreamTracer[] out = new ClientStreamTracer[factories.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = factories.get(i).newClientStreamTracer(info, headers);
    }
    return out;
  }

  /** Ends a call that never went out: onClose with {@code s}, on the call's executor. */
  private void failEarly(Listener<RespT> listener, Status s) {
    failedEarly = true;
    for (ClientStreamTracer t : tracers) {
      t.streamClosed(s);
    }
    executor.execute(() -> runInContext(() -> listener.onClose(s, new Metadata())));
  }

  private void runInContext(Runnable r) {
    Context previous = context.attach();
    try {
      r.run();
    } finally {
      context.detach(previous);
    }
  }

  private void removeCancellation() {
    Context.CancellationListener l;
    synchronized (this) {
      l = cancellation;
      cancellation = null;
    }
    if (l != null) {
      context.removeListener(l);
    }
  }

  @Override
  public void request(int numMessages) {
    if (failedEarly) {
      return;
    }
    call.request(numMessages);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    if (failedEarly) {
      return;
    }
    if (message == null && cause == null) {
      cause =
          new java.util.concurrent.CancellationException("Cancelled without a message or cause");
    }
    call.cancel(message, cause);
  }

  @Override
  public void halfClose() {
    if (failedEarly) {
      return;
    }
    call.halfClose();
  }

  @Override
  public void sendMessage(ReqT message) {
    if (failedEarly) {
      return;
    }
    Integer max = options.getMaxOutboundMessageSize();
    long size = max != null ? uncompressedSize(message) : -1;
    if (max != null && size > max) {
      // As grpc-java: the message is refused and the call cancelled, the cause saying why.
      call.cancel(
          "Failed to stream message",
          Status.RESOURCE_EXHAUSTED
              .withDescription(String.format(Locale.ROOT, "message too large %d > %d", size, max))
              .asRuntimeException());
      return;
    }
    call.sendUnobserved(message); // grpc-java's sendMessage: paced by isReady, no future
  }

  /** The message's serialized size where its stream knows it, else -1. */
  private long uncompressedSize(ReqT message) {
    try (java.io.InputStream in = requestMarshaller.stream(message)) {
      return in instanceof io.grpc.KnownLength ? in.available() : -1;
    } catch (java.io.IOException | RuntimeException e) {
      return -1; // the send reports the marshaller's failure
    }
  }

  @Override
  public boolean isReady() {
    return !failedEarly && call.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    if (failedEarly) {
      return;
    }
    call.setMessageCompression(enabled);
  }

  /**
   * As grpc-java's transports: the server's address ({@code TRANSPORT_ATTR_REMOTE_ADDR}) and, for
   * TLS, the session ({@code TRANSPORT_ATTR_SSL_SESSION}) with the server's certificates. Known
   * once the call is on a connection (from onHeaders at the latest) and, for every kind of call, in
   * onClose and after it (as OpenTelemetry's client interceptor reads them); empty before, and for
   * a call that never reached a server. Read the first time they are asked for while the call is on
   * a connection, and kept. The session is read from the C core's call, which is there from a
   * streaming call's onHeaders until shortly after its status: asked in onHeaders, a streaming call
   * has it; a unary call (whose C core call ends in the batch that brings its response) has the
   * address only, and a streaming call first asked in onClose may. libgrpc 1.51 does not tell a
   * call its local address, so {@code TRANSPORT_ATTR_LOCAL_ADDR} is absent.
   */
  @Override
  public Attributes getAttributes() {
    Attributes a = attributes;
    if (a != null) {
      return a;
    }
    String peer = call.peer();
    if ("unknown".equals(peer)) {
      return Attributes.EMPTY; // not on a connection (yet)
    }
    a = Peers.serverAttributes(peer, call.authContext());
    if (a != Attributes.EMPTY) {
      attributes = a;
    }
    return a;
  }

  /**
   * grpc-jni's tracer of the call, handing its events to the grpc-java stream tracers as
   * grpc-java's transports do: the headers when they really go out (for a unary call at halfClose,
   * after call credentials), then per message its number, sizes, and sent or read, with the sizes
   * grpc-jni knows: the serialized size always, the wire size unless the C core compresses (-1
   * then).
   */
  private final class CoreEvents extends dev.grpcjni.ClientCallTracer {
    @Override
    public void outboundHeaders() {
      for (ClientStreamTracer t : tracers) {
        t.outboundHeaders();
      }
    }

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      StreamTracers.outbound(tracers, seqNo, wireSize, uncompressedSize);
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      StreamTracers.inbound(tracers, seqNo, wireSize, uncompressedSize);
    }
  }

  /** grpc-jni's callbacks, handed on to the grpc-java listener in the call's Context. */
  private final class ListenerAdapter extends dev.grpcjni.ClientCall.Listener<RespT> {
    private final Listener<RespT> listener;

    ListenerAdapter(Listener<RespT> listener) {
      this.listener = listener;
    }

    @Override
    public void onHeaders(dev.grpcjni.Metadata headers) {
      Metadata h = Bridge.toGrpc(headers, null);
      for (ClientStreamTracer t : tracers) {
        Compat.inboundHeaders(t, h);
      }
      Context previous = context.attach();
      try {
        listener.onHeaders(h);
      } finally {
        context.detach(previous);
      }
    }

    @Override
    public void onMessage(RespT message) {
      Context previous = context.attach();
      try {
        listener.onMessage(message);
      } finally {
        context.detach(previous);
      }
    }

    @Override
    public void onReady() {
      Context previous = context.attach();
      try {
        listener.onReady();
      } finally {
        context.detach(previous);
      }
    }

    @Override
    public void onClose(dev.grpcjni.Status status, dev.grpcjni.Metadata trailers) {
      removeCancellation();
      Status s = Bridge.toGrpc(status);
      if (status.cause() instanceof StreamMarshaller.TooLarge) {
        s = ((StreamMarshaller.TooLarge) status.cause()).getStatus(); // RESOURCE_EXHAUSTED
      } else if ((s.getCode() == Status.Code.DEADLINE_EXCEEDED
              || s.getCode() == Status.Code.CANCELLED)
          && deadline != null
          && deadline.isExpired()) {
        // A server whose deadline passed can only reset the stream (RST_STREAM CANCEL), and that
        // may arrive before the C core's own timer fires: as grpc-java's ClientCallImpl does, a
        // cancellation at or after the deadline is reported as DEADLINE_EXCEEDED, with trailers
        // of its own. In grpc-java's words, which its users match on; the C core's in brackets.
        s =
            Status.DEADLINE_EXCEEDED.withDescription(
                String.format(
                    Locale.ROOT,
                    "%s deadline exceeded after %.9fs. [%s]",
                    deadlineFromOptions ? "CallOptions" : "Context",
                    (System.nanoTime() - createdNanos) / 1e9,
                    status.description()));
        if (status.code() == dev.grpcjni.Status.Code.CANCELLED) {
          trailers = new dev.grpcjni.Metadata();
        }
      }
      Metadata t = Bridge.toGrpc(trailers, status.details());
      for (ClientStreamTracer tracer : tracers) {
        tracer.inboundTrailers(t);
        tracer.streamClosed(s);
      }
      Context previous = context.attach();
      try {
        listener.onClose(s, t);
      } finally {
        context.detach(previous);
      }
    }
  }
}
