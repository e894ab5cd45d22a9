// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * The wire format between Java and the shim (described in grpcjni.h). Everything read here came
 * from Java, so every length is checked against what is left before it is used.
 * Keep in sync with java/grpc-jni-core/src/main/java/dev/grpcjni/internal/wire/ (MetadataCodec.java,
 * ChannelArgs.java) and internal/transport/RequestSlot.java (the request-context encoding).
 */
#include <grpc/support/alloc.h>
#include <grpc/support/string_util.h>
#include <string.h>

#include "grpcjni_internal.h"

/* Upper bound on entries, so a corrupt count cannot ask for a huge allocation. */
enum { GRPCJNI_MAX_WIRE_ENTRIES = 1 << 16 };
enum { GRPCJNI_ARG_INT = 0, GRPCJNI_ARG_STRING = 1 };

int grpcjni_read_u32(grpcjni_reader* r, uint32_t* out) {
  if (r->left < 4) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  *out = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
         (uint32_t)r->p[3] << 24;
  r->p += 4;
  r->left -= 4;
  return 0;
}

static int read_u8(grpcjni_reader* r, uint8_t* out) {
  if (r->left < 1) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  *out = *r->p++;
  r->left--;
  return 0;
}

int grpcjni_read_bytes(grpcjni_reader* r, const uint8_t** out, uint32_t* len) {
  if (grpcjni_read_u32(r, len) != 0 || *len > r->left) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  *out = r->p;
  r->p += *len;
  r->left -= *len;
  return 0;
}

static void put(grpcjni_writer* w, const void* p, size_t len) {
  if (w->length <= w->capacity && len <= w->capacity - w->length && len > 0) {
    memcpy(w->p + w->length, p, len);
  }
  w->length += len;
}

void grpcjni_write_u32(grpcjni_writer* w, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  put(w, b, sizeof b);
}

void grpcjni_write_i64(grpcjni_writer* w, int64_t v) {
  uint64_t u = (uint64_t)v;
  grpcjni_write_u32(w, (uint32_t)u);
  grpcjni_write_u32(w, (uint32_t)(u >> 32));
}

void grpcjni_write_bytes(grpcjni_writer* w, const void* p, size_t len) {
  grpcjni_write_u32(w, (uint32_t)len);
  put(w, p, len);
}

void grpcjni_write_slice(grpcjni_writer* w, grpc_slice s) {
  grpcjni_write_bytes(w, GRPC_SLICE_START_PTR(s), GRPC_SLICE_LENGTH(s));
}

int32_t grpcjni_writer_result(const grpcjni_writer* w) {
  return w->length > INT32_MAX ? INT32_MAX : (int32_t)w->length;
}

static grpc_slice slice_from(const uint8_t* p, uint32_t len) {
  return grpc_slice_from_copied_buffer((const char*)p, len);
}

int grpcjni_metadata_decode(const void* data, int32_t len, grpc_metadata_array* array) {
  memset(array, 0, sizeof *array);
  if (len == 0) return 0;
  if (data == NULL || len < 0) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_reader r = {(const uint8_t*)data, (size_t)len};
  uint32_t count;
  if (grpcjni_read_u32(&r, &count) != 0 || count > GRPCJNI_MAX_WIRE_ENTRIES ||
      count > r.left / 8) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  if (count == 0) return r.left == 0 ? 0 : GRPCJNI_ERROR_INVALID_ARGUMENT;
  array->metadata = gpr_malloc(count * sizeof(grpc_metadata));
  array->capacity = count;
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t *k, *v;
    uint32_t klen, vlen;
    if (grpcjni_read_bytes(&r, &k, &klen) != 0 || grpcjni_read_bytes(&r, &v, &vlen) != 0) {
      grpcjni_metadata_free_owned(array);
      return GRPCJNI_ERROR_INVALID_ARGUMENT;
    }
    grpc_metadata* m = &array->metadata[array->count++];
    memset(m, 0, sizeof *m);
    m->key = slice_from(k, klen);
    m->value = slice_from(v, vlen);
  }
  if (r.left != 0) {
    grpcjni_metadata_free_owned(array);
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  return 0;
}

void grpcjni_metadata_free_owned(grpc_metadata_array* array) {
  for (size_t i = 0; i < array->count; i++) {
    grpc_slice_unref(array->metadata[i].key);
    grpc_slice_unref(array->metadata[i].value);
  }
  gpr_free(array->metadata);
  memset(array, 0, sizeof *array);
}

size_t grpcjni_metadata_list_size(const grpc_metadata_array* array) {
  size_t size = 0;
  for (size_t i = 0; i < array->count; i++) {
    /* RFC 7540 6.5.2: each entry counts its name, its value and 32 bytes. */
    size += GRPC_SLICE_LENGTH(array->metadata[i].key) +
            GRPC_SLICE_LENGTH(array->metadata[i].value) + 32;
  }
  return size;
}

/* RFC 9110 5.6.2 tchar, lower-case only: RFC 9113 8.2.1 makes an upper-case name malformed. */
static int is_name_char(uint8_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return 1;
  return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 9113 8.2.2: connection-specific fields make a request malformed. */
static int is_connection_specific(grpc_slice key) {
  static const char* const names[] = {"connection", "keep-alive", "proxy-connection",
                                      "transfer-encoding", "upgrade"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (grpc_slice_str_cmp(key, names[i]) == 0) return 1;
  }
  return 0;
}

int grpcjni_metadata_well_formed(const grpc_metadata_array* array) {
  for (size_t i = 0; i < array->count; i++) {
    grpc_slice key = array->metadata[i].key;
    size_t key_len = GRPC_SLICE_LENGTH(key);
    const uint8_t* k = GRPC_SLICE_START_PTR(key);
    if (key_len == 0 || is_connection_specific(key)) return 0;
    for (size_t j = 0; j < key_len; j++) {
      if (!is_name_char(k[j])) return 0;
    }
    /* A -bin value arrives base64-decoded by the core: any byte is data there. */
    if (key_len >= 4 && memcmp(k + key_len - 4, "-bin", 4) == 0) continue;
    grpc_slice value = array->metadata[i].value;
    const uint8_t* v = GRPC_SLICE_START_PTR(value);
    for (size_t j = 0; j < GRPC_SLICE_LENGTH(value); j++) {
      /* RFC 9113 8.2.1: NUL, CR and LF make a field value malformed. */
      if (v[j] == 0 || v[j] == '\r' || v[j] == '\n') return 0;
    }
  }
  return 1;
}

void grpcjni_metadata_encode(grpcjni_writer* w, const grpc_metadata_array* array) {
  grpcjni_write_u32(w, (uint32_t)array->count);
  for (size_t i = 0; i < array->count; i++) {
    grpcjni_write_slice(w, array->metadata[i].key);
    grpcjni_write_slice(w, array->metadata[i].value);
  }
}

static char* strndup_gpr(const uint8_t* p, uint32_t len) {
  char* s = gpr_malloc((size_t)len + 1);
  memcpy(s, p, len);
  s[len] = '\0';
  return s;
}

int64_t grpcjni_channel_args_int(const grpc_channel_args* args, const char* key, int64_t fallback) {
  for (size_t i = 0; i < args->num_args; i++) {
    const grpc_arg* a = &args->args[i];
    if (a->type == GRPC_ARG_INTEGER && strcmp(a->key, key) == 0) return a->value.integer;
  }
  return fallback;
}

void grpcjni_channel_args_set_int(grpc_channel_args* args, const char* key, int value) {
  for (size_t i = 0; i < args->num_args; i++) {
    grpc_arg* a = &args->args[i];
    if (strcmp(a->key, key) == 0) {
      if (a->type == GRPC_ARG_STRING) gpr_free(a->value.string);
      a->type = GRPC_ARG_INTEGER;
      a->value.integer = value;
      return;
    }
  }
  args->args = gpr_realloc(args->args, (args->num_args + 1) * sizeof(grpc_arg));
  grpc_arg* a = &args->args[args->num_args++];
  memset(a, 0, sizeof *a);
  a->type = GRPC_ARG_INTEGER;
  a->key = gpr_strdup(key);
  a->value.integer = value;
}

int64_t grpcjni_max_receive_length(const grpc_channel_args* args) {
  int64_t max = grpcjni_channel_args_int(args, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
                                         GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH);
  return max < 0 ? -1 : max;
}

void grpcjni_channel_args_own_decompression(grpc_channel_args* args) {
  /* Only where this libgrpc tells the shim a message's flags and its call's encoding; elsewhere
   * the core keeps decompressing, unbounded, as it would without the shim. */
  if (grpcjni_shim_decompresses()) {
    grpcjni_channel_args_set_int(args, GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0);
  }
}

int grpcjni_channel_args_decode(const void* data, int32_t len, grpc_channel_args* args) {
  memset(args, 0, sizeof *args);
  if (len == 0) return 0;
  if (data == NULL || len < 0) return GRPCJNI_ERROR_INVALID_ARGUMENT;
  grpcjni_reader r = {(const uint8_t*)data, (size_t)len};
  uint32_t count;
  if (grpcjni_read_u32(&r, &count) != 0 || count > GRPCJNI_MAX_WIRE_ENTRIES ||
      count > r.left / 9) {
    return GRPCJNI_ERROR_INVALID_ARGUMENT;
  }
  args->args = gpr_zalloc(count * sizeof(grpc_arg) + 1);
  for (uint32_t i = 0; i < count; i++) {
    uint8_t type;
    const uint8_t* key;
    uint32_t klen;
    if (read_u8(&r, &type) != 0 || grpcjni_read_bytes(&r, &key, &klen) != 0) goto fail;
    if (memchr(key, '\0', klen) != NULL) goto fail;
    grpc_arg* a = &args->args[args->num_args];
    if (type == GRPCJNI_ARG_INT) {
      uint32_t v;
      if (grpcjni_read_u32(&r, &v) != 0) goto fail;
      a->type = GRPC_ARG_INTEGER;
      a->value.integer = (int)(int32_t)v;
    } else if (type == GRPCJNI_ARG_STRING) {
      const uint8_t* v;
      uint32_t vlen;
      if (grpcjni_read_bytes(&r, &v, &vlen) != 0 || memchr(v, '\0', vlen) != NULL) goto fail;
      a->type = GRPC_ARG_STRING;
      a->value.string = strndup_gpr(v, vlen);
    } else {
      goto fail;
    }
    a->key = strndup_gpr(key, klen);
    args->num_args++;
  }
  if (r.left == 0) return 0;
fail:
  grpcjni_channel_args_free(args);
  return GRPCJNI_ERROR_INVALID_ARGUMENT;
}

void grpcjni_channel_args_own_resource_quota(grpc_channel_args* args) {
  for (size_t i = 0; i < args->num_args; i++) {
    grpc_arg* a = &args->args[i];
    if (a->type != GRPC_ARG_INTEGER || strcmp(a->key, GRPCJNI_ARG_RESOURCE_QUOTA_BYTES) != 0) {
      continue;
    }
    if (a->value.integer <= 0) continue;
    /* The core takes its own reference when it copies the arguments; args_free drops this one. */
    grpc_resource_quota* quota = grpc_resource_quota_create("grpc-jni");
    grpc_resource_quota_resize(quota, (size_t)a->value.integer);
    gpr_free(a->key);
    a->key = gpr_strdup(GRPC_ARG_RESOURCE_QUOTA);
    a->type = GRPC_ARG_POINTER;
    a->value.pointer.p = quota;
    a->value.pointer.vtable = grpc_resource_quota_arg_vtable();
  }
}

void grpcjni_channel_args_free(grpc_channel_args* args) {
  for (size_t i = 0; i < args->num_args; i++) {
    gpr_free(args->args[i].key);
    if (args->args[i].type == GRPC_ARG_STRING) gpr_free(args->args[i].value.string);
    if (args->args[i].type == GRPC_ARG_POINTER) {
      grpc_resource_quota_unref(args->args[i].value.pointer.p);
    }
  }
  gpr_free(args->args);
  memset(args, 0, sizeof *args);
}
