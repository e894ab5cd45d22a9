// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.CallTracer;
import dev.grpcjni.ClientCallTracer;
import dev.grpcjni.Metadata;
import dev.grpcjni.ServerCallTracer;
import dev.grpcjni.Status;
import dev.grpcjni.codec.Marshaller;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The tracers of one call, as the call engines report to them: sequence numbers, sizes, the close
 * reported once, and a tracer that throws kept from the call. A call without tracers has none of
 * this (its engine holds null).
 *
 * <p>Events are reported under this object's lock, so a call's tracers never see two at once, and
 * none after the close: the tracers need no locking of their own. The lock is only ever taken last
 * (a call engine may hold its own), and tracers are never given anything that could call back.
 */
final class Trace {
  private static final System.Logger logger = System.getLogger(CallTracer.class.getName());
  private static volatile boolean warned; // the first tracer failure is a warning, others debug

  private static final CallTracer[] NONE = {};

  private final List<ClientCallTracer.Factory> clientFactories; // a client's, until it starts
  private final String target; // a client's channel's
  private final Flight flight; // the call's JFR event, or null: none recording it
  private CallTracer[] tracers; // guarded by this
  // ---- guarded by this
  private int sent;
  private int received;
  private Metadata emptyHeaders; // received empty: reported once the call shows they were real
  private Status sentStatus; // a server's, from close()
  // A client's start: reported once the C core took it (or something came back), dropped if it
  // failed; a call that never went out reports only its close.
  private boolean startPending;
  private long pendingRequest = NO_REQUEST; // the size of the request that goes with the start
  private boolean wentOut;
  private boolean startFailed;

  private static final long NO_REQUEST = Long.MIN_VALUE;
  // The C core may compress what this side sends when compression is configured (for the call,
  // its channel or its server) and not turned off for the messages (setMessageCompression).
  private volatile boolean compressionConfigured;
  private volatile boolean messageCompression = true;
  private boolean closed; // guarded by this

  private Trace(
      CallTracer[] tracers,
      List<ClientCallTracer.Factory> clientFactories,
      String target,
      boolean compressionConfigured,
      Flight flight) {
    this.flight = flight;
    this.tracers = tracers;
    this.clientFactories = clientFactories;
    this.target = target;
    this.compressionConfigured = compressionConfigured;
  }

  /**
   * The tracing of a client call whose channel or options have tracer {@code factories}; they make
   * its tracers when it starts ({@link #startClient}).
   *
   * @param target the channel's target
   * @param compresses whether the channel compresses requests by default
   * @param flight the call's JFR event, or null
   */
  static Trace client(
      List<ClientCallTracer.Factory> factories, String target, boolean compresses, Flight flight) {
    return new Trace(NONE, factories, target, compresses, flight);
  }

  /** The call's JFR event, or null. */
  Flight flight() {
    return flight;
  }

  /** Whether the call has tracers (made by now, for a client: after {@link #startClient}). */
  synchronized boolean hasTracers() {
    return tracers.length > 0;
  }

  /** Whether {@code headers} ask the C core to compress (a call's or a response's). */
  static boolean requestsCompression(Metadata headers) {
    if (headers == null) {
      return false;
    }
    // dev.grpcjni.Compression's internal key: the core reads it and never sends it.
    String name = headers.get("grpc-internal-encoding-request");
    return name != null && !"identity".equals(name);
  }

  /**
   * The client call starts with {@code headers} (null for none): the factories make its tracers.
   * Its own compression request, in the headers, counts too.
   */
  synchronized void startClient(dev.grpcjni.MethodDescriptor<?, ?> method, Metadata headers) {
    if (requestsCompression(headers)) {
      compressionConfigured = true;
    }
    ClientCallTracer.CallInfo info =
        new ClientCallTracer.CallInfo(method, target, headers == null ? new Metadata() : headers);
    tracers = make(clientFactories, f -> f.newClientCallTracer(info));
    if (flight != null) {
      flight.begin();
    }
  }

  /** The tracers {@code factories} make (a factory that throws or returns null makes none). */
  private static <F> CallTracer[] make(
      List<F> factories, java.util.function.Function<F, CallTracer> make) {
    CallTracer[] made = new CallTracer[factories.size()];
    int n = 0;
    for (F f : factories) {
      try {
        CallTracer t = make.apply(f);
        if (t != null) {
          made[n++] = t;
        }
      } catch (RuntimeException | Error e) {
        failed(f, e);
      }
    }
    return n == made.length ? made : java.util.Arrays.copyOf(made, n);
  }

  /** Likewise for a server call that arrived with {@code info}; null if it has neither. */
  static Trace server(
      List<ServerCallTracer.Factory> factories,
      ServerCallTracer.CallInfo info,
      boolean mayCompress,
      Flight flight) {
    CallTracer[] made =
        factories.isEmpty() ? NONE : make(factories, f -> f.newServerCallTracer(info));
    return made.length == 0 && flight == null
        ? null
        : new Trace(made, null, null, mayCompress, flight);
  }

  private static void failed(Object tracer, Throwable e) {
    Level level = warned ? Level.DEBUG : Level.WARNING;
    warned = true;
    logger.log(level, "call tracer " + tracer.getClass().getName() + " threw; ignored", e);
  }

  /** setMessageCompression: whether what this side sends from now on may be compressed. */
  void messageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  /** A server call's close() sends {@code status} (the first one counts). */
  synchronized void serverClosing(Status status) {
    if (sentStatus == null) {
      sentStatus = status;
    }
  }

  /** The server call is over: with the status it sent, or CANCELLED if it was cancelled. */
  void serverClosed(boolean cancelled) {
    Status s;
    synchronized (this) {
      s = cancelled ? Status.CANCELLED : sentStatus != null ? sentStatus : Status.OK;
    }
    closed(s, null);
  }

  /** The call's tracer of {@code type}, or null if it has none. */
  synchronized <T extends CallTracer> T find(Class<T> type) {
    for (CallTracer t : tracers) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** {@code message} is handed to the call. */
  <T> void outboundMessage(Marshaller<T> marshaller, T message) {
    long size = sizeOf(marshaller, message);
    if (size >= 0) {
      outbound(size);
    }
  }

  /** The serialized size of {@code message}, or -1 if it fails (the send reports that). */
  private static <T> long sizeOf(Marshaller<T> marshaller, T message) {
    try {
      return marshaller.serializedSize(message);
    } catch (RuntimeException e) {
      return -1; // not counted: it never goes out
    }
  }

  /**
   * A client's start batch is about to go to the C core, with {@code request} (of {@code
   * marshaller}) when {@code withRequest}; reported by {@link #clientStarted}, or by whatever the
   * call reports first after it.
   */
  <T> void clientStarting(Marshaller<T> marshaller, T request, boolean withRequest) {
    long size = withRequest ? sizeOf(marshaller, request) : NO_REQUEST;
    synchronized (this) {
      startPending = true;
      pendingRequest = size < 0 ? NO_REQUEST : size;
    }
  }

  /** The C core took the start batch. */
  synchronized void clientStarted() {
    flushStart();
  }

  /** The start batch failed: it is not reported, nor anything sent after it. */
  synchronized void clientStartFailed() {
    startPending = false;
    startFailed = true;
  }

  private void flushStart() {
    if (!startPending) {
      return;
    }
    startPending = false;
    wentOut = true;
    for (CallTracer t : tracers) {
      try {
        ((ClientCallTracer) t).outboundHeaders();
      } catch (RuntimeException | Error e) {
        failed(t, e);
      }
    }
    if (pendingRequest != NO_REQUEST) {
      reportOutbound(pendingRequest);
    }
  }

  private synchronized void outbound(long size) {
    if (closed || startFailed) {
      return;
    }
    flushStart();
    reportOutbound(size);
  }

  private void reportOutbound(long size) {
    if (flight != null) {
      flight.sent(size);
    }
    int seq = sent++;
    long wire = compressionConfigured && messageCompression ? -1 : size;
    for (CallTracer t : tracers) {
      try {
        t.outboundMessage(seq, wire, size);
      } catch (RuntimeException | Error e) {
        failed(t, e);
      }
    }
  }

  /**
   * A message of {@code length} bytes (after decompression) is delivered; {@code compressed}: 1 it
   * came compressed, 0 not, -1 the C core does not say.
   */
  synchronized void inboundMessage(long length, int compressed) {
    if (closed) {
      return;
    }
    flushStart();
    flushHeaders();
    if (flight != null) {
      flight.received(length);
    }
    int seq = received++;
    long wire = compressed == 0 ? length : -1;
    for (CallTracer t : tracers) {
      try {
        t.inboundMessage(seq, wire, length);
      } catch (RuntimeException | Error e) {
        failed(t, e);
      }
    }
  }

  /**
   * A client's response headers arrived. The C core hands a call that fails before any came (a
   * trailers-only response, a cancel, the deadline) empty headers too: empty ones are reported only
   * with the first response or an OK close, where they surely came.
   */
  synchronized void clientHeadersReceived(Metadata headers) {
    if (closed) {
      return;
    }
    flushStart();
    if (headers.isEmpty()) {
      emptyHeaders = headers;
      return;
    }
    reportHeaders(headers);
  }

  private void flushHeaders() {
    Metadata h = emptyHeaders;
    if (h != null) {
      emptyHeaders = null;
      reportHeaders(h);
    }
  }

  private void reportHeaders(Metadata headers) {
    for (CallTracer t : tracers) {
      try {
        ((ClientCallTracer) t).inboundHeaders(headers);
      } catch (RuntimeException | Error e) {
        failed(t, e);
      }
    }
  }

  /** A server's response headers went to the C core. */
  synchronized void serverHeadersSent(Metadata headers) {
    if (closed) {
      return;
    }
    if (requestsCompression(headers)) {
      compressionConfigured = true; // setCompression, or Compression.request on them
    }
    headers = new Metadata(headers); // the tracers' own: the call's may be shared or change
    for (CallTracer t : tracers) {
      try {
        ((ServerCallTracer) t).outboundHeaders(headers);
      } catch (RuntimeException | Error e) {
        failed(t, e);
      }
    }
  }

  /**
   * The call is over with {@code status}; a client's {@code trailers} (null on a server) are
   * reported first if the call went out. Only the first close counts.
   */
  synchronized void closed(Status status, Metadata trailers) {
    if (closed) {
      return;
    }
    flushStart(); // the call ended after its start went out, before that was reported
    if (status.isOk()) {
      flushHeaders();
    }
    closed = true;
    if (flight != null) {
      flight.closed(status);
    }
    for (CallTracer t : tracers) {
      if (trailers != null && wentOut) {
        try {
          ((ClientCallTracer) t).inboundTrailers(trailers);
        } catch (RuntimeException | Error e) {
          failed(t, e);
        }
      }
      try {
        t.callClosed(status);
      } catch (RuntimeException | Error e) {
        failed(t, e);
      }
    }
  }
}
