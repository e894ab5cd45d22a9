// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* Channelz queries: a list is JSON, an unknown id or bad argument is NULL, strings copy exactly. */
#include <string.h>

#include "grpcjni_internal.h"
#include "grpcjni_test.h"

int main(void) {
  char buf[4096];
  grpcjni_init();
  void* channel = grpcjni_channel_create("127.0.0.1:1", NULL, 0);
  CHECK(channel != NULL);

  void* top = grpcjni_channelz_query(GRPCJNI_CHANNELZ_TOP_CHANNELS, 0, 0, 0);
  CHECK(top != NULL);
  int32_t n = grpcjni_string_copy(top, buf, sizeof buf - 1);
  CHECK(n > 0 && n < (int32_t)sizeof buf - 1);
  buf[n] = 0;
  CHECK(buf[0] == '{');
  CHECK(strstr(buf, "\"target\":\"127.0.0.1:1\"") != NULL);
  CHECK(grpcjni_string_copy(top, buf, 1) == n); /* too small: the length, nothing written */
  grpcjni_string_free(top);

  void* servers = grpcjni_channelz_query(GRPCJNI_CHANNELZ_SERVERS, 0, 0, 0);
  CHECK(servers != NULL);
  grpcjni_string_free(servers);

  CHECK(grpcjni_channelz_query(GRPCJNI_CHANNELZ_CHANNEL, INT64_MAX, 0, 0) == NULL);
  CHECK(grpcjni_channelz_query(GRPCJNI_CHANNELZ_SOCKET, -1, 0, 0) == NULL);
  CHECK(grpcjni_channelz_query(GRPCJNI_CHANNELZ_TOP_CHANNELS, 0, -1, 0) == NULL);
  CHECK(grpcjni_channelz_query(GRPCJNI_CHANNELZ_SERVER_SOCKETS, 1, 0, -1) == NULL);
  CHECK(grpcjni_channelz_query(99, 1, 0, 0) == NULL);
  CHECK_EQ(grpcjni_string_copy(NULL, buf, sizeof buf), GRPCJNI_ERROR_INVALID_ARGUMENT);
  grpcjni_string_free(NULL);

  grpcjni_channel_destroy(channel);
  grpcjni_shutdown();
  return 0;
}
