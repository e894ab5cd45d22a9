// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.cq.CoreLog;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * The C core's log: where its lines go, how verbose it is, and which of its tracers are on.
 *
 * <p>Every line the C core logs is delivered to the {@link System.Logger} named {@value
 * #LOGGER_NAME} — so JUL, SLF4J ({@code slf4j-jdk-platform-logging}) and Log4j ({@code log4j-jpl})
 * users get it through their usual bridge — at {@code DEBUG}, {@code INFO} or {@code ERROR} (the
 * core's three severities), as {@code "file:line: message"} with the core's source file. The lines
 * are handed to the logger by one daemon thread ({@code grpc-jni-core-log}), in the order the core
 * logged them, shortly after; none of the core's threads enters the JVM. From the moment grpc-jni
 * first starts the core, nothing of the core goes to stderr, except an assertion failure, which the
 * core aborts on right after writing it. grpc-jni's own messages go to loggers named after its
 * classes ({@code dev.grpcjni.*}), also through {@link System.Logger}.
 *
 * <p>The core logs only lines of its verbosity and above ({@code ERROR} by default), and trace
 * lines (at {@code INFO}) only for the tracers enabled. Both are set from the environment the way
 * every gRPC C-core binding reads them ({@code GRPC_VERBOSITY=debug}, {@code GRPC_TRACE=api,http}),
 * from the system properties {@code grpcjni.log.verbosity} and {@code grpcjni.trace} (same values;
 * they win over the environment), or here at run time. The logger's own level filters what the core
 * did log: for the core's debug lines, set both. {@code -Dgrpcjni.log.capture=false} leaves the
 * core writing to stderr itself (for a crash that happens before a line could be delivered).
 */
public final class CoreLogging {
  /** The name of the {@link System.Logger} the C core's lines go to. */
  public static final String LOGGER_NAME = CoreLog.LOGGER_NAME;

  private CoreLogging() {}

  /**
   * Sets the least severe level the C core logs: {@code TRACE}/{@code DEBUG} → the core's debug,
   * {@code INFO} → info, anything above → error (the core has nothing finer).
   */
  public static void setVerbosity(Level level) {
    Objects.requireNonNull(level, "level");
    GrpcJni.ensureAvailability();
    CoreLog.setVerbosity(level);
  }

  /** The least severe level the C core logs now: {@code DEBUG}, {@code INFO} or {@code ERROR}. */
  public static Level verbosity() {
    GrpcJni.ensureAvailability();
    return CoreLog.verbosity();
  }

  /**
   * Turns a C-core tracer on ({@code api}, {@code http}, {@code tcp}, {@code channel}, {@code
   * round_robin}, …, or {@code all}), as naming it in {@code GRPC_TRACE} does. Its lines are logged
   * at {@code INFO}.
   *
   * @return false if the core knows no tracer of that name (it also logs that, at {@code ERROR})
   * @throws IllegalArgumentException if {@code tracer} is blank or a list (has a comma)
   */
  public static boolean enableTrace(String tracer) {
    checkName(tracer);
    GrpcJni.ensureAvailability();
    return CoreLog.setTrace(tracer, true);
  }

  /**
   * Turns a C-core tracer off.
   *
   * @return false if the core knows no tracer of that name
   * @throws IllegalArgumentException if {@code tracer} is blank or a list (has a comma)
   */
  public static boolean disableTrace(String tracer) {
    checkName(tracer);
    GrpcJni.ensureAvailability();
    return CoreLog.setTrace(tracer, false);
  }

  private static void checkName(String tracer) {
    Objects.requireNonNull(tracer, "tracer");
    if (tracer.isBlank() || tracer.indexOf(',') >= 0) {
      throw new IllegalArgumentException("not one tracer's name: '" + tracer + "'");
    }
  }
}
