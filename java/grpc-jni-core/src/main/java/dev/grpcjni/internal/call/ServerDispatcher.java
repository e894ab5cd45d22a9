// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerCallTracer;
import dev.grpcjni.ServerMethodDefinition;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.internal.transport.CallAcceptor;
import dev.grpcjni.internal.transport.NativeCall;
import dev.grpcjni.internal.transport.NativeServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Finds the handler for each call a server receives: the registered method's, the fallback
 * handler's for methods not registered, or none (the call is answered UNIMPLEMENTED).
 *
 * <p>Thread-safe and immutable: it is read by every poller, without locks.
 */
public final class ServerDispatcher implements CallAcceptor {
  private final ServerMethodDefinition<?, ?>[] methods; // in registration order
  private final ServerCallHandler<byte[], byte[]> fallback; // null: UNIMPLEMENTED
  private final Executor executor;
  private final List<ServerCallTracer.Factory> tracers; // empty: calls are not traced
  private final boolean compresses; // the server compresses responses by default

  /**
   * @param methods the methods the server registers, their handlers already intercepted
   * @param fallback serves calls to any other method, as raw bytes; null to answer UNIMPLEMENTED
   * @param executor where handlers run
   * @param tracers make the tracers of each call; empty for none
   * @param compresses whether the server compresses responses by default
   */
  public ServerDispatcher(
      List<ServerMethodDefinition<?, ?>> methods,
      ServerCallHandler<byte[], byte[]> fallback,
      Executor executor,
      List<ServerCallTracer.Factory> tracers,
      boolean compresses) {
    this.tracers = tracers;
    this.compresses = compresses;
    this.methods = methods.toArray(new ServerMethodDefinition<?, ?>[0]);
    this.fallback = fallback;
    this.executor = executor;
  }

  /** What to register with the C core, in the order {@link #accept} is given indexes. */
  public List<NativeServer.Method> nativeMethods() {
    List<NativeServer.Method> list = new ArrayList<>(methods.length);
    for (ServerMethodDefinition<?, ?> m : methods) {
      list.add(
          new NativeServer.Method(m.method().path(), m.method().type().clientSendsOneMessage()));
    }
    return list;
  }

  @Override
  public Arrived accept(
      NativeCall call,
      int method,
      String path,
      Metadata headers,
      Deadline deadline,
      int payloadLength,
      int payloadCompressed) {
    if (method >= 0) {
      return registered(
          methods[method], call, path, headers, deadline, payloadLength, payloadCompressed);
    }
    MethodDescriptor<byte[], byte[]> unknown = fallback == null ? null : fallbackMethod(path);
    Trace trace =
        tracers.isEmpty() && !Flight.enabled()
            ? null // no name to cut from the path
            : trace(path.startsWith("/") ? path.substring(1) : path, false, headers);
    return new ServerCallImpl<>(
        call,
        unknown == null ? null : new ServerMethodDefinition<>(unknown, fallback),
        path,
        headers,
        deadline,
        executor,
        false,
        -1,
        -1,
        trace);
  }

  /**
   * The tracing of a call that arrived for {@code fullMethodName}: its tracers and its JFR event;
   * null for neither.
   */
  private Trace trace(String fullMethodName, boolean registered, Metadata headers) {
    Flight flight = Flight.server(fullMethodName);
    if (tracers.isEmpty()) {
      return flight == null ? null : Trace.server(tracers, null, compresses, flight);
    }
    return Trace.server(
        tracers,
        new ServerCallTracer.CallInfo(fullMethodName, registered, headers),
        compresses,
        flight);
  }

  private <ReqT, RespT> Arrived registered(
      ServerMethodDefinition<ReqT, RespT> def,
      NativeCall call,
      String path,
      Metadata headers,
      Deadline deadline,
      int payloadLength,
      int payloadCompressed) {
    Trace trace = trace(def.method().fullMethodName(), true, headers);
    return new ServerCallImpl<>(
        call,
        def,
        path,
        headers,
        deadline,
        executor,
        def.method().type().clientSendsOneMessage(),
        payloadLength,
        payloadCompressed,
        trace);
  }

  /**
   * The method a fallback call is for, as raw bytes both ways: bidirectional, since the server
   * cannot tell the kind from the wire. Null for a path that is no method name ({@code
   * /package.Service/Method}), which is answered UNIMPLEMENTED.
   */
  private static MethodDescriptor<byte[], byte[]> fallbackMethod(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    try {
      return MethodDescriptor.create(
          MethodDescriptor.MethodType.BIDI_STREAMING,
          path.substring(1),
          Marshallers.bytes(),
          Marshallers.bytes());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
