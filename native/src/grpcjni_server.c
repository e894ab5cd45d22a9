// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * Servers and request-call contexts. The handle Java holds is a grpcjni_server, which keeps the
 * registered method strings alive as long as the server.
 * Keep in sync with java/grpc-jni-core/src/main/java/dev/grpcjni/internal/transport/NativeServer.java
 * and RequestSlot.java.
 */
#include <grpc/grpc_security.h>
#include <grpc/support/alloc.h>
#include <string.h>

#include "grpcjni_internal.h"

typedef struct grpcjni_server {
  grpc_server* server;
  grpcjni_string_list* methods; /* only touched before start, from one thread */
  int64_t max_recv_length;      /* a received message's bound, decompressed; -1: none */
} grpcjni_server;

typedef struct grpcjni_request_call_context {
  grpc_call* call;
  grpc_call_details details; /* filled by grpc_server_request_call */
  gpr_timespec deadline;     /* filled by grpc_server_request_registered_call */
  int registered;
  grpc_metadata_array request_metadata; /* array ours, slices the call's */
  grpc_byte_buffer* payload;
  size_t max_metadata_size; /* 0: no bound; survives resets */
  int64_t max_recv_length;  /* the server's, set with each request */
  int payload_checked;      /* payload_state holds what normalizing the payload returned */
  int payload_state;
} grpcjni_request_call_context;

/* Normalizes the payload once (a hostile one is not inflated again for each encode attempt). */
static int payload_state(grpcjni_request_call_context* ctx) {
  if (!ctx->payload_checked) {
    ctx->payload_state =
        grpcjni_received_message_normalize(ctx->call, &ctx->payload, ctx->max_recv_length);
    ctx->payload_checked = 1;
  }
  return ctx->payload_state;
}

void* grpcjni_server_create(const void* args, int32_t args_len) {
  grpc_channel_args decoded;
  if (grpcjni_channel_args_decode(args, args_len, &decoded) != 0) return NULL;
  grpcjni_channel_args_own_decompression(&decoded);
  grpcjni_channel_args_own_resource_quota(&decoded);
  grpc_server* server = grpc_server_create(&decoded, NULL);
  int64_t recv_bound = grpcjni_max_receive_length(&decoded);
  grpcjni_channel_args_free(&decoded);
  if (server == NULL) return NULL;
  grpcjni_server* s = gpr_zalloc(sizeof *s);
  s->server = server;
  s->max_recv_length = recv_bound;
  grpcjni_live_inc(GRPCJNI_LIVE_SERVERS);
  return s;
}

void grpcjni_server_register_cq(void* server, void* cq) {
  grpcjni_server* s = server;
  if (s == NULL || cq == NULL) return;
  grpc_server_register_completion_queue(s->server, cq, NULL);
}

void* grpcjni_server_register_method(void* server, const char* method, int32_t read_payload) {
  grpcjni_server* s = server;
  if (s == NULL || method == NULL) return NULL;
  const char* kept = grpcjni_string_list_add(&s->methods, method);
  return grpc_server_register_method(
      s->server, kept, NULL,
      read_payload ? GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER : GRPC_SRM_PAYLOAD_NONE, 0);
}

/* Binds `address` with `creds`, which it releases. */
static int32_t add_port(grpcjni_server* s, const char* address, grpc_server_credentials* creds) {
  if (creds == NULL) return 0;
  int port = grpc_server_add_http2_port(s->server, address, creds);
  grpc_server_credentials_release(creds);
  return port;
}

int32_t grpcjni_server_add_insecure_port(void* server, const char* address) {
  grpcjni_server* s = server;
  if (s == NULL || address == NULL) return 0;
  return add_port(s, address, grpc_insecure_server_credentials_create());
}

/* The C core's request type for a GRPCJNI_CLIENT_AUTH_* value; 0 for an unknown one. */
static int request_type(int32_t client_auth, grpc_ssl_client_certificate_request_type* out) {
  switch (client_auth) {
    case GRPCJNI_CLIENT_AUTH_NONE:
      *out = GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
      return 1;
    case GRPCJNI_CLIENT_AUTH_OPTIONAL:
      *out = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
      return 1;
    case GRPCJNI_CLIENT_AUTH_REQUIRE:
      *out = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
      return 1;
    default:
      return 0;
  }
}

int32_t grpcjni_server_add_tls_port(void* server, const char* address,
                                    const char* pem_root_certs, const char* private_key,
                                    const char* cert_chain, int32_t client_auth) {
  grpcjni_server* s = server;
  if (s == NULL || address == NULL || private_key == NULL || cert_chain == NULL) return 0;
  grpc_ssl_client_certificate_request_type request;
  if (!request_type(client_auth, &request)) return 0;
  /* Verifying client certificates needs roots to verify them against. */
  if (request != GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE && pem_root_certs == NULL) return 0;
  grpc_ssl_pem_key_cert_pair pair = {private_key, cert_chain};
  return add_port(s, address,
                  grpc_ssl_server_credentials_create_ex(pem_root_certs, &pair, 1, request, NULL));
}

int32_t grpcjni_server_add_tls_files_port(void* server, const char* address,
                                          const char* roots_path, const char* key_path,
                                          const char* chain_path, int32_t refresh_seconds,
                                          int32_t client_auth) {
  /* The core's file watcher aborts on an empty path: treat one as none. */
  if (roots_path != NULL && roots_path[0] == '\0') roots_path = NULL;
  if (key_path != NULL && key_path[0] == '\0') key_path = NULL;
  if (chain_path != NULL && chain_path[0] == '\0') chain_path = NULL;
  grpcjni_server* s = server;
  if (s == NULL || address == NULL || key_path == NULL || chain_path == NULL ||
      refresh_seconds <= 0) {
    return 0;
  }
  grpc_ssl_client_certificate_request_type request;
  if (!request_type(client_auth, &request)) return 0;
  if (request != GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE && roots_path == NULL) return 0;
  grpc_tls_certificate_provider* provider = grpc_tls_certificate_provider_file_watcher_create(
      key_path, chain_path, roots_path, (unsigned int)refresh_seconds);
  if (provider == NULL) return 0;
  grpc_tls_credentials_options* options = grpc_tls_credentials_options_create();
  grpc_tls_credentials_options_set_certificate_provider(options, provider);
  grpc_tls_credentials_options_watch_identity_key_cert_pairs(options);
  if (roots_path != NULL) grpc_tls_credentials_options_watch_root_certs(options);
  grpc_tls_credentials_options_set_cert_request_type(options, request);
  /* The credentials take the options, and the options a reference to the provider. */
  grpc_server_credentials* creds = grpc_tls_server_credentials_create(options);
  grpc_tls_certificate_provider_release(provider);
  return add_port(s, address, creds);
}

int32_t grpcjni_server_add_local_port(void* server, const char* address) {
  grpcjni_server* s = server;
  if (s == NULL || address == NULL) return 0;
  return add_port(s, address, grpc_local_server_credentials_create(grpcjni_local_type(address)));
}

void grpcjni_server_start(void* server) {
  grpcjni_server* s = server;
  if (s != NULL) grpc_server_start(s->server);
}

int32_t grpcjni_server_request_call(void* server, void* cq, void* p, int64_t tag) {
  grpcjni_server* s = server;
  grpcjni_request_call_context* ctx = p;
  if (s == NULL || cq == NULL || ctx == NULL) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_request_call_context_reset(ctx);
  ctx->registered = 0;
  ctx->max_recv_length = s->max_recv_length;
  return grpc_server_request_call(s->server, &ctx->call, &ctx->details, &ctx->request_metadata,
                                  cq, cq, grpcjni_tag(tag));
}

int32_t grpcjni_server_request_registered_call(void* server, void* registered_method,
                                               int32_t read_payload, void* cq, void* p,
                                               int64_t tag) {
  grpcjni_server* s = server;
  grpcjni_request_call_context* ctx = p;
  if (s == NULL || registered_method == NULL || cq == NULL || ctx == NULL) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  grpcjni_request_call_context_reset(ctx);
  ctx->registered = 1;
  ctx->max_recv_length = s->max_recv_length;
  return grpc_server_request_registered_call(s->server, registered_method, &ctx->call,
                                             &ctx->deadline, &ctx->request_metadata,
                                             read_payload ? &ctx->payload : NULL, cq, cq,
                                             grpcjni_tag(tag));
}

void grpcjni_server_shutdown_and_notify(void* server, void* cq, int64_t tag) {
  grpcjni_server* s = server;
  if (s == NULL || cq == NULL) return;
  grpc_server_shutdown_and_notify(s->server, cq, grpcjni_tag(tag));
}

void grpcjni_server_cancel_all_calls(void* server) {
  grpcjni_server* s = server;
  if (s != NULL) grpc_server_cancel_all_calls(s->server);
}

void grpcjni_server_destroy(void* server) {
  grpcjni_server* s = server;
  if (s == NULL) return;
  grpc_server_destroy(s->server);
  grpcjni_string_list_free(&s->methods);
  gpr_free(s);
  grpcjni_live_dec(GRPCJNI_LIVE_SERVERS);
}

/* ---- request call context ---- */

void* grpcjni_request_call_context_create(void) {
  grpcjni_request_call_context* ctx = gpr_zalloc(sizeof *ctx);
  grpc_call_details_init(&ctx->details);
  grpcjni_live_inc(GRPCJNI_LIVE_REQUEST_CONTEXTS);
  return ctx;
}

int32_t grpcjni_request_call_context_encode(void* p, void* dst, int32_t capacity) {
  grpcjni_request_call_context* ctx = p;
  if (ctx == NULL || ctx->call == NULL || capacity < 0 || (dst == NULL && capacity > 0)) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  /* Measured on the core's slices before anything is copied: a peer's HPACK-indexed headers can
   * decode to far more than it sent, and nothing may grow for them. */
  if (ctx->max_metadata_size > 0 &&
      grpcjni_metadata_list_size(&ctx->request_metadata) > ctx->max_metadata_size) {
    return GRPCJNI_ERROR_METADATA_TOO_LARGE;
  }
  /* libgrpc 1.51 passes on names and values HTTP/2 calls malformed; a handler must never see one
   * (one that logs or forwards headers could be injected through it). */
  if (!grpcjni_metadata_well_formed(&ctx->request_metadata)) {
    return GRPCJNI_ERROR_MALFORMED_METADATA;
  }
  int payload = payload_state(ctx);
  grpcjni_writer w = {dst, (size_t)capacity, 0};
  grpcjni_write_i64(&w, grpcjni_nanos_until(ctx->registered ? ctx->deadline
                                                            : ctx->details.deadline));
  if (ctx->registered) {
    grpcjni_write_u32(&w, 0);
  } else {
    grpcjni_write_slice(&w, ctx->details.method);
  }
  grpcjni_metadata_encode(&w, &ctx->request_metadata);
  /* GRPCJNI_MESSAGE_UNDECODABLE or _TOO_LARGE mark a payload that arrived but is not a message. */
  grpcjni_write_u32(&w,
                    (uint32_t)(payload == 0 ? grpcjni_byte_buffer_length(ctx->payload) : payload));
  grpcjni_write_u32(
      &w, (uint32_t)(ctx->payload != NULL ? grpcjni_core_message_compressed(ctx->call) : -1));
  return grpcjni_writer_result(&w);
}

void grpcjni_request_call_context_set_max_metadata_size(void* p, int32_t bytes) {
  grpcjni_request_call_context* ctx = p;
  if (ctx != NULL) ctx->max_metadata_size = bytes > 0 ? (size_t)bytes : 0;
}

void grpcjni_request_call_context_reject(void* p, int32_t code, const char* message) {
  grpcjni_request_call_context* ctx = p;
  if (ctx == NULL || ctx->call == NULL) return;
  /* On a server call the core sends the status as trailers before it resets the stream. */
  grpc_call_cancel_with_status(ctx->call, (grpc_status_code)code,
                               message != NULL ? message : "", NULL);
  grpcjni_request_call_context_reset(ctx);
}

void* grpcjni_request_call_context_take_call(void* p) {
  grpcjni_request_call_context* ctx = p;
  if (ctx == NULL || ctx->call == NULL) return NULL;
  grpc_call* call = ctx->call;
  grpc_byte_buffer* payload = NULL;
  int64_t max_recv_length = ctx->max_recv_length;
  if (payload_state(ctx) == 0) {
    payload = ctx->payload; /* the call keeps it for Java to read: grpcjni_call_copy_payload */
    ctx->payload = NULL;
  }
  ctx->call = NULL;
  grpcjni_request_call_context_reset(ctx);
  grpcjni_call* wrapped = grpcjni_call_wrap(call, payload);
  if (wrapped != NULL) wrapped->max_recv_length = max_recv_length;
  return wrapped;
}

void grpcjni_request_call_context_reset(void* p) {
  grpcjni_request_call_context* ctx = p;
  if (ctx == NULL) return;
  /* Metadata slices belong to the call: free the array before the call can go. */
  grpc_metadata_array_destroy(&ctx->request_metadata);
  grpc_call_details_destroy(&ctx->details);
  if (ctx->payload != NULL) grpc_byte_buffer_destroy(ctx->payload);
  if (ctx->call != NULL) grpc_call_unref(ctx->call);
  size_t max_metadata_size = ctx->max_metadata_size;
  memset(ctx, 0, sizeof *ctx);
  ctx->max_metadata_size = max_metadata_size;
  grpc_call_details_init(&ctx->details);
}

void grpcjni_request_call_context_destroy(void* ctx) {
  if (ctx == NULL) return;
  grpcjni_request_call_context_reset(ctx);
  grpc_call_details_destroy(&((grpcjni_request_call_context*)ctx)->details);
  gpr_free(ctx);
  grpcjni_live_dec(GRPCJNI_LIVE_REQUEST_CONTEXTS);
}
