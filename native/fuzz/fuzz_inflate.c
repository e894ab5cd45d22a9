// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * grpcjni_byte_buffer_normalize on any compressed payload a peer can send, split into slices as
 * the transport might deliver it, with any bound. Checked against zlib's inflate run whole into
 * one large buffer (the reference): a stream the reference decodes to n bytes must normalize to
 * exactly those bytes when n is within the bound, and to GRPCJNI_MESSAGE_TOO_LARGE past it; a
 * stream the reference refuses (corrupt, truncated, trailing bytes) must never normalize to 0. An
 * empty payload is an empty message.
 *
 * Input: u8 flags (bit 0: gzip, else zlib format; bits 1-3: slice count - 1), u16 bound (0xFFFF:
 * none), then the compressed bytes.
 */
#include <zlib.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int* argc, char*** argv) {
  (void)argc;
  (void)argv;
  gpr_set_log_function(fuzz_quiet_log);
  grpcjni_init();
  return 0;
}

enum { REFERENCE_MAX = 1 << 20 };

/* zlib's answer: the inflated length (<= REFERENCE_MAX), -1 refused, -2 past REFERENCE_MAX. */
static long reference(const uint8_t* data, size_t len, int gzip, uint8_t* out) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 | (gzip ? 16 : 0)) != Z_OK) return -1;
  zs.next_in = (Bytef*)data;
  zs.avail_in = (uInt)len;
  zs.next_out = out;
  zs.avail_out = REFERENCE_MAX;
  int r = inflate(&zs, Z_FINISH);
  long n = (long)zs.total_out;
  int left = zs.avail_in != 0;
  inflateEnd(&zs);
  if (r == Z_STREAM_END) return left ? -1 : n; /* bytes after the stream: refused */
  if (r == Z_BUF_ERROR && n == REFERENCE_MAX) return -2;
  return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  int gzip = data[0] & 1;
  size_t slices = ((data[0] >> 1) & 7) + 1;
  uint32_t bound16 = data[1] | (uint32_t)data[2] << 8;
  int64_t bound = bound16 == 0xFFFF ? -1 : (int64_t)bound16 * 16; /* 0 .. ~1 MiB */
  const uint8_t* payload = data + 3;
  size_t len = size - 3;

  static uint8_t expect[REFERENCE_MAX];
  /* No bytes at all is an empty message (as for the core's decompressor), not a stream. */
  long n = len == 0 ? 0 : reference(payload, len, gzip, expect);

  grpc_slice parts[8];
  size_t at = 0;
  for (size_t i = 0; i < slices; i++) {
    size_t end = i + 1 == slices ? len : len * (i + 1) / slices;
    parts[i] = grpc_slice_from_copied_buffer((const char*)payload + at, end - at);
    at = end;
  }
  grpc_byte_buffer* bb = grpc_raw_compressed_byte_buffer_create(
      parts, slices, gzip ? GRPC_COMPRESS_GZIP : GRPC_COMPRESS_DEFLATE);
  for (size_t i = 0; i < slices; i++) grpc_slice_unref(parts[i]);

  int rc = grpcjni_byte_buffer_normalize(&bb, bound);
  FUZZ_CHECK(rc == 0 || rc == GRPCJNI_MESSAGE_UNDECODABLE || rc == GRPCJNI_MESSAGE_TOO_LARGE);
  if (rc == 0) {
    /* Only what zlib decodes, whole, within the bound. */
    FUZZ_CHECK(n >= 0);
    FUZZ_CHECK(bound < 0 || n <= bound);
    FUZZ_CHECK_EQ(grpcjni_byte_buffer_length(bb), n);
    uint8_t* got = malloc((size_t)n + 1);
    FUZZ_CHECK_EQ(grpcjni_byte_buffer_copy_out(bb, got, (int32_t)n), n);
    FUZZ_CHECK(memcmp(got, expect, (size_t)n) == 0);
    free(got);
    /* Normalized, it stays as it is. */
    FUZZ_CHECK_EQ(grpcjni_byte_buffer_normalize(&bb, 0), 0);
  } else if (n >= 0) {
    /* A stream zlib decodes is refused only for its size. */
    FUZZ_CHECK_EQ(rc, GRPCJNI_MESSAGE_TOO_LARGE);
    FUZZ_CHECK(bound >= 0 && n > bound);
  } else if (rc == GRPCJNI_MESSAGE_TOO_LARGE) {
    /* Refused by zlib, but only after more than the bound came out: the bound speaks first. */
    FUZZ_CHECK(bound >= 0);
  }
  grpc_byte_buffer_destroy(bb);
  return 0;
}
