// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/**
 * Stream observers: the callback-style streaming API, with write futures and readiness signals for
 * backpressure. The {@link java.util.concurrent.Flow} style is offered alongside, on {@link
 * dev.grpcjni.client.Channel} and {@link dev.grpcjni.server.ServiceDefinition}.
 */
package dev.grpcjni.stream;
