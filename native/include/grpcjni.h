// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * grpcjni.h: the flat C ABI that grpc-jni's Java layer calls through JavaCPP.
 *
 * Rules every function here keeps:
 *  - Handles are opaque `void*`. This header includes no gRPC header, so the generated JNI glue
 *    compiles without them.
 *  - Nothing aborts or crashes on input that Java can construct, short of a freed or foreign
 *    handle (Java guards those with reference counts). Malformed encoded input makes a function
 *    return GRPCJNI_ERROR_INVALID_ARGUMENT. Calls into gRPC return its grpc_call_error value:
 *    0 (GRPC_CALL_OK) or a positive code.
 *  - A start function that returns 0 has handed its tag to the completion queue. The tag comes
 *    back from grpcjni_cq_next exactly once. A start function that returns anything else posted
 *    nothing.
 *  - Structured data crosses JNI as one little-endian blob ("wire format", below). Crossing once
 *    per batch costs far less than once per field.
 *
 * Wire format (all integers little-endian):
 *   metadata   := u32 count, count * (u32 key_len, key bytes, u32 value_len, value bytes)
 *   args       := u32 count, count * (u8 type, u32 key_len, key, value)
 *                 type 0: value := i32; type 1: value := u32 len, bytes (a string, no NUL)
 *
 * Keep in sync with dev.grpcjni.internal.wire.MetadataCodec (encode/decode) and
 * dev.grpcjni.internal.wire.ChannelArgs (encode) in java/grpc-jni-core, and with its mapping,
 * dev.grpcjni.internal.ffi.GrpcJniLib.
 */
#ifndef GRPCJNI_H
#define GRPCJNI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define GRPCJNI_EXPORT __attribute__((visibility("default")))
#else
#define GRPCJNI_EXPORT
#endif

/** Returned for malformed encoded input or a NULL handle; never a grpc_call_error value. */
enum { GRPCJNI_ERROR_INVALID_ARGUMENT = -1 };
/** grpcjni_request_call_context_encode: the request's metadata is above the context's limit. */
enum { GRPCJNI_ERROR_METADATA_TOO_LARGE = -3 };
/**
 * grpcjni_request_call_context_encode: a request header is malformed HTTP/2 (an upper-case or
 * non-token name, a connection-specific field, a text value with NUL, CR or LF).
 */
enum { GRPCJNI_ERROR_MALFORMED_METADATA = -4 };

/**
 * What a received message's length reads as when it is not a message (in
 * grpcjni_call_recv_message_info and grpcjni_request_call_context_encode): its bytes could not be
 * decompressed (or were flagged compressed on a call without an encoding), or decompress to more
 * than the call's maximum receive length.
 */
enum { GRPCJNI_MESSAGE_UNDECODABLE = -2, GRPCJNI_MESSAGE_TOO_LARGE = -3 };

/** grpcjni_cq_next results that are not tags. Tags are always even and non-zero. */
enum { GRPCJNI_CQ_TIMEOUT = 0, GRPCJNI_CQ_SHUTDOWN = -1 };

/** Deadline value meaning "no deadline". */
#define GRPCJNI_NO_DEADLINE INT64_MAX

/** Flags for grpcjni_call_send_status_from_server. */
enum {
  GRPCJNI_SEND_INITIAL_METADATA = 1, /**< also send the response headers */
  GRPCJNI_RECV_CLOSE_ON_SERVER = 2   /**< also post RECV_CLOSE_ON_SERVER in the same batch */
};

/** Kinds of native object counted by grpcjni_live_count. */
enum {
  GRPCJNI_LIVE_BATCH_CONTEXTS = 0,
  GRPCJNI_LIVE_REQUEST_CONTEXTS = 1,
  GRPCJNI_LIVE_CALLS = 2,
  GRPCJNI_LIVE_CHANNELS = 3,
  GRPCJNI_LIVE_SERVERS = 4,
  GRPCJNI_LIVE_COMPLETION_QUEUES = 5,
  GRPCJNI_LIVE_BYTE_BUFFERS = 6, /**< made by grpcjni_byte_buffer_create, not yet sent or freed */
  GRPCJNI_LIVE_KIND_COUNT = 7
};

/** Client-certificate policies for grpcjni_server_add_tls_port. */
enum {
  GRPCJNI_CLIENT_AUTH_NONE = 0,     /**< do not ask for a client certificate */
  GRPCJNI_CLIENT_AUTH_OPTIONAL = 1, /**< ask; verify one if the client sends it */
  GRPCJNI_CLIENT_AUTH_REQUIRE = 2   /**< require one and verify it */
};

/** Identifiers for grpcjni_constant: C-core values that Java must not retype. */
enum {
  GRPCJNI_CONST_STATUS_OK = 0,              /**< GRPC_STATUS_OK; codes 0..16 follow in order */
  GRPCJNI_CONST_STATUS_UNAUTHENTICATED = 16, /**< GRPC_STATUS_UNAUTHENTICATED */
  GRPCJNI_CONST_WRITE_BUFFER_HINT = 100,
  GRPCJNI_CONST_WRITE_NO_COMPRESS = 101,
  GRPCJNI_CONST_INITIAL_METADATA_WAIT_FOR_READY = 102,
  GRPCJNI_CONST_CALL_ERROR_TOO_MANY_OPERATIONS = 103,
  GRPCJNI_CONST_DEFAULT_MAX_RECV_MESSAGE_LENGTH = 104
};

/* ---- library --------------------------------------------------------------------------- */

/** grpc_init(). Pair each call with grpcjni_shutdown(). */
GRPCJNI_EXPORT void grpcjni_init(void);
/** grpc_shutdown(). Call only after every object created since the matching init is destroyed. */
GRPCJNI_EXPORT void grpcjni_shutdown(void);
/** The C core's version string: its ABI version, "29.0.0" for gRPC 1.51. Borrowed, static. */
GRPCJNI_EXPORT const char* grpcjni_version(void);
/** The value of a GRPCJNI_CONST_* constant, or INT32_MIN for an unknown id. */
GRPCJNI_EXPORT int32_t grpcjni_constant(int32_t which);
/** Number of live native objects of a GRPCJNI_LIVE_* kind, or -1 for an unknown kind. */
GRPCJNI_EXPORT int64_t grpcjni_live_count(int32_t kind);
/**
 * Returns `p` as an integer. Java passes a direct ByteBuffer here to learn its native address once
 * (JavaCPP converts the buffer argument with GetDirectBufferAddress).
 */
GRPCJNI_EXPORT int64_t grpcjni_address_of(const void* p);
/** Text of a grpc_call_error code. Borrowed, static. */
GRPCJNI_EXPORT const char* grpcjni_call_error_to_string(int32_t error);

/* ---- channelz --------------------------------------------------------------------------- */

/** What grpcjni_channelz_query renders, as grpc_channelz_get_* of <grpc/grpc.h> do. */
enum {
  GRPCJNI_CHANNELZ_TOP_CHANNELS = 0,   /* GetTopChannelsResponse from start_id */
  GRPCJNI_CHANNELZ_SERVERS = 1,        /* GetServersResponse from start_id */
  GRPCJNI_CHANNELZ_SERVER = 2,         /* GetServerResponse of id */
  GRPCJNI_CHANNELZ_SERVER_SOCKETS = 3, /* GetServerSocketsResponse of id from start_id, max_results
                                          (0: the core's default page) */
  GRPCJNI_CHANNELZ_CHANNEL = 4,        /* GetChannelResponse of id */
  GRPCJNI_CHANNELZ_SUBCHANNEL = 5,     /* GetSubchannelResponse of id */
  GRPCJNI_CHANNELZ_SOCKET = 6          /* GetSocketResponse of id */
};
/**
 * The C core's channelz JSON (proto3 JSON of grpc.channelz.v1's response messages) for a
 * GRPCJNI_CHANNELZ_* query, as a string to read with grpcjni_string_copy and free with
 * grpcjni_string_free; NULL when the object does not exist (or is of another kind), for an
 * unknown kind, or for a negative argument. Holds a grpc_init for its duration.
 */
GRPCJNI_EXPORT void* grpcjni_channelz_query(int32_t kind, int64_t id, int64_t start_id,
                                            int64_t max_results);
/**
 * Copies the NUL-terminated string `s` (no NUL) into `dst` if it fits in `capacity`; returns its
 * length, or GRPCJNI_ERROR_INVALID_ARGUMENT for NULL.
 */
GRPCJNI_EXPORT int32_t grpcjni_string_copy(void* s, void* dst, int32_t capacity);
/** Frees a string returned by grpcjni_channelz_query (NULL is a no-op). */
GRPCJNI_EXPORT void grpcjni_string_free(void* s);

/* ---- the C core's log ------------------------------------------------------------------ */

/**
 * 1: the core's log lines are queued for grpcjni_log_next (bounded: 4 MiB, later lines are dropped
 * and counted) instead of written to stderr; 0: the core writes them to stderr again. An assertion
 * failure is written to stderr in either case, since the core aborts right after.
 */
GRPCJNI_EXPORT void grpcjni_log_capture(int32_t capture);
/**
 * Waits up to `timeout_millis` for the oldest queued log line and encodes it into `dst`:
 * u32 severity (gpr_log_severity), u32 line, u32 lines dropped (queue full) just before it, bytes(file),
 * bytes(message), bytes being u32 length + data. Returns the encoded length; the line is removed
 * only if that fits `capacity` (else grow and call again); 0 when none came in time; -1 on a bad
 * argument.
 */
GRPCJNI_EXPORT int32_t grpcjni_log_next(void* dst, int32_t capacity, int32_t timeout_millis);
/** gpr_set_log_verbosity: the least severe gpr_log_severity the core logs; others are ignored. */
GRPCJNI_EXPORT void grpcjni_log_set_verbosity(int32_t severity);
/** gpr_should_log: 1 if the core logs lines of this severity now. */
GRPCJNI_EXPORT int32_t grpcjni_log_should(int32_t severity);
/** grpc_tracer_set_enabled: 1 if `name` is a tracer the core knows ("all" and "-name" work too). */
GRPCJNI_EXPORT int32_t grpcjni_trace_set(const char* name, int32_t enabled);

/* ---- completion queue ------------------------------------------------------------------ */

/** Creates a NEXT completion queue. Destroy with grpcjni_cq_destroy after it reported shutdown. */
GRPCJNI_EXPORT void* grpcjni_cq_create(void);
/**
 * Blocks until the next event. Returns (tag | success), with success in bit 0.
 * Returns GRPCJNI_CQ_SHUTDOWN once the queue is shut down and drained, and keeps returning it.
 */
GRPCJNI_EXPORT int64_t grpcjni_cq_next(void* cq);
/** Starts shutdown. No new work may be posted afterwards; pending events still drain. */
GRPCJNI_EXPORT void grpcjni_cq_shutdown(void* cq);
/** Destroys a queue whose grpcjni_cq_next returned GRPCJNI_CQ_SHUTDOWN. */
GRPCJNI_EXPORT void grpcjni_cq_destroy(void* cq);

/* ---- channel --------------------------------------------------------------------------- */

/**
 * Creates an insecure channel to `target` (any target the C core accepts) with encoded `args`
 * (may be NULL when args_len is 0). Returns NULL on malformed args, or a target or arguments the
 * core cannot use (it makes a "lame" channel of those; this destroys it). Destroy with
 * grpcjni_channel_destroy.
 */
GRPCJNI_EXPORT void* grpcjni_channel_create(const char* target, const void* args,
                                            int32_t args_len);
/**
 * Creates a TLS channel. `pem_root_certs` are the roots the server's certificate must chain to;
 * NULL means the C core's defaults (GRPC_DEFAULT_SSL_ROOTS_FILE_PATH, else the system's CA store,
 * else the roots installed with libgrpc). `private_key` and `cert_chain` (PEM, both or neither)
 * are the client's identity for mutual TLS. The server name checked is the target's host, or the channel argument
 * grpc.ssl_target_name_override. Returns NULL on malformed args or a key without a chain.
 */
GRPCJNI_EXPORT void* grpcjni_channel_create_tls(const char* target, const void* args,
                                                int32_t args_len, const char* pem_root_certs,
                                                const char* private_key, const char* cert_chain);
/** Destroys the channel. Calls still in flight on it fail with UNAVAILABLE. */
GRPCJNI_EXPORT void grpcjni_channel_destroy(void* channel);
/**
 * Creates a channel with the C core's local credentials: UDS for a unix: target, LOCAL_TCP for a
 * loopback one; the transport is authenticated as local (libgrpc 1.51 reports both as
 * TSI_PRIVACY_AND_INTEGRITY). Connections to other peers fail. Returns NULL as
 * grpcjni_channel_create.
 */
GRPCJNI_EXPORT void* grpcjni_channel_create_local(const char* target, const void* args,
                                                  int32_t args_len);
/**
 * Creates a TLS channel whose roots (`roots_path`; NULL: the C core's defaults) and, for mutual
 * TLS, own key and chain (`key_path` and `chain_path`, both or neither) are PEM files the C core
 * re-reads every `refresh_seconds`: a rotated file applies to the handshakes after it. At least
 * one of roots and key must be given. Returns NULL on a bad argument, as grpcjni_channel_create.
 */
GRPCJNI_EXPORT void* grpcjni_channel_create_tls_files(const char* target, const void* args,
                                                      int32_t args_len, const char* roots_path,
                                                      const char* key_path,
                                                      const char* chain_path,
                                                      int32_t refresh_seconds);
/**
 * Checks a service config (JSON) as the C core does when a channel is created with it as
 * grpc.service_config. Returns 0 if the core accepts it; 1 if it refuses it, with the core's
 * reason written to `error` (NUL-terminated, truncated to `error_len`); -1 on a NULL argument.
 * The core also logs the reason. Callable before anything else (it holds grpc_init meanwhile).
 */
GRPCJNI_EXPORT int32_t grpcjni_service_config_check(const char* json, char* error,
                                                    int32_t error_len);
/**
 * Registers a method path such as "/pkg.Service/Method" with the channel. The returned handle is
 * valid until the channel is destroyed and is freed with it (so registrations only grow: the Java
 * side bounds them and creates unregistered calls past the bound). Returns NULL on a NULL argument.
 */
GRPCJNI_EXPORT void* grpcjni_channel_register_call(void* channel, const char* method);
/**
 * Creates a client call on a registered method, bound to `cq`. `deadline_nanos` is the time left
 * from now, or GRPCJNI_NO_DEADLINE. With a `parent_call` (a server call the caller holds a
 * reference to, or NULL), the C core propagates its deadline, cancellation and tracing context to
 * the new call (GRPC_PROPAGATE_DEFAULTS). Returns NULL on a NULL argument. The caller owns the
 * call; release it with grpcjni_call_unref.
 */
GRPCJNI_EXPORT void* grpcjni_channel_create_call(void* channel, void* cq, void* registered_method,
                                                 void* parent_call, int64_t deadline_nanos);
/**
 * Creates a client call on any method path, unregistered: the core parses the path for each call,
 * and nothing is kept on the channel. For paths past the channel's registration bound. Returns
 * NULL on a NULL argument; otherwise as grpcjni_channel_create_call.
 */
GRPCJNI_EXPORT void* grpcjni_channel_create_unregistered_call(void* channel, void* cq,
                                                              const char* method,
                                                              void* parent_call,
                                                              int64_t deadline_nanos);

/**
 * The channel's connectivity state, a grpc_connectivity_state (0 IDLE, 1 CONNECTING, 2 READY,
 * 3 TRANSIENT_FAILURE, 4 SHUTDOWN); with `try_to_connect` an IDLE channel starts connecting.
 * Returns -1 on a NULL channel.
 */
GRPCJNI_EXPORT int32_t grpcjni_channel_check_state(void* channel, int32_t try_to_connect);
/**
 * Posts `tag` to `cq` when the channel's state differs from `last_observed` (success), or when
 * `deadline_nanos` (time left, or GRPCJNI_NO_DEADLINE) passes first (failure). Destroying the
 * channel ends every watch: its state becomes SHUTDOWN. Returns 0, or -1 (posting nothing) on a
 * NULL argument or a state out of range.
 */
GRPCJNI_EXPORT int32_t grpcjni_channel_watch_state(void* channel, int32_t last_observed,
                                                   int64_t deadline_nanos, void* cq,
                                                   int64_t tag);
/** Connects again at once instead of after the backoff, where a connection attempt failed. */
GRPCJNI_EXPORT void grpcjni_channel_reset_connect_backoff(void* channel);

/* ---- call ------------------------------------------------------------------------------ */

/**
 * The kinds of operation a call can have in flight, at most one of each at a time. The call keeps
 * one batch context per kind, made when the first operation of that kind starts and reused by the
 * next; a context owns every input and output of its batch until the batch's tag comes back, and
 * the results of the last one are read from it (grpcjni_call_encode_result and friends) until
 * another of that kind starts. The call frees them all in grpcjni_call_unref.
 */
enum {
  GRPCJNI_OP_FINISH = 0,  /* a client's start shape (with RECV_STATUS_ON_CLIENT), or a server's
                             RECV_CLOSE_ON_SERVER (grpcjni_call_start_serverside) */
  GRPCJNI_OP_SEND = 1,    /* messages, half-close, a server's headers and status */
  GRPCJNI_OP_RECV = 2,    /* RECV_MESSAGE */
  GRPCJNI_OP_HEADERS = 3, /* RECV_INITIAL_METADATA (client) */
  GRPCJNI_OP_KIND_COUNT = 4
};

/**
 * Starts a whole client unary call as one batch: SEND_INITIAL_METADATA, SEND_MESSAGE,
 * SEND_CLOSE_FROM_CLIENT, RECV_INITIAL_METADATA, RECV_MESSAGE, RECV_STATUS_ON_CLIENT (kind
 * GRPCJNI_OP_FINISH). `metadata` is encoded metadata; `message` is copied before this returns.
 * `initial_metadata_flags` takes GRPC_INITIAL_METADATA_* bits (e.g. wait-for-ready).
 */
GRPCJNI_EXPORT int32_t grpcjni_call_start_unary(void* call, const void* metadata,
                                                int32_t metadata_len, const void* message,
                                                int32_t message_len,
                                                int32_t initial_metadata_flags,
                                                int32_t write_flags, int64_t tag);
/**
 * Starts a client-streaming call: SEND_INITIAL_METADATA, RECV_INITIAL_METADATA, RECV_MESSAGE and
 * RECV_STATUS_ON_CLIENT in one batch (GRPCJNI_OP_FINISH), whose tag comes back when the call is
 * over. Requests follow with grpcjni_call_send_message and grpcjni_call_send_close_from_client.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_start_client_streaming(void* call, const void* metadata,
                                                           int32_t metadata_len,
                                                           int32_t initial_metadata_flags,
                                                           int64_t tag);
/**
 * Starts a server-streaming call: SEND_INITIAL_METADATA, SEND_MESSAGE, SEND_CLOSE_FROM_CLIENT and
 * RECV_STATUS_ON_CLIENT in one batch (GRPCJNI_OP_FINISH), whose tag comes back when the call is
 * over. Responses are read with grpcjni_call_recv_message; headers with
 * grpcjni_call_recv_initial_metadata, which must be posted before any message can be received (the
 * core holds messages until it is).
 */
GRPCJNI_EXPORT int32_t grpcjni_call_start_server_streaming(
    void* call, const void* metadata, int32_t metadata_len, int32_t initial_metadata_flags,
    const void* message, int32_t message_len, int32_t write_flags, int64_t tag);
/**
 * Starts a bidirectional call: SEND_INITIAL_METADATA and RECV_STATUS_ON_CLIENT in one batch
 * (GRPCJNI_OP_FINISH), whose tag comes back when the call is over. As for server streaming, post
 * grpcjni_call_recv_initial_metadata before expecting messages.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_start_duplex_streaming(void* call, const void* metadata,
                                                           int32_t metadata_len,
                                                           int32_t initial_metadata_flags,
                                                           int64_t tag);
/** Posts RECV_INITIAL_METADATA (client; GRPCJNI_OP_HEADERS). */
GRPCJNI_EXPORT int32_t grpcjni_call_recv_initial_metadata(void* call, int64_t tag);
/** Posts RECV_MESSAGE (GRPCJNI_OP_RECV); read the result with grpcjni_call_recv_message_info. */
GRPCJNI_EXPORT int32_t grpcjni_call_recv_message(void* call, int64_t tag);
/**
 * Posts SEND_MESSAGE (GRPCJNI_OP_SEND) with `byte_buffer` (from grpcjni_byte_buffer_create; the
 * call takes it over whatever this returns), preceded in the same batch by SEND_INITIAL_METADATA
 * with the encoded `metadata` when `flags` has GRPCJNI_SEND_INITIAL_METADATA (a server's first
 * message). `write_flags` takes GRPC_WRITE_* bits, e.g. GRPC_WRITE_BUFFER_HINT.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_send_message(void* call, int32_t flags, const void* metadata,
                                                 int32_t metadata_len, void* byte_buffer,
                                                 int32_t write_flags, int64_t tag);
/** Posts SEND_CLOSE_FROM_CLIENT (half-close; GRPCJNI_OP_SEND). */
GRPCJNI_EXPORT int32_t grpcjni_call_send_close_from_client(void* call, int64_t tag);
/** Posts SEND_INITIAL_METADATA alone (a server's headers before any message; GRPCJNI_OP_SEND). */
GRPCJNI_EXPORT int32_t grpcjni_call_send_initial_metadata(void* call, const void* metadata,
                                                          int32_t metadata_len, int64_t tag);
/** 1 if the last failed RECV_MESSAGE failed because of an error rather than end of stream. */
GRPCJNI_EXPORT int32_t grpcjni_call_failed_before_recv_message(void* call);

/** Posts RECV_CLOSE_ON_SERVER (GRPCJNI_OP_FINISH): its tag comes back when the call is over. */
GRPCJNI_EXPORT int32_t grpcjni_call_start_serverside(void* call, int64_t tag);
/**
 * Sends the final status from a server call (GRPCJNI_OP_SEND), with the response headers when
 * `flags` has GRPCJNI_SEND_INITIAL_METADATA, a last message when `byte_buffer` is not NULL (from
 * grpcjni_byte_buffer_create; the call takes it over whatever this returns), and
 * RECV_CLOSE_ON_SERVER in the same batch when `flags` has GRPCJNI_RECV_CLOSE_ON_SERVER. Metadata
 * are encoded. `details` is UTF-8, copied before this returns.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_send_status_from_server(
    void* call, int32_t flags, const void* initial_metadata, int32_t initial_metadata_len,
    void* byte_buffer, int32_t write_flags, int32_t status, const void* details,
    int32_t details_len, const void* trailing_metadata, int32_t trailing_metadata_len,
    int64_t tag);

/**
 * Encodes the results of the finished batch of `kind` into `dst`:
 *   i32 status, u32 len + status details, u32 len + debug error string,
 *   metadata initial, metadata trailing, i32 message length (-1: no message),
 *   i32 whether the message arrived compressed (1, 0; -1 without a message or when this libgrpc
 *   does not say),
 *   and for GRPCJNI_OP_FINISH the call's server as grpcjni_call_get_server_peer encodes it (u32 0
 *   for a call that never reached a connection).
 * Returns the encoded length; writes nothing if it exceeds `capacity`, so the caller retries with
 * a larger buffer. Returns GRPCJNI_ERROR_INVALID_ARGUMENT for a NULL call or a kind with no batch.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_encode_result(void* call, int32_t kind, void* dst,
                                                  int32_t capacity);
/**
 * Copies the message the batch of `kind` received (decompressed) into `dst`, which must hold the
 * length its result reports. Returns the number of bytes copied, or -1 if there is no message.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_copy_recv_message(void* call, int32_t kind, void* dst,
                                                      int32_t capacity);
/**
 * Copies the request a server call's registered method read with the call (decompressed) into
 * `dst`, which must hold the length grpcjni_request_call_context_encode reported. Returns the
 * number of bytes copied, or -1 if there is none or it does not fit.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_copy_payload(void* call, void* dst, int32_t capacity);
/**
 * What the finished RECV_MESSAGE received: the low 32 bits are the message's length
 * (decompressed), -1 if none (end of stream or failure), -2 if it could not be decompressed (or
 * was flagged compressed on a call without an encoding) or -3 if it decompresses to more than the
 * channel's or server's grpc.max_receive_message_length (the shim inflates, with that bound);
 * the high 32 bits whether it arrived compressed (1, 0, -1 unknown or no message). Copy it with
 * grpcjni_call_copy_recv_message(call, GRPCJNI_OP_RECV, ...).
 */
GRPCJNI_EXPORT int64_t grpcjni_call_recv_message_info(void* call);
/** 1 if the RECV_CLOSE_ON_SERVER in the batch of `kind` reported a cancelled call, else 0. */
GRPCJNI_EXPORT int32_t grpcjni_call_recv_close_on_server_cancelled(void* call, int32_t kind);
/**
 * Cancels the call with a local status (the peer only learns that it was cancelled).
 * Safe from any thread while the caller holds its reference.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_cancel_with_status(void* call, int32_t status,
                                                       const char* description);
/**
 * Encodes the call's auth context (the peer's identity as the transport established it) into
 * (dst, capacity): bytes(peer identity property name, empty if the peer is not authenticated),
 * u32 count, then count x (bytes(name), bytes(value)), bytes being u32 length + data. Properties of
 * a TLS peer: transport_security_type "ssl" ("tls" with re-read files), security_level,
 * x509_common_name,
 * x509_subject_alternative_name (one per SAN), x509_pem_cert, ... Returns the encoded length
 * (writing nothing if it exceeds capacity), or GRPCJNI_ERROR_INVALID_ARGUMENT.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_encode_auth_context(void* call, void* dst, int32_t capacity);
/**
 * Copies the peer address ("ipv4:127.0.0.1:1234", no NUL) into `dst`. Returns its length; writes
 * nothing when that exceeds `capacity`. Returns GRPCJNI_ERROR_INVALID_ARGUMENT for a NULL call.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_get_peer(void* call, void* dst, int32_t capacity);
/**
 * Encodes a client call's server into `dst`: u32 len + its peer address once the call is on a
 * connection (the C core gave it the connection's auth context), u32 0 before, where
 * grpcjni_call_get_peer names the channel's target. Returns the encoded length; writes nothing
 * when that exceeds `capacity`. Returns GRPCJNI_ERROR_INVALID_ARGUMENT for a NULL call.
 */
GRPCJNI_EXPORT int32_t grpcjni_call_get_server_peer(void* call, void* dst, int32_t capacity);
/**
 * Releases the caller's reference and frees the call's batch contexts: only once no batch of it is
 * in flight. An unfinished call is cancelled.
 */
GRPCJNI_EXPORT void grpcjni_call_unref(void* call);

/* ---- byte buffers ---------------------------------------------------------------------- */

/**
 * Creates a message from a copy of `len` bytes, for a later grpcjni_call_send_message or
 * grpcjni_call_send_status_from_server. The caller owns it until it passes it to one of
 * them; otherwise it frees it with grpcjni_byte_buffer_destroy. Returns NULL for bad arguments.
 */
GRPCJNI_EXPORT void* grpcjni_byte_buffer_create(const void* data, int32_t len);
GRPCJNI_EXPORT void grpcjni_byte_buffer_destroy(void* byte_buffer);

/* ---- server ---------------------------------------------------------------------------- */

/** Creates a server with encoded `args`. Returns NULL on malformed args. */
GRPCJNI_EXPORT void* grpcjni_server_create(const void* args, int32_t args_len);
/** Registers a completion queue. Every queue the server posts to must be registered first. */
GRPCJNI_EXPORT void grpcjni_server_register_cq(void* server, void* cq);
/**
 * Registers a method path before start. With `read_payload` != 0 the first request message is
 * read before the call is reported (unary and server-streaming). Returns NULL on failure
 * (duplicate path, server started).
 */
GRPCJNI_EXPORT void* grpcjni_server_register_method(void* server, const char* method,
                                                    int32_t read_payload);
/** Binds an insecure listening address. Returns the bound port, or 0 on failure. */
GRPCJNI_EXPORT int32_t grpcjni_server_add_insecure_port(void* server, const char* address);
/**
 * Binds a TLS listening address with the server's `private_key` and `cert_chain` (PEM). With
 * `client_auth` other than GRPCJNI_CLIENT_AUTH_NONE, client certificates are verified against
 * `pem_root_certs`, which is then required. Returns the bound port, or 0 on failure (including
 * a key or chain the C core cannot load).
 */
GRPCJNI_EXPORT int32_t grpcjni_server_add_tls_port(void* server, const char* address,
                                                   const char* pem_root_certs,
                                                   const char* private_key,
                                                   const char* cert_chain, int32_t client_auth);
/**
 * As grpcjni_server_add_tls_port, with the key, chain and roots read from PEM files the C core
 * re-reads every `refresh_seconds` (a rotated file applies to the handshakes after it).
 */
GRPCJNI_EXPORT int32_t grpcjni_server_add_tls_files_port(void* server, const char* address,
                                                         const char* roots_path,
                                                         const char* key_path,
                                                         const char* chain_path,
                                                         int32_t refresh_seconds,
                                                         int32_t client_auth);
/**
 * Binds a listening address with the C core's local credentials (UDS for unix: addresses, local
 * TCP for loopback ones). Returns what grpcjni_server_add_insecure_port does: the bound port
 * (libgrpc reports 1 for a unix: address), or 0 on failure.
 */
GRPCJNI_EXPORT int32_t grpcjni_server_add_local_port(void* server, const char* address);
GRPCJNI_EXPORT void grpcjni_server_start(void* server);
/**
 * Posts `tag` for the next call to an unregistered method; `ctx` is a request context. The call
 * is bound to and reported on `cq`.
 */
GRPCJNI_EXPORT int32_t grpcjni_server_request_call(void* server, void* cq, void* ctx,
                                                   int64_t tag);
/** Posts `tag` for the next call to `registered_method`; reports the payload if registered so. */
GRPCJNI_EXPORT int32_t grpcjni_server_request_registered_call(void* server,
                                                              void* registered_method,
                                                              int32_t read_payload, void* cq,
                                                              void* ctx, int64_t tag);
/** Stops accepting calls; `tag` comes back on `cq` when every call is over. */
GRPCJNI_EXPORT void grpcjni_server_shutdown_and_notify(void* server, void* cq, int64_t tag);
/** Cancels every call in flight. Only after grpcjni_server_shutdown_and_notify. */
GRPCJNI_EXPORT void grpcjni_server_cancel_all_calls(void* server);
/** Destroys the server, only after its shutdown tag came back. */
GRPCJNI_EXPORT void grpcjni_server_destroy(void* server);

/* ---- request call context -------------------------------------------------------------- */

/** Creates a context for one grpcjni_server_request_*call. Reusable after reset. */
GRPCJNI_EXPORT void* grpcjni_request_call_context_create(void);
/**
 * Bounds the request metadata the context encodes: above `bytes` (the HTTP/2 header-list size, 32
 * plus name and value per entry; 0 means no bound) grpcjni_request_call_context_encode copies
 * nothing and returns GRPCJNI_ERROR_METADATA_TOO_LARGE. Kept across resets.
 */
GRPCJNI_EXPORT void grpcjni_request_call_context_set_max_metadata_size(void* ctx, int32_t bytes);
/**
 * Answers the call the context holds with `code` and `message` (as trailers, without a handler),
 * then frees what the context holds, so it can be posted again. No-op without a call.
 */
GRPCJNI_EXPORT void grpcjni_request_call_context_reject(void* ctx, int32_t code,
                                                        const char* message);
/**
 * Encodes what arrived with the call into `dst`:
 *   i64 deadline (nanos from now, or GRPCJNI_NO_DEADLINE), u32 len + method path (empty for a
 *   registered call), metadata, i32 payload length (-1: no payload; -2, -3: as for
 *   grpcjni_call_recv_message_info), i32 whether the payload
 *   arrived compressed (1, 0; -1 without a payload or when this libgrpc does not say).
 * Returns the length, or a larger value than `capacity` without writing (retry larger),
 * GRPCJNI_ERROR_METADATA_TOO_LARGE above the context's metadata limit or
 * GRPCJNI_ERROR_MALFORMED_METADATA for a malformed header (nothing written in either case), or
 * GRPCJNI_ERROR_INVALID_ARGUMENT when the context holds no call.
 */
GRPCJNI_EXPORT int32_t grpcjni_request_call_context_encode(void* ctx, void* dst,
                                                           int32_t capacity);
/**
 * Moves the call, with the request that arrived with it (grpcjni_call_copy_payload), out of the
 * context: the caller owns it (grpcjni_call_unref). Then frees what the context holds, so it can
 * be posted again. Returns NULL if the context holds no call.
 */
GRPCJNI_EXPORT void* grpcjni_request_call_context_take_call(void* ctx);
/** Frees everything the context holds (unrefs a call not taken) and makes it reusable. */
GRPCJNI_EXPORT void grpcjni_request_call_context_reset(void* ctx);
GRPCJNI_EXPORT void grpcjni_request_call_context_destroy(void* ctx);

#ifdef __cplusplus
}
#endif

#endif  // GRPCJNI_H
