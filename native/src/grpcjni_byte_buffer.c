// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * Messages in and out of grpc_byte_buffer.
 * Keep in sync with java/grpc-jni-core/src/main/java/dev/grpcjni/internal/transport/CoreCall.java.
 */
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice_buffer.h>
#include <string.h>
#include <zlib.h>

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

/*
 * Inflates `in` (zlib format, or gzip), refusing to produce more than `max_length` bytes (-1: no
 * bound). The core's own decompression (off in every channel and server the shim makes) inflates a
 * message whole before it checks the size, so a few KB of gzip could ask for gigabytes; here the
 * bound is checked as the output grows. Trailing bytes after the stream and a truncated stream
 * are errors, as for the core's decompressor.
 */
static int inflate_bounded(const grpc_slice_buffer* in, int gzip, int64_t max_length,
                           grpc_slice_buffer* out) {
  enum { CHUNK = 16384 };
  /* An empty payload is an empty message, as for the core's decompressor. */
  if (in->length == 0) return 0;
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 | (gzip ? 16 : 0)) != Z_OK) return GRPCJNI_MESSAGE_UNDECODABLE;
  /* The first chunk is sized from the input (most messages are small: it is the one that lives
   * with the message); later ones are CHUNK. */
  size_t first = in->length < CHUNK / 4 ? in->length * 4 : CHUNK;
  if (first < 256) first = 256;
  size_t size = 0; /* of the current chunk */
  int rc = GRPCJNI_MESSAGE_UNDECODABLE;
  int ended = 0;
  uint64_t total = 0;
  grpc_slice chunk = grpc_empty_slice();
  size_t used = 0; /* no chunk yet: size == used */
  for (size_t i = 0; i < in->count; i++) {
    size_t left = GRPC_SLICE_LENGTH(in->slices[i]);
    if (left == 0) continue;
    if (ended) goto done; /* bytes after the end of the stream */
    zs.next_in = GRPC_SLICE_START_PTR(in->slices[i]);
    zs.avail_in = (uInt)left;
    for (;;) {
      if (used == size) {
        int full = !GRPC_SLICE_IS_EMPTY(chunk); /* else this is the first chunk */
        if (full) grpc_slice_buffer_add(out, chunk);
        size = full ? CHUNK : first;
        chunk = grpc_slice_malloc(size);
        used = 0;
      }
      zs.next_out = GRPC_SLICE_START_PTR(chunk) + used;
      zs.avail_out = (uInt)(size - used);
      int r = inflate(&zs, Z_NO_FLUSH);
      size_t produced = (size - used) - zs.avail_out;
      used += produced;
      total += produced;
      if (max_length >= 0 && total > (uint64_t)max_length) {
        rc = GRPCJNI_MESSAGE_TOO_LARGE;
        goto done;
      }
      if (r == Z_STREAM_END) {
        ended = 1;
        if (zs.avail_in != 0) goto done; /* bytes after the end of the stream */
        break;
      }
      if (r != Z_OK && r != Z_BUF_ERROR) goto done; /* corrupt */
      if (zs.avail_in == 0 && zs.avail_out != 0) break; /* this slice is used up */
      if (r == Z_BUF_ERROR && zs.avail_out != 0) goto done; /* no progress possible */
    }
  }
  if (ended) rc = 0;
done:
  if (!GRPC_SLICE_IS_EMPTY(chunk)) {
    if (rc == 0 && used > 0) grpc_slice_buffer_add(out, grpc_slice_sub(chunk, 0, used));
    grpc_slice_unref(chunk);
  }
  inflateEnd(&zs);
  return rc;
}

int grpcjni_byte_buffer_normalize(grpc_byte_buffer** bb, int64_t max_length) {
  if (*bb == NULL) return 0;
  if ((*bb)->type == GRPC_BB_RAW && (*bb)->data.raw.compression == GRPC_COMPRESS_NONE) return 0;
  grpc_compression_algorithm algorithm = (*bb)->data.raw.compression;
  if (algorithm != GRPC_COMPRESS_DEFLATE && algorithm != GRPC_COMPRESS_GZIP) {
    return GRPCJNI_MESSAGE_UNDECODABLE;
  }
  grpc_slice_buffer inflated;
  grpc_slice_buffer_init(&inflated);
  int rc = inflate_bounded(&(*bb)->data.raw.slice_buffer, algorithm == GRPC_COMPRESS_GZIP,
                           max_length, &inflated);
  if (rc == 0) {
    grpc_byte_buffer* raw = grpc_raw_byte_buffer_create(inflated.slices, inflated.count);
    grpc_byte_buffer_destroy(*bb);
    *bb = raw;
  }
  grpc_slice_buffer_destroy(&inflated);
  return rc;
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
