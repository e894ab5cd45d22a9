// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * The streaming batch shapes end to end on 127.0.0.1:0: a duplex exchange (headers piggy-backed on
 * the server's first message, half-close, end of stream, status), then a client-streaming and a
 * server-streaming call, with every live counter back at zero.
 */
#include "grpcjni_e2e.h"

/* Reads the message of a finished RECV_MESSAGE batch: its length, -1 at end of stream. */
static int32_t recv_message_length(void* call, char* out, int32_t cap) {
  int64_t info = grpcjni_call_recv_message_info(call);
  int32_t msg = (int32_t)info;
  int32_t compressed = (int32_t)(info >> 32);
  CHECK_EQ(compressed, msg >= 0 ? 0 : -1);
  if (msg >= 0) CHECK_EQ(grpcjni_call_copy_recv_message(call, GRPCJNI_OP_RECV, out, cap), msg);
  return msg;
}

int main(void) {
  grpcjni_init();
  void* cq = grpcjni_cq_create();
  void* server = grpcjni_server_create(NULL, 0);
  grpcjni_server_register_cq(server, cq);
  void* bidi = grpcjni_server_register_method(server, "/test.S/Bidi", 0);
  void* cstream = grpcjni_server_register_method(server, "/test.S/ClientStream", 0);
  void* sstream = grpcjni_server_register_method(server, "/test.S/ServerStream", 1);
  int32_t port = grpcjni_server_add_insecure_port(server, "127.0.0.1:0");
  grpcjni_server_start(server);
  char target[64];
  snprintf(target, sizeof target, "127.0.0.1:%d", port);
  void* channel = grpcjni_channel_create(target, NULL, 0);
  void* slot = grpcjni_request_call_context_create();
  char buf[64];

  /* ---- duplex ---- */
  CHECK_EQ(grpcjni_server_request_registered_call(server, bidi, 0, cq, slot, 2), 0);
  void* call = grpcjni_channel_create_call(
      channel, cq, grpcjni_channel_register_call(channel, "/test.S/Bidi"), NULL, GRPCJNI_NO_DEADLINE);
  CHECK_EQ(grpcjni_call_start_duplex_streaming(call, NULL, 0, 0, 4), 0);
  CHECK_EQ(grpcjni_call_send_message(call, 0, NULL, 0, grpcjni_byte_buffer_create("a", 1), 0, 6), 0);
  CHECK(wait_tag(cq, 2));
  void* scall = grpcjni_request_call_context_take_call(slot);
  CHECK_EQ(grpcjni_call_start_serverside(scall, 8), 0);
  CHECK_EQ(grpcjni_call_recv_message(scall, 10), 0);
  CHECK(wait_tag(cq, 10));
  CHECK_EQ(recv_message_length(scall, buf, sizeof buf), 1);
  CHECK(buf[0] == 'a');
  CHECK(wait_tag(cq, 6));
  /* Server replies with headers on its first message. */
  uint8_t md[64];
  size_t md_len = encode_md(md, "x-h", "v", 1);
  CHECK_EQ(grpcjni_call_send_message(scall, GRPCJNI_SEND_INITIAL_METADATA, md, (int32_t)md_len,
                                     grpcjni_byte_buffer_create("bb", 2), 0, 12),
           0);
  CHECK_EQ(grpcjni_call_recv_initial_metadata(call, 14), 0);
  CHECK(wait_tag(cq, 14));
  CHECK(wait_tag(cq, 12));
  CHECK_EQ(grpcjni_call_recv_message(call, 16), 0);
  CHECK(wait_tag(cq, 16));
  CHECK_EQ(recv_message_length(call, buf, sizeof buf), 2);
  /* Half-close: the server reads end of stream, which is not a failure. */
  CHECK_EQ(grpcjni_call_send_close_from_client(call, 18), 0);
  CHECK(wait_tag(cq, 18));
  CHECK_EQ(grpcjni_call_recv_message(scall, 20), 0);
  CHECK(wait_tag(cq, 20));
  CHECK_EQ(recv_message_length(scall, buf, sizeof buf), -1);
  CHECK_EQ(grpcjni_call_failed_before_recv_message(scall), 0);
  CHECK_EQ(grpcjni_call_send_status_from_server(scall, 0, NULL, 0, NULL, 0, 0, NULL, 0, NULL, 0, 22), 0);
  CHECK(wait_tag(cq, 22));
  CHECK(wait_tag(cq, 8));
  CHECK(wait_tag(cq, 4));
  check_client_status(call, 0, NULL, NULL, 0, NULL);
  grpcjni_call_unref(scall);
  grpcjni_call_unref(call);

  /* ---- client streaming: two messages in, one out ---- */
  CHECK_EQ(grpcjni_server_request_registered_call(server, cstream, 0, cq, slot, 24), 0);
  call = grpcjni_channel_create_call(
      channel, cq, grpcjni_channel_register_call(channel, "/test.S/ClientStream"), NULL, GRPCJNI_NO_DEADLINE);
  CHECK_EQ(grpcjni_call_start_client_streaming(call, NULL, 0, 0, 26), 0);
  CHECK_EQ(grpcjni_call_send_message(call, 0, NULL, 0, grpcjni_byte_buffer_create("1", 1),
                                     (int32_t)grpcjni_constant(GRPCJNI_CONST_WRITE_BUFFER_HINT), 28),
           0);
  CHECK(wait_tag(cq, 24));
  scall = grpcjni_request_call_context_take_call(slot);
  CHECK_EQ(grpcjni_call_start_serverside(scall, 30), 0);
  CHECK(wait_tag(cq, 28));
  CHECK_EQ(grpcjni_call_send_message(call, 0, NULL, 0, grpcjni_byte_buffer_create("2", 1), 0, 32), 0);
  CHECK(wait_tag(cq, 32));
  CHECK_EQ(grpcjni_call_send_close_from_client(call, 34), 0);
  int got = 0;
  for (int64_t tag = 36;; tag += 2) {
    CHECK_EQ(grpcjni_call_recv_message(scall, tag), 0);
    CHECK(wait_tag(cq, tag));
    if (recv_message_length(scall, buf, sizeof buf) < 0) break;
    got++;
  }
  CHECK_EQ(got, 2);
  CHECK_EQ(grpcjni_call_send_status_from_server(scall, GRPCJNI_SEND_INITIAL_METADATA, NULL, 0,
                                                grpcjni_byte_buffer_create("sum", 3), 0, 0, NULL, 0, NULL, 0, 50),
           0);
  CHECK(wait_tag(cq, 50));
  CHECK(wait_tag(cq, 30));
  CHECK(wait_tag(cq, 34));
  CHECK(wait_tag(cq, 26));
  check_client_status(call, 0, NULL, NULL, 0, "sum");
  grpcjni_call_unref(scall);
  grpcjni_call_unref(call);

  /* ---- server streaming: one message in (with the call), three out ---- */
  CHECK_EQ(grpcjni_server_request_registered_call(server, sstream, 1, cq, slot, 52), 0);
  call = grpcjni_channel_create_call(
      channel, cq, grpcjni_channel_register_call(channel, "/test.S/ServerStream"), NULL, GRPCJNI_NO_DEADLINE);
  CHECK_EQ(grpcjni_call_start_server_streaming(call, NULL, 0, 0, "q", 1, 0, 54), 0);
  /* The C core holds received messages until RECV_INITIAL_METADATA has been posted. */
  CHECK_EQ(grpcjni_call_recv_initial_metadata(call, 100), 0);
  CHECK(wait_tag(cq, 52));
  scall = grpcjni_request_call_context_take_call(slot);
  CHECK_EQ(grpcjni_call_start_serverside(scall, 56), 0);
  for (int i = 0; i < 3; i++) {
    int64_t tag = 58 + 4 * i;
    CHECK_EQ(grpcjni_call_send_message(scall, i == 0 ? GRPCJNI_SEND_INITIAL_METADATA : 0, NULL, 0,
                                       grpcjni_byte_buffer_create("m", 1), 0, tag),
             0);
    CHECK_EQ(grpcjni_call_recv_message(call, tag + 2), 0);
    CHECK(wait_tag(cq, tag + 2));
    CHECK_EQ(recv_message_length(call, buf, sizeof buf), 1);
    CHECK(wait_tag(cq, tag));
  }
  CHECK_EQ(grpcjni_call_send_status_from_server(scall, 0, NULL, 0, NULL, 0, 5, "gone", 4, NULL, 0, 70), 0);
  CHECK_EQ(grpcjni_call_recv_message(call, 72), 0);
  CHECK(wait_tag(cq, 72));
  CHECK_EQ(recv_message_length(call, buf, sizeof buf), -1);
  CHECK(wait_tag(cq, 70));
  CHECK(wait_tag(cq, 56));
  CHECK(wait_tag(cq, 54));
  CHECK(wait_tag(cq, 100));
  check_client_status(call, 5, NULL, NULL, 0, NULL);
  grpcjni_call_unref(scall);
  grpcjni_call_unref(call);

  /* An unsent buffer is freed by a send refused for a NULL call. */
  CHECK_EQ(grpcjni_call_send_message(NULL, 0, NULL, 0, grpcjni_byte_buffer_create("z", 1), 0, 2),
           GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK_EQ(grpcjni_call_send_status_from_server(NULL, 0, NULL, 0, grpcjni_byte_buffer_create("z", 1),
                                                0, 0, NULL, 0, NULL, 0, 2),
           GRPCJNI_ERROR_INVALID_ARGUMENT);
  CHECK(grpcjni_byte_buffer_create(NULL, 3) == NULL);

  grpcjni_request_call_context_destroy(slot);
  grpcjni_channel_destroy(channel);
  grpcjni_server_shutdown_and_notify(server, cq, 90);
  CHECK(wait_tag(cq, 90));
  grpcjni_server_destroy(server);
  grpcjni_cq_shutdown(cq);
  while (grpcjni_cq_next(cq) != GRPCJNI_CQ_SHUTDOWN) {
  }
  grpcjni_cq_destroy(cq);
  grpcjni_shutdown();
  for (int k = 0; k < GRPCJNI_LIVE_KIND_COUNT; k++) CHECK_EQ(grpcjni_live_count(k), 0);
  printf("grpcjni_stream_test: OK\n");
  return 0;
}
