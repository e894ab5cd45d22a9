// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/* Channelz: the C core's JSON renderings of its channels, servers and sockets. */
#include <grpc/grpc.h>
#include <grpc/support/alloc.h>
#include <string.h>

#include "grpcjni_internal.h"

void* grpcjni_channelz_query(int32_t kind, int64_t id, int64_t start_id, int64_t max_results) {
  if (id < 0 || start_id < 0 || max_results < 0 || id > INTPTR_MAX || start_id > INTPTR_MAX ||
      max_results > INTPTR_MAX) {
    return NULL;
  }
  /* The registry outlives no grpc_init: hold one for the query (cheap while channels exist). */
  grpc_init();
  char* json = NULL;
  switch (kind) {
    case GRPCJNI_CHANNELZ_TOP_CHANNELS:
      json = grpc_channelz_get_top_channels((intptr_t)start_id);
      break;
    case GRPCJNI_CHANNELZ_SERVERS:
      json = grpc_channelz_get_servers((intptr_t)start_id);
      break;
    case GRPCJNI_CHANNELZ_SERVER:
      json = grpc_channelz_get_server((intptr_t)id);
      break;
    case GRPCJNI_CHANNELZ_SERVER_SOCKETS:
      json = grpc_channelz_get_server_sockets((intptr_t)id, (intptr_t)start_id,
                                              (intptr_t)max_results);
      break;
    case GRPCJNI_CHANNELZ_CHANNEL:
      json = grpc_channelz_get_channel((intptr_t)id);
      break;
    case GRPCJNI_CHANNELZ_SUBCHANNEL:
      json = grpc_channelz_get_subchannel((intptr_t)id);
      break;
    case GRPCJNI_CHANNELZ_SOCKET:
      json = grpc_channelz_get_socket((intptr_t)id);
      break;
    default:
      break;
  }
  grpc_shutdown();
  return json;
}

int32_t grpcjni_string_copy(void* s, void* dst, int32_t capacity) {
  if (s == NULL || capacity < 0 || (dst == NULL && capacity > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  size_t len = strlen(s);
  if (len > INT32_MAX) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  if (len <= (size_t)capacity) memcpy(dst, s, len);
  return (int32_t)len;
}

void grpcjni_string_free(void* s) { gpr_free(s); }
