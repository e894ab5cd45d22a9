// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* The wire codec refuses malformed input from Java with an error code, never a crash. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "grpcjni_internal.h"
#include "grpcjni_test.h"

static size_t put_u32(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
  return 4;
}

static size_t put_str(uint8_t* p, const char* s) {
  size_t n = strlen(s);
  put_u32(p, (uint32_t)n);
  memcpy(p + 4, s, n);
  return 4 + n;
}

static void test_metadata_round_trip(void) {
  uint8_t buf[256];
  size_t n = put_u32(buf, 2);
  n += put_str(buf + n, "x-a");
  n += put_str(buf + n, "1");
  n += put_str(buf + n, "x-b-bin");
  n += put_str(buf + n, "");
  grpc_metadata_array md;
  CHECK_EQ(grpcjni_metadata_decode(buf, (int32_t)n, &md), 0);
  CHECK_EQ(md.count, 2);
  CHECK(grpc_slice_str_cmp(md.metadata[0].key, "x-a") == 0);
  CHECK(grpc_slice_str_cmp(md.metadata[1].value, "") == 0);
  /* RFC 7540 6.5.2: (3 + 1 + 32) + (7 + 0 + 32). */
  CHECK_EQ(grpcjni_metadata_list_size(&md), 75);

  uint8_t out[256];
  grpcjni_writer w = {out, sizeof out, 0};
  grpcjni_metadata_encode(&w, &md);
  CHECK_EQ(grpcjni_writer_result(&w), n);
  CHECK(memcmp(out, buf, n) == 0);

  /* A writer that is too small counts but does not write past its capacity. */
  uint8_t small[8] = {0};
  grpcjni_writer w2 = {small, 4, 0};
  grpcjni_metadata_encode(&w2, &md);
  CHECK_EQ(grpcjni_writer_result(&w2), n);
  CHECK_EQ(small[4], 0);
  grpcjni_metadata_free_owned(&md);
}

/* One entry decoded from the wire form, checked as a received header would be. */
static int one_well_formed(const char* key, const char* value) {
  uint8_t buf[128];
  size_t n = put_u32(buf, 1);
  n += put_str(buf + n, key);
  n += put_str(buf + n, value);
  grpc_metadata_array md;
  CHECK_EQ(grpcjni_metadata_decode(buf, (int32_t)n, &md), 0);
  int ok = grpcjni_metadata_well_formed(&md);
  grpcjni_metadata_free_owned(&md);
  return ok;
}

static void test_metadata_well_formed(void) {
  CHECK(one_well_formed("x-a", "v 1; q=\"2\""));
  CHECK(one_well_formed("x~a!#$%&'*+^_`|.", ""));
  CHECK(one_well_formed("x-a-bin", "\r\n"));
  CHECK(!one_well_formed("", "v"));
  CHECK(!one_well_formed("X-A", "v"));
  CHECK(!one_well_formed("x a", "v"));
  CHECK(!one_well_formed("x:a", "v"));
  CHECK(!one_well_formed("connection", "close"));
  CHECK(!one_well_formed("transfer-encoding", "chunked"));
  CHECK(!one_well_formed("x-a", "a\r\nx-injected: 1"));
  CHECK(!one_well_formed("x-a", "a\nb"));
}

/* `data` deflated in zlib (gzip 0) or gzip (1) format, as a compressed byte buffer in 3 slices. */
static grpc_byte_buffer* compressed(const uint8_t* data, size_t len, int gzip, size_t trim,
                                    size_t extra) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  CHECK_EQ(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 | (gzip ? 16 : 0), 8,
                        Z_DEFAULT_STRATEGY),
           Z_OK);
  size_t cap = deflateBound(&zs, len) + extra;
  uint8_t* out = malloc(cap);
  zs.next_in = (Bytef*)data;
  zs.avail_in = (uInt)len;
  zs.next_out = out;
  zs.avail_out = (uInt)cap;
  CHECK_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  size_t n = zs.total_out - trim;
  deflateEnd(&zs);
  memset(out + n, 0x42, extra); /* bytes after the end of the stream */
  n += extra;
  grpc_slice parts[3] = {grpc_slice_from_copied_buffer((char*)out, n / 3),
                         grpc_slice_from_copied_buffer((char*)out + n / 3, n / 3),
                         grpc_slice_from_copied_buffer((char*)out + 2 * (n / 3), n - 2 * (n / 3))};
  free(out);
  grpc_byte_buffer* bb =
      grpc_raw_compressed_byte_buffer_create(parts, 3,
                                             gzip ? GRPC_COMPRESS_GZIP : GRPC_COMPRESS_DEFLATE);
  for (int i = 0; i < 3; i++) grpc_slice_unref(parts[i]);
  return bb;
}

static int normalize_and_check(grpc_byte_buffer* bb, int64_t max, const uint8_t* expect,
                               size_t len) {
  int rc = grpcjni_byte_buffer_normalize(&bb, max);
  if (rc == 0) {
    CHECK_EQ(grpcjni_byte_buffer_length(bb), (int32_t)len);
    uint8_t* copy = malloc(len + 1);
    CHECK_EQ(grpcjni_byte_buffer_copy_out(bb, copy, (int32_t)len), (int32_t)len);
    CHECK(memcmp(copy, expect, len) == 0);
    free(copy);
  }
  grpc_byte_buffer_destroy(bb);
  return rc;
}

/* The shim inflates what it receives itself, bounded as the output grows. */
static void test_bounded_inflate(void) {
  grpc_byte_buffer* bb;
  size_t big = 1 << 20;
  uint8_t* data = malloc(big);
  for (size_t i = 0; i < big; i++) data[i] = (uint8_t)(i * 7 % 251);
  for (int gzip = 0; gzip <= 1; gzip++) {
    CHECK_EQ(normalize_and_check(compressed(data, 5, gzip, 0, 0), -1, data, 5), 0);
    CHECK_EQ(normalize_and_check(compressed(data, big, gzip, 0, 0), -1, data, big), 0);
    CHECK_EQ(normalize_and_check(compressed(data, big, gzip, 0, 0), (int64_t)big, data, big), 0);
    CHECK_EQ(normalize_and_check(compressed(data, big, gzip, 0, 0), (int64_t)big - 1, data, big),
             GRPCJNI_MESSAGE_TOO_LARGE);
    CHECK_EQ(normalize_and_check(compressed(data, big, gzip, 0, 0), 1024, data, big),
             GRPCJNI_MESSAGE_TOO_LARGE);
    CHECK_EQ(normalize_and_check(compressed(data, 0, gzip, 0, 0), 0, data, 0), 0);
    /* Truncated, and followed by bytes that are not part of it. */
    CHECK_EQ(normalize_and_check(compressed(data, big, gzip, 4, 0), -1, data, big),
             GRPCJNI_MESSAGE_UNDECODABLE);
    CHECK_EQ(normalize_and_check(compressed(data, 5, gzip, 0, 3), -1, data, 5),
             GRPCJNI_MESSAGE_UNDECODABLE);
    /* The bound is checked as the output grows: a stream that breaks only near its end is over a
     * small bound long before, where an inflate-then-check would have called it corrupt. */
    CHECK_EQ(normalize_and_check(compressed(data, big, gzip, 4, 0), 1024, data, big),
             GRPCJNI_MESSAGE_TOO_LARGE);
  }
  /* No bytes at all: an empty message, as for the core's decompressor. */
  bb = grpc_raw_compressed_byte_buffer_create(NULL, 0, GRPC_COMPRESS_GZIP);
  CHECK_EQ(normalize_and_check(bb, 0, data, 0), 0);
  /* Not a deflate stream at all. */
  grpc_slice junk = grpc_slice_from_static_string("not compressed");
  bb = grpc_raw_compressed_byte_buffer_create(&junk, 1, GRPC_COMPRESS_GZIP);
  CHECK_EQ(normalize_and_check(bb, -1, data, 0), GRPCJNI_MESSAGE_UNDECODABLE);
  /* An uncompressed buffer is left as it is, whatever the bound. */
  CHECK_EQ(normalize_and_check(grpcjni_byte_buffer_from_copy(data, 5), 1, data, 5), 0);
  free(data);
}

static void test_metadata_malformed(void) {
  uint8_t buf[64];
  grpc_metadata_array md;
  size_t n = put_u32(buf, 1);
  n += put_str(buf + n, "key");
  /* value missing */
  CHECK_EQ(grpcjni_metadata_decode(buf, (int32_t)n, &md), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK(md.metadata == NULL);
  /* length larger than what is left */
  put_u32(buf + 4, 1000);
  CHECK_EQ(grpcjni_metadata_decode(buf, (int32_t)n, &md), GRPCJNI_ERROR_INVALID_ARGUMENT);
  /* an absurd count */
  put_u32(buf, 0xFFFFFFFFu);
  CHECK_EQ(grpcjni_metadata_decode(buf, 64, &md), GRPCJNI_ERROR_INVALID_ARGUMENT);
  /* trailing garbage */
  n = put_u32(buf, 0);
  buf[n++] = 7;
  CHECK_EQ(grpcjni_metadata_decode(buf, (int32_t)n, &md), GRPCJNI_ERROR_INVALID_ARGUMENT);
  /* truncated count, negative length, NULL with a length */
  CHECK_EQ(grpcjni_metadata_decode(buf, 3, &md), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_metadata_decode(buf, -5, &md), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_metadata_decode(NULL, 8, &md), GRPCJNI_ERROR_INVALID_ARGUMENT);
  /* empty is fine */
  CHECK_EQ(grpcjni_metadata_decode(NULL, 0, &md), 0);
  CHECK_EQ(md.count, 0);
}

static void test_channel_args(void) {
  uint8_t buf[128];
  size_t n = put_u32(buf, 2);
  buf[n++] = 0;
  n += put_str(buf + n, "grpc.max_receive_message_length");
  n += put_u32(buf + n, (uint32_t)-1);
  buf[n++] = 1;
  n += put_str(buf + n, "grpc.primary_user_agent");
  n += put_str(buf + n, "test/1");
  grpc_channel_args args;
  CHECK_EQ(grpcjni_channel_args_decode(buf, (int32_t)n, &args), 0);
  CHECK_EQ(args.num_args, 2);
  CHECK_EQ(args.args[0].type, GRPC_ARG_INTEGER);
  CHECK_EQ(args.args[0].value.integer, -1);
  CHECK(strcmp(args.args[1].value.string, "test/1") == 0);
  grpcjni_channel_args_free(&args);

  /* unknown type, truncated value, embedded NUL in a key */
  buf[4] = 9;
  CHECK_EQ(grpcjni_channel_args_decode(buf, (int32_t)n, &args), GRPCJNI_ERROR_INVALID_ARGUMENT);
  buf[4] = 0;
  CHECK_EQ(grpcjni_channel_args_decode(buf, (int32_t)n - 3, &args),
           GRPCJNI_ERROR_INVALID_ARGUMENT);
  buf[9] = '\0';
  CHECK_EQ(grpcjni_channel_args_decode(buf, (int32_t)n, &args), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK(args.args == NULL);

  /* Objects refuse malformed args with NULL instead of crashing. */
  CHECK(grpcjni_channel_create("127.0.0.1:1", buf, (int32_t)n) == NULL);
  CHECK(grpcjni_server_create(buf, (int32_t)n) == NULL);
}

static void test_null_handles(void) {
  CHECK_EQ(grpcjni_call_start_unary(NULL, NULL, 0, NULL, 0, 0, 0, 2),
           GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_call_start_serverside(NULL, 2), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_call_recv_message(NULL, 2), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_call_cancel_with_status(NULL, 1, "x"), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_call_encode_result(NULL, GRPCJNI_OP_FINISH, NULL, 0),
           GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_call_copy_recv_message(NULL, GRPCJNI_OP_RECV, NULL, 0), -1);
  CHECK_EQ((int32_t)grpcjni_call_recv_message_info(NULL), -1);
  CHECK_EQ(grpcjni_call_copy_payload(NULL, NULL, 0), -1);
  CHECK_EQ(grpcjni_request_call_context_encode(NULL, NULL, 0), GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK(grpcjni_request_call_context_take_call(NULL) == NULL);
  CHECK(grpcjni_channel_create_unregistered_call(NULL, NULL, NULL, NULL, 0) == NULL);
  grpcjni_request_call_context_set_max_metadata_size(NULL, 8192);
  grpcjni_request_call_context_reject(NULL, 8, "x");
  CHECK(grpcjni_channel_create_call(NULL, NULL, NULL, NULL, 0) == NULL);
  CHECK_EQ(grpcjni_cq_next(NULL), GRPCJNI_CQ_SHUTDOWN);
  CHECK_EQ(grpcjni_live_count(-1), -1);
  CHECK_EQ(grpcjni_constant(12345), INT32_MIN);
  CHECK(grpcjni_call_error_to_string(99) != NULL); /* the core itself would abort */
  CHECK(grpcjni_call_error_to_string(-7) != NULL);
  CHECK_EQ(grpcjni_constant(GRPCJNI_CONST_STATUS_UNAUTHENTICATED), 16);
  grpcjni_call_unref(NULL);
  grpcjni_request_call_context_destroy(NULL);
}

int main(void) {
  grpcjni_init();
  test_metadata_round_trip();
  test_metadata_malformed();
  test_metadata_well_formed();
  test_bounded_inflate();
  test_channel_args();
  test_null_handles();
  grpcjni_shutdown();
  for (int k = 0; k < GRPCJNI_LIVE_KIND_COUNT; k++) CHECK_EQ(grpcjni_live_count(k), 0);
  printf("grpcjni_wire_test: OK\n");
  return 0;
}
