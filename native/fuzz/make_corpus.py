#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the seed corpora under native/fuzz/corpus/<target>/: a few valid inputs and edge cases per
# target, in the wire format of grpcjni.h (and fuzz_rpc.c's input layout). Rerun after changing
# the formats; scripts/fuzz.sh only reads these seeds.
#   native/fuzz/make_corpus.py
import os
import shutil
import struct
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def string(b):
    return u32(len(b)) + b


def metadata(*entries):
    return u32(len(entries)) + b"".join(string(k) + string(v) for k, v in entries)


def int_arg(key, value):
    return b"\x00" + string(key) + u32(value)


def str_arg(key, value):
    return b"\x01" + string(key) + string(value)


def args(*entries):
    return u32(len(entries)) + b"".join(entries)


def blob(b):
    return u16(len(b)) + b


# fuzz_rpc.c: shape, initial-metadata flags, write flags, status, u16 bound, u16 request
# capacity, u16 result capacity, then blobs: request metadata, message, details, headers, trailers.
SERVER_STREAMING, SEPARATE_HEADERS, LAST_MESSAGE, RECV_CLOSE, SEND_MESSAGE = 1, 2, 4, 8, 16


def rpc(shape=0, md_flags=0, write_flags=0, status=0, bound=0, request_pick=0, result_pick=0,
        md=b"", message=b"", details=b"", headers=b"", trailers=b""):
    return (bytes([shape, md_flags, write_flags, status]) + u16(bound) + u16(request_pick) +
            u16(result_pick) + blob(md) + blob(message) + blob(details) + blob(headers) +
            blob(trailers))


def deflated(data, gzip):
    c = zlib.compressobj(wbits=31 if gzip else 15)
    return c.compress(data) + c.flush()


def inflate_seed(data, gzip=False, slices=1, bound=0xFFFF, tail=b"", cut=0):
    z = deflated(data, gzip)
    z = z[: len(z) - cut] + tail
    return bytes([(1 if gzip else 0) | (slices - 1) << 1]) + u16(bound) + z


CORPORA = {
    "fuzz_metadata": {
        "empty": b"",
        "no-entries": metadata(),
        "one": metadata((b"x-a", b"1")),
        "two-with-bin": metadata((b"x-a", b"1"), (b"x-b-bin", b"")),
        "control-bytes": metadata((b"x-c-bin", b"\x00\r\n\xff"), (b"X-Upper", b"a\r\nb")),
        "empty-key": metadata((b"", b"v")),
        "value-missing": u32(1) + string(b"key"),
        "length-past-end": u32(1) + u32(1000) + b"key",
        "huge-count": u32(0xFFFFFFFF) + b"\x00" * 8,
        "trailing-byte": metadata() + b"\x07",
        "short-count": b"\x01\x00\x00",
    },
    "fuzz_channel_args": {
        "empty": b"",
        "no-entries": args(),
        "int": args(int_arg(b"grpc.max_receive_message_length", -1)),
        "string": args(str_arg(b"grpc.primary_user_agent", b"fuzz/1")),
        "mixed": args(int_arg(b"grpc.keepalive_time_ms", 10000),
                      str_arg(b"grpc.default_authority", b"example.com:443"),
                      int_arg(b"grpc.max_metadata_size", 0)),
        "string-for-int-key": args(str_arg(b"grpc.max_send_message_length", b"12")),
        "unknown-type": u32(1) + b"\x09" + string(b"k") + u32(0),
        "nul-in-key": args(int_arg(b"grpc\x00x", 1)),
        "nul-in-value": args(str_arg(b"k", b"a\x00b")),
        "truncated-int": u32(1) + b"\x00" + string(b"k") + b"\x01\x00",
    },
    "fuzz_inflate": {
        "zlib-hello": inflate_seed(b"hello"),
        "gzip-hello": inflate_seed(b"hello", gzip=True),
        "gzip-slices": inflate_seed(b"abc" * 1000, gzip=True, slices=5),
        "zlib-empty": inflate_seed(b""),
        "bomb-bounded": inflate_seed(b"\0" * 200000, gzip=True, bound=64),
        "at-bound": inflate_seed(b"x" * 1600, bound=100),
        "over-bound": inflate_seed(b"x" * 1601, bound=100),
        "truncated": inflate_seed(b"hello world" * 10, gzip=True, cut=5),
        "trailing": inflate_seed(b"hello", tail=b"\x01\x02"),
        "garbage": bytes([0, 0xFF, 0xFF]) + b"not a deflate stream",
    },
    "fuzz_rpc": {
        "empty": b"",
        "unary-echo": rpc(LAST_MESSAGE | RECV_CLOSE, md=metadata((b"x-req", b"hello")),
                          message=b"ping", trailers=metadata((b"x-t-bin", b"\x00\x01"))),
        "unary-status": rpc(SEPARATE_HEADERS, status=5, details=b"not found: 100%",
                            headers=metadata((b"x-h", b"1")), result_pick=7),
        "streaming-echo": rpc(SERVER_STREAMING | LAST_MESSAGE | SEPARATE_HEADERS,
                              md=metadata((b"x-a", b"1"), (b"x-a", b"2")), message=b"m" * 40,
                              headers=metadata((b"x-h-bin", b"\xff")), request_pick=13),
        "server-send-message": rpc(SERVER_STREAMING | SEND_MESSAGE, message=b"one",
                                   headers=metadata((b"x-h", b"2")), status=3),
        "unary-send-message": rpc(SEND_MESSAGE | SEPARATE_HEADERS | RECV_CLOSE, message=b"two"),
        "over-bound": rpc(md=metadata((b"x-big", b"v" * 100)), bound=64),
        "bad-status": rpc(LAST_MESSAGE, status=99, message=b"x"),
        "bad-request-metadata": rpc(md=u32(1) + string(b"key")),
        "bad-trailers": rpc(RECV_CLOSE, trailers=u32(2) + string(b"k")),
        "upper-case-key": rpc(md=metadata((b"X-Req", b"v"))),
        "reserved-trailer": rpc(trailers=metadata((b"grpc-status", b"3"))),
        "wait-for-ready": rpc(md_flags=0xA0, write_flags=1, message=b"hint"),
        "bad-flags": rpc(md_flags=0xFF, write_flags=0xFF),
    },
}

if __name__ == "__main__":
    for target, seeds in CORPORA.items():
        d = os.path.join(ROOT, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
