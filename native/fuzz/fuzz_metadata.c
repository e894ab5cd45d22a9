// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * grpcjni_metadata_decode on any bytes, as every call function that takes metadata from Java runs
 * it. Accepted input must encode back byte for byte (the format has one encoding per array),
 * refused input must leave nothing allocated, and the encoder must count the full length at any
 * capacity while writing only a prefix that fits.
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int* argc, char*** argv) {
  (void)argc;
  (void)argv;
  gpr_set_log_function(fuzz_quiet_log);
  grpcjni_init();
  return 0;
}

/* Encodes `md` into a buffer of exactly `capacity` bytes and checks it against `full`. */
static void encode_at(const grpc_metadata_array* md, size_t capacity, const uint8_t* full,
                      size_t full_len) {
  uint8_t* buf = capacity > 0 ? malloc(capacity) : NULL;
  if (capacity > 0) memset(buf, FUZZ_CANARY, capacity);
  grpcjni_writer w = {buf, capacity, 0};
  grpcjni_metadata_encode(&w, md);
  FUZZ_CHECK_EQ(grpcjni_writer_result(&w), full_len);
  fuzz_check_prefix(buf, capacity, full, full_len);
  free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > INT32_MAX) return 0;
  grpc_metadata_array md;
  /* Garbage first: decode must start from whatever the caller's array held. */
  memset(&md, 0x5A, sizeof md);
  int rc = grpcjni_metadata_decode(data, (int32_t)size, &md);
  FUZZ_CHECK(rc == 0 || rc == GRPCJNI_ERROR_INVALID_ARGUMENT);
  if (rc != 0) {
    FUZZ_CHECK(md.metadata == NULL && md.count == 0 && md.capacity == 0);
    return 0;
  }
  FUZZ_CHECK(md.count <= md.capacity);

  /* The size limit's arithmetic, against an independent sum. */
  size_t list_size = 0;
  for (size_t i = 0; i < md.count; i++) {
    list_size +=
        GRPC_SLICE_LENGTH(md.metadata[i].key) + GRPC_SLICE_LENGTH(md.metadata[i].value) + 32;
  }
  FUZZ_CHECK_EQ(grpcjni_metadata_list_size(&md), list_size);
  /* The check a server makes on request headers reads every byte of every entry. */
  int well_formed = grpcjni_metadata_well_formed(&md);
  FUZZ_CHECK(well_formed == 0 || well_formed == 1);

  /* Round trip. An empty input decodes to no entries, whose encoding is the 4-byte count 0. */
  static const uint8_t empty[4] = {0, 0, 0, 0};
  const uint8_t* full = size == 0 ? empty : data;
  size_t full_len = size == 0 ? sizeof empty : size;
  encode_at(&md, full_len, full, full_len);
  /* Capacities where the writer must stop: none, inside the count, one short, and one odd. */
  encode_at(&md, 0, full, full_len);
  encode_at(&md, 3, full, full_len);
  encode_at(&md, full_len - 1, full, full_len);
  encode_at(&md, fuzz_pick_capacity(data, size, full_len), full, full_len);

  grpcjni_metadata_free_owned(&md);
  FUZZ_CHECK(md.metadata == NULL && md.count == 0);
  return 0;
}
