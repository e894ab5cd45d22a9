// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.compiler;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The protoc plugin: reads a {@code CodeGeneratorRequest} on stdin and writes a {@code
 * CodeGeneratorResponse} with one {@code <Service>GrpcJni.java} per service of each file to
 * generate. Messages come from protoc's own Java output.
 *
 * <p>Each generated {@code bindService()} attaches the service's {@code .proto} schema (for server
 * reflection), read from protoc's Java outer class. Files with {@code optimize_for = LITE_RUNTIME},
 * or all files when the plugin's parameter is {@code lite} (for messages generated with {@code
 * --java_out=lite:}), have no descriptors in Java, and get none.
 */
public final class ProtocPlugin {
  private ProtocPlugin() {}

  public static void main(String[] args) throws IOException {
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(System.in);
    generate(request).writeTo(System.out);
    System.out.flush();
  }

  /** Generates the files for {@code request}; errors go into the response, as protoc expects. */
  public static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response =
        CodeGeneratorResponse.newBuilder()
            .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE);
    try {
      JavaNames names = new JavaNames();
      for (FileDescriptorProto file : request.getProtoFileList()) {
        names.add(file);
      }
      Set<String> wanted = new HashSet<>(request.getFileToGenerateList());
      boolean lite = false;
      for (String p : request.getParameter().split(",")) {
        if (p.trim().equals("lite")) {
          lite = true;
        } else if (!p.isBlank()) {
          throw new IllegalArgumentException("unknown parameter " + p.trim() + " (known: lite)");
        }
      }
      for (FileDescriptorProto file : request.getProtoFileList()) {
        if (!wanted.contains(file.getName())) {
          continue;
        }
        for (int i = 0; i < file.getServiceCount(); i++) {
          ServiceGenerator g = new ServiceGenerator(file, i, names, lite);
          response.addFile(
              CodeGeneratorResponse.File.newBuilder()
                  .setName(g.fileName())
                  .setContent(g.generate()));
        }
      }
    } catch (RuntimeException e) {
      response.setError("grpc-jni-compiler: " + e.getMessage());
    }
    return response.build();
  }
}
