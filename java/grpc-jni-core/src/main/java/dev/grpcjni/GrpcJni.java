// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.ffi.GrpcJniLib;

/**
 * Whether grpc-jni's native libraries load on this machine, and why not.
 *
 * <p>The jar carries {@code libgrpcjni.so} and its JNI glue; they need the C core's runtime ({@code
 * libgrpc.so.29}, Debian 12's {@code libgrpc29} package) on the system library path.
 */
public final class GrpcJni {
  private static final Throwable UNAVAILABILITY_CAUSE = load();

  private GrpcJni() {}

  private static Throwable load() {
    try {
      String version = GrpcJniLib.grpcjni_version();
      if (version == null) {
        return new UnsatisfiedLinkError("grpcjni_version() returned nothing");
      }
      return null;
    } catch (Throwable t) {
      UnsatisfiedLinkError e =
          new UnsatisfiedLinkError(
              "grpc-jni native libraries failed to load ("
                  + t
                  + "). grpc-jni needs Linux x86-64 and the gRPC C core 1.51 runtime: on Debian 12,"
                  + " apt-get install libgrpc29");
      e.initCause(t);
      return e;
    }
  }

  /** True if the native libraries loaded. */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /**
   * Throws if the native libraries did not load.
   *
   * @throws UnsatisfiedLinkError with {@link #unavailabilityCause()} as its cause
   */
  public static void ensureAvailability() {
    if (UNAVAILABILITY_CAUSE != null) {
      throw (Error)
          new UnsatisfiedLinkError(UNAVAILABILITY_CAUSE.getMessage())
              .initCause(UNAVAILABILITY_CAUSE);
    }
  }

  /** Why loading failed, or null if it did not. */
  public static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /**
   * The C core's version string. The C core reports its ABI version: {@code 29.0.0} for gRPC 1.51.
   */
  public static String coreVersion() {
    ensureAvailability();
    return GrpcJniLib.grpcjni_version();
  }
}
