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
   * A method and its handler.
   *
   * @param method the method
   * @param handler serves it
   */
  public record MethodDefinition<ReqT, RespT>(
      MethodDescriptor<ReqT, RespT> method, UnaryHandler<ReqT, RespT> handler) {
    public MethodDefinition {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(handler, "handler");
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
     * Adds a unary method.
     *
     * @throws IllegalArgumentException if the method is not unary, belongs to another service, or
     *     was added already
     */
    public <ReqT, RespT> Builder unary(
        MethodDescriptor<ReqT, RespT> method, UnaryHandler<ReqT, RespT> handler) {
      if (method.type() != MethodDescriptor.MethodType.UNARY) {
        throw new IllegalArgumentException("not a unary method: " + method);
      }
      if (!method.serviceName().equals(serviceName)) {
        throw new IllegalArgumentException(method + " is not in service " + serviceName);
      }
      if (!names.add(method.fullMethodName())) {
        throw new IllegalArgumentException("method added twice: " + method.fullMethodName());
      }
      methods.add(new MethodDefinition<>(method, handler));
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(serviceName, methods);
    }
  }
}
