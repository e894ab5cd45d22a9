// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of an RPC: a {@link Code}, an optional description, optional rich-error details (the
 * bytes of a {@code google.rpc.Status}, carried in the {@code grpc-status-details-bin} trailer),
 * and for failures seen by a client, the C core's debug string.
 *
 * <p>Immutable and thread-safe. The {@code with*} methods return new instances.
 */
public final class Status {
  /**
   * The canonical gRPC status codes. Values equal the C core's {@code grpc_status_code}; a test
   * checks them against native code.
   */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();
    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The numeric code sent on the wire as {@code grpc-status}. */
    public int value() {
      return value;
    }

    /** The code for a numeric value; values outside 0..16 map to {@link #UNKNOWN}, as gRPC says. */
    public static Code fromValue(int value) {
      return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
    }

    /** The status for this code, without description. */
    public Status toStatus() {
      return STATUSES[value];
    }
  }

  private static final Status[] STATUSES = new Status[Code.BY_VALUE.length];

  static {
    for (Code c : Code.BY_VALUE) {
      STATUSES[c.value] = new Status(c, null, null, null, null);
    }
  }

  public static final Status OK = Code.OK.toStatus();
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();
  public static final Status ABORTED = Code.ABORTED.toStatus();
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  public static final Status INTERNAL = Code.INTERNAL.toStatus();
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private final Code code;
  private final String description;
  private final Throwable cause;
  private final byte[] details;
  private final String debugString;

  private Status(
      Code code, String description, Throwable cause, byte[] details, String debugString) {
    this.code = Objects.requireNonNull(code, "code");
    this.description = description;
    this.cause = cause;
    this.details = details;
    this.debugString = debugString;
  }

  /** The status for a numeric code (see {@link Code#fromValue}). */
  public static Status fromCodeValue(int value) {
    return Code.fromValue(value).toStatus();
  }

  public Code code() {
    return code;
  }

  /** The human-readable message sent as {@code grpc-message}, or null. */
  public String description() {
    return description;
  }

  /** A local cause, never sent over the wire, or null. */
  public Throwable cause() {
    return cause;
  }

  /** A copy of the serialized {@code google.rpc.Status} details, or null. */
  public byte[] details() {
    return details == null ? null : details.clone();
  }

  /** The C core's description of a failure seen by a client (not from the peer), or null. */
  public String debugString() {
    return debugString;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  public Status withDescription(String description) {
    return new Status(code, description, cause, details, debugString);
  }

  public Status withCause(Throwable cause) {
    return new Status(code, description, cause, details, debugString);
  }

  /**
   * Attaches serialized {@code google.rpc.Status} bytes, sent as {@code grpc-status-details-bin}.
   */
  public Status withDetails(byte[] details) {
    return new Status(
        code, description, cause, details == null ? null : details.clone(), debugString);
  }

  public Status withDebugString(String debugString) {
    return new Status(code, description, cause, details, debugString);
  }

  /** An exception carrying this status and no trailers. */
  public StatusException asException() {
    return new StatusException(this);
  }

  /** An exception carrying this status and {@code trailers}. */
  public StatusException asException(Metadata trailers) {
    return new StatusException(this, trailers);
  }

  /** The status a {@code Throwable} stands for: its own if it carries one, else UNKNOWN. */
  public static Status fromThrowable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException) {
        return ((StatusException) c).status();
      }
    }
    return UNKNOWN.withCause(t);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Status{code=").append(code);
    if (description != null) {
      sb.append(", description=").append(description);
    }
    if (details != null) {
      sb.append(", details=").append(details.length).append(" bytes");
    }
    if (debugString != null) {
      sb.append(", debug=").append(debugString);
    }
    if (cause != null) {
      sb.append(", cause=").append(cause);
    }
    return sb.append('}').toString();
  }

  /** Equal code, description and details; cause and debug string are ignored. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Status)) {
      return false;
    }
    Status s = (Status) o;
    return code == s.code
        && Objects.equals(description, s.description)
        && Arrays.equals(details, s.details);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description) * 31 + Arrays.hashCode(details);
  }
}
