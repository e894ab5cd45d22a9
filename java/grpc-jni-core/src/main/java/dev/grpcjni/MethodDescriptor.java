// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.codec.Marshaller;
import java.util.Objects;

/**
 * Describes one RPC method: its kind, its full name ({@code package.Service/Method}) and how its
 * request and response messages are marshalled. Generated stubs create these once, as constants.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public final class MethodDescriptor<ReqT, RespT> {
  /** The four kinds of gRPC method. */
  public enum MethodType {
    UNARY,
    CLIENT_STREAMING,
    SERVER_STREAMING,
    BIDI_STREAMING;

    /** True when the client sends exactly one message (the server reads it with the call). */
    public boolean clientSendsOneMessage() {
      return this == UNARY || this == SERVER_STREAMING;
    }

    /** True when the server answers with exactly one message (sent with the status). */
    public boolean serverSendsOneMessage() {
      return this == UNARY || this == CLIENT_STREAMING;
    }
  }

  private final MethodType type;
  private final String fullMethodName;
  private final String path;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;

  private MethodDescriptor(
      MethodType type,
      String fullMethodName,
      Marshaller<ReqT> requestMarshaller,
      Marshaller<RespT> responseMarshaller) {
    this.type = Objects.requireNonNull(type, "type");
    this.fullMethodName = checkName(fullMethodName);
    this.path = "/" + fullMethodName;
    this.requestMarshaller = Objects.requireNonNull(requestMarshaller, "requestMarshaller");
    this.responseMarshaller = Objects.requireNonNull(responseMarshaller, "responseMarshaller");
  }

  /**
   * Creates a descriptor.
   *
   * @param fullMethodName {@code package.Service/Method}, e.g. {@code helloworld.Greeter/SayHello}
   * @throws IllegalArgumentException if the name is not of that form
   */
  public static <ReqT, RespT> MethodDescriptor<ReqT, RespT> create(
      MethodType type,
      String fullMethodName,
      Marshaller<ReqT> requestMarshaller,
      Marshaller<RespT> responseMarshaller) {
    return new MethodDescriptor<>(type, fullMethodName, requestMarshaller, responseMarshaller);
  }

  /** A unary method descriptor. */
  public static <ReqT, RespT> MethodDescriptor<ReqT, RespT> unary(
      String fullMethodName,
      Marshaller<ReqT> requestMarshaller,
      Marshaller<RespT> responseMarshaller) {
    return create(MethodType.UNARY, fullMethodName, requestMarshaller, responseMarshaller);
  }

  /** {@code serviceName + "/" + methodName}. */
  public static String fullMethodName(String serviceName, String methodName) {
    return serviceName + "/" + methodName;
  }

  public MethodType type() {
    return type;
  }

  /** {@code package.Service/Method}. */
  public String fullMethodName() {
    return fullMethodName;
  }

  /** {@code package.Service}. */
  public String serviceName() {
    return fullMethodName.substring(0, fullMethodName.lastIndexOf('/'));
  }

  /** {@code Method}. */
  public String methodName() {
    return fullMethodName.substring(fullMethodName.lastIndexOf('/') + 1);
  }

  /** The HTTP/2 path, {@code /package.Service/Method}. */
  public String path() {
    return path;
  }

  public Marshaller<ReqT> requestMarshaller() {
    return requestMarshaller;
  }

  public Marshaller<RespT> responseMarshaller() {
    return responseMarshaller;
  }

  private static String checkName(String name) {
    int slash = name.indexOf('/');
    if (slash <= 0 || slash != name.lastIndexOf('/') || slash == name.length() - 1) {
      throw new IllegalArgumentException(
          "full method name must be 'package.Service/Method': " + name);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        throw new IllegalArgumentException("illegal character in method name: " + name);
      }
    }
    return name;
  }

  @Override
  public String toString() {
    return "MethodDescriptor{" + type + " " + fullMethodName + "}";
  }
}
