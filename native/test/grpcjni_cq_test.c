// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* Completion queue lifecycle: shutdown drains pending tags, then reports shutdown for good. */
#include "grpcjni_internal.h"
#include "grpcjni_test.h"

enum { SHUTDOWN_TAG = 42 << 1 };

int main(void) {
  grpcjni_init();
  void* cq = grpcjni_cq_create();
  CHECK(cq != NULL);
  CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_COMPLETION_QUEUES), 1);

  /* A server that never started still posts its shutdown tag: a pending event to drain. */
  void* server = grpcjni_server_create(NULL, 0);
  grpcjni_server_register_cq(server, cq);
  grpcjni_server_start(server);
  grpcjni_server_shutdown_and_notify(server, cq, SHUTDOWN_TAG);
  CHECK_EQ(grpcjni_cq_next(cq), SHUTDOWN_TAG | 1);
  grpcjni_server_destroy(server);

  grpcjni_cq_shutdown(cq);
  CHECK_EQ(grpcjni_cq_next(cq), GRPCJNI_CQ_SHUTDOWN);
  CHECK_EQ(grpcjni_cq_next(cq), GRPCJNI_CQ_SHUTDOWN);
  grpcjni_cq_destroy(cq);
  grpcjni_shutdown();
  for (int k = 0; k < GRPCJNI_LIVE_KIND_COUNT; k++) CHECK_EQ(grpcjni_live_count(k), 0);
  printf("grpcjni_cq_test: OK\n");
  return 0;
}
