// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * An RPC ended with a non-OK {@link Status}. Futures returned by grpc-jni fail with it, blocking
 * calls throw it, and server handlers throw or return it to choose the status the client sees.
 *
 * <p>Unchecked, like grpc-java's {@code StatusRuntimeException}.
 */
public class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient Metadata trailers;

  public StatusException(Status status) {
    this(status, null);
  }

  /**
   * @param trailers trailing metadata sent or received with the status; null for none
   */
  public StatusException(Status status, Metadata trailers) {
    super(message(status), status.cause());
    this.status = status;
    this.trailers = trailers == null ? new Metadata() : trailers;
  }

  private static String message(Status status) {
    return status.description() == null
        ? status.code().toString()
        : status.code() + ": " + status.description();
  }

  public Status status() {
    return status;
  }

  /** Trailing metadata; empty, never null. */
  public Metadata trailers() {
    return trailers;
  }
}
