// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * Messages in and out of grpc_byte_buffer.
 * Keep in sync with java/grpc-jni-core/src/main/java/dev/grpcjni/internal/transport/CoreCall.java.
 */
#include <grpc/byte_buffer_reader.h>
#include <string.h>

#include "grpcjni_internal.h"

grpc_byte_buffer* grpcjni_byte_buffer_from_copy(const void* data, size_t len) {
  grpc_slice s = grpc_slice_from_copied_buffer((const char*)data, len);
  grpc_byte_buffer* bb = grpc_raw_byte_buffer_create(&s, 1); /* takes its own ref */
  grpc_slice_unref(s);
  return bb;
}

void* grpcjni_byte_buffer_create(const void* data, int32_t len) {
  if (len < 0 || (data == NULL && len > 0)) return NULL;
  grpcjni_live_inc(GRPCJNI_LIVE_BYTE_BUFFERS);
  return grpcjni_byte_buffer_from_copy(data, (size_t)len);
}

void grpcjni_byte_buffer_destroy(void* bb) {
  if (bb == NULL) return;
  grpc_byte_buffer_destroy(bb);
  grpcjni_live_dec(GRPCJNI_LIVE_BYTE_BUFFERS);
}

int grpcjni_byte_buffer_normalize(grpc_byte_buffer** bb) {
  if (*bb == NULL) return 0;
  if ((*bb)->type == GRPC_BB_RAW && (*bb)->data.raw.compression == GRPC_COMPRESS_NONE) return 0;
  grpc_byte_buffer_reader reader;
  if (!grpc_byte_buffer_reader_init(&reader, *bb)) return -1; /* decompresses */
  grpc_byte_buffer* raw = grpc_raw_byte_buffer_from_reader(&reader);
  grpc_byte_buffer_reader_destroy(&reader);
  grpc_byte_buffer_destroy(*bb);
  *bb = raw;
  return 0;
}

int32_t grpcjni_byte_buffer_length(grpc_byte_buffer* bb) {
  if (bb == NULL) return -1;
  size_t n = grpc_byte_buffer_length(bb);
  return n > INT32_MAX ? INT32_MAX : (int32_t)n;
}

int32_t grpcjni_byte_buffer_copy_out(grpc_byte_buffer* bb, void* dst, int32_t capacity) {
  if (bb == NULL) return -1;
  size_t total = grpc_byte_buffer_length(bb);
  if (capacity < 0 || total > (size_t)capacity || (dst == NULL && total > 0)) return -1;
  const grpc_slice_buffer* sb = &bb->data.raw.slice_buffer;
  uint8_t* out = dst;
  for (size_t i = 0; i < sb->count; i++) {
    size_t n = GRPC_SLICE_LENGTH(sb->slices[i]);
    memcpy(out, GRPC_SLICE_START_PTR(sb->slices[i]), n);
    out += n;
  }
  return (int32_t)total;
}
