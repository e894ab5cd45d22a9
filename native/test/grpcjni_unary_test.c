// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * The shim on its own, end to end on 127.0.0.1:0: a registered unary call with metadata both
 * ways, an unknown method answered through a generic slot, a deadline, and a clean teardown with
 * every live counter back at zero.
 */
#include "grpcjni_e2e.h"

int main(void) {
  grpcjni_init();
  void* cq = grpcjni_cq_create();
  void* server = grpcjni_server_create(NULL, 0);
  grpcjni_server_register_cq(server, cq);
  void* method = grpcjni_server_register_method(server, "/test.Echo/Unary", 1);
  CHECK(method != NULL);
  CHECK(grpcjni_server_register_method(server, "/test.Echo/Unary", 1) == NULL); /* duplicate */
  int32_t port = grpcjni_server_add_insecure_port(server, "127.0.0.1:0");
  CHECK(port > 0);
  CHECK_EQ(grpcjni_server_add_insecure_port(server, "not an address"), 0);
  grpcjni_server_start(server);

  void* registered_slot = grpcjni_request_call_context_create();
  void* generic_slot = grpcjni_request_call_context_create();
  CHECK_EQ(grpcjni_server_request_registered_call(server, method, 1, cq, registered_slot, 2), 0);
  CHECK_EQ(grpcjni_server_request_call(server, cq, generic_slot, 4), 0);

  char target[64];
  snprintf(target, sizeof target, "127.0.0.1:%d", port);
  void* channel = grpcjni_channel_create(target, NULL, 0);
  CHECK(channel != NULL);

  /* 1. A registered unary call with metadata both ways. */
  void* echo = grpcjni_channel_register_call(channel, "/test.Echo/Unary");
  void* call = grpcjni_channel_create_call(channel, cq, echo, NULL, GRPCJNI_NO_DEADLINE);
  uint8_t md[128];
  size_t md_len = encode_md(md, "x-req", "hello", 5);
  CHECK_EQ(grpcjni_call_start_unary(call, md, (int32_t)md_len, "ping", 4, 0, 0, 6), 0);

  CHECK(wait_tag(cq, 2));
  uint8_t req[1024];
  int32_t n = grpcjni_request_call_context_encode(registered_slot, req, sizeof req);
  CHECK(n > 0 && n <= (int32_t)sizeof req);
  cursor c = {req};
  CHECK_EQ(i64(&c), GRPCJNI_NO_DEADLINE);
  uint32_t len;
  bytes(&c, &len);
  CHECK_EQ(len, 0); /* registered calls: Java knows the method */
  CHECK(metadata_has(&c, "x-req", "hello", 5));
  CHECK_EQ((int32_t)u32(&c), 4);
  CHECK_EQ((int32_t)u32(&c), 0); /* sent uncompressed */
  void* server_call = grpcjni_request_call_context_take_call(registered_slot);
  CHECK(server_call != NULL);
  char payload[8];
  CHECK_EQ(grpcjni_call_copy_payload(server_call, payload, 2), -1);
  CHECK_EQ(grpcjni_call_copy_payload(server_call, payload, 8), 4);
  CHECK(memcmp(payload, "ping", 4) == 0);
  CHECK(grpcjni_request_call_context_take_call(registered_slot) == NULL);
  char peer[128] = {0};
  int32_t peer_len = grpcjni_call_get_peer(server_call, peer, 4);
  CHECK(peer_len > 4 && peer[0] == 0); /* too small: length only, nothing written */
  CHECK_EQ(grpcjni_call_get_peer(server_call, peer, sizeof peer - 1), peer_len);
  CHECK(strstr(peer, "127.0.0.1") != NULL);
  /* The client's side: on its connection, its server (u32 length, then the address). */
  uint8_t server_peer[128];
  int32_t sp = grpcjni_call_get_server_peer(call, server_peer, sizeof server_peer);
  CHECK(sp > 4 && sp <= (int32_t)sizeof server_peer);
  cursor spc = {server_peer};
  const char* sp_addr = bytes(&spc, &len);
  CHECK(len == (uint32_t)sp - 4 && has_text(sp_addr, len, "127.0.0.1"));
  CHECK_EQ(grpcjni_call_get_server_peer(NULL, server_peer, sizeof server_peer),
           GRPCJNI_ERROR_INVALID_ARGUMENT);

  uint8_t trailers[64];
  size_t trailers_len = encode_md(trailers, "x-t-bin", "\0\1", 2);
  CHECK_EQ(grpcjni_call_send_status_from_server(
               server_call, GRPCJNI_SEND_INITIAL_METADATA | GRPCJNI_RECV_CLOSE_ON_SERVER,
               NULL, 0, grpcjni_byte_buffer_create("pong", 4), 0, 0, "", 0, trailers,
               (int32_t)trailers_len, 8),
           0);
  CHECK(wait_tag(cq, 8));
  CHECK(wait_tag(cq, 6));
  CHECK_EQ(grpcjni_call_recv_close_on_server_cancelled(server_call, GRPCJNI_OP_SEND), 0);
  check_client_status(call, 0, "x-t-bin", "\0\1", 2, "pong");
  /* Malformed encoded input is refused before anything is started. */
  CHECK_EQ(grpcjni_call_send_status_from_server(server_call, 0, md, 3,
                                                 grpcjni_byte_buffer_create("x", 1), 0, 0, NULL, 0,
                                                 NULL, 0, 30),
           GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_call_send_status_from_server(server_call, 0, NULL, 0, NULL, 0, 99,
                                                 NULL, 0, NULL, 0, 30),
           GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_BYTE_BUFFERS), 0); /* refused buffers were freed */
  grpcjni_call_unref(server_call);
  grpcjni_call_unref(call);

  /* 2. An unknown method arrives on the generic slot and is answered UNIMPLEMENTED. */
  void* nope = grpcjni_channel_register_call(channel, "/test.Nope/X");
  call = grpcjni_channel_create_call(channel, cq, nope, NULL, GRPCJNI_NO_DEADLINE);
  CHECK_EQ(grpcjni_call_start_unary(call, NULL, 0, "", 0, 0, 0, 10), 0);
  CHECK(wait_tag(cq, 4));
  n = grpcjni_request_call_context_encode(generic_slot, req, sizeof req);
  c.p = req;
  CHECK(i64(&c) == GRPCJNI_NO_DEADLINE);
  const char* path = bytes(&c, &len);
  CHECK(len == strlen("/test.Nope/X") && memcmp(path, "/test.Nope/X", len) == 0);
  server_call = grpcjni_request_call_context_take_call(generic_slot);
  CHECK_EQ(grpcjni_call_send_status_from_server(
               server_call, GRPCJNI_SEND_INITIAL_METADATA | GRPCJNI_RECV_CLOSE_ON_SERVER,
               NULL, 0, NULL, 0, 12, "nope", 4, NULL, 0, 12),
           0);
  CHECK(wait_tag(cq, 12));
  CHECK(wait_tag(cq, 10));
  check_client_status(call, 12, NULL, NULL, 0, NULL);
  grpcjni_call_unref(server_call);
  grpcjni_call_unref(call);

  /* 3. A deadline that expires before any server slot takes the call. */
  call = grpcjni_channel_create_call(channel, cq, echo, NULL, 1000000 /* 1 ms */);
  CHECK_EQ(grpcjni_call_start_unary(call, NULL, 0, "x", 1, 0, 0, 14), 0);
  CHECK(wait_tag(cq, 14));
  check_client_status(call, 4 /* DEADLINE_EXCEEDED */, NULL, NULL, 0, NULL);
  grpcjni_call_unref(call);

  /* 4. Client cancel of a call in flight. */
  call = grpcjni_channel_create_call(channel, cq, echo, NULL, GRPCJNI_NO_DEADLINE);
  CHECK_EQ(grpcjni_call_start_unary(call, NULL, 0, "x", 1, 0, 0, 16), 0);
  CHECK_EQ(grpcjni_call_cancel_with_status(call, 1, "Cancelled by test"), 0);
  CHECK(wait_tag(cq, 16));
  check_client_status(call, 1 /* CANCELLED */, NULL, NULL, 0, NULL);
  grpcjni_call_unref(call);

  /* 5. Connectivity: the state, a watch that times out, one that fires at once, bad arguments,
   * and one still pending when the channel is destroyed, which ends it. */
  CHECK_EQ(grpcjni_channel_check_state(channel, 0), 2 /* READY */);
  CHECK_EQ(grpcjni_channel_check_state(NULL, 1), -1);
  CHECK_EQ(grpcjni_channel_watch_state(channel, 2, 1000000 /* 1 ms */, cq, 20), 0);
  CHECK(!wait_tag(cq, 20));
  CHECK_EQ(grpcjni_channel_watch_state(channel, 0 /* IDLE */, GRPCJNI_NO_DEADLINE, cq, 22), 0);
  CHECK(wait_tag(cq, 22));
  CHECK_EQ(grpcjni_channel_watch_state(NULL, 2, GRPCJNI_NO_DEADLINE, cq, 24), -1);
  CHECK_EQ(grpcjni_channel_watch_state(channel, 2, GRPCJNI_NO_DEADLINE, NULL, 24), -1);
  CHECK_EQ(grpcjni_channel_watch_state(channel, 5, GRPCJNI_NO_DEADLINE, cq, 24), -1);
  CHECK_EQ(grpcjni_channel_watch_state(channel, -1, GRPCJNI_NO_DEADLINE, cq, 24), -1);
  grpcjni_channel_reset_connect_backoff(NULL);
  grpcjni_channel_reset_connect_backoff(channel);
  CHECK_EQ(grpcjni_channel_watch_state(channel, 2, GRPCJNI_NO_DEADLINE, cq, 26), 0);

  /* 6. Service configs, checked as the core checks them. */
  char why[256];
  CHECK_EQ(grpcjni_service_config_check("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}", why,
                                        sizeof why), 0);
  CHECK_EQ(grpcjni_service_config_check("{not json", why, sizeof why), 1);
  /* libgrpc 1.51 logs the reason; the lame channel's calls carry only a generic one. */
  CHECK(why[0] != '\0');
  CHECK_EQ(grpcjni_service_config_check("{\"methodConfig\": 5}", why, 8), 1);
  CHECK_EQ(strlen(why), 7); /* truncated */
  CHECK_EQ(grpcjni_service_config_check(NULL, why, sizeof why), -1);
  CHECK_EQ(grpcjni_service_config_check("{}", NULL, 0), -1);

  /* Teardown in order: server, channel, queue, library. */
  grpcjni_channel_destroy(channel);
  CHECK(wait_tag(cq, 26));
  grpcjni_server_shutdown_and_notify(server, cq, 18);
  grpcjni_server_cancel_all_calls(server);
  CHECK(wait_tag(cq, 18));
  grpcjni_server_destroy(server);
  grpcjni_request_call_context_destroy(registered_slot);
  grpcjni_request_call_context_destroy(generic_slot);
  grpcjni_cq_shutdown(cq);
  int64_t ev;
  while ((ev = grpcjni_cq_next(cq)) != GRPCJNI_CQ_SHUTDOWN) CHECK(ev > 0);
  grpcjni_cq_destroy(cq);
  grpcjni_shutdown();
  for (int k = 0; k < GRPCJNI_LIVE_KIND_COUNT; k++) CHECK_EQ(grpcjni_live_count(k), 0);
  printf("grpcjni_unary_test: OK\n");
  return 0;
}
