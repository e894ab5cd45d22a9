// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* Private to native/src: never included by the JNI glue. */
#ifndef GRPCJNI_INTERNAL_H
#define GRPCJNI_INTERNAL_H

#include <grpc/byte_buffer.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security_constants.h>
#include <grpc/slice.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "grpcjni.h"

/* ---- live-object counters (grpcjni_init.c) ---- */
extern atomic_llong grpcjni_live[GRPCJNI_LIVE_KIND_COUNT];
static inline void grpcjni_live_inc(int kind) { atomic_fetch_add(&grpcjni_live[kind], 1); }
static inline void grpcjni_live_dec(int kind) { atomic_fetch_sub(&grpcjni_live[kind], 1); }

/* ---- strings kept alive for the core (grpcjni_init.c) ---- */

/** A list of strings copied for an object whose core API keeps pointers to them. */
typedef struct grpcjni_string_list {
  char* value;
  struct grpcjni_string_list* next;
} grpcjni_string_list;

/** Copies `s` onto the list and returns the copy; the list owns it. Not thread-safe. */
const char* grpcjni_string_list_add(grpcjni_string_list** list, const char* s);
void grpcjni_string_list_free(grpcjni_string_list** list);

/* ---- tags ---- */
static inline void* grpcjni_tag(int64_t tag) { return (void*)(intptr_t)tag; }

/** An integer channel argument the shim turns into a resource quota of that many bytes. */
#define GRPCJNI_ARG_RESOURCE_QUOTA_BYTES "grpcjni.resource_quota_bytes"
/**
 * Replaces a GRPCJNI_ARG_RESOURCE_QUOTA_BYTES argument with a GRPC_ARG_RESOURCE_QUOTA pointer to a
 * new quota of that size (the only pointer arguments decoded args hold; args_free unrefs them).
 */
void grpcjni_channel_args_own_resource_quota(grpc_channel_args* args);

/* ---- local credentials (grpcjni_channel.c) ---- */

/** UDS for a unix: or unix-abstract: target or address, LOCAL_TCP for any other. */
grpc_local_connect_type grpcjni_local_type(const char* target);

/* ---- wire format (grpcjni_wire.c); see grpcjni.h ---- */

/** A bounds-checked cursor over bytes that came from Java. */
typedef struct {
  const uint8_t* p;
  size_t left;
} grpcjni_reader;

/** A writer that counts what it would write and writes only while it fits. */
typedef struct {
  uint8_t* p;
  size_t capacity;
  size_t length; /* bytes needed so far, may exceed capacity */
} grpcjni_writer;

int grpcjni_read_u32(grpcjni_reader* r, uint32_t* out);
/** Reads u32 length + bytes; `out` points into the reader's buffer. */
int grpcjni_read_bytes(grpcjni_reader* r, const uint8_t** out, uint32_t* len);

void grpcjni_write_u32(grpcjni_writer* w, uint32_t v);
void grpcjni_write_i64(grpcjni_writer* w, int64_t v);
void grpcjni_write_bytes(grpcjni_writer* w, const void* p, size_t len);
void grpcjni_write_slice(grpcjni_writer* w, grpc_slice s);
/** Returns the encoded length as int32, or INT32_MAX if it does not fit an int32. */
int32_t grpcjni_writer_result(const grpcjni_writer* w);

/**
 * Decodes encoded metadata into `array` (zeroed or destroyed before), copying keys and values
 * into new slices that the array owns. Returns 0, or GRPCJNI_ERROR_INVALID_ARGUMENT with
 * nothing left allocated.
 */
int grpcjni_metadata_decode(const void* data, int32_t len, grpc_metadata_array* array);
/** Frees an array filled by grpcjni_metadata_decode (its slices too). */
void grpcjni_metadata_free_owned(grpc_metadata_array* array);
/** The HTTP/2 header-list size of the entries (RFC 7540 6.5.2): name + value + 32 each. */
size_t grpcjni_metadata_list_size(const grpc_metadata_array* array);
/**
 * Whether received entries are well-formed HTTP/2 fields (RFC 9113 8.2): names non-empty,
 * lower-case tokens and not connection-specific; text values free of NUL, CR and LF.
 */
int grpcjni_metadata_well_formed(const grpc_metadata_array* array);
/** Encodes a received array (slices owned by the call). */
void grpcjni_metadata_encode(grpcjni_writer* w, const grpc_metadata_array* array);

/** The integer arg `key` of `args`, or `fallback`. */
int64_t grpcjni_channel_args_int(const grpc_channel_args* args, const char* key, int64_t fallback);
/** Sets the integer arg `key` of decoded `args` to `value`, replacing or appending it. */
void grpcjni_channel_args_set_int(grpc_channel_args* args, const char* key, int value);
/**
 * The largest message a channel or server made with `args` receives, decompressed: its
 * grpc.max_receive_message_length, the core's default (4 MiB) without one, -1 for no bound.
 */
int64_t grpcjni_max_receive_length(const grpc_channel_args* args);
/** Decodes encoded channel args. Returns 0 or GRPCJNI_ERROR_INVALID_ARGUMENT (nothing held). */
int grpcjni_channel_args_decode(const void* data, int32_t len, grpc_channel_args* args);
void grpcjni_channel_args_free(grpc_channel_args* args);

/* ---- byte buffers (grpcjni_byte_buffer.c) ---- */

/** A raw byte buffer holding a copy of `len` bytes (len may be 0). */
grpc_byte_buffer* grpcjni_byte_buffer_from_copy(const void* data, size_t len);
/**
 * Replaces a compressed buffer by its decompressed raw form, producing at most `max_length` bytes
 * (-1: no bound). Returns 0, GRPCJNI_MESSAGE_UNDECODABLE or GRPCJNI_MESSAGE_TOO_LARGE (the buffer
 * is then left as it was).
 */
int grpcjni_byte_buffer_normalize(grpc_byte_buffer** bb, int64_t max_length);
/** Copies a raw buffer into dst. Returns the count, or -1 if it does not fit. */
int32_t grpcjni_byte_buffer_copy_out(grpc_byte_buffer* bb, void* dst, int32_t capacity);
/** Length of a raw buffer as int32 (-1 for NULL). */
int32_t grpcjni_byte_buffer_length(grpc_byte_buffer* bb);

/* ---- time ---- */
gpr_timespec grpcjni_deadline_from_nanos(int64_t nanos_from_now);
int64_t grpcjni_nanos_until(gpr_timespec deadline);

/* ---- batch context (grpcjni_call.c) ---- */
enum { GRPCJNI_MAX_OPS = 6, GRPCJNI_UNARY_OP_COUNT = 6 };

typedef struct grpcjni_batch_context {
  /* send side: owned by the context */
  grpc_metadata_array send_initial_metadata;
  grpc_metadata_array send_trailing_metadata;
  grpc_byte_buffer* send_message;
  grpc_slice send_status_details;
  /* receive side: arrays are ours, their slices belong to the call */
  grpc_metadata_array recv_initial_metadata;
  grpc_metadata_array recv_trailing_metadata;
  grpc_byte_buffer* recv_message;
  grpc_status_code recv_status;
  grpc_slice recv_status_details;
  const char* recv_error_string;
  int recv_close_cancelled;
  grpc_op ops[GRPCJNI_MAX_OPS];
} grpcjni_batch_context;

grpcjni_batch_context* grpcjni_batch_context_create(void);
/** Frees everything the context owns and makes it empty, for reuse. */
void grpcjni_batch_context_reset(grpcjni_batch_context* ctx);
void grpcjni_batch_context_destroy(grpcjni_batch_context* ctx);

/** A call as Java holds it (grpcjni.h): the grpc_call and a batch context per kind of operation. */
typedef struct grpcjni_call {
  grpc_call* call;
  grpcjni_batch_context* ctx[GRPCJNI_OP_KIND_COUNT]; /* made on first use, freed with the call */
  grpc_byte_buffer* payload; /* a server call's request that arrived with it (decompressed) */
  size_t max_metadata_size;  /* a client call's bound per received header block; 0: none */
  int64_t max_recv_length;   /* the bound on a received message, decompressed; -1: none */
} grpcjni_call;

/**
 * Wraps `call`, taking over the caller's reference and `payload` (may be NULL), and counts it live.
 * NULL for NULL.
 */
grpcjni_call* grpcjni_call_wrap(grpc_call* call, grpc_byte_buffer* payload);
/**
 * Whether the message `call` received last arrived compressed: 1 yes, 0 no, -1 if this libgrpc does
 * not say.
 */
int32_t grpcjni_core_message_compressed(grpc_call* call);
/**
 * Makes `*bb`, the message `call` just received, a raw buffer of the message itself: decompressed,
 * with at most `max_length` bytes (-1: no bound). Returns 0, GRPCJNI_MESSAGE_UNDECODABLE (corrupt,
 * or its Compressed-Flag was set on a call whose grpc-encoding is absent, identity or unknown,
 * which the core hands over as if plain) or GRPCJNI_MESSAGE_TOO_LARGE. 0 for NULL.
 */
int grpcjni_received_message_normalize(grpc_call* call, grpc_byte_buffer** bb, int64_t max_length);
/**
 * Args every channel and server the shim makes gets: the shim, not the core, decompresses what
 * they receive (grpcjni_byte_buffer_normalize, bounded as it goes), where this libgrpc says what
 * that needs (grpcjni_shim_decompresses).
 */
void grpcjni_channel_args_own_decompression(grpc_channel_args* args);
/** Whether this libgrpc exposes each received message's flags and each call's encoding. */
int grpcjni_shim_decompresses(void);

/**
 * While `out` is set (cap > 0), the first error line this thread logs is copied into it (NUL-
 * terminated, truncated to cap); cap 0 stops. Only while the log is captured (grpcjni_log_capture).
 */
void grpcjni_log_capture_errors(char* out, size_t cap);

#endif  // GRPCJNI_INTERNAL_H
