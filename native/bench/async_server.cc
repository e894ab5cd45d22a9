// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * The C++ baseline's benchmark server: grpc.testing.BenchmarkService on gRPC's async C++ API, the
 * shape of gRPC's own qps server, with the flags of the Java mains:
 *
 *   async_server --port=P | --address=HOST:PORT
 *
 * Overview: one completion queue per core, each drained by its own thread. Every queue holds
 * kSlotsPerMethod requested calls per method; a slot is a small state machine that serves one call
 * at a time and, once its call is over, resets and requests the next one. A slot has at most one
 * operation in flight, and only its queue's thread touches it, so slots need no locks. UnaryCall
 * answers with `response_size` bytes; StreamingCall answers every request the same way (ping-pong)
 * until the client half-closes. Any other call, of the service's other methods or an unknown one,
 * is answered UNIMPLEMENTED. Prints `Server started on port N` once serving.
 *
 * Shutdown (SIGTERM, SIGINT): Server::Shutdown lets calls in flight finish for kShutdownGrace and
 * cancels the rest, while the threads keep draining; then each queue is marked shut down under its
 * lock, so its thread never starts an operation on it after Shutdown(), and the queues drain.
 * Keep in sync with
 * java/grpc-jni-benchmarks/src/main/java/dev/grpcjni/benchmarks/qps/AsyncServer.java.
 */
#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "flags.h"
#include "grpc/testing/benchmark_service.grpc.pb.h"

namespace grpcjni_bench {
namespace {

using grpc::testing::BenchmarkService;
using grpc::testing::SimpleRequest;
using grpc::testing::SimpleResponse;

// As grpc-jni's default requestSlotsPerMethod: calls of one method that can arrive at once per
// queue before the C core holds them back.
enum { kSlotsPerMethod = 64 };

// Shorter than scripts/lib.sh's stop(), which kills after 5 s.
constexpr std::chrono::seconds kShutdownGrace{2};

constexpr char kUsage[] =
    "Usage: async_server [--port=0 | --address=HOST:PORT]\n"
    "  --port     port to listen on, every interface (0: any free port)\n"
    "  --address  host:port to listen on instead, as grpc-java's AsyncServer";

// UnaryCall and StreamingCall served by the slots below; the other methods generic, so that their
// calls reach the generic service with those of unknown methods and are answered UNIMPLEMENTED.
// (Left sync, they would need a sync thread pool polling beside the queues.)
using Service =
    BenchmarkService::WithAsyncMethod_UnaryCall<BenchmarkService::WithAsyncMethod_StreamingCall<
        BenchmarkService::WithGenericMethod_StreamingFromClient<
            BenchmarkService::WithGenericMethod_StreamingFromServer<
                BenchmarkService::WithGenericMethod_StreamingBothWays<
                    BenchmarkService::Service>>>>>;

// Fills `response` with `request.response_size()` zero bytes; the buffer is kept between calls.
void Answer(const SimpleRequest& request, SimpleResponse* response) {
  size_t size = request.response_size() > 0 ? static_cast<size_t>(request.response_size()) : 0;
  std::string* body = response->mutable_payload()->mutable_body();
  if (body->size() != size) body->assign(size, '\0');
}

// A completion-queue tag: one slot, serving one call at a time.
class Slot {
 public:
  virtual ~Slot() = default;
  // Advances the state machine with the outcome of the operation that completed.
  virtual void Proceed(bool ok) = 0;
};

class UnarySlot final : public Slot {
 public:
  UnarySlot(Service* service, grpc::ServerCompletionQueue* cq) : service_(service), cq_(cq) {
    Request();
  }

  void Proceed(bool ok) override {
    if (state_ == State::kRequested) {
      if (!ok) return;  // the server is shutting down
      Answer(request_, &response_);
      state_ = State::kFinishing;
      responder_->Finish(response_, grpc::Status::OK, this);
      return;
    }
    Request();  // finished, or failed: either way the call is over
  }

 private:
  enum class State { kRequested, kFinishing };

  void Request() {
    context_.emplace();
    responder_.emplace(&*context_);
    state_ = State::kRequested;
    service_->RequestUnaryCall(&*context_, &request_, &*responder_, cq_, cq_, this);
  }

  Service* const service_;
  grpc::ServerCompletionQueue* const cq_;
  State state_ = State::kRequested;
  // Rebuilt for every call: neither can be reused once its call is over.
  std::optional<grpc::ServerContext> context_;
  std::optional<grpc::ServerAsyncResponseWriter<SimpleResponse>> responder_;
  SimpleRequest request_;
  SimpleResponse response_;
};

class StreamingSlot final : public Slot {
 public:
  StreamingSlot(Service* service, grpc::ServerCompletionQueue* cq) : service_(service), cq_(cq) {
    Request();
  }

  void Proceed(bool ok) override {
    switch (state_) {
      case State::kRequested:
        if (!ok) return;  // the server is shutting down
        Read();
        return;
      case State::kReading:
        if (!ok) {  // the client half-closed (or the call died): end it
          state_ = State::kFinishing;
          stream_->Finish(grpc::Status::OK, this);
          return;
        }
        Answer(request_, &response_);
        state_ = State::kWriting;
        stream_->Write(response_, this);
        return;
      case State::kWriting:
        if (!ok) {  // the call died; Finish reports that to no one but ends it
          state_ = State::kFinishing;
          stream_->Finish(grpc::Status::OK, this);
          return;
        }
        Read();
        return;
      case State::kFinishing:
        Request();
        return;
    }
  }

 private:
  enum class State { kRequested, kReading, kWriting, kFinishing };

  void Request() {
    context_.emplace();
    stream_.emplace(&*context_);
    state_ = State::kRequested;
    service_->RequestStreamingCall(&*context_, &*stream_, cq_, cq_, this);
  }

  void Read() {
    state_ = State::kReading;
    stream_->Read(&request_, this);
  }

  Service* const service_;
  grpc::ServerCompletionQueue* const cq_;
  State state_ = State::kRequested;
  std::optional<grpc::ServerContext> context_;
  std::optional<grpc::ServerAsyncReaderWriter<SimpleResponse, SimpleRequest>> stream_;
  SimpleRequest request_;
  SimpleResponse response_;
};

// Answers every other call UNIMPLEMENTED, one at a time per queue: nothing measured uses them.
class UnimplementedSlot final : public Slot {
 public:
  UnimplementedSlot(grpc::AsyncGenericService* service, grpc::ServerCompletionQueue* cq)
      : service_(service), cq_(cq) {
    Request();
  }

  void Proceed(bool ok) override {
    if (!finishing_) {
      if (!ok) return;  // the server is shutting down
      finishing_ = true;
      stream_->Finish(
          grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "Method not found: " + context_->method()),
          this);
      return;
    }
    Request();
  }

 private:
  void Request() {
    context_.emplace();
    stream_.emplace(&*context_);
    finishing_ = false;
    service_->RequestCall(&*context_, &*stream_, cq_, cq_, this);
  }

  grpc::AsyncGenericService* const service_;
  grpc::ServerCompletionQueue* const cq_;
  bool finishing_ = false;
  std::optional<grpc::GenericServerContext> context_;
  std::optional<grpc::GenericServerAsyncReaderWriter> stream_;
};

// One completion queue, its thread and its slots.
struct Queue {
  std::unique_ptr<grpc::ServerCompletionQueue> cq;
  std::vector<std::unique_ptr<Slot>> slots;
  std::thread thread;
  std::mutex lock;
  bool shutdown = false;  // GUARDED_BY(lock); once set, no slot starts an operation on `cq`

  void Drain() {
    void* tag;
    bool ok;
    while (cq->Next(&tag, &ok)) {
      std::lock_guard<std::mutex> guard(lock);
      if (!shutdown) static_cast<Slot*>(tag)->Proceed(ok);
    }
  }
};

int Main(int argc, char** argv) {
  Flags flags = Flags::Parse(argc, argv, {{"port", "0"}, {"address", std::nullopt}}, kUsage);
  int port = flags.GetInt("port");
  std::string address = flags.Get("address").value_or("[::]:" + std::to_string(port));

  // Signals are taken by sigwait below; block them before gRPC starts its threads, which inherit
  // the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Service service;
  grpc::AsyncGenericService unimplemented;
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &bound_port);
  builder.RegisterService(&service);
  builder.RegisterAsyncGenericService(&unimplemented);
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Queue>> queues;
  for (unsigned i = 0; i < cores; i++) {
    queues.push_back(std::make_unique<Queue>());
    queues.back()->cq = builder.AddCompletionQueue();
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    std::fprintf(stderr, "async_server: could not listen on %s\n", address.c_str());
    return 1;
  }
  for (auto& q : queues) {
    for (int i = 0; i < kSlotsPerMethod; i++) {
      q->slots.push_back(std::make_unique<UnarySlot>(&service, q->cq.get()));
      q->slots.push_back(std::make_unique<StreamingSlot>(&service, q->cq.get()));
    }
    q->slots.push_back(std::make_unique<UnimplementedSlot>(&unimplemented, q->cq.get()));
    q->thread = std::thread(&Queue::Drain, q.get());
  }
  std::printf("Server started on port %d\n", bound_port);
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::printf("Shutting down\n");
  std::fflush(stdout);
  server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  for (auto& q : queues) {
    {
      std::lock_guard<std::mutex> guard(q->lock);
      q->shutdown = true;
    }
    q->cq->Shutdown();
  }
  for (auto& q : queues) {
    q->thread.join();
    q->slots.clear();
  }
  server.reset();  // before its queues, as gRPC requires
  return 0;
}

}  // namespace
}  // namespace grpcjni_bench

int main(int argc, char** argv) { return grpcjni_bench::Main(argc, argv); }
