// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * grpcjni_channel_args_decode on any bytes, then the channel and server constructors that run it
 * on what Java sends. Accepted args must encode back to the input byte for byte (keys and string
 * values NUL-free, so the C strings hold all of them), refused input must leave nothing allocated,
 * and a constructor returns NULL exactly when the decode refused.
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int* argc, char*** argv) {
  (void)argc;
  (void)argv;
  gpr_set_log_function(fuzz_quiet_log);
  grpcjni_init();
  return 0;
}

/* The args wire format (grpcjni.h), written independently of the decoder under test. */
static void encode_args(grpcjni_writer* w, const grpc_channel_args* args) {
  grpcjni_write_u32(w, (uint32_t)args->num_args);
  for (size_t i = 0; i < args->num_args; i++) {
    const grpc_arg* a = &args->args[i];
    uint8_t type = a->type == GRPC_ARG_INTEGER ? 0 : 1;
    if (w->length + 1 <= w->capacity) w->p[w->length] = type;
    w->length += 1;
    grpcjni_write_bytes(w, a->key, strlen(a->key));
    if (a->type == GRPC_ARG_INTEGER) {
      grpcjni_write_u32(w, (uint32_t)a->value.integer);
    } else {
      FUZZ_CHECK(a->type == GRPC_ARG_STRING);
      grpcjni_write_bytes(w, a->value.string, strlen(a->value.string));
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > INT32_MAX) return 0;
  grpc_channel_args args;
  memset(&args, 0x5A, sizeof args);
  int rc = grpcjni_channel_args_decode(data, (int32_t)size, &args);
  FUZZ_CHECK(rc == 0 || rc == GRPCJNI_ERROR_INVALID_ARGUMENT);
  if (rc != 0) {
    FUZZ_CHECK(args.args == NULL && args.num_args == 0);
  } else if (size > 0) {
    uint8_t* buf = malloc(size);
    grpcjni_writer w = {buf, size, 0};
    encode_args(&w, &args);
    FUZZ_CHECK_EQ(w.length, size);
    FUZZ_CHECK(memcmp(buf, data, size) == 0);
    free(buf);
    grpcjni_channel_args_free(&args);
    FUZZ_CHECK(args.args == NULL && args.num_args == 0);
  } else {
    FUZZ_CHECK(args.num_args == 0);
  }

  /* What the core makes of any accepted args: it must take them without crashing. */
  void* channel = grpcjni_channel_create("127.0.0.1:1", data, (int32_t)size);
  FUZZ_CHECK((channel == NULL) == (rc != 0));
  grpcjni_channel_destroy(channel);
  void* server = grpcjni_server_create(data, (int32_t)size);
  FUZZ_CHECK((server == NULL) == (rc != 0));
  grpcjni_server_destroy(server);
  FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_CHANNELS), 0);
  FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_SERVERS), 0);
  return 0;
}
