// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.reflection;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.protobuf.ProtoServiceSchema;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.services.reflection.v1.ErrorResponse;
import dev.grpcjni.services.reflection.v1.ExtensionNumberResponse;
import dev.grpcjni.services.reflection.v1.ExtensionRequest;
import dev.grpcjni.services.reflection.v1.FileDescriptorResponse;
import dev.grpcjni.services.reflection.v1.ListServiceResponse;
import dev.grpcjni.services.reflection.v1.ServerReflectionRequest;
import dev.grpcjni.services.reflection.v1.ServerReflectionResponse;
import dev.grpcjni.services.reflection.v1.ServiceResponse;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The files, symbols and extensions of a server's services, and the answer to each reflection
 * request. Immutable once built.
 */
final class ReflectionIndex {
  private final Set<String> services = new TreeSet<>();
  private final Map<String, FileDescriptor> files = new HashMap<>();
  private final Map<String, FileDescriptor> symbols = new HashMap<>();
  private final Map<String, Map<Integer, FileDescriptor>> extensions = new HashMap<>();

  ReflectionIndex(List<ServiceDefinition> definitions) {
    Queue<FileDescriptor> todo = new ArrayDeque<>();
    for (ServiceDefinition d : definitions) {
      if (d.schemaDescriptor() instanceof ProtoServiceSchema) {
        ProtoServiceSchema schema = (ProtoServiceSchema) d.schemaDescriptor();
        services.add(schema.serviceDescriptor().getFullName());
        todo.add(schema.fileDescriptor());
      }
    }
    while (!todo.isEmpty()) {
      FileDescriptor f = todo.remove();
      if (files.putIfAbsent(f.getName(), f) != null) {
        continue; // seen (or another file of the same name: the first one wins)
      }
      for (ServiceDescriptor s : f.getServices()) {
        symbols.putIfAbsent(s.getFullName(), f);
        for (MethodDescriptor m : s.getMethods()) {
          symbols.putIfAbsent(m.getFullName(), f);
        }
      }
      for (Descriptor m : f.getMessageTypes()) {
        addType(m, f);
      }
      for (EnumDescriptor e : f.getEnumTypes()) {
        symbols.putIfAbsent(e.getFullName(), f);
      }
      for (FieldDescriptor x : f.getExtensions()) {
        addExtension(x, f);
      }
      todo.addAll(f.getDependencies());
    }
  }

  private void addType(Descriptor type, FileDescriptor f) {
    symbols.putIfAbsent(type.getFullName(), f);
    extensions.computeIfAbsent(type.getFullName(), k -> new TreeMap<>());
    for (Descriptor nested : type.getNestedTypes()) {
      addType(nested, f);
    }
    for (EnumDescriptor e : type.getEnumTypes()) {
      symbols.putIfAbsent(e.getFullName(), f);
    }
    for (FieldDescriptor x : type.getExtensions()) {
      addExtension(x, f);
    }
  }

  private void addExtension(FieldDescriptor extension, FileDescriptor f) {
    symbols.putIfAbsent(extension.getFullName(), f);
    extensions
        .computeIfAbsent(extension.getContainingType().getFullName(), k -> new TreeMap<>())
        .putIfAbsent(extension.getNumber(), f);
  }

  /** The response to {@code request}: its answer, or an error response. */
  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder r =
        ServerReflectionResponse.newBuilder()
            .setValidHost(request.getHost())
            .setOriginalRequest(request);
    switch (request.getMessageRequestCase()) {
      case FILE_BY_FILENAME:
        return file(r, files.get(request.getFileByFilename()), "file not found: ", request);
      case FILE_CONTAINING_SYMBOL:
        return file(
            r, symbols.get(request.getFileContainingSymbol()), "symbol not found: ", request);
      case FILE_CONTAINING_EXTENSION:
        {
          ExtensionRequest x = request.getFileContainingExtension();
          Map<Integer, FileDescriptor> numbers = extensions.get(x.getContainingType());
          FileDescriptor f = numbers == null ? null : numbers.get(x.getExtensionNumber());
          return file(r, f, "extension not found: ", request);
        }
      case ALL_EXTENSION_NUMBERS_OF_TYPE:
        {
          String type = request.getAllExtensionNumbersOfType();
          Map<Integer, FileDescriptor> numbers = extensions.get(type);
          if (numbers == null) {
            return error(r, Status.Code.NOT_FOUND, "type not found: " + type);
          }
          return r.setAllExtensionNumbersResponse(
                  ExtensionNumberResponse.newBuilder()
                      .setBaseTypeName(type)
                      .addAllExtensionNumber(numbers.keySet()))
              .build();
        }
      case LIST_SERVICES:
        {
          ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
          for (String s : services) {
            list.addService(ServiceResponse.newBuilder().setName(s));
          }
          return r.setListServicesResponse(list).build();
        }
      default: // as grpc-java and grpc C++ answer a request that asks nothing
        return error(
            r, Status.Code.UNIMPLEMENTED, "not implemented " + request.getMessageRequestCase());
    }
  }

  /** {@code f} and every file it depends on, directly or not, each once; the file first. */
  private static ServerReflectionResponse file(
      ServerReflectionResponse.Builder r,
      FileDescriptor f,
      String notFound,
      ServerReflectionRequest request) {
    if (f == null) {
      return error(r, Status.Code.NOT_FOUND, notFound + what(request));
    }
    FileDescriptorResponse.Builder files = FileDescriptorResponse.newBuilder();
    Set<String> seen = new HashSet<>();
    Queue<FileDescriptor> todo = new ArrayDeque<>();
    todo.add(f);
    seen.add(f.getName());
    while (!todo.isEmpty()) {
      FileDescriptor next = todo.remove();
      files.addFileDescriptorProto(next.toProto().toByteString());
      for (FileDescriptor d : next.getDependencies()) {
        if (seen.add(d.getName())) {
          todo.add(d);
        }
      }
    }
    return r.setFileDescriptorResponse(files).build();
  }

  private static String what(ServerReflectionRequest request) {
    switch (request.getMessageRequestCase()) {
      case FILE_BY_FILENAME:
        return request.getFileByFilename();
      case FILE_CONTAINING_SYMBOL:
        return request.getFileContainingSymbol();
      default:
        ExtensionRequest x = request.getFileContainingExtension();
        return x.getContainingType() + " " + x.getExtensionNumber();
    }
  }

  private static ServerReflectionResponse error(
      ServerReflectionResponse.Builder r, Status.Code code, String message) {
    return r.setErrorResponse(
            ErrorResponse.newBuilder().setErrorCode(code.value()).setErrorMessage(message))
        .build();
  }
}
