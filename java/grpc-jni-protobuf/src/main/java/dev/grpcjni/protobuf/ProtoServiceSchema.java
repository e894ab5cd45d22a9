// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.protobuf;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.Objects;

/**
 * The {@code .proto} schema of a service: its file (with the file's dependencies) and the service
 * in it. Generated {@code bindService()} methods attach one as the {@link
 * dev.grpcjni.server.ServiceDefinition#schemaDescriptor() schema descriptor}, which server
 * reflection serves (grpc-java's {@code ProtoFileDescriptorSupplier}).
 *
 * <p>Immutable.
 */
public final class ProtoServiceSchema {
  private final FileDescriptor file;
  private final ServiceDescriptor service;

  private ProtoServiceSchema(FileDescriptor file, ServiceDescriptor service) {
    this.file = file;
    this.service = service;
  }

  /**
   * The schema of service {@code serviceName} (its simple name, e.g. {@code Greeter}) in {@code
   * file}.
   *
   * @throws IllegalArgumentException if the file has no such service
   */
  public static ProtoServiceSchema of(FileDescriptor file, String serviceName) {
    ServiceDescriptor service = Objects.requireNonNull(file, "file").findServiceByName(serviceName);
    if (service == null) {
      throw new IllegalArgumentException(file.getName() + " has no service " + serviceName);
    }
    return new ProtoServiceSchema(file, service);
  }

  /** The file that defines the service. */
  public FileDescriptor fileDescriptor() {
    return file;
  }

  /** The service. */
  public ServiceDescriptor serviceDescriptor() {
    return service;
  }

  @Override
  public String toString() {
    return "ProtoServiceSchema{" + service.getFullName() + " in " + file.getName() + "}";
  }
}
