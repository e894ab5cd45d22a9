// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* The captured log: lines queue in order, a short buffer keeps the line, overflow is counted. */
#include <string.h>

#include <grpc/support/log.h>

#include "grpcjni_internal.h"
#include "grpcjni_test.h"

static uint32_t u32_at(const uint8_t* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The message of an encoded line, copied into `out` (NUL-terminated). */
static void message_of(const uint8_t* p, char* out, size_t cap) {
  uint32_t file_len = u32_at(p + 12);
  const uint8_t* m = p + 16 + file_len;
  uint32_t len = u32_at(m);
  CHECK(len < cap);
  memcpy(out, m + 4, len);
  out[len] = 0;
}

int main(void) {
  static uint8_t buf[64 << 10];
  char message[64];
  grpcjni_log_capture(1);
  grpcjni_log_set_verbosity(GPR_LOG_SEVERITY_DEBUG);
  CHECK_EQ(grpcjni_log_should(GPR_LOG_SEVERITY_DEBUG), 1);
  CHECK_EQ(grpcjni_log_next(buf, sizeof buf, 0), 0); /* nothing yet: no wait */

  gpr_log(GPR_INFO, "first %d", 1);
  gpr_log(GPR_ERROR, "second");
  CHECK_EQ(grpcjni_log_next(buf, 8, 0) > 8, 1); /* too small: the line stays */
  int32_t n = grpcjni_log_next(buf, sizeof buf, 1000);
  CHECK(n > 16);
  CHECK_EQ(u32_at(buf), GPR_LOG_SEVERITY_INFO);
  CHECK_EQ(u32_at(buf + 8), 0);
  CHECK(strstr((const char*)buf + 16, "grpcjni_log_test.c") != NULL);
  message_of(buf, message, sizeof message);
  CHECK_EQ(strcmp(message, "first 1"), 0);
  CHECK(grpcjni_log_next(buf, sizeof buf, 1000) > 0);
  CHECK_EQ(u32_at(buf), GPR_LOG_SEVERITY_ERROR);
  message_of(buf, message, sizeof message);
  CHECK_EQ(strcmp(message, "second"), 0);

  /* Below the verbosity: never queued. */
  grpcjni_log_set_verbosity(GPR_LOG_SEVERITY_ERROR);
  CHECK_EQ(grpcjni_log_should(GPR_LOG_SEVERITY_INFO), 0);
  gpr_log(GPR_INFO, "ignored");
  CHECK_EQ(grpcjni_log_next(buf, sizeof buf, 0), 0);

  /* Overflow: 4 MiB of 32 KiB lines, then more; the next line delivered says how many went. */
  static char big[40 << 10];
  memset(big, 'x', sizeof big - 1);
  for (int i = 0; i < 200; i++) gpr_log(GPR_ERROR, "%s", big);
  int delivered = 0;
  uint32_t dropped = 0;
  while (grpcjni_log_next(buf, sizeof buf, 0) > 0) {
    CHECK_EQ(u32_at(buf + 8), 0);
    delivered++;
  }
  CHECK(delivered > 100 && delivered < 200);
  gpr_log(GPR_ERROR, "after");
  CHECK(grpcjni_log_next(buf, sizeof buf, 0) > 0);
  dropped = u32_at(buf + 8);
  CHECK_EQ(delivered + (int)dropped, 200);
  message_of(buf, message, sizeof message);
  CHECK_EQ(strcmp(message, "after"), 0);

  /* A refused service config: the reason is the core's logged error, naming the field. */
  char error[1024];
  CHECK_EQ(grpcjni_service_config_check("{\"methodConfig\": 5}", error, sizeof error), 1);
  printf("refusal: %s\n", error);
  CHECK(strstr(error, "methodConfig") != NULL);
  CHECK_EQ(grpcjni_service_config_check("{}", error, sizeof error), 0);
  while (grpcjni_log_next(buf, sizeof buf, 0) > 0) {
  }

  CHECK_EQ(grpcjni_trace_set("api", 1), 1);
  CHECK_EQ(grpcjni_trace_set("api", 0), 1);
  CHECK_EQ(grpcjni_log_next(NULL, 1, 0), GRPCJNI_ERROR_INVALID_ARGUMENT);
  grpcjni_log_capture(0);
  printf("grpcjni_log_test: OK\n");
  return 0;
}
