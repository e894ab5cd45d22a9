// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

/**
 * The connectivity state of a {@link ManagedChannel}, as in gRPC's connectivity-semantics spec and
 * grpc-java's {@code io.grpc.ConnectivityState}.
 */
public enum ConnectivityState {
  /** Connecting: resolving the name, or a TCP/TLS/HTTP/2 handshake in progress. */
  CONNECTING,
  /** Connected: calls go out at once. */
  READY,
  /**
   * The last attempt failed; the channel retries after a backoff ({@link
   * ManagedChannel#resetConnectBackoff()} ends it). Calls fail fast unless wait-for-ready.
   */
  TRANSIENT_FAILURE,
  /** No connection and no attempt; a call or {@code getState(true)} starts one. */
  IDLE,
  /** Shut down: calls fail, the state never changes again. */
  SHUTDOWN;

  /** The state for the C core's grpc_connectivity_state number. */
  static ConnectivityState ofCore(int state) {
    switch (state) {
      case 0:
        return IDLE;
      case 1:
        return CONNECTING;
      case 2:
        return READY;
      case 3:
        return TRANSIENT_FAILURE;
      case 4:
        return SHUTDOWN;
      default:
        throw new IllegalStateException("unknown connectivity state " + state);
    }
  }

  /** The C core's grpc_connectivity_state number. */
  int core() {
    switch (this) {
      case IDLE:
        return 0;
      case CONNECTING:
        return 1;
      case READY:
        return 2;
      case TRANSIENT_FAILURE:
        return 3;
      default:
        return 4;
    }
  }
}
