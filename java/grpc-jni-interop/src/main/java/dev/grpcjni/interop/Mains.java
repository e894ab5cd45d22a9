// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.interop;

import dev.grpcjni.server.Server;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** What the interop and benchmark mains share: command-line handling and serving until stopped. */
public final class Mains {
  private Mains() {}

  /**
   * Parses a main's command line. For {@code --help} prints {@code usage} and returns null; for a
   * bad command line prints the error and {@code usage} to stderr and exits with status 2. {@code
   * check} calls the typed getters the main will use, so a bad value is caught here too.
   */
  public static Flags parse(
      String[] args, Map<String, String> defaults, String usage, Consumer<Flags> check) {
    if (Flags.wantsHelp(args)) {
      System.out.println(usage);
      return null;
    }
    try {
      Flags flags = Flags.parse(args, defaults);
      check.accept(flags);
      return flags;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(usage);
      System.exit(2);
      return null; // not reached
    }
  }

  /**
   * Prints {@code Server started on port N} and serves until the JVM is told to stop (SIGTERM,
   * SIGINT); then shuts the server down, letting calls in flight finish for up to 5 s.
   */
  public static void serve(Server server) throws InterruptedException {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Shutting down");
                  server.shutdown();
                  try {
                    if (!server.awaitTermination(Duration.ofSeconds(5))) {
                      server.shutdownNow();
                    }
                  } catch (InterruptedException e) {
                    server.shutdownNow();
                  }
                },
                "server-shutdown"));
    System.out.println("Server started on port " + server.port());
    server.awaitTermination(Duration.ofDays(365));
  }
}
