// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.Metadata;

/**
 * A unary response with the metadata that came with it.
 *
 * @param message the response message
 * @param headers the response headers (initial metadata)
 * @param trailers the trailing metadata sent with the OK status
 * @param <RespT> the response message type
 */
public record UnaryResponse<RespT>(RespT message, Metadata headers, Metadata trailers) {}
