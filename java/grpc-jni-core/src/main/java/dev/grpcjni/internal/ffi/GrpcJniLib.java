// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.ffi;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JavaCPP mapping of {@code native/include/grpcjni.h}: every native method of grpc-jni, each
 * under the C function's exact name. That header documents ownership and return codes.
 *
 * <p>Handles and buffer addresses pass as {@code long} ({@code @Cast("void*")}), never as {@code
 * Pointer}: a {@code long} costs one JNI crossing (~6 ns) and no allocation; a {@code Pointer}
 * costs 60-190 ns. {@code @NoException}: the shim never throws. Byte arrays pass with
 * {@code @CriticalRegion}: the shim only copies them, briefly.
 *
 * <p>Keep in sync with native/include/grpcjni.h.
 */
@Platform(include = "grpcjni.h", link = "grpcjni")
@NoException
public final class GrpcJniLib {
  static {
    Loader.load();
  }

  private GrpcJniLib() {}

  // ---- library

  public static native void grpcjni_init();

  public static native void grpcjni_shutdown();

  public static native @Cast("const char*") String grpcjni_version();

  public static native int grpcjni_constant(int which);

  public static native long grpcjni_live_count(int kind);

  public static native @Cast("const char*") String grpcjni_call_error_to_string(int error);

  public static native long grpcjni_address_of(@Cast("const void*") java.nio.ByteBuffer buffer);

  // ---- channelz

  /** A malloc'd JSON string (grpcjni_string_free it), or 0: not found, or bad arguments. */
  public static native @Cast("void*") long grpcjni_channelz_query(
      int kind, long id, long startId, long maxResults);

  public static native int grpcjni_string_copy(
      @Cast("void*") long s, @Cast("void*") long dst, int capacity);

  public static native void grpcjni_string_free(@Cast("void*") long s);

  // ---- the C core's log

  public static native void grpcjni_log_capture(int capture);

  /** Encoded length (the line is kept if it exceeds capacity); 0: none in time; -1: bad args. */
  public static native int grpcjni_log_next(
      @Cast("void*") long dst, int capacity, int timeoutMillis);

  public static native void grpcjni_log_set_verbosity(int severity);

  public static native int grpcjni_log_should(int severity);

  public static native int grpcjni_trace_set(String name, int enabled);

  // ---- completion queue

  public static native @Cast("void*") long grpcjni_cq_create();

  public static native long grpcjni_cq_next(@Cast("void*") long cq);

  public static native void grpcjni_cq_shutdown(@Cast("void*") long cq);

  public static native void grpcjni_cq_destroy(@Cast("void*") long cq);

  // ---- channel

  public static native @Cast("void*") long grpcjni_channel_create(
      String target, @Cast("const void*") long args, int argsLen);

  /** Null roots: the C core's defaults; key and chain both null or both set (mutual TLS). */
  public static native @Cast("void*") long grpcjni_channel_create_tls(
      String target,
      @Cast("const void*") long args,
      int argsLen,
      String pemRootCerts,
      String privateKey,
      String certChain);

  /** Null roots: the C core's defaults; key and chain both null or both set. */
  public static native @Cast("void*") long grpcjni_channel_create_tls_files(
      String target,
      @Cast("const void*") long args,
      int argsLen,
      String rootsPath,
      String keyPath,
      String chainPath,
      int refreshSeconds);

  public static native @Cast("void*") long grpcjni_channel_create_local(
      String target, @Cast("const void*") long args, int argsLen);

  public static native void grpcjni_channel_destroy(@Cast("void*") long channel);

  /** 0: accepted; 1: refused, the reason (NUL-terminated) in {@code error}; -1: bad argument. */
  public static native int grpcjni_service_config_check(
      String json, @Cast("char*") long error, int errorLen);

  /** A grpc_connectivity_state: 0 IDLE … 4 SHUTDOWN; -1 for a null channel. */
  public static native int grpcjni_channel_check_state(
      @Cast("void*") long channel, int tryToConnect);

  /** 0, or -1 (nothing posted) on a null argument or a state out of range. */
  public static native int grpcjni_channel_watch_state(
      @Cast("void*") long channel,
      int lastObserved,
      long deadlineNanos,
      @Cast("void*") long cq,
      long tag);

  public static native void grpcjni_channel_reset_connect_backoff(@Cast("void*") long channel);

  public static native @Cast("void*") long grpcjni_channel_register_call(
      @Cast("void*") long channel, String method);

  public static native @Cast("void*") long grpcjni_channel_create_unregistered_call(
      @Cast("void*") long channel,
      @Cast("void*") long cq,
      String method,
      @Cast("void*") long parentCall,
      long deadlineNanos);

  public static native @Cast("void*") long grpcjni_channel_create_call(
      @Cast("void*") long channel,
      @Cast("void*") long cq,
      @Cast("void*") long registeredMethod,
      @Cast("void*") long parentCall,
      long deadlineNanos);

  // ---- call (the handle is a grpcjni_call: the grpc_call and its batch contexts)

  public static native int grpcjni_call_start_unary(
      @Cast("void*") long call,
      @Cast("const void*") long metadata,
      int metadataLen,
      @Cast("const void*") long message,
      int messageLen,
      int initialMetadataFlags,
      int writeFlags,
      long tag);

  public static native int grpcjni_call_start_client_streaming(
      @Cast("void*") long call,
      @Cast("const void*") long metadata,
      int metadataLen,
      int initialMetadataFlags,
      long tag);

  public static native int grpcjni_call_start_server_streaming(
      @Cast("void*") long call,
      @Cast("const void*") long metadata,
      int metadataLen,
      int initialMetadataFlags,
      @Cast("const void*") long message,
      int messageLen,
      int writeFlags,
      long tag);

  public static native int grpcjni_call_start_duplex_streaming(
      @Cast("void*") long call,
      @Cast("const void*") long metadata,
      int metadataLen,
      int initialMetadataFlags,
      long tag);

  public static native int grpcjni_call_recv_initial_metadata(@Cast("void*") long call, long tag);

  public static native int grpcjni_call_recv_message(@Cast("void*") long call, long tag);

  public static native int grpcjni_call_send_message(
      @Cast("void*") long call,
      int flags,
      @Cast("const void*") long metadata,
      int metadataLen,
      @Cast("void*") long byteBuffer,
      int writeFlags,
      long tag);

  public static native int grpcjni_call_send_close_from_client(@Cast("void*") long call, long tag);

  public static native int grpcjni_call_send_initial_metadata(
      @Cast("void*") long call, @Cast("const void*") long metadata, int metadataLen, long tag);

  public static native int grpcjni_call_failed_before_recv_message(@Cast("void*") long call);

  public static native int grpcjni_call_start_serverside(@Cast("void*") long call, long tag);

  public static native int grpcjni_call_send_status_from_server(
      @Cast("void*") long call,
      int flags,
      @Cast("const void*") long initialMetadata,
      int initialMetadataLen,
      @Cast("void*") long byteBuffer,
      int writeFlags,
      int status,
      @Cast("const void*") long details,
      int detailsLen,
      @Cast("const void*") long trailingMetadata,
      int trailingMetadataLen,
      long tag);

  public static native int grpcjni_call_encode_result(
      @Cast("void*") long call, int kind, @Cast("void*") long dst, int capacity);

  @CriticalRegion
  public static native int grpcjni_call_copy_recv_message(
      @Cast("void*") long call, int kind, @Cast("void*") byte[] dst, int capacity);

  /** Into native memory at {@code dst} (a NativeBuffer). */
  public static native int grpcjni_call_copy_recv_message(
      @Cast("void*") long call, int kind, @Cast("void*") long dst, int capacity);

  public static native int grpcjni_call_copy_payload(
      @Cast("void*") long call, @Cast("void*") long dst, int capacity);

  @CriticalRegion
  public static native int grpcjni_call_copy_payload(
      @Cast("void*") long call, @Cast("void*") byte[] dst, int capacity);

  /** Low 32 bits: the length (-1 none, -2 undecodable); high 32: compressed (1, 0, -1). */
  public static native long grpcjni_call_recv_message_info(@Cast("void*") long call);

  public static native int grpcjni_call_recv_close_on_server_cancelled(
      @Cast("void*") long call, int kind);

  public static native int grpcjni_call_cancel_with_status(
      @Cast("void*") long call, int status, String description);

  public static native int grpcjni_call_encode_auth_context(
      @Cast("void*") long call, @Cast("void*") long dst, int capacity);

  public static native int grpcjni_call_get_peer(
      @Cast("void*") long call, @Cast("void*") long dst, int capacity);

  public static native int grpcjni_call_get_server_peer(
      @Cast("void*") long call, @Cast("void*") long dst, int capacity);

  public static native void grpcjni_call_unref(@Cast("void*") long call);

  // ---- byte buffers

  public static native @Cast("void*") long grpcjni_byte_buffer_create(
      @Cast("const void*") long data, int len);

  public static native void grpcjni_byte_buffer_destroy(@Cast("void*") long byteBuffer);

  // ---- server

  public static native @Cast("void*") long grpcjni_server_create(
      @Cast("const void*") long args, int argsLen);

  public static native void grpcjni_server_register_cq(
      @Cast("void*") long server, @Cast("void*") long cq);

  public static native @Cast("void*") long grpcjni_server_register_method(
      @Cast("void*") long server, String method, int readPayload);

  public static native int grpcjni_server_add_insecure_port(
      @Cast("void*") long server, String address);

  public static native int grpcjni_server_add_tls_port(
      @Cast("void*") long server,
      String address,
      String pemRootCerts,
      String privateKey,
      String certChain,
      int clientAuth);

  public static native void grpcjni_server_start(@Cast("void*") long server);

  public static native int grpcjni_server_request_call(
      @Cast("void*") long server, @Cast("void*") long cq, @Cast("void*") long ctx, long tag);

  public static native int grpcjni_server_request_registered_call(
      @Cast("void*") long server,
      @Cast("void*") long registeredMethod,
      int readPayload,
      @Cast("void*") long cq,
      @Cast("void*") long ctx,
      long tag);

  public static native int grpcjni_server_add_local_port(
      @Cast("void*") long server, String address);

  public static native int grpcjni_server_add_tls_files_port(
      @Cast("void*") long server,
      String address,
      String rootsPath,
      String keyPath,
      String chainPath,
      int refreshSeconds,
      int clientAuth);

  public static native void grpcjni_server_shutdown_and_notify(
      @Cast("void*") long server, @Cast("void*") long cq, long tag);

  public static native void grpcjni_server_cancel_all_calls(@Cast("void*") long server);

  public static native void grpcjni_server_destroy(@Cast("void*") long server);

  // ---- request call context

  public static native @Cast("void*") long grpcjni_request_call_context_create();

  public static native void grpcjni_request_call_context_set_max_metadata_size(
      @Cast("void*") long ctx, int bytes);

  public static native void grpcjni_request_call_context_reject(
      @Cast("void*") long ctx, int code, String message);

  public static native int grpcjni_request_call_context_encode(
      @Cast("void*") long ctx, @Cast("void*") long dst, int capacity);

  public static native @Cast("void*") long grpcjni_request_call_context_take_call(
      @Cast("void*") long ctx);

  public static native void grpcjni_request_call_context_reset(@Cast("void*") long ctx);

  public static native void grpcjni_request_call_context_destroy(@Cast("void*") long ctx);

  // ---- constants (values from grpcjni.h enums; the C side returns the core's values)

  /** Returned by the shim for malformed input or a NULL handle. */
  public static final int GRPCJNI_ERROR_INVALID_ARGUMENT = -1;

  /** grpcjni_request_call_context_encode: the request's metadata is above the slot's limit. */
  public static final int GRPCJNI_ERROR_METADATA_TOO_LARGE = -3;

  /** grpcjni_request_call_context_encode: a request header is malformed HTTP/2. */
  public static final int GRPCJNI_ERROR_MALFORMED_METADATA = -4;

  /** A received message's length when its bytes could not be decompressed. */
  public static final int GRPCJNI_MESSAGE_UNDECODABLE = -2;

  /** A received message's length when it decompresses to more than the call's maximum. */
  public static final int GRPCJNI_MESSAGE_TOO_LARGE = -3;

  public static final long GRPCJNI_CQ_TIMEOUT = 0;
  public static final long GRPCJNI_CQ_SHUTDOWN = -1;
  public static final long GRPCJNI_NO_DEADLINE = Long.MAX_VALUE;
  public static final int GRPCJNI_SEND_INITIAL_METADATA = 1;

  /** Kinds of call operation, one batch context each (grpcjni.h GRPCJNI_OP_*). */
  public static final int GRPCJNI_OP_FINISH = 0;

  public static final int GRPCJNI_OP_SEND = 1;
  public static final int GRPCJNI_OP_RECV = 2;
  public static final int GRPCJNI_OP_HEADERS = 3;
  public static final int GRPCJNI_RECV_CLOSE_ON_SERVER = 2;

  public static final int GRPCJNI_LIVE_BATCH_CONTEXTS = 0;
  public static final int GRPCJNI_LIVE_REQUEST_CONTEXTS = 1;
  public static final int GRPCJNI_LIVE_CALLS = 2;
  public static final int GRPCJNI_LIVE_CHANNELS = 3;
  public static final int GRPCJNI_LIVE_SERVERS = 4;
  public static final int GRPCJNI_LIVE_COMPLETION_QUEUES = 5;
  public static final int GRPCJNI_LIVE_BYTE_BUFFERS = 6;
  public static final int GRPCJNI_LIVE_KIND_COUNT = 7;

  public static final int GRPCJNI_CHANNELZ_TOP_CHANNELS = 0;
  public static final int GRPCJNI_CHANNELZ_SERVERS = 1;
  public static final int GRPCJNI_CHANNELZ_SERVER = 2;
  public static final int GRPCJNI_CHANNELZ_SERVER_SOCKETS = 3;
  public static final int GRPCJNI_CHANNELZ_CHANNEL = 4;
  public static final int GRPCJNI_CHANNELZ_SUBCHANNEL = 5;
  public static final int GRPCJNI_CHANNELZ_SOCKET = 6;

  public static final int GRPCJNI_CLIENT_AUTH_NONE = 0;
  public static final int GRPCJNI_CLIENT_AUTH_OPTIONAL = 1;
  public static final int GRPCJNI_CLIENT_AUTH_REQUIRE = 2;

  public static final int GRPCJNI_CONST_STATUS_OK = 0;
  public static final int GRPCJNI_CONST_WRITE_BUFFER_HINT = 100;
  public static final int GRPCJNI_CONST_WRITE_NO_COMPRESS = 101;
  public static final int GRPCJNI_CONST_INITIAL_METADATA_WAIT_FOR_READY = 102;
  public static final int GRPCJNI_CONST_CALL_ERROR_TOO_MANY_OPERATIONS = 103;
  public static final int GRPCJNI_CONST_DEFAULT_MAX_RECV_MESSAGE_LENGTH = 104;
}
