// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * One real RPC per input, client and server in this process on 127.0.0.1, driven through the
 * shim's call functions with every byte Java would supply taken from the input: request metadata,
 * message and flags (grpcjni_call_start_unary / _server_streaming), the server's headers
 * (grpcjni_call_send_initial_metadata, or with a message: grpcjni_call_send_message), status,
 * details, last message and trailers (grpcjni_call_send_status_from_server), and a metadata
 * bound. Both encoders that take a Java
 * buffer run at an input-chosen capacity: grpcjni_request_call_context_encode on what the server
 * received, grpcjni_call_encode_result on what the client received.
 *
 * Input: u8 shape, u8 initial-metadata flags, u8 write flags, u8 status, u16 metadata bound,
 * u16 request capacity, u16 result capacity, then u16-length blobs: request metadata, message,
 * details, server headers, trailers (fuzz_common.h: short input reads as zeros and empty blobs).
 *
 * Checked: return codes in the documented sets (grpcjni.h); refused input starts nothing and
 * leaks nothing; encoders count the full length at any capacity and write only a prefix of it;
 * request metadata, payload, status, trailers and message arrive as sent when nothing in between
 * had a reason to change them.
 */
#include <grpc/status.h>
#include <stdbool.h>

#include "fuzz_common.h"

enum {
  SHAPE_SERVER_STREAMING = 1, /* client: server-streaming shape instead of unary */
  SHAPE_SEPARATE_HEADERS = 2, /* server: headers with grpcjni_call_send_initial_metadata first */
  SHAPE_LAST_MESSAGE = 4,     /* server: a message with the status (the request echoed) */
  SHAPE_RECV_CLOSE = 8,       /* server: RECV_CLOSE_ON_SERVER in the status batch */
  SHAPE_SEND_MESSAGE = 16     /* server: the message with grpcjni_call_send_message instead */
};

enum {
  TAG_SLOT = 2,
  TAG_CLIENT = 4,
  TAG_HEADERS = 6,
  TAG_MESSAGE = 8,
  TAG_SERVER_HEADERS = 10,
  TAG_SERVER_STATUS = 12,
  TAG_SERVER_MESSAGE = 14,
  TAG_COUNT = 16
};

#define SEQ_KEY "x-fuzz-seq"

/* Made once: a server and a channel to it, on one queue that this thread alone drives. */
static void* cq;
static void* server;
static void* server_method;
static void* channel;
static void* client_method;
static void* slot;
static bool slot_posted; /* the slot waits on the server for a call */
static bool slot_ready;  /* its tag came back with a call not yet handled */
static bool stale_seen;  /* a request of an earlier input arrived late (see take_request) */
static unsigned long seq;

/* Per input. */
static int seen[TAG_COUNT]; /* 0 not yet, 1 failed, 2 succeeded */
static void* client_call;
static bool streaming, messages_done;
static const uint8_t* expect_message;
static size_t expect_message_len;
static bool expect_message_any; /* the server sent a message the client should get */
static int messages_seen;

int LLVMFuzzerInitialize(int* argc, char*** argv) {
  (void)argc;
  (void)argv;
  gpr_set_log_function(fuzz_quiet_log);
  grpcjni_init();
  cq = grpcjni_cq_create();
  server = grpcjni_server_create(NULL, 0);
  grpcjni_server_register_cq(server, cq);
  server_method = grpcjni_server_register_method(server, "/fuzz.Echo/Call", 1);
  int32_t port = grpcjni_server_add_insecure_port(server, "127.0.0.1:0");
  FUZZ_CHECK(server_method != NULL && port > 0);
  grpcjni_server_start(server);
  char target[64];
  snprintf(target, sizeof target, "127.0.0.1:%d", port);
  channel = grpcjni_channel_create(target, NULL, 0);
  client_method = grpcjni_channel_register_call(channel, "/fuzz.Echo/Call");
  slot = grpcjni_request_call_context_create();
  return 0;
}

static bool is_call_error(int32_t rc) {
  return rc == GRPCJNI_ERROR_INVALID_ARGUMENT ||
         (rc >= GRPC_CALL_OK && rc <= GRPC_CALL_ERROR_COMPLETION_QUEUE_SHUTDOWN);
}

static void post_slot(void) {
  if (slot_posted || slot_ready) return;
  int32_t rc = grpcjni_server_request_registered_call(server, server_method, 1, cq, slot, TAG_SLOT);
  FUZZ_CHECK_EQ(rc, 0);
  slot_posted = true;
}

/* Handles one event: records it, and keeps a server-streaming client reading. */
static void pump(void) {
  int64_t ev = grpcjni_cq_next(cq);
  FUZZ_CHECK(ev > 0);
  int64_t tag = ev & ~(int64_t)1;
  bool ok = ev & 1;
  FUZZ_CHECK(tag > 0 && tag < TAG_COUNT);
  if (tag == TAG_SLOT) {
    FUZZ_CHECK(ok); /* the server never shuts down here */
    slot_posted = false;
    slot_ready = true;
    return;
  }
  FUZZ_CHECK(seen[tag] == 0);
  seen[tag] = ok ? 2 : 1;
  if (tag == TAG_MESSAGE) {
    int64_t info = grpcjni_call_recv_message_info(client_call);
    int32_t len = (int32_t)info;
    if (!ok || len < 0) {
      FUZZ_CHECK(len == -1); /* nothing here is compressed */
      messages_done = true;
      return;
    }
    uint8_t* got = malloc((size_t)len + 1);
    FUZZ_CHECK_EQ(grpcjni_call_copy_recv_message(client_call, GRPCJNI_OP_RECV, got, len), len);
    FUZZ_CHECK(expect_message_any && (size_t)len == expect_message_len &&
               memcmp(got, expect_message, (size_t)len) == 0);
    free(got);
    messages_seen++;
    seen[TAG_MESSAGE] = 0;
    FUZZ_CHECK_EQ(grpcjni_call_recv_message(client_call, TAG_MESSAGE), 0);
  }
}

static void wait_tag(int tag) {
  while (!seen[tag]) pump();
}

/* A metadata entry as read off an encoding. */
typedef struct {
  const uint8_t *key, *value;
  uint32_t key_len, value_len;
} entry;

/* Reads encoded metadata at `r` (which must hold it whole) into a new array of entries. */
static entry* read_metadata(grpcjni_reader* r, uint32_t* count) {
  FUZZ_CHECK(grpcjni_read_u32(r, count) == 0);
  FUZZ_CHECK(*count <= r->left / 8);
  entry* e = calloc(*count + 1, sizeof *e);
  for (uint32_t i = 0; i < *count; i++) {
    FUZZ_CHECK(grpcjni_read_bytes(r, &e[i].key, &e[i].key_len) == 0);
    FUZZ_CHECK(grpcjni_read_bytes(r, &e[i].value, &e[i].value_len) == 0);
  }
  return e;
}

static bool key_is(const uint8_t* k, size_t len, const char* s) {
  return len == strlen(s) && memcmp(k, s, len) == 0;
}

/*
 * Whether a key the application sent should reach the peer unchanged: the core adds, replaces or
 * consumes reserved ones (grpc-*, user-agent, te, content-type, pseudo-headers).
 */
static bool passes_through(const uint8_t* k, size_t len) {
  if (len == 0 || k[0] == ':' || (len >= 5 && memcmp(k, "grpc-", 5) == 0)) return false;
  return !key_is(k, len, "user-agent") && !key_is(k, len, "te") &&
         !key_is(k, len, "content-type") && !key_is(k, len, "host") &&
         !key_is(k, len, SEQ_KEY);
}

/* Every passing-through entry of `sent` is in `got` (as a multiset: each match used once). */
static void check_arrived(const grpc_metadata_array* sent, entry* got, uint32_t got_count) {
  bool* used = calloc(got_count + 1, 1);
  for (size_t i = 0; i < sent->count; i++) {
    grpc_slice k = sent->metadata[i].key, v = sent->metadata[i].value;
    if (!passes_through(GRPC_SLICE_START_PTR(k), GRPC_SLICE_LENGTH(k))) continue;
    bool found = false;
    for (uint32_t j = 0; j < got_count && !found; j++) {
      if (!used[j] && got[j].key_len == GRPC_SLICE_LENGTH(k) &&
          got[j].value_len == GRPC_SLICE_LENGTH(v) &&
          memcmp(got[j].key, GRPC_SLICE_START_PTR(k), got[j].key_len) == 0 &&
          memcmp(got[j].value, GRPC_SLICE_START_PTR(v), got[j].value_len) == 0) {
        used[j] = found = true;
      }
    }
    if (!found) {
      fprintf(stderr, "metadata entry %zu (key length %zu) did not arrive\n", i,
              GRPC_SLICE_LENGTH(k));
    }
    FUZZ_CHECK(found);
  }
  free(used);
}

/* Whether any key in `md` is one the core treats specially (so the peer may see it differently). */
static bool has_reserved(const grpc_metadata_array* md) {
  for (size_t i = 0; i < md->count; i++) {
    grpc_slice k = md->metadata[i].key;
    if (!passes_through(GRPC_SLICE_START_PTR(k), GRPC_SLICE_LENGTH(k))) return true;
  }
  return false;
}

/*
 * Runs `encode` (into a Java buffer) at an exact, a zero, a one-short and an input-chosen
 * capacity; returns the full encoding (malloc'd) and its length, or NULL with the error code.
 */
typedef int32_t (*encoder)(void* obj, int32_t kind, void* dst, int32_t capacity);

static int32_t encode_request(void* obj, int32_t kind, void* dst, int32_t capacity) {
  (void)kind;
  return grpcjni_request_call_context_encode(obj, dst, capacity);
}

static uint8_t* encode_checked(encoder enc, void* obj, int32_t kind, uint32_t pick, int32_t* len) {
  int32_t n = enc(obj, kind, NULL, 0);
  *len = n;
  if (n < 0) return NULL;
  uint8_t* full = malloc((size_t)n);
  FUZZ_CHECK_EQ(enc(obj, kind, full, n), n);
  size_t capacities[3] = {0, n > 0 ? (size_t)n - 1 : 0, pick % ((size_t)n + 2)};
  for (int i = 0; i < 3; i++) {
    size_t cap = capacities[i];
    uint8_t* buf = cap > 0 ? malloc(cap) : NULL;
    if (cap > 0) memset(buf, FUZZ_CANARY, cap);
    FUZZ_CHECK_EQ(enc(obj, kind, buf, (int32_t)cap), n); /* the same length every time */
    fuzz_check_prefix(buf, cap, full, (size_t)n);
    free(buf);
  }
  return full;
}

/* Builds the request metadata: the input's entries plus SEQ_KEY, or the input as is if invalid. */
static uint8_t* request_metadata(const uint8_t* md, size_t md_len, size_t* out_len, bool* valid) {
  grpc_metadata_array probe;
  *valid = grpcjni_metadata_decode(md, (int32_t)md_len, &probe) == 0;
  if (!*valid) {
    uint8_t* copy = malloc(md_len + 1);
    memcpy(copy, md, md_len);
    *out_len = md_len;
    return copy;
  }
  char value[32];
  int value_len = snprintf(value, sizeof value, "%lu", seq);
  size_t len = (md_len == 0 ? 4 : md_len) + 8 + strlen(SEQ_KEY) + (size_t)value_len;
  uint8_t* out = malloc(len);
  grpcjni_writer w = {out, len, 0};
  grpcjni_write_u32(&w, (uint32_t)probe.count + 1);
  if (md_len > 4) {
    memcpy(out + 4, md + 4, md_len - 4);
    w.length += md_len - 4;
  }
  grpcjni_write_bytes(&w, SEQ_KEY, strlen(SEQ_KEY));
  grpcjni_write_bytes(&w, value, (size_t)value_len);
  FUZZ_CHECK_EQ(w.length, len);
  grpcjni_metadata_free_owned(&probe);
  *out_len = len;
  return out;
}

/*
 * Encodes the call in the slot and checks it; returns the server call if it is this input's
 * request (carrying `seq`), after checking its metadata and payload against what was sent.
 * Anything else (a request an earlier input's client gave up on, or one over the bound) is
 * rejected as Java would reject it, and NULL returned; `rejected` then holds the status.
 */
static void* take_request(uint32_t pick, const grpc_metadata_array* sent, const uint8_t* message,
                          size_t message_len, int* rejected) {
  slot_ready = false;
  *rejected = -1;
  int32_t n;
  uint8_t* full = encode_checked(encode_request, slot, 0, pick, &n);
  if (full == NULL) {
    FUZZ_CHECK(n == GRPCJNI_ERROR_METADATA_TOO_LARGE || n == GRPCJNI_ERROR_MALFORMED_METADATA);
    *rejected = n == GRPCJNI_ERROR_METADATA_TOO_LARGE ? GRPC_STATUS_RESOURCE_EXHAUSTED
                                                      : GRPC_STATUS_INTERNAL;
    grpcjni_request_call_context_reject(slot, *rejected, "refused by the fuzz target");
    /* Whether it was this input's is unknown without its metadata: the caller waits for its
     * client to end either way. */
    return NULL;
  }
  grpcjni_reader r = {full, (size_t)n};
  uint32_t lo, hi, method_len, count, payload_len, compressed;
  FUZZ_CHECK(grpcjni_read_u32(&r, &lo) == 0 && grpcjni_read_u32(&r, &hi) == 0);
  FUZZ_CHECK(((int64_t)((uint64_t)hi << 32 | lo)) == GRPCJNI_NO_DEADLINE);
  FUZZ_CHECK(grpcjni_read_u32(&r, &method_len) == 0 && method_len == 0); /* registered */
  entry* got = read_metadata(&r, &count);
  FUZZ_CHECK(grpcjni_read_u32(&r, &payload_len) == 0 && grpcjni_read_u32(&r, &compressed) == 0);
  FUZZ_CHECK_EQ(r.left, 0);
  FUZZ_CHECK((int32_t)compressed == 0 || (int32_t)compressed == -1);

  char value[32];
  snprintf(value, sizeof value, "%lu", seq);
  bool ours = false;
  for (uint32_t i = 0; i < count; i++) {
    if (key_is(got[i].key, got[i].key_len, SEQ_KEY) &&
        key_is(got[i].value, got[i].value_len, value)) {
      ours = true;
    }
  }
  void* call = NULL;
  if (ours) {
    check_arrived(sent, got, count);
    FUZZ_CHECK_EQ(payload_len, message_len);
    call = grpcjni_request_call_context_take_call(slot);
    FUZZ_CHECK(call != NULL);
    uint8_t* payload = malloc(message_len + 1);
    FUZZ_CHECK_EQ(grpcjni_call_copy_payload(call, payload, (int32_t)message_len),
                  (int32_t)message_len);
    FUZZ_CHECK(memcmp(payload, message, message_len) == 0);
    if (message_len > 0) FUZZ_CHECK_EQ(grpcjni_call_copy_payload(call, payload, 0), -1);
    free(payload);
  } else {
    /* Not expected at all: a client here only ends before its request is taken when the
     * request never got to the server. Answered, and counted so checks that assume it stay off. */
    stale_seen = true;
    grpcjni_request_call_context_reject(slot, GRPC_STATUS_CANCELLED, "stale");
  }
  free(got);
  free(full);
  return call;
}

/* Ends a server call that cannot go on, as Java does, and says how the client sees it end. */
static void* abandon(void* server_call, int* expect_status) {
  FUZZ_CHECK_EQ(grpcjni_call_cancel_with_status(server_call, GRPC_STATUS_INTERNAL, "fuzz"), 0);
  *expect_status = GRPC_STATUS_INTERNAL;
  grpcjni_call_unref(server_call);
  return NULL;
}

static int32_t encode_result(void* call, int32_t kind, void* dst, int32_t capacity) {
  return grpcjni_call_encode_result(call, kind, dst, capacity);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_input in = {data, size};
  uint32_t shape = fuzz_u8(&in);
  uint32_t md_flags = fuzz_u8(&in), write_flags = fuzz_u8(&in), status = fuzz_u8(&in);
  uint32_t bound = fuzz_u16(&in), request_pick = fuzz_u16(&in), result_pick = fuzz_u16(&in);
  size_t md_len, message_len, details_len, headers_len, trailers_len;
  const uint8_t* md = fuzz_blob(&in, &md_len);
  const uint8_t* message = fuzz_blob(&in, &message_len);
  const uint8_t* details = fuzz_blob(&in, &details_len);
  const uint8_t* headers = fuzz_blob(&in, &headers_len);
  const uint8_t* trailers = fuzz_blob(&in, &trailers_len);

  seq++;
  memset(seen, 0, sizeof seen);
  streaming = shape & SHAPE_SERVER_STREAMING;
  messages_done = false;
  messages_seen = 0;
  expect_message_any = false;
  grpcjni_request_call_context_set_max_metadata_size(slot, (int32_t)bound);
  post_slot();

  size_t request_len;
  bool request_valid;
  uint8_t* request = request_metadata(md, md_len, &request_len, &request_valid);
  grpc_metadata_array sent = {0};
  if (request_valid) {
    FUZZ_CHECK_EQ(grpcjni_metadata_decode(request, (int32_t)request_len, &sent), 0);
  }

  client_call = grpcjni_channel_create_call(channel, cq, client_method, NULL, GRPCJNI_NO_DEADLINE);
  FUZZ_CHECK(client_call != NULL);
  int32_t rc =
      streaming
          ? grpcjni_call_start_server_streaming(client_call, request, (int32_t)request_len,
                                                (int32_t)md_flags, message, (int32_t)message_len,
                                                (int32_t)write_flags, TAG_CLIENT)
          : grpcjni_call_start_unary(client_call, request, (int32_t)request_len, message,
                                     (int32_t)message_len, (int32_t)md_flags,
                                     (int32_t)write_flags, TAG_CLIENT);
  FUZZ_CHECK(is_call_error(rc));
  if (!request_valid) FUZZ_CHECK_EQ(rc, GRPCJNI_ERROR_INVALID_ARGUMENT);
  free(request);
  if (rc != 0) {
    /* Nothing was posted, so nothing comes back; the call goes with what its context held. */
    grpcjni_call_unref(client_call);
    if (request_valid) grpcjni_metadata_free_owned(&sent);
    FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_CALLS), 0);
    FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_BATCH_CONTEXTS), 0);
    return 0;
  }
  if (streaming) {
    FUZZ_CHECK_EQ(grpcjni_call_recv_initial_metadata(client_call, TAG_HEADERS), 0);
    FUZZ_CHECK_EQ(grpcjni_call_recv_message(client_call, TAG_MESSAGE), 0);
  }

  /* The server's side: wait for this input's request, or for the client to give up. */
  void* server_call = NULL;
  int rejected = -1;
  while (server_call == NULL && !seen[TAG_CLIENT]) {
    if (slot_ready) {
      server_call = take_request(request_pick, &sent, message, message_len, &rejected);
      /* Refused or stale: keep waiting for ours, or for the client to learn it was refused. */
      if (server_call == NULL) post_slot();
      continue;
    }
    pump();
  }

  /* What the server answers, and what the client should then see (-1: no expectation). */
  /* A refusal is this input's unless requests of earlier inputs have been turning up late. */
  int expect_status = server_call == NULL && !stale_seen ? rejected : -1;
  grpc_metadata_array sent_headers = {0}, sent_trailers = {0};
  bool headers_ok = grpcjni_metadata_decode(headers, (int32_t)headers_len, &sent_headers) == 0;
  bool trailers_ok = grpcjni_metadata_decode(trailers, (int32_t)trailers_len, &sent_trailers) == 0;
  bool status_ok = status <= GRPC_STATUS_UNAUTHENTICATED;
  bool headers_sent = false, status_sent = false;
  if (server_call != NULL && (shape & SHAPE_SEPARATE_HEADERS)) {
    int32_t hrc = grpcjni_call_send_initial_metadata(server_call, headers, (int32_t)headers_len,
                                                     TAG_SERVER_HEADERS);
    FUZZ_CHECK(is_call_error(hrc));
    FUZZ_CHECK((hrc == GRPCJNI_ERROR_INVALID_ARGUMENT) == !headers_ok);
    if (hrc == 0) wait_tag(TAG_SERVER_HEADERS); /* GRPCJNI_OP_SEND: one at a time */
    headers_sent = hrc == 0 && seen[TAG_SERVER_HEADERS] == 2;
    /*
     * Headers that did not go: end the call, as Java does. Going on to a message and status
     * without headers would stall: libgrpc 1.51 then never completes the status batch.
     */
    if (!headers_sent) server_call = abandon(server_call, &expect_status);
  }
  if (server_call != NULL && (shape & SHAPE_SEND_MESSAGE)) {
    int32_t mflags = headers_sent ? 0 : GRPCJNI_SEND_INITIAL_METADATA;
    void* bb = grpcjni_byte_buffer_create(message, (int32_t)message_len);
    FUZZ_CHECK(bb != NULL);
    /* Without WRITE_BUFFER_HINT: a hinted message with nothing behind it may never be written,
     * and its batch not complete (seen here with headers and a 3-byte message; Outbound.java only
     * hints a write that more writes follow). */
    int32_t mrc = grpcjni_call_send_message(server_call, mflags, headers, (int32_t)headers_len, bb,
                                            (int32_t)(write_flags & ~GRPC_WRITE_BUFFER_HINT),
                                            TAG_SERVER_MESSAGE);
    FUZZ_CHECK(is_call_error(mrc));
    FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_BYTE_BUFFERS), 0); /* taken over */
    if (mflags) FUZZ_CHECK((mrc == GRPCJNI_ERROR_INVALID_ARGUMENT) == !headers_ok);
    if (mrc == 0) {
      expect_message_any = true; /* before the wait: pump may already read it */
      expect_message = message;
      expect_message_len = message_len;
      wait_tag(TAG_SERVER_MESSAGE);
    }
    if (mrc == 0 && seen[TAG_SERVER_MESSAGE] == 2) {
      headers_sent = true;
    } else {
      server_call = abandon(server_call, &expect_status);
    }
  }
  if (server_call != NULL) {
    int32_t flags = shape & SHAPE_RECV_CLOSE ? GRPCJNI_RECV_CLOSE_ON_SERVER : 0;
    if (!headers_sent) flags |= GRPCJNI_SEND_INITIAL_METADATA;
    void* bb = NULL;
    if ((shape & SHAPE_LAST_MESSAGE) && !(shape & SHAPE_SEND_MESSAGE)) {
      bb = grpcjni_byte_buffer_create(message, (int32_t)message_len);
      FUZZ_CHECK(bb != NULL);
    }
    int32_t src = grpcjni_call_send_status_from_server(
        server_call, flags, headers, (int32_t)headers_len, bb, (int32_t)write_flags,
        (int32_t)status, details, (int32_t)details_len, trailers, (int32_t)trailers_len,
        TAG_SERVER_STATUS);
    FUZZ_CHECK(is_call_error(src));
    /* The call took the buffer over, whatever it returned. */
    FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_BYTE_BUFFERS), 0);
    FUZZ_CHECK((src == GRPCJNI_ERROR_INVALID_ARGUMENT) ==
               (!status_ok || !headers_ok || !trailers_ok));
    status_sent = src == 0;
    if (src == 0) {
      if (flags & GRPCJNI_SEND_INITIAL_METADATA) headers_sent = true;
      /* Only plain metadata well under the peer's header-list limit must arrive as sent (with a
       * reserved key such as grpc-status in the request, libgrpc was seen to drop the message). */
      if (!has_reserved(&sent) && !has_reserved(&sent_headers) && !has_reserved(&sent_trailers) &&
          grpcjni_metadata_list_size(&sent_headers) < 4096 &&
          grpcjni_metadata_list_size(&sent_trailers) < 4096) {
        expect_status = (int)status;
      }
      if (bb != NULL) {
        expect_message_any = true;
        expect_message = message;
        expect_message_len = message_len;
      }
      wait_tag(TAG_SERVER_STATUS);
    } else {
      /* As Java does when a response cannot be sent: end the call so the client is not stuck. */
      FUZZ_CHECK_EQ(grpcjni_call_cancel_with_status(server_call, GRPC_STATUS_INTERNAL, "fuzz"), 0);
      expect_status = GRPC_STATUS_INTERNAL;
    }
  }

  wait_tag(TAG_CLIENT);
  if (streaming) {
    wait_tag(TAG_HEADERS);
    while (!messages_done) pump();
  }

  int32_t n;
  uint8_t* result = encode_checked(encode_result, client_call, GRPCJNI_OP_FINISH, result_pick, &n);
  FUZZ_CHECK(result != NULL && n > 0);
  grpcjni_reader r = {result, (size_t)n};
  uint32_t got_status, len, got_headers_count, got_trailers_count, got_len, compressed;
  const uint8_t *got_details, *err;
  FUZZ_CHECK(grpcjni_read_u32(&r, &got_status) == 0);
  FUZZ_CHECK(grpcjni_read_bytes(&r, &got_details, &len) == 0);
  uint32_t got_details_len = len;
  FUZZ_CHECK(grpcjni_read_bytes(&r, &err, &len) == 0);
  entry* got_headers = read_metadata(&r, &got_headers_count);
  entry* got_trailers = read_metadata(&r, &got_trailers_count);
  FUZZ_CHECK(grpcjni_read_u32(&r, &got_len) == 0 && grpcjni_read_u32(&r, &compressed) == 0);
  const uint8_t* peer;
  FUZZ_CHECK(grpcjni_read_bytes(&r, &peer, &len) == 0 && len > 0); /* an address, or the target */
  FUZZ_CHECK_EQ(r.left, 0);
  FUZZ_CHECK(got_status <= GRPC_STATUS_UNAUTHENTICATED);
  if (expect_status >= 0) {
    if ((int)got_status != expect_status) {
      fprintf(stderr, "status %u, expected %d\n", got_status, expect_status);
    }
    FUZZ_CHECK_EQ(got_status, expect_status);
  }
  /* What the server sent arrived as sent. */
  bool as_sent = status_sent && expect_status == (int)status;
  if (as_sent) {
    if (got_details_len != details_len || memcmp(got_details, details, details_len) != 0) {
      fprintf(stderr, "details: sent %zu bytes, got %u: \"%.*s\"\n", details_len, got_details_len,
              (int)got_details_len, (const char*)got_details);
    }
    FUZZ_CHECK(got_details_len == details_len && memcmp(got_details, details, details_len) == 0);
    check_arrived(&sent_trailers, got_trailers, got_trailers_count);
    if (!streaming && headers_sent) check_arrived(&sent_headers, got_headers, got_headers_count);
    if (!streaming) {
      if (expect_message_any) {
        FUZZ_CHECK_EQ(got_len, message_len);
      } else {
        FUZZ_CHECK_EQ((int32_t)got_len, -1);
      }
    }
  }
  if (streaming && expect_message_any && as_sent) {
    FUZZ_CHECK_EQ(messages_seen, 1);
  }
  if (streaming) {
    int32_t hn;
    free(encode_checked(encode_result, client_call, GRPCJNI_OP_HEADERS, result_pick, &hn));
    FUZZ_CHECK(hn > 0);
  }
  free(got_headers);
  free(got_trailers);
  free(result);

  grpcjni_call_unref(client_call);
  grpcjni_call_unref(server_call);
  grpcjni_metadata_free_owned(&sent);
  grpcjni_metadata_free_owned(&sent_headers);
  grpcjni_metadata_free_owned(&sent_trailers);
  post_slot();
  FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_CALLS), 0);
  FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_BATCH_CONTEXTS), 0);
  FUZZ_CHECK_EQ(grpcjni_live_count(GRPCJNI_LIVE_BYTE_BUFFERS), 0);
  return 0;
}
