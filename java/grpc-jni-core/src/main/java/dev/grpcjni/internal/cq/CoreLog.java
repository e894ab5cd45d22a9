// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The C core's log lines, delivered to the {@link System.Logger} {@value #LOGGER_NAME}. The shim
 * queues each line the core logs, on whatever thread logged it ({@code grpcjni_log.c}); one daemon
 * thread here drains the queue, so no C-core thread ever enters the JVM. Installed once, before the
 * first {@code grpc_init}: from then on the core writes nothing to stderr (except an assertion
 * failure, which it aborts on).
 *
 * <p>System properties, read at installation: {@code grpcjni.log.capture=false} leaves the core's
 * own stderr output alone; {@code grpcjni.log.verbosity} ({@code debug}, {@code info}, {@code
 * error}) and {@code grpcjni.trace} (comma-separated tracer names, as {@code GRPC_TRACE}) set the
 * core's verbosity and tracers. Without them the core reads {@code GRPC_VERBOSITY} and {@code
 * GRPC_TRACE} from the environment (default: errors only, no tracers).
 */
public final class CoreLog {
  /** The name of the logger the C core's lines go to. */
  public static final String LOGGER_NAME = "dev.grpcjni.core";

  private static final Logger logger = System.getLogger(LOGGER_NAME);
  private static final int POLL_MILLIS = 1000;
  private static boolean installed;

  private CoreLog() {}

  /** Installs the capture and starts the draining thread, once per process. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    String verbosity = System.getProperty("grpcjni.log.verbosity");
    if (verbosity != null && !verbosity.isBlank()) {
      Integer severity = severityNamed(verbosity.trim());
      if (severity == null) {
        logger.log(
            Level.WARNING,
            "grpcjni.log.verbosity={0} is none of debug, info, error: ignored",
            verbosity);
      } else {
        GrpcJniLib.grpcjni_log_set_verbosity(severity);
      }
    }
    if (!"false".equalsIgnoreCase(System.getProperty("grpcjni.log.capture"))) {
      GrpcJniLib.grpcjni_log_capture(1);
      Thread t = new Thread(CoreLog::drain, "grpc-jni-core-log");
      t.setDaemon(true);
      t.start();
    }
    String trace = System.getProperty("grpcjni.trace");
    if (trace != null) {
      for (String name : trace.split(",")) {
        if (!name.isBlank()) {
          setTrace(name.trim(), true); // the core logs an unknown name itself
        }
      }
    }
  }

  /** A gpr_log_severity for debug/info/error (any case), or null. */
  static Integer severityNamed(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "debug":
        return 0;
      case "info":
        return 1;
      case "error":
        return 2;
      default:
        return null;
    }
  }

  /** The gpr_log_severity the core logs {@code level} and more severe lines at. */
  public static int severityOf(Level level) {
    switch (level) {
      case ALL:
      case TRACE:
      case DEBUG:
        return 0;
      case INFO:
        return 1;
      default:
        return 2; // WARNING, ERROR, OFF: the core has no finer levels than error
    }
  }

  /** The level a line of this gpr_log_severity is delivered at. */
  public static Level levelOf(int severity) {
    switch (severity) {
      case 0:
        return Level.DEBUG;
      case 1:
        return Level.INFO;
      default:
        return Level.ERROR;
    }
  }

  /** Sets the core's verbosity: it logs lines of {@code level} and more severe ones. */
  public static void setVerbosity(Level level) {
    install();
    GrpcJniLib.grpcjni_log_set_verbosity(severityOf(level));
  }

  /** The least severe level the core logs now. */
  public static Level verbosity() {
    install();
    for (int severity = 0; severity < 2; severity++) {
      if (GrpcJniLib.grpcjni_log_should(severity) != 0) {
        return levelOf(severity);
      }
    }
    return Level.ERROR;
  }

  /** Enables or disables a C-core tracer; false if the core knows no tracer of that name. */
  public static boolean setTrace(String name, boolean enabled) {
    install();
    return GrpcJniLib.grpcjni_trace_set(name, enabled ? 1 : 0) == 1;
  }

  private static void drain() {
    ByteBuffer buffer = allocate(64 << 10);
    long address = GrpcJniLib.grpcjni_address_of(buffer);
    while (true) {
      int n;
      try {
        n = GrpcJniLib.grpcjni_log_next(address, buffer.capacity(), POLL_MILLIS);
        if (n > buffer.capacity()) {
          buffer = allocate(n);
          address = GrpcJniLib.grpcjni_address_of(buffer);
          continue;
        }
        if (n > 0) {
          buffer.clear().limit(n);
          deliver(buffer);
        }
      } catch (RuntimeException | Error e) {
        // A logging backend that throws must not stop the drain (the queue would fill for good).
        try {
          logger.log(Level.ERROR, "a C-core log line could not be delivered", e);
        } catch (RuntimeException | Error ignored) {
          // the backend is broken; the next line may fare better
        }
      }
    }
  }

  private static ByteBuffer allocate(int capacity) {
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void deliver(ByteBuffer b) {
    int severity = b.getInt();
    int line = b.getInt();
    int dropped = b.getInt();
    String file = utf8(b);
    String message = utf8(b);
    if (dropped != 0) {
      logger.log(
          Level.WARNING,
          "{0} C-core log lines were dropped: more than 4 MiB of them waited to be logged",
          Integer.toUnsignedString(dropped));
    }
    Level level = levelOf(severity);
    if (logger.isLoggable(level)) {
      if (file.startsWith("./")) {
        file = file.substring(2);
      }
      logger.log(level, file + ":" + line + ": " + message);
    }
  }

  private static String utf8(ByteBuffer b) {
    int len = b.getInt();
    byte[] bytes = new byte[len];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
