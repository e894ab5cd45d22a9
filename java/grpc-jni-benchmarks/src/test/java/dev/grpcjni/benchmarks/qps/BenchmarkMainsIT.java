// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.qps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Smoke runs of the benchmark mains for a second each, so they cannot rot. Benchmarks are never
 * timed here: only that RPCs completed and the report has grpc-java's shape.
 */
class BenchmarkMainsIT {
  static String runClient(Server server, String... extra) throws Exception {
    String[] args = new String[extra.length + 3];
    args[0] = "--address=127.0.0.1:" + server.port();
    args[1] = "--warmup_duration=0";
    args[2] = "--duration=1";
    System.arraycopy(extra, 0, args, 3, extra.length);
    AsyncClient.Config config = AsyncClient.Config.parse(args);
    AsyncClient.Result result;
    try (AsyncClient client = new AsyncClient(config)) {
      result = client.run();
    }
    assertThat(result.histogram().getTotalCount()).isPositive();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncClient.print(config, result, new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  static void assertReport(String report) {
    assertThat(report)
        .containsPattern("(?m)^50%ile Latency \\(in micros\\): +\\d+$")
        .containsPattern("(?m)^90%ile Latency \\(in micros\\): +\\d+$")
        .containsPattern("(?m)^99%ile Latency \\(in micros\\): +\\d+$")
        .containsPattern("(?m)^99\\.9%ile Latency \\(in micros\\): +\\d+$")
        .containsPattern("(?m)^QPS: +[1-9]\\d*$");
  }

  @Test
  void unaryAndStreamingClosedLoops() throws Exception {
    Server server = AsyncServer.start("127.0.0.1:0", false, false);
    try {
      assertReport(runClient(server, "--channels=2", "--outstanding_rpcs=4"));
      assertReport(
          runClient(
              server,
              "--channels=2",
              "--outstanding_rpcs=4",
              "--streaming_rpcs=true",
              "--client_payload=1024",
              "--server_payload=65536"));
    } finally {
      server.shutdownNow();
      assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void directExecutorAndTls() throws Exception {
    Server server = AsyncServer.start("127.0.0.1:0", true, true);
    try {
      assertReport(
          runClient(
              server,
              "--channels=1",
              "--directexecutor=true",
              "--tls=true",
              "--testca=true",
              "--completion_queues=2"));
    } finally {
      server.shutdownNow();
      assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void allocationProfileAttributesBytesToEachSide() throws Exception {
    for (boolean streaming : new boolean[] {false, true}) {
      String line = AllocationProfile.measure(streaming, 0, 1, false);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "client (\\d+) B/(RPC|message), server (\\d+) B/(RPC|message) \\((\\d+) ")
              .matcher(line);
      assertThat(m.find()).as(line).isTrue();
      assertThat(Long.parseLong(m.group(5))).isPositive();
      // Both sides allocate something per RPC (parsed messages at least); a guard against gross
      // regressions, far above the documented figures (docs/BENCHMARKS.md), not the target.
      for (int side : new int[] {1, 3}) {
        assertThat(Long.parseLong(m.group(side))).as(line).isPositive().isLessThan(8192);
      }
    }
  }

  @Test
  void badFlagsAreRejected() {
    assertThatThrownBy(() -> AsyncClient.Config.parse(new String[] {"--channels=1"}))
        .hasMessageContaining("--address is required");
    assertThatThrownBy(
            () -> AsyncClient.Config.parse(new String[] {"--address=x:1", "--channels=0"}))
        .hasMessageContaining("positive");
    assertThatThrownBy(
            () -> AsyncClient.Config.parse(new String[] {"--address=x:1", "--client_payload=-1"}))
        .hasMessageContaining("negative");
    assertThatThrownBy(
            () ->
                AsyncClient.Config.parse(new String[] {"--address=x:1", "--completion_queues=-1"}))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> AsyncClient.Config.parse(new String[] {"--address=x:1", "--qps=5"}))
        .hasMessageContaining("unknown flag");
  }

  @Test
  void responsesHaveTheAskedSize() {
    var request =
        io.grpc.testing.integration.Messages.SimpleRequest.newBuilder()
            .setResponseSize(777)
            .build();
    assertThat(AsyncServer.response(request).getPayload().getBody().size()).isEqualTo(777);
    assertThat(AsyncServer.response(request)).isSameAs(AsyncServer.response(request));
  }
}
