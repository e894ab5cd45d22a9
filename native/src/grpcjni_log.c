// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * The C core's log lines, queued for Java. The core calls the log function on any of its threads
 * (timers, resolvers, the event engine), none of which the JVM knows; instead of attaching them,
 * each line is copied into a bounded queue that one Java thread drains (grpcjni_log_next) into
 * System.Logger. A line that would overflow the queue is dropped and counted; the next delivered
 * line carries the count. An assertion failure is also written to stderr at once: the core aborts
 * right after logging it, before Java could read it.
 */
#include <stdio.h>
#include <string.h>

#include <grpc/grpc.h>
#include <grpc/support/alloc.h>
#include <grpc/support/log.h>
#include <grpc/support/sync.h>
#include <grpc/support/time.h>

#include "grpcjni_internal.h"

enum { MAX_QUEUED_BYTES = 4 << 20, MAX_MESSAGE = 32 << 10 };

typedef struct line {
  struct line* next;
  int32_t severity;
  int32_t line;
  uint32_t dropped_before; /* lines dropped between the previous one queued and this one */
  const char* file; /* the core passes __FILE__: static */
  size_t message_len;
  char message[];
} line;

static gpr_once once = GPR_ONCE_INIT;
static gpr_mu mu;
static gpr_cv cv;
static line* head;
static line* tail;
static size_t queued_bytes;
static uint32_t dropped; /* since the last line queued */

/* A thread's error lines, also kept while it runs grpcjni_log_capture_errors (for a refusal the
 * core only logs, such as a service config's field errors). */
static __thread char* errors_out;
static __thread size_t errors_cap;

static void init_once(void) {
  gpr_mu_init(&mu);
  gpr_cv_init(&cv);
}

static void sink(gpr_log_func_args* args) {
  const char* message = args->message == NULL ? "" : args->message;
  if (args->severity == GPR_LOG_SEVERITY_ERROR &&
      strncmp(message, "assertion failed", 16) == 0) {
    fprintf(stderr, "%s:%d] %s\n", args->file, args->line, message);
    fflush(stderr);
  }
  size_t len = strlen(message);
  if (errors_out != NULL && args->severity == GPR_LOG_SEVERITY_ERROR && errors_out[0] == '\0') {
    snprintf(errors_out, errors_cap, "%s", message); /* the first error: the others follow it */
  }
  if (len > MAX_MESSAGE) len = MAX_MESSAGE;
  gpr_mu_lock(&mu);
  if (queued_bytes + len + sizeof(line) > MAX_QUEUED_BYTES) {
    dropped++;
    gpr_mu_unlock(&mu);
    return;
  }
  line* l = gpr_malloc(sizeof(line) + len);
  l->next = NULL;
  l->severity = (int32_t)args->severity;
  l->line = args->line;
  l->file = args->file;
  l->dropped_before = dropped;
  dropped = 0;
  l->message_len = len;
  memcpy(l->message, message, len);
  queued_bytes += len + sizeof(line);
  if (tail == NULL) {
    head = l;
  } else {
    tail->next = l;
  }
  tail = l;
  gpr_cv_signal(&cv);
  gpr_mu_unlock(&mu);
}

void grpcjni_log_capture(int32_t capture) {
  gpr_once_init(&once, init_once);
  /* NULL puts back the core's own function (stderr). */
  gpr_set_log_function(capture ? sink : NULL);
}

void grpcjni_log_capture_errors(char* out, size_t cap) {
  errors_out = cap == 0 ? NULL : out;
  errors_cap = cap;
  if (errors_out != NULL) errors_out[0] = '\0';
}

int32_t grpcjni_log_next(void* dst, int32_t capacity, int32_t timeout_millis) {
  if (capacity < 0 || (dst == NULL && capacity > 0) || timeout_millis < 0) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  gpr_once_init(&once, init_once);
  gpr_timespec until = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                    gpr_time_from_millis(timeout_millis, GPR_TIMESPAN));
  gpr_mu_lock(&mu);
  while (head == NULL) {
    if (gpr_cv_wait(&cv, &mu, until)) break; /* timed out */
  }
  line* l = head;
  if (l == NULL) {
    gpr_mu_unlock(&mu);
    return 0;
  }
  grpcjni_writer w = {dst, (size_t)capacity, 0};
  grpcjni_write_u32(&w, (uint32_t)l->severity);
  grpcjni_write_u32(&w, (uint32_t)l->line);
  grpcjni_write_u32(&w, l->dropped_before);
  grpcjni_write_bytes(&w, l->file, l->file == NULL ? 0 : strlen(l->file));
  grpcjni_write_bytes(&w, l->message, l->message_len);
  if (w.length <= (size_t)capacity) { /* else the caller grows its buffer and asks again */
    head = l->next;
    if (head == NULL) tail = NULL;
    queued_bytes -= l->message_len + sizeof(line);
    gpr_free(l);
  }
  gpr_mu_unlock(&mu);
  return grpcjni_writer_result(&w);
}

void grpcjni_log_set_verbosity(int32_t severity) {
  if (severity < GPR_LOG_SEVERITY_DEBUG || severity > GPR_LOG_SEVERITY_ERROR) return;
  gpr_set_log_verbosity((gpr_log_severity)severity);
}

int32_t grpcjni_log_should(int32_t severity) {
  if (severity < GPR_LOG_SEVERITY_DEBUG || severity > GPR_LOG_SEVERITY_ERROR) return 0;
  return gpr_should_log((gpr_log_severity)severity);
}

int32_t grpcjni_trace_set(const char* name, int32_t enabled) {
  if (name == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  return grpc_tracer_set_enabled(name, enabled != 0);
}
