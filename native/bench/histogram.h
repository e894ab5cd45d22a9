// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * A latency histogram bucketed as HdrHistogram is with 2 significant digits (what grpc-java's
 * benchmarks and java/grpc-jni-benchmarks use), so the C++ client's percentiles quantize exactly
 * as the Java clients' do and the reports compare cell by cell: values below 256 are exact; above,
 * each power-of-two range is split into 128 buckets, and a percentile is reported as the highest
 * value of its bucket.
 * Keep in sync with HISTOGRAM_MAX_VALUE and HISTOGRAM_PRECISION in
 * java/grpc-jni-benchmarks/src/main/java/dev/grpcjni/benchmarks/qps/AsyncClient.java.
 */
#ifndef GRPCJNI_BENCH_HISTOGRAM_H_
#define GRPCJNI_BENCH_HISTOGRAM_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace grpcjni_bench {

class Histogram {
 public:
  // As grpc-java's benchmarks: latencies in microseconds, up to 60 s.
  static constexpr int64_t kMaxValue = 60'000'000;

  Histogram() : counts_(Index(kMaxValue) + 1) {}

  // Records `value` (clamped to [0, kMaxValue]).
  void Record(int64_t value) {
    counts_[Index(std::clamp<int64_t>(value, 0, kMaxValue))]++;
    total_++;
  }

  void Add(const Histogram& other) {
    for (size_t i = 0; i < counts_.size(); i++) counts_[i] += other.counts_[i];
    total_ += other.total_;
  }

  int64_t TotalCount() const { return total_; }

  // The value at `percentile` (0-100]: the highest value of the bucket holding the
  // ceil(percentile% of the count)-th smallest recording; 0 if empty.
  int64_t ValueAtPercentile(double percentile) const {
    // One ulp below, so that e.g. 99.9% of 1000 is 999, not 1000 after rounding.
    double p = std::clamp(std::nextafter(percentile, 0.0), 0.0, 100.0);
    int64_t wanted = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(p / 100.0 * total_)));
    int64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); i++) {
      seen += counts_[i];
      if (seen >= wanted) return HighestInBucket(static_cast<int>(i));
    }
    return 0;
  }

 private:
  // 2 significant digits need 200 exact values: 256 sub-buckets, the upper 128 reused per range.
  static constexpr int kSubBucketBits = 8;
  static constexpr int kHalfBits = kSubBucketBits - 1;
  static constexpr int64_t kSubBucketMask = (int64_t{1} << kSubBucketBits) - 1;
  static constexpr int64_t kHalfCount = int64_t{1} << kHalfBits;

  // The power-of-two range of `value`: 0 for [0, 256), 1 for [256, 512), ...
  static int Range(int64_t value) {
    return 63 - __builtin_clzll(static_cast<uint64_t>(value | kSubBucketMask)) - kHalfBits;
  }

  static int Index(int64_t value) {
    int range = Range(value);
    int64_t sub = value >> range;  // in [128, 256) for every range but the first
    return static_cast<int>(((int64_t{range} + 1) << kHalfBits) + sub - kHalfCount);
  }

  static int64_t HighestInBucket(int index) {
    int range = std::max(0, (index >> kHalfBits) - 1);
    int64_t sub = index - ((int64_t{range} + 1) << kHalfBits) + kHalfCount;
    return (sub << range) + (int64_t{1} << range) - 1;
  }

  std::vector<int64_t> counts_;
  int64_t total_ = 0;
};

}  // namespace grpcjni_bench

#endif  // GRPCJNI_BENCH_HISTOGRAM_H_
