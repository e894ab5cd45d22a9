// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* Helpers shared by the end-to-end shim tests: waiting for tags, reading encoded results. */
#ifndef GRPCJNI_E2E_H
#define GRPCJNI_E2E_H

#include <string.h>

#include "grpcjni_internal.h"
#include "grpcjni_test.h"

enum { MAX_TAGS = 128 };
static int seen[MAX_TAGS]; /* 0 = not yet, 1 = failed, 2 = succeeded; indexed by tag >> 1 */

static inline int wait_tag(void* cq, int64_t tag) {
  if (getenv("GRPCJNI_TEST_TRACE") != NULL) fprintf(stderr, "waiting for tag %lld\n", (long long)tag);
  while (!seen[tag >> 1]) {
    int64_t ev = grpcjni_cq_next(cq);
    CHECK(ev > 0);
    CHECK((ev >> 1) < MAX_TAGS);
    seen[ev >> 1] = (ev & 1) ? 2 : 1;
  }
  return seen[tag >> 1] == 2;
}

/* Little-endian readers over an encoded result. */
typedef struct {
  const uint8_t* p;
} cursor;
static inline uint32_t u32(cursor* c) {
  uint32_t v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 |
               (uint32_t)c->p[3] << 24;
  c->p += 4;
  return v;
}
static inline int64_t i64(cursor* c) {
  uint64_t lo = u32(c);
  uint64_t hi = u32(c);
  return (int64_t)(lo | hi << 32);
}
static inline const char* bytes(cursor* c, uint32_t* len) {
  *len = u32(c);
  const char* s = (const char*)c->p;
  c->p += *len;
  return s;
}
/* Returns 1 if the `len` bytes at `s` contain `text`. */
static inline int has_text(const char* s, uint32_t len, const char* text) {
  size_t t = strlen(text);
  for (size_t i = 0; i + t <= len; i++) {
    if (memcmp(s + i, text, t) == 0) return 1;
  }
  return 0;
}
/* Returns 1 if encoded metadata at the cursor has key=value (value compared by length too). */
static inline int metadata_has(cursor* c, const char* key, const char* value, uint32_t value_len) {
  int found = 0;
  uint32_t n = u32(c);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t kl, vl;
    const char* k = bytes(c, &kl);
    const char* v = bytes(c, &vl);
    if (kl == strlen(key) && memcmp(k, key, kl) == 0 && vl == value_len &&
        memcmp(v, value, vl) == 0) {
      found = 1;
    }
  }
  return found;
}

static inline size_t encode_md(uint8_t* buf, const char* key, const char* value, uint32_t value_len) {
  uint32_t kl = (uint32_t)strlen(key);
  uint8_t* p = buf;
  uint32_t vals[3] = {1, kl, value_len};
  for (int i = 0; i < 2; i++) {
    for (int b = 0; b < 4; b++) *p++ = (uint8_t)(vals[i] >> (8 * b));
  }
  memcpy(p, key, kl);
  p += kl;
  for (int b = 0; b < 4; b++) *p++ = (uint8_t)(vals[2] >> (8 * b));
  memcpy(p, value, value_len);
  p += value_len;
  return (size_t)(p - buf);
}

/* Checks the status a client call's start batch (GRPCJNI_OP_FINISH) received. */
static inline void check_client_status(void* call, int expected_status, const char* trailer_key,
                                       const char* trailer_value, uint32_t trailer_len,
                                       const char* message) {
  uint8_t out[1024];
  int32_t n = grpcjni_call_encode_result(call, GRPCJNI_OP_FINISH, out, sizeof out);
  CHECK(n > 0 && n <= (int32_t)sizeof out);
  CHECK_EQ(grpcjni_call_encode_result(call, GRPCJNI_OP_FINISH, out, 3), n); /* size only */
  cursor c = {out};
  CHECK_EQ(u32(&c), expected_status);
  uint32_t len;
  bytes(&c, &len); /* details */
  bytes(&c, &len); /* debug error string */
  cursor headers = c;
  metadata_has(&headers, "", "", 0);
  c = headers;
  if (trailer_key != NULL) {
    CHECK(metadata_has(&c, trailer_key, trailer_value, trailer_len));
  } else {
    metadata_has(&c, "", "", 0);
  }
  int32_t msg_len = (int32_t)u32(&c);
  int32_t compressed = (int32_t)u32(&c);
  if (message == NULL) {
    CHECK_EQ(msg_len, -1);
    CHECK_EQ(compressed, -1);
  } else {
    CHECK_EQ(msg_len, (int32_t)strlen(message));
    CHECK_EQ(compressed, 0); /* sent uncompressed */
    char got[64];
    CHECK_EQ(grpcjni_call_copy_recv_message(call, GRPCJNI_OP_FINISH, got, sizeof got), msg_len);
    CHECK(memcmp(got, message, (size_t)msg_len) == 0);
  }
  /* The server, if the call reached one (an OK status did); nothing else follows. */
  const char* peer = bytes(&c, &len);
  CHECK(expected_status != 0 || (len > 0 && has_text(peer, len, "127.0.0.1")));
  CHECK_EQ(c.p - out, n);
}


#endif  // GRPCJNI_E2E_H
