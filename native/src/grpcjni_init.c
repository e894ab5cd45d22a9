// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* Library lifecycle, shared constants, live-object counters, deadlines. */
#include <grpc/impl/codegen/propagation_bits.h>
#include <grpc/status.h>
#include <grpc/support/alloc.h>
#include <grpc/support/string_util.h>
#include <grpc/support/time.h>

#include "grpcjni_internal.h"

atomic_llong grpcjni_live[GRPCJNI_LIVE_KIND_COUNT];

void grpcjni_init(void) { grpc_init(); }

void grpcjni_shutdown(void) { grpc_shutdown(); }

const char* grpcjni_version(void) { return grpc_version_string(); }

int32_t grpcjni_constant(int32_t which) {
  if (which >= GRPCJNI_CONST_STATUS_OK && which <= GRPCJNI_CONST_STATUS_UNAUTHENTICATED) {
    /* The status enum is dense 0..16; returning the C value keeps the Java test honest. */
    static const grpc_status_code codes[] = {
        GRPC_STATUS_OK,           GRPC_STATUS_CANCELLED,          GRPC_STATUS_UNKNOWN,
        GRPC_STATUS_INVALID_ARGUMENT, GRPC_STATUS_DEADLINE_EXCEEDED, GRPC_STATUS_NOT_FOUND,
        GRPC_STATUS_ALREADY_EXISTS, GRPC_STATUS_PERMISSION_DENIED, GRPC_STATUS_RESOURCE_EXHAUSTED,
        GRPC_STATUS_FAILED_PRECONDITION, GRPC_STATUS_ABORTED,     GRPC_STATUS_OUT_OF_RANGE,
        GRPC_STATUS_UNIMPLEMENTED, GRPC_STATUS_INTERNAL,          GRPC_STATUS_UNAVAILABLE,
        GRPC_STATUS_DATA_LOSS,    GRPC_STATUS_UNAUTHENTICATED};
    return codes[which];
  }
  switch (which) {
    case GRPCJNI_CONST_WRITE_BUFFER_HINT:
      return GRPC_WRITE_BUFFER_HINT;
    case GRPCJNI_CONST_WRITE_NO_COMPRESS:
      return GRPC_WRITE_NO_COMPRESS;
    case GRPCJNI_CONST_INITIAL_METADATA_WAIT_FOR_READY:
      /* Both bits, as gRPC C++ sets them: the second says the choice was made explicitly. */
      return GRPC_INITIAL_METADATA_WAIT_FOR_READY |
             GRPC_INITIAL_METADATA_WAIT_FOR_READY_EXPLICITLY_SET;
    case GRPCJNI_CONST_CALL_ERROR_TOO_MANY_OPERATIONS:
      return GRPC_CALL_ERROR_TOO_MANY_OPERATIONS;
    case GRPCJNI_CONST_DEFAULT_MAX_RECV_MESSAGE_LENGTH:
      return GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH;
    default:
      return INT32_MIN;
  }
}

int64_t grpcjni_live_count(int32_t kind) {
  if (kind < 0 || kind >= GRPCJNI_LIVE_KIND_COUNT) return -1;
  return atomic_load(&grpcjni_live[kind]);
}

int64_t grpcjni_address_of(const void* p) { return (int64_t)(intptr_t)p; }

const char* grpcjni_call_error_to_string(int32_t error) {
  if (error == GRPCJNI_ERROR_INVALID_ARGUMENT) return "GRPCJNI_ERROR_INVALID_ARGUMENT";
  /* The core aborts on values outside its enum. */
  if (error < GRPC_CALL_OK || error > GRPC_CALL_ERROR_COMPLETION_QUEUE_SHUTDOWN) {
    return "unknown grpc_call_error";
  }
  return grpc_call_error_to_string((grpc_call_error)error);
}

gpr_timespec grpcjni_deadline_from_nanos(int64_t nanos_from_now) {
  if (nanos_from_now == GRPCJNI_NO_DEADLINE) return gpr_inf_future(GPR_CLOCK_MONOTONIC);
  if (nanos_from_now < 0) nanos_from_now = 0;
  return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                      gpr_time_from_nanos(nanos_from_now, GPR_TIMESPAN));
}

int64_t grpcjni_nanos_until(gpr_timespec deadline) {
  if (gpr_time_cmp(deadline, gpr_inf_future(deadline.clock_type)) == 0) {
    return GRPCJNI_NO_DEADLINE;
  }
  gpr_timespec mono = gpr_convert_clock_type(deadline, GPR_CLOCK_MONOTONIC);
  gpr_timespec left = gpr_time_sub(mono, gpr_now(GPR_CLOCK_MONOTONIC));
  /* tv_sec of a far deadline can overflow nanos: saturate instead. */
  if (left.tv_sec > INT64_MAX / GPR_NS_PER_SEC - 1) return GRPCJNI_NO_DEADLINE;
  if (left.tv_sec < 0) return 0; /* already expired; also avoids overflow for inf_past */
  return left.tv_sec * GPR_NS_PER_SEC + left.tv_nsec;
}

const char* grpcjni_string_list_add(grpcjni_string_list** list, const char* s) {
  grpcjni_string_list* node = gpr_malloc(sizeof *node);
  node->value = gpr_strdup(s);
  node->next = *list;
  *list = node;
  return node->value;
}

void grpcjni_string_list_free(grpcjni_string_list** list) {
  for (grpcjni_string_list* node = *list; node != NULL;) {
    grpcjni_string_list* next = node->next;
    gpr_free(node->value);
    gpr_free(node);
    node = next;
  }
  *list = NULL;
}
