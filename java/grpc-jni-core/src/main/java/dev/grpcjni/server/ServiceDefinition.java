// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import dev.grpcjni.MethodDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Flow;

/**
 * A service: its name and a handler for each of its methods. Generated code builds these; they can
 * also be built by hand.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServiceDefinition {
  private final String serviceName;
  private final List<MethodDefinition<?, ?>> methods;

  private ServiceDefinition(String serviceName, List<MethodDefinition<?, ?>> methods) {
    this.serviceName = serviceName;
    this.methods = Collections.unmodifiableList(new ArrayList<>(methods));
  }

  /** A builder for service {@code package.Service}. */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  public String serviceName() {
    return serviceName;
  }

  public List<MethodDefinition<?, ?>> methods() {
    return methods;
  }

  /**
   * A method and its handler: a {@link UnaryHandler} (the one-batch fast path for unary methods) or
   * a {@link ServerCallHandler} (any kind of method).
   */
  public static final class MethodDefinition<ReqT, RespT> {
    private final MethodDescriptor<ReqT, RespT> method;
    private final UnaryHandler<ReqT, RespT> unaryHandler;
    private final ServerCallHandler<ReqT, RespT> callHandler;

    private MethodDefinition(
        MethodDescriptor<ReqT, RespT> method,
        UnaryHandler<ReqT, RespT> unaryHandler,
        ServerCallHandler<ReqT, RespT> callHandler) {
      this.method = Objects.requireNonNull(method, "method");
      this.unaryHandler = unaryHandler;
      this.callHandler = callHandler;
    }

    public MethodDescriptor<ReqT, RespT> method() {
      return method;
    }

    /** The unary handler, or null if the method is served by {@link #callHandler()}. */
    public UnaryHandler<ReqT, RespT> unaryHandler() {
      return unaryHandler;
    }

    /** The call handler, or null if the method is served by {@link #unaryHandler()}. */
    public ServerCallHandler<ReqT, RespT> callHandler() {
      return callHandler;
    }
  }

  /** Builds a {@link ServiceDefinition}. Not thread-safe. */
  public static final class Builder {
    private final String serviceName;
    private final List<MethodDefinition<?, ?>> methods = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private Builder(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    }

    /**
     * Adds a unary method served by a future-returning handler.
     *
     * @throws IllegalArgumentException if the method is not unary, belongs to another service, or
     *     was added already
     */
    public <ReqT, RespT> Builder unary(
        MethodDescriptor<ReqT, RespT> method, UnaryHandler<ReqT, RespT> handler) {
      check(method, MethodDescriptor.MethodType.UNARY);
      methods.add(new MethodDefinition<>(method, Objects.requireNonNull(handler), null));
      return this;
    }

    /**
     * Adds a server-streaming method: the handler returns a {@link Flow.Publisher} of responses.
     * Its subscription is requested from as the transport accepts responses, so a publisher that
     * honours {@code request(n)} never queues more than a few.
     */
    public <ReqT, RespT> Builder serverStreaming(
        MethodDescriptor<ReqT, RespT> method, ServerStreamingHandler<ReqT, RespT> handler) {
      check(method, MethodDescriptor.MethodType.SERVER_STREAMING);
      return add(method, ServerCalls.serverStreaming(handler));
    }

    /**
     * Adds a client-streaming method: the handler gets the requests as a {@link Flow.Publisher}
     * (reads happen as its subscriber requests) and returns a future of the response.
     */
    public <ReqT, RespT> Builder clientStreaming(
        MethodDescriptor<ReqT, RespT> method, ClientStreamingHandler<ReqT, RespT> handler) {
      check(method, MethodDescriptor.MethodType.CLIENT_STREAMING);
      return add(method, ServerCalls.clientStreaming(handler));
    }

    /** Adds a bidirectional method: requests in as a publisher, responses out as a publisher. */
    public <ReqT, RespT> Builder bidiStreaming(
        MethodDescriptor<ReqT, RespT> method, BidiStreamingHandler<ReqT, RespT> handler) {
      check(method, MethodDescriptor.MethodType.BIDI_STREAMING);
      return add(method, ServerCalls.bidiStreaming(handler));
    }

    /**
     * Adds a method of any kind served by a low-level call handler, for example one from {@link
     * ServerCalls}' observer-style adapters.
     */
    public <ReqT, RespT> Builder method(
        MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
      check(method, method.type());
      return add(method, handler);
    }

    private <ReqT, RespT> Builder add(
        MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
      methods.add(new MethodDefinition<>(method, null, Objects.requireNonNull(handler)));
      return this;
    }

    private void check(MethodDescriptor<?, ?> method, MethodDescriptor.MethodType type) {
      if (method.type() != type) {
        throw new IllegalArgumentException("not a " + type + " method: " + method);
      }
      if (!method.serviceName().equals(serviceName)) {
        throw new IllegalArgumentException(method + " is not in service " + serviceName);
      }
      if (!names.add(method.fullMethodName())) {
        throw new IllegalArgumentException("method added twice: " + method.fullMethodName());
      }
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(serviceName, methods);
    }
  }
}
