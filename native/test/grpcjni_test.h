// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* A minimal assertion header for the shim's ctest executables. */
#ifndef GRPCJNI_TEST_H
#define GRPCJNI_TEST_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (!(cond)) {                                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                            \
    }                                                                     \
  } while (0)

#define CHECK_EQ(a, b)                                                                  \
  do {                                                                                  \
    long long a_ = (long long)(a), b_ = (long long)(b);                                 \
    if (a_ != b_) {                                                                     \
      fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n", __FILE__,    \
              __LINE__, #a, #b, a_, b_);                                                \
      exit(1);                                                                          \
    }                                                                                   \
  } while (0)

#endif  // GRPCJNI_TEST_H
