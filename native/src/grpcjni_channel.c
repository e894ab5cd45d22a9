// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * Client channels. The handle Java holds is a grpcjni_channel, which also owns the method strings
 * registered on it: grpc.h says the strings given to grpc_channel_register_call "must remain alive
 * while the channel is alive".
 * Keep in sync with java/grpc-jni-core/src/main/java/dev/grpcjni/internal/transport/NativeChannel.java.
 */
#include <grpc/grpc_security.h>
#include <grpc/impl/codegen/propagation_bits.h>
#include <grpc/support/alloc.h>
#include <grpc/support/sync.h>
#include <stdio.h>
#include <string.h>

#include "grpcjni_internal.h"

typedef struct grpcjni_channel {
  grpc_channel* channel;
  gpr_mu mu;
  grpcjni_string_list* methods; /* guarded by mu; freed at destroy */
  size_t max_metadata_size;     /* what its calls' results may carry per header block */
  int64_t max_recv_length;      /* a received message's bound, decompressed; -1: none */
} grpcjni_channel;

/* The C core's default for GRPC_ARG_MAX_METADATA_SIZE, which it advertises to servers. */
enum { GRPCJNI_DEFAULT_MAX_METADATA_SIZE = 8192 };

/* Wraps a client call of `c`, bounding the metadata and messages its results carry. */
static void* wrap_client_call(grpcjni_channel* c, grpc_call* call) {
  grpcjni_call* wrapped = grpcjni_call_wrap(call, NULL);
  if (wrapped != NULL) {
    wrapped->max_metadata_size = c->max_metadata_size;
    wrapped->max_recv_length = c->max_recv_length;
  }
  return wrapped;
}

/* Creates the channel with `creds`, which it releases. */
static void* channel_create(const char* target, const void* args, int32_t args_len,
                            grpc_channel_credentials* creds) {
  grpc_channel_args decoded;
  if (creds == NULL) return NULL;
  if (grpcjni_channel_args_decode(args, args_len, &decoded) != 0) {
    grpc_channel_credentials_release(creds);
    return NULL;
  }
  grpcjni_channel_args_own_decompression(&decoded);
  grpcjni_channel_args_own_resource_quota(&decoded);
  grpc_channel* channel = grpc_channel_create(target, creds, &decoded);
  grpc_channel_credentials_release(creds);
  /* The core answers a target or argument it cannot use with a lame channel, not NULL: one in
   * TRANSIENT_FAILURE from the start (a new channel is IDLE), whose watches only ever time out.
   * Refuse it here, as an error the caller reports. */
  if (channel != NULL &&
      grpc_channel_check_connectivity_state(channel, 0) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
    grpc_channel_destroy(channel);
    channel = NULL;
  }
  int64_t metadata_bound = grpcjni_channel_args_int(&decoded, GRPC_ARG_MAX_METADATA_SIZE,
                                                    GRPCJNI_DEFAULT_MAX_METADATA_SIZE);
  int64_t recv_bound = grpcjni_max_receive_length(&decoded);
  grpcjni_channel_args_free(&decoded);
  if (channel == NULL) return NULL;
  grpcjni_channel* c = gpr_zalloc(sizeof *c);
  c->channel = channel;
  c->max_metadata_size =
      metadata_bound > 0 ? (size_t)metadata_bound : GRPCJNI_DEFAULT_MAX_METADATA_SIZE;
  c->max_recv_length = recv_bound;
  gpr_mu_init(&c->mu);
  grpcjni_live_inc(GRPCJNI_LIVE_CHANNELS);
  return c;
}

void* grpcjni_channel_create(const char* target, const void* args, int32_t args_len) {
  if (target == NULL) return NULL;
  return channel_create(target, args, args_len, grpc_insecure_credentials_create());
}

void* grpcjni_channel_create_tls(const char* target, const void* args, int32_t args_len,
                                 const char* pem_root_certs, const char* private_key,
                                 const char* cert_chain) {
  if (target == NULL || (private_key == NULL) != (cert_chain == NULL)) return NULL;
  grpc_ssl_pem_key_cert_pair pair = {private_key, cert_chain};
  grpc_channel_credentials* creds = grpc_ssl_credentials_create_ex(
      pem_root_certs, private_key != NULL ? &pair : NULL, NULL, NULL);
  return channel_create(target, args, args_len, creds);
}

void* grpcjni_channel_create_tls_files(const char* target, const void* args, int32_t args_len,
                                       const char* roots_path, const char* key_path,
                                       const char* chain_path, int32_t refresh_seconds) {
  /* The core's file watcher aborts on an empty path: treat one as none. */
  if (roots_path != NULL && roots_path[0] == '\0') roots_path = NULL;
  if (key_path != NULL && key_path[0] == '\0') key_path = NULL;
  if (chain_path != NULL && chain_path[0] == '\0') chain_path = NULL;
  if (target == NULL || (key_path == NULL) != (chain_path == NULL) || refresh_seconds <= 0 ||
      (roots_path == NULL && key_path == NULL)) {
    return NULL;
  }
  grpc_tls_certificate_provider* provider = grpc_tls_certificate_provider_file_watcher_create(
      key_path, chain_path, roots_path, (unsigned int)refresh_seconds);
  if (provider == NULL) return NULL;
  grpc_tls_credentials_options* options = grpc_tls_credentials_options_create();
  grpc_tls_credentials_options_set_certificate_provider(options, provider);
  if (roots_path != NULL) grpc_tls_credentials_options_watch_root_certs(options);
  if (key_path != NULL) grpc_tls_credentials_options_watch_identity_key_cert_pairs(options);
  grpc_channel_credentials* creds = grpc_tls_credentials_create(options);
  grpc_tls_certificate_provider_release(provider);
  return channel_create(target, args, args_len, creds);
}

/* UDS for unix: targets and addresses, LOCAL_TCP (loopback) for the rest. */
grpc_local_connect_type grpcjni_local_type(const char* target) {
  return strncmp(target, "unix:", 5) == 0 || strncmp(target, "unix-abstract:", 14) == 0
             ? UDS
             : LOCAL_TCP;
}

void* grpcjni_channel_create_local(const char* target, const void* args, int32_t args_len) {
  if (target == NULL) return NULL;
  return channel_create(target, args, args_len,
                        grpc_local_credentials_create(grpcjni_local_type(target)));
}

void grpcjni_channel_destroy(void* channel) {
  grpcjni_channel* c = channel;
  if (c == NULL) return;
  grpc_channel_destroy(c->channel);
  grpcjni_string_list_free(&c->methods);
  gpr_mu_destroy(&c->mu);
  gpr_free(c);
  grpcjni_live_dec(GRPCJNI_LIVE_CHANNELS);
}

/* The status details of a call on `lame` (a channel the core could not build), into `out`. */
static void lame_reason(grpc_channel* lame, char* out, int32_t out_len) {
  grpc_completion_queue* cq = grpc_completion_queue_create_for_next(NULL);
  grpc_slice path = grpc_slice_from_static_string("/grpcjni.Check/Config");
  grpc_call* call = grpc_channel_create_call(lame, NULL, GRPC_PROPAGATE_DEFAULTS, cq, path, NULL,
                                             gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
  grpc_metadata_array trailers;
  grpc_metadata_array_init(&trailers);
  grpc_status_code status = GRPC_STATUS_UNKNOWN;
  grpc_slice details = grpc_empty_slice();
  grpc_op ops[2];
  memset(ops, 0, sizeof ops);
  ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
  ops[1].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
  ops[1].data.recv_status_on_client.trailing_metadata = &trailers;
  ops[1].data.recv_status_on_client.status = &status;
  ops[1].data.recv_status_on_client.status_details = &details;
  if (call != NULL && grpc_call_start_batch(call, ops, 2, (void*)1, NULL) == GRPC_CALL_OK) {
    grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
    size_t n = GRPC_SLICE_LENGTH(details);
    if (n >= (size_t)out_len) n = (size_t)out_len - 1;
    memcpy(out, GRPC_SLICE_START_PTR(details), n);
    out[n] = '\0';
  }
  grpc_slice_unref(details);
  grpc_metadata_array_destroy(&trailers);
  if (call != NULL) grpc_call_unref(call);
  grpc_completion_queue_shutdown(cq);
  while (grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL).type !=
         GRPC_QUEUE_SHUTDOWN) {
  }
  grpc_completion_queue_destroy(cq);
}

int32_t grpcjni_service_config_check(const char* json, char* error, int32_t error_len) {
  if (json == NULL || error == NULL || error_len <= 0) return -1;
  error[0] = '\0';
  /* Callable before any channel or server exists: hold the library up meanwhile. */
  grpc_init();
  grpc_arg arg;
  arg.type = GRPC_ARG_STRING;
  arg.key = (char*)GRPC_ARG_SERVICE_CONFIG;
  arg.value.string = (char*)json;
  grpc_channel_args args = {1, &arg};
  grpc_channel_credentials* creds = grpc_insecure_credentials_create();
  char logged[1024];
  grpcjni_log_capture_errors(logged, sizeof logged); /* the core logs which field is wrong */
  /* Never connected: a channel is IDLE until asked to connect, unless the core could not build it
   * (then it is a lame channel, in TRANSIENT_FAILURE from the start). */
  grpc_channel* channel = grpc_channel_create("127.0.0.1:1", creds, &args);
  grpcjni_log_capture_errors(NULL, 0);
  grpc_channel_credentials_release(creds);
  int32_t refused = 0;
  if (grpc_channel_check_connectivity_state(channel, 0) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
    refused = 1;
    if (logged[0] != '\0') {
      snprintf(error, (size_t)error_len, "%s", logged);
    } else {
      lame_reason(channel, error, error_len);
    }
  }
  grpc_channel_destroy(channel);
  grpc_shutdown();
  return refused;
}

int32_t grpcjni_channel_check_state(void* channel, int32_t try_to_connect) {
  grpcjni_channel* c = channel;
  if (c == NULL) return -1;
  return (int32_t)grpc_channel_check_connectivity_state(c->channel, try_to_connect != 0);
}

int32_t grpcjni_channel_watch_state(void* channel, int32_t last_observed, int64_t deadline_nanos,
                                    void* cq, int64_t tag) {
  grpcjni_channel* c = channel;
  if (c == NULL || cq == NULL || last_observed < GRPC_CHANNEL_IDLE ||
      last_observed > GRPC_CHANNEL_SHUTDOWN) {
    return -1;
  }
  grpc_channel_watch_connectivity_state(c->channel, (grpc_connectivity_state)last_observed,
                                        grpcjni_deadline_from_nanos(deadline_nanos),
                                        (grpc_completion_queue*)cq, grpcjni_tag(tag));
  return 0;
}

void grpcjni_channel_reset_connect_backoff(void* channel) {
  grpcjni_channel* c = channel;
  if (c != NULL) grpc_channel_reset_connect_backoff(c->channel);
}

void* grpcjni_channel_register_call(void* channel, const char* method) {
  grpcjni_channel* c = channel;
  if (c == NULL || method == NULL) return NULL;
  gpr_mu_lock(&c->mu);
  const char* kept = grpcjni_string_list_add(&c->methods, method);
  void* handle = grpc_channel_register_call(c->channel, kept, NULL, NULL);
  gpr_mu_unlock(&c->mu);
  return handle;
}

void* grpcjni_channel_create_unregistered_call(void* channel, void* cq, const char* method,
                                               void* parent_call, int64_t deadline_nanos) {
  grpcjni_channel* c = channel;
  if (c == NULL || cq == NULL || method == NULL) return NULL;
  grpcjni_call* parent = parent_call;
  grpc_slice path = grpc_slice_from_copied_string(method);
  /* The core takes its own reference to the path. */
  grpc_call* call = grpc_channel_create_call(
      c->channel, parent == NULL ? NULL : parent->call, GRPC_PROPAGATE_DEFAULTS,
      (grpc_completion_queue*)cq, path, NULL, grpcjni_deadline_from_nanos(deadline_nanos), NULL);
  grpc_slice_unref(path);
  return wrap_client_call(c, call);
}

void* grpcjni_channel_create_call(void* channel, void* cq, void* registered_method,
                                  void* parent_call, int64_t deadline_nanos) {
  grpcjni_channel* c = channel;
  if (c == NULL || cq == NULL || registered_method == NULL) return NULL;
  grpcjni_call* parent = parent_call;
  grpc_call* call = grpc_channel_create_registered_call(
      c->channel, parent == NULL ? NULL : parent->call, GRPC_PROPAGATE_DEFAULTS,
      (grpc_completion_queue*)cq, registered_method, grpcjni_deadline_from_nanos(deadline_nanos),
      NULL);
  return wrap_client_call(c, call);
}
