// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.compiler;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Java names of protobuf types, following protobuf-java's rules: {@code java_package} (else the
 * proto package), {@code java_outer_classname} (else the file name in CamelCase, plus {@code
 * OuterClass} if a type has that name), and {@code java_multiple_files}.
 */
final class JavaNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "record",
          "var",
          "yield",
          "sealed",
          "permits");

  /** Proto full name with a leading dot (".pkg.Msg.Inner") to Java class name. */
  private final Map<String, String> types = new HashMap<>();

  /** Proto full name to the Java package its class is in. */
  private final Map<String, String> packages = new HashMap<>();

  void add(FileDescriptorProto file) {
    String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
    int before = types.size();
    String javaPrefix = javaPackage(file);
    javaPrefix = javaPrefix.isEmpty() ? "" : javaPrefix + ".";
    if (!file.getOptions().getJavaMultipleFiles()) {
      javaPrefix += outerClassName(file) + ".";
    }
    for (DescriptorProto m : file.getMessageTypeList()) {
      addMessage(m, protoPrefix, javaPrefix);
    }
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      types.put(protoPrefix + e.getName(), javaPrefix + e.getName());
    }
    if (types.size() != before) {
      for (String proto : types.keySet()) {
        packages.putIfAbsent(proto, javaPackage(file));
      }
    }
  }

  private void addMessage(DescriptorProto m, String protoPrefix, String javaPrefix) {
    String proto = protoPrefix + m.getName();
    String java = javaPrefix + m.getName();
    types.put(proto, java);
    for (DescriptorProto nested : m.getNestedTypeList()) {
      addMessage(nested, proto + ".", java + ".");
    }
    for (EnumDescriptorProto e : m.getEnumTypeList()) {
      types.put(proto + "." + e.getName(), java + "." + e.getName());
    }
  }

  /** The Java class of a proto type name as it appears in a method (".pkg.Msg"). */
  String javaType(String protoType) {
    String java = types.get(protoType);
    if (java == null) {
      throw new IllegalArgumentException("unknown message type " + protoType);
    }
    return java;
  }

  /** The Java package of a proto type's class. */
  String javaPackageOf(String protoType) {
    javaType(protoType);
    return packages.get(protoType);
  }

  static String javaPackage(FileDescriptorProto file) {
    return file.getOptions().hasJavaPackage()
        ? file.getOptions().getJavaPackage()
        : file.getPackage();
  }

  static String outerClassName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = file.getName();
    name = name.substring(name.lastIndexOf('/') + 1);
    if (name.endsWith(".proto")) {
      name = name.substring(0, name.length() - ".proto".length());
    }
    String camel = camelCase(name, true);
    return hasType(file, camel) ? camel + "OuterClass" : camel;
  }

  private static boolean hasType(FileDescriptorProto file, String name) {
    for (DescriptorProto m : file.getMessageTypeList()) {
      if (hasType(m, name)) {
        return true;
      }
    }
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    return file.getServiceList().stream().anyMatch(s -> s.getName().equals(name));
  }

  private static boolean hasType(DescriptorProto m, String name) {
    if (m.getName().equals(name)) {
      return true;
    }
    for (DescriptorProto nested : m.getNestedTypeList()) {
      if (hasType(nested, name)) {
        return true;
      }
    }
    return m.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name));
  }

  /** protobuf's UnderscoresToCamelCase: separators dropped, the letter after one capitalized. */
  static String camelCase(String s, boolean capitalizeFirst) {
    StringBuilder out = new StringBuilder();
    boolean capNext = capitalizeFirst;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(capNext ? Character.toUpperCase(c) : c);
        capNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        out.append(i == 0 && !capitalizeFirst ? Character.toLowerCase(c) : c);
        capNext = false;
      } else if (c >= '0' && c <= '9') {
        out.append(c);
        capNext = true;
      } else {
        capNext = true;
      }
    }
    return out.toString();
  }

  /** A Java method name for an RPC: lowerCamelCase, with '_' appended to keywords. */
  static String methodName(String rpc) {
    String name = Character.toLowerCase(rpc.charAt(0)) + rpc.substring(1);
    return KEYWORDS.contains(name) ? name + "_" : name;
  }

  /** A constant name for an RPC: SayHello becomes SAY_HELLO. */
  static String constantName(String rpc) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rpc.length(); i++) {
      char c = rpc.charAt(i);
      if (i > 0 && Character.isUpperCase(c)) {
        char prev = rpc.charAt(i - 1);
        boolean nextLower = i + 1 < rpc.length() && Character.isLowerCase(rpc.charAt(i + 1));
        if (Character.isLowerCase(prev)
            || Character.isDigit(prev)
            || (Character.isUpperCase(prev) && nextLower)) {
          out.append('_');
        }
      }
      out.append(Character.toUpperCase(c));
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }
}
