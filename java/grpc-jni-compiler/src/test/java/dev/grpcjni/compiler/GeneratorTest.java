// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The generator on real protoc output: golden files for protos that exercise every call kind,
 * packages and Java options, comments and keywords; and compiling what it generates, for those and
 * for Debian's grpc testing protos, with {@code -Xlint:all -Werror}.
 */
class GeneratorTest {
  static final Path DESCRIPTORS =
      Paths.get("target/generated-test-resources/protobuf/descriptor-sets");
  static final Path GOLDEN = Paths.get("src/test/resources/golden");

  static CodeGeneratorRequest request(String descriptorSet, String... toGenerate)
      throws IOException {
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(DESCRIPTORS.resolve(descriptorSet))) {
      set = FileDescriptorSet.parseFrom(in);
    }
    CodeGeneratorRequest.Builder b = CodeGeneratorRequest.newBuilder();
    for (FileDescriptorProto f : set.getFileList()) {
      b.addProtoFile(f);
    }
    for (String name : toGenerate) {
      b.addFileToGenerate(name);
    }
    return b.build();
  }

  static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse r = ProtocPlugin.generate(request);
    assertThat(r.getError()).isEmpty();
    return r;
  }

  @Test
  void matchesGoldenFiles() throws Exception {
    CodeGeneratorResponse r =
        generate(
            request(
                "golden.pb",
                "golden/everything.proto",
                "golden/no_package.proto",
                "golden/multi.proto"));
    assertThat(r.getFileList())
        .extracting(CodeGeneratorResponse.File::getName)
        .containsExactlyInAnyOrder(
            "dev/grpcjni/golden/EverythingGrpcJni.java",
            "LonelyGrpcJni.java",
            "grpcjni/test/multi/MultiGrpcJni.java");
    boolean update = Boolean.getBoolean("grpcjni.golden.update");
    for (CodeGeneratorResponse.File f : r.getFileList()) {
      Path golden = GOLDEN.resolve(f.getName() + ".txt");
      if (update) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, f.getContent());
      }
      assertThat(f.getContent())
          .as("%s (regenerate with -Dgrpcjni.golden.update=true and review the diff)", golden)
          .isEqualTo(Files.readString(golden));
    }
  }

  @Test
  void generatedCodeCompilesWithoutWarnings() throws Exception {
    List<CodeGeneratorResponse.File> files = new ArrayList<>();
    files.addAll(
        generate(
                request(
                    "golden.pb",
                    "golden/everything.proto",
                    "golden/no_package.proto",
                    "golden/multi.proto"))
            .getFileList());
    files.addAll(
        generate(
                request(
                    "grpc-testing.pb",
                    "grpc/testing/test.proto",
                    "grpc/testing/benchmark_service.proto"))
            .getFileList());
    assertThat(files)
        .extracting(CodeGeneratorResponse.File::getName)
        .contains(
            "io/grpc/testing/integration/TestServiceGrpcJni.java",
            "io/grpc/testing/integration/UnimplementedServiceGrpcJni.java",
            "io/grpc/testing/BenchmarkServiceGrpcJni.java");
    Path src = Files.createTempDirectory("generated");
    Path out = Files.createTempDirectory("classes");
    List<String> paths = new ArrayList<>();
    for (CodeGeneratorResponse.File f : files) {
      Path p = src.resolve(f.getName());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getContent(), StandardCharsets.UTF_8);
      paths.add(p.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    List<String> args =
        new ArrayList<>(
            List.of(
                "-Xlint:all",
                "-Xlint:-processing",
                "-Werror",
                "-proc:none",
                "-d",
                out.toString(),
                "-cp",
                System.getProperty("java.class.path")));
    boolean ok;
    try (javax.tools.StandardJavaFileManager fm =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      ok =
          javac
              .getTask(diagnostics, fm, null, args, null, fm.getJavaFileObjectsFromStrings(paths))
              .call();
    }
    assertThat(ok).as("javac:%n%s", diagnostics).isTrue();
  }

  @Test
  void namingFollowsProtobufJava() {
    assertThat(JavaNames.camelCase("route_guide", true)).isEqualTo("RouteGuide");
    assertThat(JavaNames.camelCase("foo-bar2baz", true)).isEqualTo("FooBar2Baz");
    assertThat(JavaNames.methodName("SayHello")).isEqualTo("sayHello");
    assertThat(JavaNames.methodName("Import")).isEqualTo("import_");
    assertThat(JavaNames.constantName("SayHello")).isEqualTo("SAY_HELLO");
    assertThat(JavaNames.constantName("GetHTTPStatus2")).isEqualTo("GET_HTTP_STATUS2");
    assertThat(ServiceGenerator.escape("a */ b @c <d> & \\\\"))
        .isEqualTo("a *&#47; b &#64;c &lt;d&gt; &amp; &#92;&#92;");
  }

  @Test
  void unknownTypesAreReportedAsErrors() {
    CodeGeneratorRequest bad =
        CodeGeneratorRequest.newBuilder()
            .addFileToGenerate("x.proto")
            .addProtoFile(
                FileDescriptorProto.newBuilder()
                    .setName("x.proto")
                    .addService(
                        com.google.protobuf.DescriptorProtos.ServiceDescriptorProto.newBuilder()
                            .setName("S")
                            .addMethod(
                                com.google.protobuf.DescriptorProtos.MethodDescriptorProto
                                    .newBuilder()
                                    .setName("M")
                                    .setInputType(".Missing")
                                    .setOutputType(".Missing"))))
            .build();
    assertThat(ProtocPlugin.generate(bad).getError()).contains("unknown message type .Missing");
  }

  /** The schema for reflection: attached from the outer class, except for lite messages. */
  @Test
  void schemaDescriptorIsAttachedUnlessLite() throws Exception {
    CodeGeneratorRequest full = request("golden.pb", "golden/everything.proto");
    String attach =
        ".schemaDescriptor(dev.grpcjni.protobuf.ProtoServiceSchema.of("
            + "dev.grpcjni.golden.EverythingProto.getDescriptor(), \"Everything\"))";
    assertThat(generate(full).getFile(0).getContent()).contains(attach);

    CodeGeneratorRequest lite = full.toBuilder().setParameter("lite").build();
    assertThat(generate(lite).getFile(0).getContent()).doesNotContain(".schemaDescriptor(");

    CodeGeneratorRequest.Builder liteRuntime = full.toBuilder();
    for (int i = 0; i < liteRuntime.getProtoFileCount(); i++) {
      FileDescriptorProto.Builder f = liteRuntime.getProtoFileBuilder(i);
      f.getOptionsBuilder()
          .setOptimizeFor(
              com.google.protobuf.DescriptorProtos.FileOptions.OptimizeMode.LITE_RUNTIME);
    }
    assertThat(generate(liteRuntime.build()).getFile(0).getContent())
        .doesNotContain(".schemaDescriptor(");

    assertThat(ProtocPlugin.generate(full.toBuilder().setParameter("lite,fast").build()).getError())
        .contains("unknown parameter fast");
  }
}
