// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.opentelemetry;

import dev.grpcjni.NativeResources;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;
import java.util.Objects;

/**
 * grpc-jni's native resources ({@link NativeResources}, also on JMX) as OpenTelemetry asynchronous
 * instruments, read each time the SDK collects:
 *
 * <ul>
 *   <li>{@code grpcjni.native.objects} (up-down counter, {@code {object}}; {@code grpcjni.kind}:
 *       {@code call}, {@code channel}, {@code server}, {@code completion_queue}, {@code
 *       byte_buffer}, {@code batch_context}, {@code request_context}): the C objects grpc-jni holds
 *       now. One that only grows under steady traffic is a leak.
 *   <li>{@code grpcjni.poller.events} (counter, {@code {event}}; {@code grpcjni.poller}, the
 *       thread's name): completion-queue events the poller handled.
 *   <li>{@code grpcjni.poller.cpu_time} (counter, {@code s}; the same): the poller thread's CPU
 *       time, the C core's network work included.
 *   <li>{@code grpcjni.poller.operations_in_flight} (up-down counter, {@code {operation}}; the
 *       same): what the poller's queue will still complete.
 * </ul>
 *
 * <pre>{@code
 * AutoCloseable resources = NativeResourceMetrics.register(sdkMeterProvider);
 * }</pre>
 *
 * <p>The names are grpc-jni's own (no gRFC names these), on the meter {@code grpc-jni}.
 */
public final class NativeResourceMetrics {
  static final AttributeKey<String> KIND = AttributeKey.stringKey("grpcjni.kind");
  static final AttributeKey<String> POLLER = AttributeKey.stringKey("grpcjni.poller");

  private NativeResourceMetrics() {}

  /**
   * Registers the instruments on {@code provider}; closing what this returns removes them.
   *
   * @throws UnsatisfiedLinkError if grpc-jni's native library cannot load
   */
  public static AutoCloseable register(MeterProvider provider) {
    Objects.requireNonNull(provider, "provider");
    NativeResources resources = NativeResources.get();
    Meter meter = provider.meterBuilder("grpc-jni").build();
    List<AutoCloseable> instruments =
        List.of(
            meter
                .upDownCounterBuilder("grpcjni.native.objects")
                .setUnit("{object}")
                .setDescription("Native objects grpc-jni holds")
                .buildWithCallback(
                    m -> {
                      m.record(resources.getCalls(), Attributes.of(KIND, "call"));
                      m.record(resources.getChannels(), Attributes.of(KIND, "channel"));
                      m.record(resources.getServers(), Attributes.of(KIND, "server"));
                      m.record(
                          resources.getCompletionQueues(), Attributes.of(KIND, "completion_queue"));
                      m.record(resources.getByteBuffers(), Attributes.of(KIND, "byte_buffer"));
                      m.record(resources.getBatchContexts(), Attributes.of(KIND, "batch_context"));
                      m.record(
                          resources.getRequestContexts(), Attributes.of(KIND, "request_context"));
                    }),
            meter
                .counterBuilder("grpcjni.poller.events")
                .setUnit("{event}")
                .setDescription("Completion-queue events a poller handled")
                .buildWithCallback(
                    m -> {
                      for (NativeResources.Poller p : resources.getPollers()) {
                        m.record(p.getEvents(), Attributes.of(POLLER, p.getName()));
                      }
                    }),
            meter
                .counterBuilder("grpcjni.poller.cpu_time")
                .ofDoubles()
                .setUnit("s")
                .setDescription("CPU time of a poller thread, the C core's network work included")
                .buildWithCallback(
                    m -> {
                      for (NativeResources.Poller p : resources.getPollers()) {
                        long nanos = p.getCpuTimeNanos();
                        if (nanos >= 0) {
                          m.record(nanos / 1e9, Attributes.of(POLLER, p.getName()));
                        }
                      }
                    }),
            meter
                .upDownCounterBuilder("grpcjni.poller.operations_in_flight")
                .setUnit("{operation}")
                .setDescription("Operations a poller's completion queue will still complete")
                .buildWithCallback(
                    m -> {
                      for (NativeResources.Poller p : resources.getPollers()) {
                        m.record(p.getOperationsInFlight(), Attributes.of(POLLER, p.getName()));
                      }
                    }));
    return () -> {
      for (AutoCloseable i : instruments) {
        i.close();
      }
    };
  }
}
