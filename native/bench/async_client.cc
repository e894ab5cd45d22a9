// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * The C++ baseline's closed-loop benchmark client on gRPC's async C++ API, with the flags and the
 * report of the Java clients (grpc-java's io.grpc.benchmarks.qps.AsyncClient):
 *
 *   async_client --address=HOST:PORT [--channels=4] [--outstanding_rpcs=10] [--client_payload=0]
 *       [--server_payload=0] [--streaming_rpcs=false] [--warmup_duration=10] [--duration=60]
 *
 * Overview: each of `channels x outstanding_rpcs` loops issues its next RPC (or, streaming, its
 * next ping on one long-lived StreamingCall) when the previous one completes. Loops are spread over
 * one completion queue per core, each drained by its own thread; a loop has one operation in flight
 * at a time and only its queue's thread touches it once started, so loops need no locks. A run is
 * two phases, the warm-up and the measured one, each with fresh loops (and streams): every loop
 * stops at the first completion after the phase's end and counts down the phase's latch as the
 * last thing it does, so the main thread may free the loops once the latch is open. Only the
 * measured phase's latencies go into the histogram, and QPS is its RPCs over its length. Channels
 * are separate connections: each gets a distinct channel argument, since the C core shares one
 * subchannel between channels with equal arguments.
 * Keep in sync with
 * java/grpc-jni-benchmarks/src/main/java/dev/grpcjni/benchmarks/qps/AsyncClient.java.
 */
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "flags.h"
#include "grpc/testing/benchmark_service.grpc.pb.h"
#include "histogram.h"

namespace grpcjni_bench {
namespace {

using grpc::testing::BenchmarkService;
using grpc::testing::SimpleRequest;
using grpc::testing::SimpleResponse;
using Clock = std::chrono::steady_clock;

// How long past a phase's end its loops may take to finish before the run is given up, as the
// Java client.
constexpr std::chrono::seconds kDrainLimit{60};

constexpr char kUsage[] =
    "Usage: async_client --address=HOST:PORT [--channels=4] [--outstanding_rpcs=10]\n"
    "    [--client_payload=0] [--server_payload=0] [--streaming_rpcs=false]\n"
    "    [--warmup_duration=10] [--duration=60]\n"
    "  durations are in seconds; payloads in bytes; --outstanding_rpcs is per channel";

// The settings of one run.
struct Config {
  std::string address;
  int channels = 0;
  int outstanding_rpcs = 0;
  int client_payload = 0;
  int server_payload = 0;
  bool streaming = false;
  int warmup_seconds = 0;
  int duration_seconds = 0;

  static Config Parse(int argc, char** argv) {
    Flags f = Flags::Parse(argc, argv,
                           {{"address", std::nullopt},
                            {"channels", "4"},
                            {"outstanding_rpcs", "10"},
                            {"client_payload", "0"},
                            {"server_payload", "0"},
                            {"streaming_rpcs", "false"},
                            {"warmup_duration", "10"},
                            {"duration", "60"}},
                           kUsage);
    if (!f.Get("address")) f.Fail("--address is required");
    Config c;
    c.address = *f.Get("address");
    c.channels = f.GetInt("channels");
    c.outstanding_rpcs = f.GetInt("outstanding_rpcs");
    c.client_payload = f.GetInt("client_payload");
    c.server_payload = f.GetInt("server_payload");
    c.streaming = f.GetBool("streaming_rpcs");
    c.warmup_seconds = f.GetInt("warmup_duration");
    c.duration_seconds = f.GetInt("duration");
    if (c.channels < 1 || c.outstanding_rpcs < 1 || c.duration_seconds < 1) {
      f.Fail("--channels, --outstanding_rpcs and --duration must be positive");
    }
    if (c.client_payload < 0 || c.server_payload < 0 || c.warmup_seconds < 0) {
      f.Fail("payloads and --warmup_duration must not be negative");
    }
    return c;
  }
};

// Opens once `count` loops have counted down.
class Latch {
 public:
  explicit Latch(size_t count) : count_(count) {}

  void CountDown() {
    std::lock_guard<std::mutex> guard(lock_);
    if (--count_ == 0) opened_.notify_all();
  }

  // False if `deadline` passed first.
  bool WaitUntil(Clock::time_point deadline) {
    std::unique_lock<std::mutex> guard(lock_);
    return opened_.wait_until(guard, deadline, [this] { return count_ == 0; });
  }

 private:
  std::mutex lock_;
  std::condition_variable opened_;
  size_t count_;  // GUARDED_BY(lock_)
};

// One closed loop, and the completion-queue tag of its operations.
class Loop {
 public:
  Loop(BenchmarkService::Stub* stub, grpc::CompletionQueue* cq, const SimpleRequest* request,
       Clock::time_point end, Latch* done)
      : stub_(stub), cq_(cq), request_(request), end_(end), done_(done) {}
  virtual ~Loop() = default;

  // Starts the first RPC; called once, before any of the loop's events.
  virtual void Start() = 0;
  // Advances the loop with the outcome of the operation that completed.
  virtual void Proceed(bool ok) = 0;

  const Histogram& histogram() const { return histogram_; }
  // Why the loop failed, if it did.
  const std::optional<std::string>& error() const { return error_; }

 protected:
  // Records an RPC started at `started` that just completed; true if the loop should go on.
  bool Record(Clock::time_point started) {
    Clock::time_point now = Clock::now();
    histogram_.Record(std::chrono::duration_cast<std::chrono::microseconds>(now - started).count());
    return now < end_;
  }

  // Ends the loop; the main thread may free it from here on.
  void Done() { done_->CountDown(); }

  void Fail(const grpc::Status& status) {
    error_ = "RPC failed: status " + std::to_string(static_cast<int>(status.error_code())) + ", " +
             status.error_message();
    Done();
  }

  BenchmarkService::Stub* const stub_;
  grpc::CompletionQueue* const cq_;
  const SimpleRequest* const request_;

 private:
  const Clock::time_point end_;
  Latch* const done_;
  Histogram histogram_;
  std::optional<std::string> error_;
};

class UnaryLoop final : public Loop {
 public:
  using Loop::Loop;

  void Start() override {
    call_.reset();  // lives in the previous call's arena, which its context frees
    context_.emplace();
    started_ = Clock::now();
    call_ = stub_->PrepareAsyncUnaryCall(&*context_, *request_, cq_);
    call_->StartCall();
    call_->Finish(&response_, &status_, this);
  }

  // Finish always completes with ok; the outcome is in status_.
  void Proceed(bool) override {
    if (!status_.ok()) {
      Fail(status_);
    } else if (Record(started_)) {
      Start();
    } else {
      Done();
    }
  }

 private:
  Clock::time_point started_;
  std::optional<grpc::ClientContext> context_;  // one per RPC: a context cannot be reused
  std::unique_ptr<grpc::ClientAsyncResponseReader<SimpleResponse>> call_;
  SimpleResponse response_;
  grpc::Status status_;
};

class StreamingLoop final : public Loop {
 public:
  using Loop::Loop;

  void Start() override {
    state_ = State::kStarting;
    stream_ = stub_->PrepareAsyncStreamingCall(&context_, cq_);
    stream_->StartCall(this);
  }

  void Proceed(bool ok) override {
    switch (state_) {
      case State::kStarting:
        ok ? Write() : Finish();
        return;
      case State::kWriting:
        if (!ok) return Finish();
        state_ = State::kReading;
        stream_->Read(&response_, this);
        return;
      case State::kReading:
        if (!ok) return Finish();
        if (Record(sent_)) return Write();
        closing_ = true;
        state_ = State::kClosing;
        stream_->WritesDone(this);
        return;
      case State::kClosing:
        return Finish();
      case State::kFinishing:
        if (!status_.ok()) return Fail(status_);
        if (!closing_) return Fail(grpc::Status(grpc::StatusCode::INTERNAL, "stream ended early"));
        return Done();
    }
  }

 private:
  enum class State { kStarting, kWriting, kReading, kClosing, kFinishing };

  void Write() {
    sent_ = Clock::now();
    state_ = State::kWriting;
    stream_->Write(*request_, this);
  }

  void Finish() {
    state_ = State::kFinishing;
    stream_->Finish(&status_, this);
  }

  State state_ = State::kStarting;
  bool closing_ = false;  // the loop half-closed: the stream may end
  Clock::time_point sent_;
  grpc::ClientContext context_;  // before stream_, which lives in its call's arena
  std::unique_ptr<grpc::ClientAsyncReaderWriter<SimpleRequest, SimpleResponse>> stream_;
  SimpleResponse response_;
  grpc::Status status_;
};

// One completion queue and the thread draining it.
struct Queue {
  grpc::CompletionQueue cq;
  std::thread thread;

  void Drain() {
    void* tag;
    bool ok;
    while (cq.Next(&tag, &ok)) static_cast<Loop*>(tag)->Proceed(ok);
  }
};

// What a phase measured.
struct Result {
  Histogram histogram;
  int64_t elapsed_nanos;

  int64_t Qps() const { return histogram.TotalCount() * 1'000'000'000 / elapsed_nanos; }
};

class Client {
 public:
  explicit Client(const Config& config) : config_(config) {
    request_.set_response_size(config.server_payload);
    request_.mutable_payload()->mutable_body()->assign(config.client_payload, '\0');
    for (int i = 0; i < config.channels; i++) {
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(-1);
      args.SetInt("grpcjni.benchmark.channel", i);
      stubs_.push_back(BenchmarkService::NewStub(
          grpc::CreateCustomChannel(config.address, grpc::InsecureChannelCredentials(), args)));
    }
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < cores; i++) {
      queues_.push_back(std::make_unique<Queue>());
      queues_.back()->thread = std::thread(&Queue::Drain, queues_.back().get());
    }
  }

  ~Client() {
    for (auto& q : queues_) q->cq.Shutdown();
    for (auto& q : queues_) q->thread.join();
  }

  // Warms up, then measures for the configured duration; std::nullopt if an RPC failed.
  std::optional<Result> Run() {
    if (config_.warmup_seconds > 0 && !Measure(std::chrono::seconds(config_.warmup_seconds))) {
      return std::nullopt;
    }
    return Measure(std::chrono::seconds(config_.duration_seconds));
  }

 private:
  // One phase, with fresh loops; std::nullopt (and the reason on stderr) if an RPC failed.
  std::optional<Result> Measure(std::chrono::seconds length) {
    size_t count = stubs_.size() * static_cast<size_t>(config_.outstanding_rpcs);
    Latch done(count);
    Clock::time_point start = Clock::now();
    Clock::time_point end = start + length;
    std::vector<std::unique_ptr<Loop>> loops;
    for (auto& stub : stubs_) {
      for (int i = 0; i < config_.outstanding_rpcs; i++) {
        grpc::CompletionQueue* cq = &queues_[loops.size() % queues_.size()]->cq;
        if (config_.streaming) {
          loops.push_back(std::make_unique<StreamingLoop>(stub.get(), cq, &request_, end, &done));
        } else {
          loops.push_back(std::make_unique<UnaryLoop>(stub.get(), cq, &request_, end, &done));
        }
        loops.back()->Start();
      }
    }
    if (!done.WaitUntil(end + kDrainLimit)) {
      std::fprintf(stderr, "async_client: RPCs still outstanding %llds after the end\n",
                   static_cast<long long>(kDrainLimit.count()));
      std::_Exit(1);  // loops are still in use; nothing can be freed
    }
    Result r{Histogram(),
             std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count()};
    for (auto& loop : loops) {
      if (loop->error()) {
        std::fprintf(stderr, "async_client: %s\n", loop->error()->c_str());
        return std::nullopt;
      }
      r.histogram.Add(loop->histogram());
    }
    return r;
  }

  const Config config_;
  SimpleRequest request_;
  std::vector<std::unique_ptr<BenchmarkService::Stub>> stubs_;
  std::vector<std::unique_ptr<Queue>> queues_;
};

// The report, in the shape of grpc-java's AsyncClient.
void Print(const Config& c, const Result& r) {
  auto line = [](const char* label, long long value) { std::printf("%-32s%lld\n", label, value); };
  const Histogram& h = r.histogram;
  line("Channels:", c.channels);
  line("Outstanding RPCs per Channel:", c.outstanding_rpcs);
  line("Server Payload Size:", c.server_payload);
  line("Client Payload Size:", c.client_payload);
  line("50%ile Latency (in micros):", h.ValueAtPercentile(50));
  line("90%ile Latency (in micros):", h.ValueAtPercentile(90));
  line("95%ile Latency (in micros):", h.ValueAtPercentile(95));
  line("99%ile Latency (in micros):", h.ValueAtPercentile(99));
  line("99.9%ile Latency (in micros):", h.ValueAtPercentile(99.9));
  line("Maximum Latency (in micros):", h.ValueAtPercentile(100));
  line("QPS:", r.Qps());
}

int Main(int argc, char** argv) {
  Config config = Config::Parse(argc, argv);
  std::optional<Result> result = Client(config).Run();
  if (!result) return 1;
  Print(config, *result);
  return 0;
}

}  // namespace
}  // namespace grpcjni_bench

int main(int argc, char** argv) { return grpcjni_bench::Main(argc, argv); }
