// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.qps;

import dev.grpcjni.opentelemetry.GrpcJniOpenTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.Collection;

/**
 * {@code --metrics}: gRFC A66's metrics recorded as a production service would, by
 * grpc-jni-opentelemetry on the OpenTelemetry SDK, read every 10 s by a periodic reader whose
 * exporter drops what it gets (the export is not what the benchmark measures).
 */
final class Metrics {
  private static final GrpcJniOpenTelemetry INSTANCE =
      GrpcJniOpenTelemetry.builder()
          .meterProvider(
              SdkMeterProvider.builder()
                  .registerMetricReader(
                      PeriodicMetricReader.builder(new Dropping())
                          .setInterval(Duration.ofSeconds(10))
                          .build())
                  .build())
          .build();

  private Metrics() {}

  /** The process's one set of metrics. */
  static GrpcJniOpenTelemetry get() {
    return INSTANCE;
  }

  /** Exports nothing. */
  private static final class Dropping implements MetricExporter {
    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }
  }
}
