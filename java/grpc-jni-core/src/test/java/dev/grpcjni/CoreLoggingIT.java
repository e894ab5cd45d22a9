// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.testing.CoreLogChild;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The C core's log lines arrive at System.Logger (here backed by JUL), never on stderr. */
class CoreLoggingIT {
  /** The C core's own stderr format: {@code E1205 00:41:24.123456789 13132 file.cc:66] text}. */
  private static final Pattern CORE_STDERR_LINE =
      Pattern.compile("(?m)^[DIE]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d+ +\\d+ \\S+:\\d+\\] ");

  private final Logger core = Logger.getLogger(CoreLogging.LOGGER_NAME);
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private java.util.logging.Level oldLevel;

  @BeforeEach
  void capture() {
    oldLevel = core.getLevel();
    core.setLevel(java.util.logging.Level.ALL);
    core.addHandler(handler);
  }

  @AfterEach
  void restore() {
    core.removeHandler(handler);
    core.setLevel(oldLevel);
    CoreLogging.setVerbosity(Level.ERROR);
  }

  private LogRecord await(String text) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      for (LogRecord r : records) {
        if (r.getMessage().contains(text)) {
          return r;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no C-core line containing '" + text + "' in " + messages());
  }

  private List<String> messages() {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      out.add(r.getLevel() + " " + r.getMessage());
    }
    return out;
  }

  @Test
  void anErrorLineArrivesAtSevereWithItsSourceFileAndLine() throws Exception {
    assertThat(CoreLogging.enableTrace("no_such_tracer_1")).isFalse();
    LogRecord r = await("no_such_tracer_1");
    assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
    assertThat(r.getLoggerName()).isEqualTo("dev.grpcjni.core");
    // "src/core/lib/debug/trace.cc:66: Unknown trace var: 'no_such_tracer_1'"
    assertThat(r.getMessage())
        .matches("src/core/\\S+\\.cc:\\d+: Unknown trace var: 'no_such_tracer_1'");
  }

  @Test
  void tracersAndVerbosityAreSetFromJava() throws Exception {
    assertThat(CoreLogging.verbosity()).isEqualTo(Level.ERROR);
    CoreLogging.setVerbosity(Level.INFO);
    assertThat(CoreLogging.verbosity()).isEqualTo(Level.INFO);
    assertThat(CoreLogging.enableTrace("api")).isTrue();
    try (Environment env = Environment.builder().build()) {
      ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:1").environment(env).build();
      channel.shutdownNow();
      assertThat(channel.awaitTermination(java.time.Duration.ofSeconds(10))).isTrue();
    } finally {
      assertThat(CoreLogging.disableTrace("api")).isTrue();
    }
    // The api tracer logs each C-core API call at info, e.g. grpc_channel_destroy(channel=0x…).
    LogRecord r = await("grpc_channel_destroy(");
    assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.INFO);

    CoreLogging.setVerbosity(Level.DEBUG);
    assertThat(CoreLogging.verbosity()).isEqualTo(Level.DEBUG);
    CoreLogging.setVerbosity(Level.WARNING); // the core has nothing between info and error
    assertThat(CoreLogging.verbosity()).isEqualTo(Level.ERROR);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> CoreLogging.setVerbosity(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CoreLogging.enableTrace(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CoreLogging.disableTrace(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CoreLogging.enableTrace("api,http"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNormalRunPrintsNothingOfTheCoreOnStderr() throws Exception {
    Child child = run();
    assertThat(child.stdout).contains("REPLY 7", "KNOWN false");
    assertThat(child.stdout)
        .containsPattern("DELIVERED SEVERE src/core/\\S+:\\d+: Unknown trace var");
    assertThat(child.stderr)
        .doesNotContain("no_such_tracer")
        .doesNotContainPattern(CORE_STDERR_LINE);
  }

  @Test
  void withCaptureOffTheCoreWritesToStderrItself() throws Exception {
    // The control for the test above: its pattern does match the core's own output.
    Child child = run("-Dgrpcjni.log.capture=false");
    assertThat(child.stdout).contains("KNOWN false").doesNotContain("DELIVERED");
    assertThat(child.stderr).containsPattern(CORE_STDERR_LINE).contains("no_such_tracer");
  }

  private record Child(String stdout, String stderr) {}

  private static Child run(String... properties) throws Exception {
    Path javaBin = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(javaBin.toString());
    command.add("-XX:ErrorFile=" + Paths.get("target", "hs_err_corelog_%p.log").toAbsolutePath());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(List.of(properties));
    command.add("-cp");
    command.add(LifecycleIT.childClassPath());
    command.add(CoreLogChild.class.getName());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("GRPC_VERBOSITY");
    pb.environment().remove("GRPC_TRACE");
    Path err = Files.createTempFile("corelog", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean exited = p.waitFor(60, TimeUnit.SECONDS);
    String stderr = Files.readString(err);
    Files.delete(err);
    if (!exited) {
      p.destroyForcibly();
    }
    assertThat(exited).as("exited; stdout:%n%s%nstderr:%n%s", stdout, stderr).isTrue();
    assertThat(p.exitValue()).as("exit code; stdout:%n%s%nstderr:%n%s", stdout, stderr).isZero();
    return new Child(stdout, stderr);
  }
}
