// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerInterceptor;
import dev.grpcjni.ServerInterceptors;
import dev.grpcjni.ServerMethodDefinition;
import dev.grpcjni.stub.BidiStreamingHandler;
import dev.grpcjni.stub.ClientStreamingHandler;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.ServerStreamingHandler;
import dev.grpcjni.stub.UnaryHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Flow;

/**
 * A service: its name and a {@link ServerMethodDefinition} (a method and its {@link
 * ServerCallHandler}) for each of its methods. Generated code builds these; they can also be built
 * by hand, with the builder's future-, {@code Flow}- and observer-style shortcuts.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServiceDefinition {
  private final String serviceName;
  private final List<ServerMethodDefinition<?, ?>> methods;
  private final Object schemaDescriptor; // null: none
  private final List<ServerListener> listeners;

  private ServiceDefinition(
      String serviceName,
      List<ServerMethodDefinition<?, ?>> methods,
      Object schemaDescriptor,
      List<ServerListener> listeners) {
    this.serviceName = serviceName;
    this.methods = List.copyOf(methods);
    this.schemaDescriptor = schemaDescriptor;
    this.listeners = List.copyOf(listeners);
  }

  /** A builder for service {@code package.Service}. */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  public String serviceName() {
    return serviceName;
  }

  /** The methods, in the order they were added. */
  public List<ServerMethodDefinition<?, ?>> methods() {
    return methods;
  }

  /**
   * What describes the service's schema, or null: for services generated from a {@code .proto}
   * file, a {@code dev.grpcjni.protobuf.ProtoServiceSchema} (server reflection serves it). grpc-jni
   * itself does not look at it.
   */
  public Object schemaDescriptor() {
    return schemaDescriptor;
  }

  /** The listeners told when a server serving this service starts and shuts down. */
  public List<ServerListener> serverListeners() {
    return listeners;
  }

  /**
   * This service with every method's handler wrapped by {@code interceptors}; the last one sees a
   * call first (as {@link ServerInterceptors#intercept}).
   */
  public ServiceDefinition intercept(ServerInterceptor... interceptors) {
    return intercept(List.of(interceptors));
  }

  /** See {@link #intercept(ServerInterceptor...)}. */
  public ServiceDefinition intercept(List<? extends ServerInterceptor> interceptors) {
    if (interceptors.isEmpty()) {
      return this;
    }
    List<ServerMethodDefinition<?, ?>> wrapped = new ArrayList<>(methods.size());
    for (ServerMethodDefinition<?, ?> m : methods) {
      wrapped.add(ServerInterceptors.intercept(m, interceptors));
    }
    return new ServiceDefinition(serviceName, wrapped, schemaDescriptor, listeners);
  }

  @Override
  public String toString() {
    return "ServiceDefinition{" + serviceName + ", " + methods.size() + " methods}";
  }

  /** Builds a {@link ServiceDefinition}. Not thread-safe. */
  public static final class Builder {
    private final String serviceName;
    private final List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final List<ServerListener> listeners = new ArrayList<>();
    private Object schemaDescriptor;

    private Builder(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    }

    /**
     * Adds a unary method served by a future-returning handler ({@link ServerCalls#unary}).
     *
     * @throws IllegalArgumentException if the method is not unary, belongs to another service, or
     *     was added already
     */
    public <ReqT, RespT> Builder unary(
        MethodDescriptor<ReqT, RespT> method, UnaryHandler<ReqT, RespT> handler) {
      check(method, MethodDescriptor.MethodType.UNARY);
      return add(method, ServerCalls.unary(handler));
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

    /** Adds a method definition. */
    public Builder method(ServerMethodDefinition<?, ?> definition) {
      check(definition.method(), definition.method().type());
      methods.add(definition);
      return this;
    }

    private <ReqT, RespT> Builder add(
        MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
      methods.add(new ServerMethodDefinition<>(method, Objects.requireNonNull(handler, "handler")));
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

    /** Sets {@link ServiceDefinition#schemaDescriptor()}; generated code does. */
    public Builder schemaDescriptor(Object schemaDescriptor) {
      this.schemaDescriptor = schemaDescriptor;
      return this;
    }

    /**
     * Adds a listener told when a server serving this service starts and when it begins to shut
     * down (health checking ends its watches with it).
     */
    public Builder serverListener(ServerListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(serviceName, methods, schemaDescriptor, listeners);
    }
  }
}
