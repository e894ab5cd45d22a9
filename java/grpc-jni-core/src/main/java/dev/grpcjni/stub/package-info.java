// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/**
 * Every call style, as adapters over the one call API ({@link dev.grpcjni.ClientCall}, {@link
 * dev.grpcjni.ServerCall}): futures, {@link java.util.concurrent.Flow} publishers, stream observers
 * (with write futures and readiness signals for backpressure) and blocking calls, on the client
 * ({@link dev.grpcjni.stub.ClientCalls}, over any {@link dev.grpcjni.Channel}) and on the server
 * ({@link dev.grpcjni.stub.ServerCalls}, making {@link dev.grpcjni.ServerCallHandler}s). Generated
 * stubs call these; interceptors see every call they make.
 */
package dev.grpcjni.stub;
