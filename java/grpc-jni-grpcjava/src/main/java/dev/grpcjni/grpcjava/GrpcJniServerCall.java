// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java {@link ServerCall} carried by a grpc-jni server call.
 *
 * <pre>
 * Overview:
 *   As grpc-java's server does: the handler starts, and every listener callback runs, in the
 *   call's Context (ROOT with the client's deadline, if any, else cancellable), which is
 *   cancelled when the call ends: at once, with the cause, when cancelled; after onComplete when
 *   completed. Callbacks come one at a time on the server's executor (grpc-jni's engine serializes
 *   them).
 *   Stream tracers (ServerBuilder.addStreamTracerFactory) see the call's arrival (filterContext,
 *   serverCallStarted), its messages both ways with their sizes (from grpc-jni's tracer of the
 *   call, ServerEvents) and its end (streamClosed), also for a method no service has.
 * </pre>
 */
final class GrpcJniServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final dev.grpcjni.ServerCall<ReqT, RespT> call;
  private final MethodDescriptor<ReqT, RespT> method;
  private final ServerStreamTracer[] tracers;
  private final Context.CancellableContext context;
  private volatile boolean closedStreamTracers;
  private volatile Status closeStatus; // what close() sent, for the tracers
  private volatile Attributes attributes; // from the first getAttributes()
  private boolean headersHeld; // a unary method's sendHeaders: they go with the response
  private boolean messageSent;
  private volatile dev.grpcjni.AuthContext auth; // from the first that needs it

  private GrpcJniServerCall(
      dev.grpcjni.ServerCall<ReqT, RespT> call,
      MethodDescriptor<ReqT, RespT> method,
      ServerStreamTracer[] tracers,
      Context.CancellableContext context) {
    this.call = call;
    this.method = method;
    this.tracers = tracers;
    this.context = context;
  }

  /**
   * Runs {@code handler} for {@code call}; returns the listener grpc-jni's engine delivers to.
   *
   * @param factories the server's stream tracer factories
   */
  static <ReqT, RespT> dev.grpcjni.ServerCall.Listener<ReqT> start(
      dev.grpcjni.ServerCall<ReqT, RespT> call,
      MethodDescriptor<ReqT, RespT> method,
      ServerCallHandler<ReqT, RespT> handler,
      List<ServerStreamTracer.Factory> factories) {
    dev.grpcjni.ServerCallContext cc = call.context();
    Metadata headers = Bridge.toGrpc(cc.requestHeaders(), null);
    if (cc.deadline() != null) {
      // The C core took the header; grpc-java's servers show it to handlers and interceptors.
      headers.put(TIMEOUT_KEY, timeoutValue(cc.deadline().timeRemaining(TimeUnit.NANOSECONDS)));
    }
    ServerStreamTracer[] tracers = newTracers(factories, cc.fullMethodName(), headers);
    Context.CancellableContext context = newContext(cc.deadline());
    Context filtered = context;
    for (ServerStreamTracer t : tracers) {
      filtered = t.filterContext(filtered);
    }
    if (tracers.length > 0) {
      ServerEvents events = cc.tracer(ServerEvents.class);
      if (events != null) { // the server's, made when the call arrived: it reports the messages
        events.tracers(tracers);
      }
    }
    GrpcJniServerCall<ReqT, RespT> sc = new GrpcJniServerCall<>(call, method, tracers, context);
    ServerStreamTracer.ServerCallInfo<ReqT, RespT> info = sc.new Info();
    for (ServerStreamTracer t : tracers) {
      t.serverCallStarted(info);
    }
    Context previous = filtered.attach();
    ServerCall.Listener<ReqT> l;
    try {
      l = handler.startCall(sc, headers);
    } catch (RuntimeException | Error e) {
      // As grpc-java's server: a StatusRuntimeException's status, else UNKNOWN with the cause.
      sc.close(Status.fromThrowable(e), new Metadata());
      l = new ServerCall.Listener<ReqT>() {}; // the call's end still closes tracers and Context
    } finally {
      filtered.detach(previous);
    }
    if (l == null) {
      sc.close(Status.INTERNAL.withDescription("startCall() returned a null listener"), null);
      l = new ServerCall.Listener<ReqT>() {};
    }
    return sc.new ListenerAdapter(l, filtered);
  }

  private static final Metadata.Key<String> TIMEOUT_KEY =
      Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

  /** {@code nanos} as a grpc-timeout value: at most 8 digits and a unit, as gRPC's HTTP/2 spec. */
  static String timeoutValue(long nanos) {
    long n = Math.max(0, nanos);
    final long cutoff = 100_000_000;
    if (n < cutoff) {
      return n + "n";
    } else if (n < cutoff * 1_000L) {
      return TimeUnit.NANOSECONDS.toMicros(n) + "u";
    } else if (n < cutoff * 1_000_000L) {
      return TimeUnit.NANOSECONDS.toMillis(n) + "m";
    } else if (n < cutoff * 1_000_000_000L) {
      return TimeUnit.NANOSECONDS.toSeconds(n) + "S";
    } else if (n < cutoff * 1_000_000_000L * 60L) {
      return TimeUnit.NANOSECONDS.toMinutes(n) + "M";
    } else {
      return Math.min(cutoff - 1, TimeUnit.NANOSECONDS.toHours(n)) + "H";
    }
  }

  static ServerStreamTracer[] newTracers(
      List<ServerStreamTracer.Factory> factories, String fullMethodName, Metadata headers) {
    ServerStreamTracer[] out = new ServerStreamTracer[factories.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = factories.get(i).newServerStreamTracer(fullMethodName, headers);
    }
    return out;
  }

  private static Context.CancellableContext newContext(dev.grpcjni.Deadline deadline) {
    if (deadline == null) {
      return Context.ROOT.withCancellation();
    }
    return Context.ROOT.withDeadline(
        io.grpc.Deadline.after(deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS),
        DefaultExecutors.DEADLINES);
  }

  private void closeTracers(Status status) {
    if (closedStreamTracers) {
      return;
    }
    closedStreamTracers = true;
    for (ServerStreamTracer t : tracers) {
      t.streamClosed(status);
    }
  }

  // ---- ServerCall

  @Override
  public void request(int numMessages) {
    call.request(numMessages);
  }

  /**
   * As grpc-java's server, which does not flush a unary method's headers: they go out with its
   * response (grpc-jni's one batch of headers, message and status, instead of a batch for the
   * headers first), or before an error status if no response comes. Other methods' go now
   * (grpc-java's server flushes a client-streaming method's as it reads the next request).
   */
  @Override
  public void sendHeaders(Metadata headers) {
    if (method.getType() == MethodDescriptor.MethodType.UNARY) {
      if (headersHeld) {
        throw new IllegalStateException("sendHeaders has already been called");
      } else if (closeStatus != null) {
        throw new IllegalStateException("call is closed");
      }
      headersHeld = true;
      dev.grpcjni.Metadata md = Bridge.toCore(headers);
      if (md != null && !md.isEmpty()) {
        call.context().responseHeaders().merge(md);
      }
      return;
    }
    call.sendHeaders(Bridge.toCore(headers));
  }

  @Override
  public void sendMessage(RespT message) {
    messageSent = true;
    call.sendUnobserved(message); // grpc-java's sendMessage: paced by isReady, no future
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (headersHeld && !messageSent && closeStatus == null) {
      // Sent headers and no response: they go first, as on grpc-java's server, so the client
      // gets them (not a trailers-only response).
      call.sendHeaders(null);
    }
    if (closeStatus == null) {
      closeStatus = status;
    }
    dev.grpcjni.Status s = toCore(status);
    byte[] details = null;
    if (trailers != null) {
      Metadata.Key<byte[]> key =
          Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);
      details = trailers.get(key);
    }
    if (details != null) {
      s = s.withDetails(details);
    }
    call.close(s, Bridge.toCore(trailers));
  }

  static dev.grpcjni.Status toCore(Status status) {
    dev.grpcjni.Status s = dev.grpcjni.Status.fromCodeValue(status.getCode().value());
    if (status.getDescription() != null) {
      s = s.withDescription(status.getDescription());
    }
    if (status.getCause() != null) {
      s = s.withCause(status.getCause());
    }
    return s;
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public boolean isCancelled() {
    return call.isCancelled();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    call.setMessageCompression(enabled);
  }

  @Override
  public void setCompression(String compressor) {
    if ("identity".equals(compressor)) {
      return;
    }
    try {
      call.context().setCompression(compressor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unable to find compressor by name " + compressor, e);
    }
  }

  /**
   * As grpc-java's transports: the client's address ({@code TRANSPORT_ATTR_REMOTE_ADDR}) and, for
   * TLS, the session ({@code TRANSPORT_ATTR_SSL_SESSION}) with the client's certificates. Read from
   * the C core's call the first time they are asked for and kept; the C core's call is gone once
   * the call is over (before onComplete or onCancel run), so attributes first asked for then are
   * empty. Interceptors, which ask as the call starts, always have them. libgrpc 1.51 does not tell
   * a call its local address, so {@code TRANSPORT_ATTR_LOCAL_ADDR} is absent.
   */
  @Override
  public Attributes getAttributes() {
    Attributes a = attributes;
    if (a != null) {
      return a;
    }
    SocketAddress remote = Peers.address(call.context().peer());
    if (remote == null) {
      return Attributes.EMPTY; // the C core's call is over (or its peer is no IP address)
    }
    attributes = a = Peers.transportAttributes(remote, auth());
    return a;
  }

  /** The call's auth context, read from the C core once while it is there. */
  private dev.grpcjni.AuthContext auth() {
    dev.grpcjni.AuthContext a = auth;
    if (a == null) {
      a = call.context().authContext();
      if (a != dev.grpcjni.AuthContext.NONE) { // NONE: the C core's call is over; not kept
        auth = a;
      }
    }
    return a;
  }

  @Override
  public String getAuthority() {
    return null; // the C core 1.51 does not hand the server the :authority it received
  }

  /** The connection's security: PRIVACY_AND_INTEGRITY over TLS (and local credentials). */
  @Override
  public SecurityLevel getSecurityLevel() {
    return TlsSession.securityLevel(auth());
  }

  @Override
  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return method;
  }

  /** What a stream tracer learns when the call starts. */
  private final class Info extends ServerStreamTracer.ServerCallInfo<ReqT, RespT> {
    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
      return method;
    }

    @Override
    public Attributes getAttributes() {
      return GrpcJniServerCall.this.getAttributes();
    }

    @Override
    public String getAuthority() {
      return null;
    }
  }

  /** grpc-jni's callbacks, handed on to the grpc-java listener in the call's Context. */
  private final class ListenerAdapter extends dev.grpcjni.ServerCall.Listener<ReqT> {
    private final ServerCall.Listener<ReqT> listener;
    private final Context callContext; // the Context the tracers made of the call's

    ListenerAdapter(ServerCall.Listener<ReqT> listener, Context callContext) {
      this.listener = listener;
      this.callContext = callContext;
    }

    @Override
    public void onMessage(ReqT message) {
      Context previous = callContext.attach();
      try {
        listener.onMessage(message);
      } finally {
        callContext.detach(previous);
      }
    }

    @Override
    public void onHalfClose() {
      Context previous = callContext.attach();
      try {
        listener.onHalfClose();
      } finally {
        callContext.detach(previous);
      }
    }

    @Override
    public void onReady() {
      Context previous = callContext.attach();
      try {
        listener.onReady();
      } finally {
        callContext.detach(previous);
      }
    }

    @Override
    public void onCancel() {
      closeTracers(Status.CANCELLED);
      // As grpc-java: the Context goes at once, so the calls the handler made stop now.
      context.cancel(Status.CANCELLED.withDescription("RPC cancelled").asRuntimeException());
      Context previous = callContext.attach();
      try {
        listener.onCancel();
      } finally {
        callContext.detach(previous);
      }
    }

    @Override
    public void onComplete() {
      Status sent = closeStatus;
      closeTracers(sent != null ? sent : Status.OK);
      Context previous = callContext.attach();
      try {
        listener.onComplete();
      } finally {
        callContext.detach(previous);
        context.cancel(null); // as grpc-java: a completed call's Context ends after onComplete
      }
    }
  }
}
