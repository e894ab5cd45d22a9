// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * Calls and their batch contexts: one function per batch shape. A call holds one batch context
 * per kind of operation (grpcjni.h: GRPCJNI_OP_*), made on first use and reused; a context owns
 * every input a grpc_op points to, and receives every output, until the batch's tag comes back.
 * Keep in sync with java/grpc-jni-core/src/main/java/dev/grpcjni/internal/transport/CoreCall.java.
 */
#include <grpc/grpc_security.h>
#include <grpc/status.h>
#include <grpc/support/alloc.h>
#include <string.h>

#include "grpcjni_internal.h"

grpcjni_batch_context* grpcjni_batch_context_create(void) {
  grpcjni_batch_context* ctx = gpr_zalloc(sizeof *ctx);
  grpcjni_live_inc(GRPCJNI_LIVE_BATCH_CONTEXTS);
  return ctx;
}

void grpcjni_batch_context_reset(grpcjni_batch_context* ctx) {
  if (ctx == NULL) return;
  grpcjni_metadata_free_owned(&ctx->send_initial_metadata);
  grpcjni_metadata_free_owned(&ctx->send_trailing_metadata);
  if (ctx->send_message != NULL) grpc_byte_buffer_destroy(ctx->send_message);
  grpc_slice_unref(ctx->send_status_details);
  /* Received arrays: the array memory is ours, the slices belong to the call. */
  grpc_metadata_array_destroy(&ctx->recv_initial_metadata);
  grpc_metadata_array_destroy(&ctx->recv_trailing_metadata);
  if (ctx->recv_message != NULL) grpc_byte_buffer_destroy(ctx->recv_message);
  grpc_slice_unref(ctx->recv_status_details);
  gpr_free((void*)ctx->recv_error_string);
  memset(ctx, 0, sizeof *ctx);
}

void grpcjni_batch_context_destroy(grpcjni_batch_context* ctx) {
  if (ctx == NULL) return;
  grpcjni_batch_context_reset(ctx);
  gpr_free(ctx);
  grpcjni_live_dec(GRPCJNI_LIVE_BATCH_CONTEXTS);
}

grpcjni_call* grpcjni_call_wrap(grpc_call* call, grpc_byte_buffer* payload) {
  if (call == NULL) return NULL;
  grpcjni_call* c = gpr_zalloc(sizeof *c);
  c->call = call;
  c->payload = payload;
  grpcjni_live_inc(GRPCJNI_LIVE_CALLS);
  return c;
}

void grpcjni_call_unref(void* call) {
  grpcjni_call* c = call;
  if (c == NULL) return;
  for (int k = 0; k < GRPCJNI_OP_KIND_COUNT; k++) grpcjni_batch_context_destroy(c->ctx[k]);
  if (c->payload != NULL) grpc_byte_buffer_destroy(c->payload);
  grpc_call_unref(c->call);
  gpr_free(c);
  grpcjni_live_dec(GRPCJNI_LIVE_CALLS);
}

/* The context for an operation of `kind` about to start, emptied; made on first use. */
static grpcjni_batch_context* context(grpcjni_call* c, int kind) {
  if (c->ctx[kind] == NULL) {
    c->ctx[kind] = grpcjni_batch_context_create();
  } else {
    grpcjni_batch_context_reset(c->ctx[kind]);
  }
  return c->ctx[kind];
}

/* The context of a finished operation of `kind`, or NULL for a bad kind or none made yet. */
static grpcjni_batch_context* finished(grpcjni_call* c, int32_t kind) {
  if (c == NULL || kind < 0 || kind >= GRPCJNI_OP_KIND_COUNT) return NULL;
  return c->ctx[kind];
}

static grpc_op* add_op(grpcjni_batch_context* ctx, size_t* n, grpc_op_type type, uint32_t flags) {
  grpc_op* op = &ctx->ops[(*n)++];
  op->op = type;
  op->flags = flags;
  return op;
}

static void op_send_initial_metadata(grpc_op* op, grpc_metadata_array* md) {
  op->data.send_initial_metadata.count = md->count;
  op->data.send_initial_metadata.metadata = md->metadata;
}

/* Adds RECV_STATUS_ON_CLIENT, which every client call shape ends with. */
static void op_recv_status(grpcjni_batch_context* ctx, size_t* n) {
  grpc_op* status = add_op(ctx, n, GRPC_OP_RECV_STATUS_ON_CLIENT, 0);
  status->data.recv_status_on_client.trailing_metadata = &ctx->recv_trailing_metadata;
  status->data.recv_status_on_client.status = &ctx->recv_status;
  status->data.recv_status_on_client.status_details = &ctx->recv_status_details;
  status->data.recv_status_on_client.error_string = &ctx->recv_error_string;
}

static grpc_call_error start(grpcjni_call* c, grpcjni_batch_context* ctx, size_t n, int64_t tag) {
  return grpc_call_start_batch(c->call, ctx->ops, n, grpcjni_tag(tag), NULL);
}

/* The start batch's context with the call's request headers decoded into it, or NULL. */
static grpcjni_batch_context* client_start(grpcjni_call* c, const void* metadata,
                                           int32_t metadata_len) {
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_FINISH);
  return grpcjni_metadata_decode(metadata, metadata_len, &ctx->send_initial_metadata) == 0 ? ctx
                                                                                          : NULL;
}

int32_t grpcjni_call_start_unary(void* call, const void* metadata, int32_t metadata_len,
                                 const void* message, int32_t message_len,
                                 int32_t initial_metadata_flags, int32_t write_flags,
                                 int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL || message_len < 0 || (message == NULL && message_len > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  grpcjni_batch_context* ctx = client_start(c, metadata, metadata_len);
  if (ctx == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  ctx->send_message = grpcjni_byte_buffer_from_copy(message, (size_t)message_len);

  size_t n = 0;
  op_send_initial_metadata(
      add_op(ctx, &n, GRPC_OP_SEND_INITIAL_METADATA, (uint32_t)initial_metadata_flags),
      &ctx->send_initial_metadata);
  add_op(ctx, &n, GRPC_OP_SEND_MESSAGE, (uint32_t)write_flags)->data.send_message.send_message =
      ctx->send_message;
  add_op(ctx, &n, GRPC_OP_SEND_CLOSE_FROM_CLIENT, 0);
  add_op(ctx, &n, GRPC_OP_RECV_INITIAL_METADATA, 0)
      ->data.recv_initial_metadata.recv_initial_metadata = &ctx->recv_initial_metadata;
  add_op(ctx, &n, GRPC_OP_RECV_MESSAGE, 0)->data.recv_message.recv_message = &ctx->recv_message;
  op_recv_status(ctx, &n);
  _Static_assert(GRPCJNI_UNARY_OP_COUNT <= GRPCJNI_MAX_OPS, "ops array too small");
  return start(c, ctx, n, tag);
}

/* Hands a buffer from grpcjni_byte_buffer_create to the context, which frees it from then on. */
static void take_send_message(grpcjni_batch_context* ctx, void* byte_buffer) {
  if (byte_buffer != NULL) {
    ctx->send_message = byte_buffer;
    grpcjni_live_dec(GRPCJNI_LIVE_BYTE_BUFFERS);
  }
}

int32_t grpcjni_call_start_client_streaming(void* call, const void* metadata,
                                            int32_t metadata_len, int32_t initial_metadata_flags,
                                            int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_batch_context* ctx = client_start(c, metadata, metadata_len);
  if (ctx == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  size_t n = 0;
  op_send_initial_metadata(
      add_op(ctx, &n, GRPC_OP_SEND_INITIAL_METADATA, (uint32_t)initial_metadata_flags),
      &ctx->send_initial_metadata);
  add_op(ctx, &n, GRPC_OP_RECV_INITIAL_METADATA, 0)
      ->data.recv_initial_metadata.recv_initial_metadata = &ctx->recv_initial_metadata;
  add_op(ctx, &n, GRPC_OP_RECV_MESSAGE, 0)->data.recv_message.recv_message = &ctx->recv_message;
  op_recv_status(ctx, &n);
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_start_server_streaming(void* call, const void* metadata,
                                            int32_t metadata_len, int32_t initial_metadata_flags,
                                            const void* message, int32_t message_len,
                                            int32_t write_flags, int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL || message_len < 0 || (message == NULL && message_len > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  grpcjni_batch_context* ctx = client_start(c, metadata, metadata_len);
  if (ctx == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  ctx->send_message = grpcjni_byte_buffer_from_copy(message, (size_t)message_len);
  size_t n = 0;
  op_send_initial_metadata(
      add_op(ctx, &n, GRPC_OP_SEND_INITIAL_METADATA, (uint32_t)initial_metadata_flags),
      &ctx->send_initial_metadata);
  add_op(ctx, &n, GRPC_OP_SEND_MESSAGE, (uint32_t)write_flags)->data.send_message.send_message =
      ctx->send_message;
  add_op(ctx, &n, GRPC_OP_SEND_CLOSE_FROM_CLIENT, 0);
  op_recv_status(ctx, &n);
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_start_duplex_streaming(void* call, const void* metadata,
                                            int32_t metadata_len, int32_t initial_metadata_flags,
                                            int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_batch_context* ctx = client_start(c, metadata, metadata_len);
  if (ctx == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  size_t n = 0;
  op_send_initial_metadata(
      add_op(ctx, &n, GRPC_OP_SEND_INITIAL_METADATA, (uint32_t)initial_metadata_flags),
      &ctx->send_initial_metadata);
  op_recv_status(ctx, &n);
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_recv_initial_metadata(void* call, int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_HEADERS);
  size_t n = 0;
  add_op(ctx, &n, GRPC_OP_RECV_INITIAL_METADATA, 0)
      ->data.recv_initial_metadata.recv_initial_metadata = &ctx->recv_initial_metadata;
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_recv_message(void* call, int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_RECV);
  size_t n = 0;
  add_op(ctx, &n, GRPC_OP_RECV_MESSAGE, 0)->data.recv_message.recv_message = &ctx->recv_message;
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_send_message(void* call, int32_t flags, const void* metadata,
                                  int32_t metadata_len, void* byte_buffer, int32_t write_flags,
                                  int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL || byte_buffer == NULL) {
    grpcjni_byte_buffer_destroy(byte_buffer);
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_SEND);
  take_send_message(ctx, byte_buffer);
  size_t n = 0;
  if (flags & GRPCJNI_SEND_INITIAL_METADATA) {
    if (grpcjni_metadata_decode(metadata, metadata_len, &ctx->send_initial_metadata) != 0) {
      return GRPCJNI_ERROR_INVALID_ARGUMENT;
    }
    op_send_initial_metadata(add_op(ctx, &n, GRPC_OP_SEND_INITIAL_METADATA, 0),
                             &ctx->send_initial_metadata);
  }
  add_op(ctx, &n, GRPC_OP_SEND_MESSAGE, (uint32_t)write_flags)->data.send_message.send_message =
      ctx->send_message;
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_send_close_from_client(void* call, int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_SEND);
  size_t n = 0;
  add_op(ctx, &n, GRPC_OP_SEND_CLOSE_FROM_CLIENT, 0);
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_send_initial_metadata(void* call, const void* metadata,
                                           int32_t metadata_len, int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_SEND);
  if (grpcjni_metadata_decode(metadata, metadata_len, &ctx->send_initial_metadata) != 0) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  size_t n = 0;
  op_send_initial_metadata(add_op(ctx, &n, GRPC_OP_SEND_INITIAL_METADATA, 0),
                           &ctx->send_initial_metadata);
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_failed_before_recv_message(void* call) {
  grpcjni_call* c = call;
  return c != NULL && grpc_call_failed_before_recv_message(c->call) ? 1 : 0;
}

/*
 * The C core records each received message's flags on the call; the decompression filter marks a
 * message it inflated with GRPC_WRITE_INTERNAL_TEST_ONLY_WAS_COMPRESSED. The only reader is the
 * C++-linkage grpc_call_test_only_get_message_flags (src/core/lib/surface/call_test_only.h), which
 * gRPC's own C++ interop server uses. It is bound weakly by its mangled name, so a libgrpc without
 * it still loads and the answer becomes "unknown".
 */
extern uint32_t grpcjni_core_message_flags(grpc_call* call) __asm__(
    "_Z37grpc_call_test_only_get_message_flagsP9grpc_call") __attribute__((weak));

/* The call's incoming grpc-encoding, bound the same way (call_test_only.h, C++ linkage). */
extern grpc_compression_algorithm grpcjni_core_compression_algorithm(grpc_call* call) __asm__(
    "_Z45grpc_call_test_only_get_compression_algorithmP9grpc_call") __attribute__((weak));

int grpcjni_shim_decompresses(void) {
  return grpcjni_core_message_flags != NULL && grpcjni_core_compression_algorithm != NULL;
}

#define GRPCJNI_WRITE_INTERNAL_COMPRESS 0x80000000u
#define GRPCJNI_WRITE_INTERNAL_TEST_ONLY_WAS_COMPRESSED 0x40000000u

int grpcjni_received_message_normalize(grpc_call* call, grpc_byte_buffer** bb, int64_t max_length) {
  if (*bb == NULL) return 0;
  /* With the core's decompression off (grpcjni_channel_args_own_decompression), a message whose
   * Compressed-Flag was 1 arrives flagged GRPC_WRITE_INTERNAL_COMPRESS, as a compressed buffer of
   * the call's grpc-encoding, which grpcjni_byte_buffer_normalize inflates. When that encoding is
   * absent, identity or unknown, the core hands the bytes over as a plain buffer instead: no
   * message, which the gRPC spec makes INTERNAL. (A plain buffer of a flagged message on a call
   * that does have an encoding is one this function inflated already.) */
  if (call != NULL && grpcjni_shim_decompresses() &&
      (grpcjni_core_message_flags(call) & GRPCJNI_WRITE_INTERNAL_COMPRESS) != 0 &&
      (*bb)->type == GRPC_BB_RAW && (*bb)->data.raw.compression == GRPC_COMPRESS_NONE) {
    grpc_compression_algorithm algorithm = grpcjni_core_compression_algorithm(call);
    return algorithm == GRPC_COMPRESS_DEFLATE || algorithm == GRPC_COMPRESS_GZIP
               ? 0
               : GRPCJNI_MESSAGE_UNDECODABLE;
  }
  return grpcjni_byte_buffer_normalize(bb, max_length);
}

int32_t grpcjni_core_message_compressed(grpc_call* call) {
  if (call == NULL || grpcjni_core_message_flags == NULL) return -1;
  uint32_t flags = grpcjni_core_message_flags(call);
  return (flags & (GRPCJNI_WRITE_INTERNAL_COMPRESS |
                   GRPCJNI_WRITE_INTERNAL_TEST_ONLY_WAS_COMPRESSED)) != 0;
}

int32_t grpcjni_call_start_serverside(void* call, int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_FINISH);
  size_t n = 0;
  add_op(ctx, &n, GRPC_OP_RECV_CLOSE_ON_SERVER, 0)->data.recv_close_on_server.cancelled =
      &ctx->recv_close_cancelled;
  return start(c, ctx, n, tag);
}

int32_t grpcjni_call_send_status_from_server(
    void* call, int32_t flags, const void* initial_metadata, int32_t initial_metadata_len,
    void* byte_buffer, int32_t write_flags, int32_t status, const void* details,
    int32_t details_len, const void* trailing_metadata, int32_t trailing_metadata_len,
    int64_t tag) {
  grpcjni_call* c = call;
  if (c == NULL) {
    grpcjni_byte_buffer_destroy(byte_buffer);
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  grpcjni_batch_context* ctx = context(c, GRPCJNI_OP_SEND);
  take_send_message(ctx, byte_buffer);
  if (status < GRPC_STATUS_OK || status > GRPC_STATUS_UNAUTHENTICATED || details_len < 0 ||
      (details == NULL && details_len > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  if (grpcjni_metadata_decode(initial_metadata, initial_metadata_len,
                              &ctx->send_initial_metadata) != 0 ||
      grpcjni_metadata_decode(trailing_metadata, trailing_metadata_len,
                              &ctx->send_trailing_metadata) != 0) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT; /* ctx still owns the message; reset frees it */
  }
  ctx->send_status_details = grpc_slice_from_copied_buffer(details, (size_t)details_len);

  size_t n = 0;
  if (flags & GRPCJNI_SEND_INITIAL_METADATA) {
    op_send_initial_metadata(add_op(ctx, &n, GRPC_OP_SEND_INITIAL_METADATA, 0),
                             &ctx->send_initial_metadata);
  }
  if (ctx->send_message != NULL) {
    add_op(ctx, &n, GRPC_OP_SEND_MESSAGE, (uint32_t)write_flags)->data.send_message.send_message =
        ctx->send_message;
  }
  grpc_op* op = add_op(ctx, &n, GRPC_OP_SEND_STATUS_FROM_SERVER, 0);
  op->data.send_status_from_server.status = (grpc_status_code)status;
  op->data.send_status_from_server.status_details = &ctx->send_status_details;
  op->data.send_status_from_server.trailing_metadata_count = ctx->send_trailing_metadata.count;
  op->data.send_status_from_server.trailing_metadata = ctx->send_trailing_metadata.metadata;
  if (flags & GRPCJNI_RECV_CLOSE_ON_SERVER) {
    add_op(ctx, &n, GRPC_OP_RECV_CLOSE_ON_SERVER, 0)->data.recv_close_on_server.cancelled =
        &ctx->recv_close_cancelled;
  }
  return start(c, ctx, n, tag);
}

/* Makes `code` and `details` the status a batch's result reports (what the shim refused in it). */
static void refuse_result(grpcjni_batch_context* ctx, grpc_status_code code, const char* details) {
  ctx->recv_status = code;
  grpc_slice_unref(ctx->recv_status_details);
  ctx->recv_status_details = grpc_slice_from_static_string(details);
}

/* A client call's server: its peer once it is on a connection, nothing before. The C core gives a
 * call a security context (an auth context, "insecure" for plaintext) in the connection's own
 * filter stack, so a call without one never reached a connection; grpc_call_get_peer would name
 * the channel's target for it, which may read as an address. */
static void write_server_peer(grpcjni_writer* w, grpc_call* call) {
  grpc_auth_context* auth = grpc_call_auth_context(call);
  if (auth == NULL) {
    grpcjni_write_bytes(w, NULL, 0);
    return;
  }
  grpc_auth_context_release(auth);
  char* peer = grpc_call_get_peer(call);
  grpcjni_write_bytes(w, peer, strlen(peer));
  gpr_free(peer);
}

int32_t grpcjni_call_encode_result(void* call, int32_t kind, void* dst, int32_t capacity) {
  grpcjni_call* c = call;
  grpcjni_batch_context* ctx = finished(c, kind);
  if (ctx == NULL || capacity < 0 || (dst == NULL && capacity > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  int message = grpcjni_received_message_normalize(c->call, &ctx->recv_message, c->max_recv_length);
  if (message != 0) {
    /* A message that is not one: report it as the call's status. */
    grpc_byte_buffer_destroy(ctx->recv_message);
    ctx->recv_message = NULL;
    if (message == GRPCJNI_MESSAGE_TOO_LARGE) {
      refuse_result(ctx, GRPC_STATUS_RESOURCE_EXHAUSTED,
                    "Decompressed message larger than the channel's maxInboundMessageSize");
    } else {
      refuse_result(ctx, GRPC_STATUS_INTERNAL, "Failed to decompress message");
    }
  }
  /* A client's received header blocks, held to what a request's are held to on a server
   * (grpcjni_request_call_context_encode): a server that never acknowledges our SETTINGS is not yet
   * bound by the core to the size we advertised, and HPACK lets it send far more than it pays
   * for. Neither block is copied then, and the call ends with why. */
  int refused = 1;
  if (c->max_metadata_size > 0 &&
      (grpcjni_metadata_list_size(&ctx->recv_initial_metadata) > c->max_metadata_size ||
       grpcjni_metadata_list_size(&ctx->recv_trailing_metadata) > c->max_metadata_size)) {
    refuse_result(ctx, GRPC_STATUS_RESOURCE_EXHAUSTED,
                  "Response metadata larger than the channel's limit (maxInboundMetadataSize)");
  } else if (c->max_metadata_size > 0 &&
             (!grpcjni_metadata_well_formed(&ctx->recv_initial_metadata) ||
              !grpcjni_metadata_well_formed(&ctx->recv_trailing_metadata))) {
    refuse_result(ctx, GRPC_STATUS_INTERNAL, "Malformed response header");
  } else {
    refused = 0;
  }
  if (refused) {
    grpc_metadata_array_destroy(&ctx->recv_initial_metadata);
    grpc_metadata_array_destroy(&ctx->recv_trailing_metadata);
    grpc_metadata_array_init(&ctx->recv_initial_metadata);
    grpc_metadata_array_init(&ctx->recv_trailing_metadata);
  }
  grpcjni_writer w = {dst, (size_t)capacity, 0};
  grpcjni_write_u32(&w, (uint32_t)ctx->recv_status);
  grpcjni_write_slice(&w, ctx->recv_status_details);
  const char* err = ctx->recv_error_string;
  grpcjni_write_bytes(&w, err, err == NULL ? 0 : strlen(err));
  grpcjni_metadata_encode(&w, &ctx->recv_initial_metadata);
  grpcjni_metadata_encode(&w, &ctx->recv_trailing_metadata);
  grpcjni_write_u32(&w, (uint32_t)grpcjni_byte_buffer_length(ctx->recv_message));
  grpcjni_write_u32(
      &w, (uint32_t)(ctx->recv_message != NULL ? grpcjni_core_message_compressed(c->call) : -1));
  if (kind == GRPCJNI_OP_FINISH) {
    /* Who answered, read while the call is surely there: its owner frees it soon after this. */
    write_server_peer(&w, c->call);
  }
  return grpcjni_writer_result(&w);
}

int32_t grpcjni_call_copy_recv_message(void* call, int32_t kind, void* dst, int32_t capacity) {
  grpcjni_batch_context* ctx = finished(call, kind);
  if (ctx == NULL) return -1;
  grpcjni_call* c = call;
  if (grpcjni_received_message_normalize(c->call, &ctx->recv_message, c->max_recv_length) != 0) {
    return -1;
  }
  return grpcjni_byte_buffer_copy_out(ctx->recv_message, dst, capacity);
}

int32_t grpcjni_call_copy_payload(void* call, void* dst, int32_t capacity) {
  grpcjni_call* c = call;
  if (c == NULL) return -1;
  return grpcjni_byte_buffer_copy_out(c->payload, dst, capacity);
}

int64_t grpcjni_call_recv_message_info(void* call) {
  grpcjni_call* c = call;
  grpcjni_batch_context* ctx = finished(c, GRPCJNI_OP_RECV);
  int32_t length;
  int32_t compressed = -1;
  int message;
  if (ctx == NULL || ctx->recv_message == NULL) {
    length = -1;
  } else if ((message = grpcjni_received_message_normalize(c->call, &ctx->recv_message,
                                                          c->max_recv_length)) != 0) {
    length = message; /* GRPCJNI_MESSAGE_UNDECODABLE or GRPCJNI_MESSAGE_TOO_LARGE */
  } else {
    length = grpcjni_byte_buffer_length(ctx->recv_message);
    compressed = grpcjni_core_message_compressed(c->call);
  }
  return (int64_t)((uint64_t)(uint32_t)compressed << 32 | (uint32_t)length);
}

int32_t grpcjni_call_recv_close_on_server_cancelled(void* call, int32_t kind) {
  grpcjni_batch_context* ctx = finished(call, kind);
  return ctx != NULL && ctx->recv_close_cancelled ? 1 : 0;
}

int32_t grpcjni_call_cancel_with_status(void* call, int32_t status, const char* description) {
  grpcjni_call* c = call;
  if (c == NULL || status <= GRPC_STATUS_OK || status > GRPC_STATUS_UNAUTHENTICATED) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  return grpc_call_cancel_with_status(c->call, (grpc_status_code)status,
                                      description == NULL ? "" : description, NULL);
}

int32_t grpcjni_call_encode_auth_context(void* call, void* dst, int32_t capacity) {
  grpcjni_call* c = call;
  if (c == NULL || capacity < 0 || (dst == NULL && capacity > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  grpcjni_writer w = {dst, (size_t)capacity, 0};
  grpc_auth_context* ctx = grpc_call_auth_context(c->call);
  const char* identity = ctx == NULL ? NULL : grpc_auth_context_peer_identity_property_name(ctx);
  grpcjni_write_bytes(&w, identity, identity == NULL ? 0 : strlen(identity));
  uint32_t count = 0;
  if (ctx != NULL) {
    grpc_auth_property_iterator it = grpc_auth_context_property_iterator(ctx);
    while (grpc_auth_property_iterator_next(&it) != NULL) count++;
  }
  grpcjni_write_u32(&w, count);
  if (ctx != NULL) {
    grpc_auth_property_iterator it = grpc_auth_context_property_iterator(ctx);
    const grpc_auth_property* p;
    while ((p = grpc_auth_property_iterator_next(&it)) != NULL) {
      grpcjni_write_bytes(&w, p->name, p->name == NULL ? 0 : strlen(p->name));
      grpcjni_write_bytes(&w, p->value, p->value == NULL ? 0 : p->value_length);
    }
    grpc_auth_context_release(ctx);
  }
  return grpcjni_writer_result(&w);
}

int32_t grpcjni_call_get_server_peer(void* call, void* dst, int32_t capacity) {
  grpcjni_call* c = call;
  if (c == NULL || capacity < 0 || (dst == NULL && capacity > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  grpcjni_writer w = {dst, (size_t)capacity, 0};
  write_server_peer(&w, c->call);
  return grpcjni_writer_result(&w);
}

int32_t grpcjni_call_get_peer(void* call, void* dst, int32_t capacity) {
  grpcjni_call* c = call;
  if (c == NULL || capacity < 0 || (dst == NULL && capacity > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  char* peer = grpc_call_get_peer(c->call);
  size_t len = strlen(peer);
  if (len <= (size_t)capacity) memcpy(dst, peer, len);
  gpr_free(peer);
  return len > INT32_MAX ? INT32_MAX : (int32_t)len;
}
