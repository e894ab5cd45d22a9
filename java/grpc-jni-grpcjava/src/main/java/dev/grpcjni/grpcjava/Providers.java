// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import java.lang.System.Logger;

/**
 * What the channel and server providers share: availability, priority, and the logger that says at
 * {@code FINE} which channels and servers the C core carries.
 */
final class Providers {
  /**
   * {@code dev.grpcjni.grpcjava}: at {@code FINE}, one line per channel built and server started on
   * the C core, so an application can confirm which transport grpc-java picked.
   */
  static final Logger LOG = System.getLogger("dev.grpcjni.grpcjava");

  /** The priority without the system property: above Netty's 5. */
  static final int DEFAULT_PRIORITY = 6;

  private Providers() {}

  /** Whether grpc-jni's natives load; never throws (grpc-java asks while its registry loads). */
  static boolean available() {
    try {
      return dev.grpcjni.GrpcJni.isAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  /** The priority the system property {@code grpcjni.grpcjava.priority} sets (0 to 10). */
  static int priority() {
    return priorityFrom(System.getProperty("grpcjni.grpcjava.priority"));
  }

  static int priorityFrom(String property) {
    if (property == null) {
      return DEFAULT_PRIORITY;
    }
    try {
      int p = Integer.parseInt(property.trim());
      return p >= 0 && p <= 10 ? p : DEFAULT_PRIORITY;
    } catch (NumberFormatException e) {
      return DEFAULT_PRIORITY;
    }
  }
}
