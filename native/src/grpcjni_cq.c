// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * Completion queues. Pollers block with an infinite deadline: polling with a short deadline costs
 * 20-100 us per poll under the epoll1 engine (see shared/research/javacpp-probe.md, pitfall 1).
 * Keep in sync with java/grpc-jni-core/src/main/java/dev/grpcjni/internal/cq/CompletionQueue.java.
 */
#include <grpc/support/time.h>

#include "grpcjni_internal.h"

void* grpcjni_cq_create(void) {
  grpc_completion_queue* cq = grpc_completion_queue_create_for_next(NULL);
  if (cq != NULL) grpcjni_live_inc(GRPCJNI_LIVE_COMPLETION_QUEUES);
  return cq;
}

int64_t grpcjni_cq_next(void* cq) {
  if (cq == NULL) return GRPCJNI_CQ_SHUTDOWN;
  grpc_event ev = grpc_completion_queue_next((grpc_completion_queue*)cq,
                                             gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
  switch (ev.type) {
    case GRPC_OP_COMPLETE:
      return (int64_t)(intptr_t)ev.tag | (ev.success ? 1 : 0);
    case GRPC_QUEUE_TIMEOUT:
      return GRPCJNI_CQ_TIMEOUT;
    case GRPC_QUEUE_SHUTDOWN:
    default:
      return GRPCJNI_CQ_SHUTDOWN;
  }
}

void grpcjni_cq_shutdown(void* cq) {
  if (cq != NULL) grpc_completion_queue_shutdown((grpc_completion_queue*)cq);
}

void grpcjni_cq_destroy(void* cq) {
  if (cq == NULL) return;
  grpc_completion_queue_destroy((grpc_completion_queue*)cq);
  grpcjni_live_dec(GRPCJNI_LIVE_COMPLETION_QUEUES);
}
