// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* Shared by the fuzz targets: assertions that abort, an input cursor, and a checked writer run. */
#ifndef GRPCJNI_FUZZ_COMMON_H
#define GRPCJNI_FUZZ_COMMON_H

#include <grpc/support/log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grpcjni_internal.h"

/* abort(), not exit(): libFuzzer reports a deadly signal with a stack and saves the input. */
#define FUZZ_CHECK(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

#define FUZZ_CHECK_EQ(a, b)                                                            \
  do {                                                                                 \
    long long a_ = (long long)(a), b_ = (long long)(b);                                \
    if (a_ != b_) {                                                                    \
      fprintf(stderr, "%s:%d: FUZZ_CHECK_EQ failed: %s == %s (%lld vs %lld)\n", __FILE__, \
              __LINE__, #a, #b, a_, b_);                                               \
      abort();                                                                         \
    }                                                                                  \
  } while (0)

/* The core logs every refused argument and header; at thousands of runs a second that is noise. */
static void fuzz_quiet_log(gpr_log_func_args* args) { (void)args; }

/*
 * Reads the framed fields of a structured input. Past the end it yields zeros and empty blobs,
 * so every input is some valid sequence of fields and libFuzzer's mutations never get wasted.
 */
typedef struct {
  const uint8_t* p;
  size_t left;
} fuzz_input;

static inline uint32_t fuzz_u8(fuzz_input* in) {
  if (in->left == 0) return 0;
  in->left--;
  return *in->p++;
}

static inline uint32_t fuzz_u16(fuzz_input* in) { return fuzz_u8(in) | fuzz_u8(in) << 8; }

static inline uint32_t fuzz_u32(fuzz_input* in) { return fuzz_u16(in) | fuzz_u16(in) << 16; }

/* u16 length + that many bytes (fewer if the input ends first). */
static inline const uint8_t* fuzz_blob(fuzz_input* in, size_t* len) {
  size_t n = fuzz_u16(in);
  if (n > in->left) n = in->left;
  const uint8_t* p = in->p;
  in->p += n;
  in->left -= n;
  *len = n;
  return p;
}

enum { FUZZ_CANARY = 0xA5 };

/*
 * Checks what a grpcjni_writer-based encoder left in a buffer of `capacity` bytes when the full
 * encoding is `full` (`full_len` bytes): it may only have written a prefix of the encoding, and
 * the rest of the buffer (pre-filled with FUZZ_CANARY) is untouched. Callers allocate the buffer
 * at exactly `capacity`, so that ASan sees a write past it.
 */
static inline void fuzz_check_prefix(const uint8_t* buf, size_t capacity, const uint8_t* full,
                                     size_t full_len) {
  size_t k = 0;
  while (k < capacity && k < full_len && buf[k] == full[k]) k++;
  for (size_t i = k; i < capacity; i++) FUZZ_CHECK(buf[i] == FUZZ_CANARY);
  /* An encoding that fits is written whole. */
  if (full_len <= capacity) FUZZ_CHECK(memcmp(buf, full, full_len) == 0);
}

/* A capacity derived from the input, so each input also tries one "odd" size: 0..full_len+1. */
static inline size_t fuzz_pick_capacity(const uint8_t* data, size_t size, size_t full_len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
  return h % (full_len + 2);
}

#endif  // GRPCJNI_FUZZ_COMMON_H
