// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider, compiled against the current grpc-java, links against the oldest grpc-java line it
 * supports ({@code grpc-java.oldest.version}, TiKV's Java client's 1.60): every grpc-java class,
 * method and field its bytecode names resolves there, is used as declared there (static or not, and
 * accessible), and every concrete provider class implements what that grpc-java declares abstract.
 * Otherwise an application on that grpc-java would meet a {@code NoSuchMethodError}, {@code
 * IncompatibleClassChangeError}, {@code IllegalAccessError} or {@code AbstractMethodError}
 * mid-call. What came later is used through {@link Compat} only, after checking that it is there.
 */
class OldestGrpcJavaLinkageTest {
  private static final Path CLASSES = Path.of("target", "classes");
  private static final String OLDEST_VERSION = System.getProperty("grpc-java.oldest.version");
  private static final Path OLDEST = Path.of("target", "grpc-java-oldest-" + OLDEST_VERSION);

  private static URLClassLoader loader;

  /**
   * The provider's classes over the oldest grpc-api and everything else on this test's class path
   * but grpc-java's own jars (the current ones).
   */
  @BeforeAll
  static void load() throws IOException {
    assertThat(OLDEST_VERSION).as("the build sets grpc-java.oldest.version").isNotBlank();
    List<URL> urls = new ArrayList<>();
    urls.add(CLASSES.toUri().toURL());
    try (Stream<Path> jars = Files.list(OLDEST)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        urls.add(jar.toUri().toURL());
      }
    }
    assertThat(urls).as("the oldest grpc-api was copied to %s", OLDEST).hasSizeGreaterThan(1);
    Set<Path> own =
        Set.of(CLASSES.toAbsolutePath(), Path.of("target", "test-classes").toAbsolutePath());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace(File.separatorChar, '/');
      if (e.contains("/io/grpc/") || own.contains(Path.of(entry).toAbsolutePath())) {
        continue; // grpc-java's current jars, and the provider's classes (already first)
      }
      urls.add(Path.of(entry).toUri().toURL());
    }
    loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  @AfterAll
  static void close() throws IOException {
    loader.close();
  }

  /** The provider's class files. */
  private static List<Path> classFiles() throws IOException {
    try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/grpcjni/grpcjava"))) {
      return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }

  private static String binaryName(Path classFile) {
    String rel = CLASSES.relativize(classFile).toString().replace(File.separatorChar, '/');
    return rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
  }

  // javap -v's constant pool, which holds every member and class a class file names (calls, field
  // uses, method handles of lambdas and method references, catch types, ...):
  //   #12 = Methodref   #13.#14   // io/grpc/Metadata."<init>":()V
  //   #13 = Class       #15       // io/grpc/Metadata
  //   #16 = Utf8        (Lio/grpc/Metadata;)V     (a descriptor: each class in it must exist)
  private static final Pattern REF =
      Pattern.compile(
          "= (Methodref|InterfaceMethodref|Fieldref) +#\\d+\\.#\\d+ +// "
              + "((?:io/grpc|dev/grpcjni/grpcjava)/[\\w/$]+)\\.(\"<init>\"|[\\w$]+):(\\S+)");
  private static final Pattern CLASS_REF =
      Pattern.compile("= Class +#\\d+ +// \\[*L?(io/grpc/[\\w/$]+)");
  private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L(io/grpc/[\\w/$]+);");

  @Test
  void everyGrpcJavaMemberTheProviderUsesIsInTheOldestGrpcJava() throws Exception {
    // Compat is where what came later is used, each after checking that it is there.
    List<Path> files =
        classFiles().stream()
            .filter(f -> !f.getFileName().toString().startsWith("Compat"))
            .toList();
    assertThat(files).isNotEmpty();
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
    StringWriter out = new StringWriter();
    List<String> args = new ArrayList<>(List.of("-v", "-p"));
    files.forEach(f -> args.add(f.toString()));
    int rc = javap.run(new PrintWriter(out), new PrintWriter(out), args.toArray(new String[0]));
    assertThat(rc).as("javap: %s", out).isZero();

    Set<String> refs = new LinkedHashSet<>();
    Matcher m = REF.matcher(out.toString());
    while (m.find()) {
      refs.add(
          m.group(1).replace("ref", "")
              + " "
              + m.group(2)
              + " "
              + m.group(3).replace("\"", "")
              + " "
              + m.group(4));
    }
    Matcher c = CLASS_REF.matcher(out.toString());
    while (c.find()) {
      refs.add("Class " + c.group(1) + " - -");
    }
    Matcher d = DESCRIPTOR_CLASS.matcher(out.toString());
    while (d.find()) {
      refs.add("Class " + d.group(1) + " - -");
    }
    assertThat(refs).as("the provider's grpc-java references were found").hasSizeGreaterThan(50);

    Set<String> missing = new TreeSet<>();
    for (String ref : refs) {
      String[] p = ref.split(" ");
      String problem = resolve(p[0], p[1].replace('/', '.'), p[2], p[3]);
      if (problem != null) {
        missing.add(problem);
      }
    }
    assertThat(missing).as("not in grpc-java %s", oldest()).isEmpty();
  }

  // javap -c's instructions that name a grpc-java member:
  //   12: invokestatic  #34    // Method io/grpc/Status.fromThrowable:(Ljava/lang/Throwable;)...
  //   20: getfield      #40    // Field io/grpc/CallOptions.x:I
  private static final Pattern USE =
      Pattern.compile(
          "\\d+: (invokestatic|invokevirtual|invokespecial|invokeinterface|getstatic|putstatic"
              + "|getfield|putfield) +#\\d+(?:, *\\d+)? +// (?:Method|InterfaceMethod|Field) "
              + "(io/grpc/[\\w/$]+)\\.(\"<init>\"|[\\w$]+):(\\S+)");

  /**
   * The same bytecode against the oldest grpc-java's modifiers: a static member used as static and
   * an instance member as an instance one (else {@code IncompatibleClassChangeError}), and each
   * member and class accessible from the provider's package: public, or protected where the using
   * class extends its declaring one (else {@code IllegalAccessError}).
   */
  @Test
  void everyGrpcJavaMemberIsUsedAsTheOldestGrpcJavaDeclaresIt() throws Exception {
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
    Set<String> wrong = new TreeSet<>();
    int uses = 0;
    for (Path f : classFiles()) {
      if (f.getFileName().toString().startsWith("Compat")) {
        continue;
      }
      StringWriter out = new StringWriter();
      int rc = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p", f.toString());
      assertThat(rc).as("javap: %s", out).isZero();
      Class<?> user = Class.forName(binaryName(f), false, loader);
      Matcher m = USE.matcher(out.toString());
      while (m.find()) {
        uses++;
        String problem =
            checkUse(
                user,
                m.group(1),
                m.group(2).replace('/', '.'),
                m.group(3).replace("\"", ""),
                m.group(4));
        if (problem != null) {
          wrong.add(problem);
        }
      }
    }
    assertThat(uses).as("the provider's grpc-java member uses were found").isGreaterThan(100);
    assertThat(wrong).as("as declared in grpc-java %s", oldest()).isEmpty();
  }

  /** Null if {@code user}'s {@code op} of {@code owner.name:descriptor} links, else why not. */
  private static String checkUse(
      Class<?> user, String op, String owner, String name, String descriptor) {
    String what =
        user.getName().substring(user.getPackageName().length() + 1)
            + ": "
            + op
            + " "
            + owner
            + "."
            + name
            + descriptor;
    Class<?> type;
    java.lang.reflect.Member member;
    try {
      type = Class.forName(owner, false, loader);
      if (op.startsWith("get") || op.startsWith("put")) {
        Class<?> fieldType =
            MethodType.fromMethodDescriptorString("()" + descriptor, loader).returnType();
        member = findField(type, name, fieldType);
      } else {
        MethodType mt = MethodType.fromMethodDescriptorString(descriptor, loader);
        if (name.equals("<init>")) {
          member = null;
          for (Constructor<?> k : type.getDeclaredConstructors()) {
            if (Arrays.equals(k.getParameterTypes(), mt.parameterArray())) {
              member = k;
            }
          }
        } else {
          member = find(type, name, mt.parameterArray(), mt.returnType());
        }
      }
    } catch (ClassNotFoundException | TypeNotPresentException | LinkageError e) {
      return what + ": " + e; // the other test names what is missing
    }
    if (member == null) {
      return what + ": not there";
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      return what + ": " + owner + " is not public";
    }
    int mods = member.getModifiers();
    boolean wantsStatic = op.endsWith("static"); // invokestatic, getstatic, putstatic
    if (Modifier.isStatic(mods) != wantsStatic) {
      return what + ": " + (Modifier.isStatic(mods) ? "static" : "not static") + " there";
    }
    boolean accessible =
        Modifier.isPublic(mods)
            || (Modifier.isProtected(mods) && member.getDeclaringClass().isAssignableFrom(user));
    return accessible
        ? null
        : what
            + ": "
            + (Modifier.isProtected(mods)
                ? "protected"
                : Modifier.isPrivate(mods) ? "private" : "package-private")
            + " there";
  }

  @Test
  void everyConcreteProviderClassImplementsWhatTheOldestGrpcJavaDeclaresAbstract()
      throws Exception {
    Set<String> unimplemented = new TreeSet<>();
    for (Path f : classFiles()) {
      Class<?> type = Class.forName(binaryName(f), false, loader);
      if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
        continue;
      }
      for (Method abstractMethod : abstractMethods(type)) {
        Method impl = implementation(type, abstractMethod);
        if (impl == null) {
          unimplemented.add(type.getName() + " lacks " + abstractMethod);
        }
      }
    }
    assertThat(unimplemented).as("abstract in grpc-java %s", oldest()).isEmpty();
  }

  @Test
  void theCheckSeesTheOldestGrpcJavaAndNotTheCurrentOne() throws Exception {
    // ClientStreamTracer.inboundHeaders(Metadata) came after 1.60: the check would catch a call.
    Class<?> tracer = Class.forName("io.grpc.ClientStreamTracer", false, loader);
    Class<?> metadata = Class.forName("io.grpc.Metadata", false, loader);
    assertThat(find(tracer, "inboundHeaders", new Class<?>[] {metadata})).isNull();
    assertThat(find(tracer, "inboundHeaders", new Class<?>[0])).isNotNull();
    assertThat(
            resolve(
                "Method", "io.grpc.ClientStreamTracer", "inboundHeaders", "(Lio/grpc/Metadata;)V"))
        .isNotNull();
  }

  @Test
  void theUseCheckCatchesStaticnessAndAccess() throws Exception {
    Class<?> user = Class.forName("dev.grpcjni.grpcjava.GrpcJniClientCall", false, loader);
    String throwable = "(Ljava/lang/Throwable;)Lio/grpc/Status;";
    assertThat(checkUse(user, "invokestatic", "io.grpc.Status", "fromThrowable", throwable))
        .isNull();
    assertThat(checkUse(user, "invokevirtual", "io.grpc.Status", "fromThrowable", throwable))
        .endsWith("static there");
    assertThat(checkUse(user, "invokevirtual", "io.grpc.Metadata", "serialize", "()[[B"))
        .endsWith("package-private there");
    assertThat(
            checkUse(
                user,
                "invokevirtual",
                "io.grpc.ForwardingClientCall",
                "delegate",
                "()Lio/grpc/ClientCall;"))
        .endsWith("protected there");
  }

  private static String oldest() {
    try (Stream<Path> jars = Files.list(OLDEST)) {
      return jars.map(p -> p.getFileName().toString()).sorted().toList().toString();
    } catch (IOException e) {
      return OLDEST.toString();
    }
  }

  /** Null if {@code kind owner.name:descriptor} resolves in {@link #loader}, else why not. */
  private static String resolve(String kind, String owner, String name, String descriptor) {
    String what = kind + " " + owner + "." + name + descriptor;
    Class<?> type;
    try {
      type = Class.forName(owner, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return what + ": no class " + owner;
    }
    try {
      switch (kind) {
        case "Class":
          return null;
        case "Field":
          Class<?> fieldType =
              MethodType.fromMethodDescriptorString("()" + descriptor, loader).returnType();
          return findField(type, name, fieldType) != null ? null : what;
        default:
          MethodType mt = MethodType.fromMethodDescriptorString(descriptor, loader);
          Class<?>[] params = mt.parameterArray();
          if (name.equals("<init>")) {
            for (Constructor<?> k : type.getDeclaredConstructors()) {
              if (Arrays.equals(k.getParameterTypes(), params)) {
                return null;
              }
            }
            return what;
          }
          return find(type, name, params, mt.returnType()) != null ? null : what;
      }
    } catch (TypeNotPresentException | LinkageError e) {
      return what + ": " + e;
    }
  }

  private static Method find(Class<?> type, String name, Class<?>[] params) {
    return find(type, name, params, null);
  }

  /**
   * The method the JVM would resolve, by name, parameters and (unless null) return type, as a
   * descriptor names it: in the class, its superclasses, then its interfaces.
   */
  private static Method find(Class<?> type, String name, Class<?>[] params, Class<?> returns) {
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      Method m = declared(k, name, params, returns);
      if (m != null) {
        return m;
      }
    }
    for (Class<?> i : interfaces(type)) {
      Method m = declared(i, name, params, returns);
      if (m != null) {
        return m;
      }
    }
    return type.isInterface() ? declared(Object.class, name, params, returns) : null;
  }

  private static Method declared(Class<?> k, String name, Class<?>[] params) {
    return declared(k, name, params, null);
  }

  private static Method declared(Class<?> k, String name, Class<?>[] params, Class<?> returns) {
    for (Method m : k.getDeclaredMethods()) {
      if (m.getName().equals(name)
          && Arrays.equals(m.getParameterTypes(), params)
          && (returns == null || m.getReturnType() == returns)) {
        return m;
      }
    }
    return null;
  }

  private static Field findField(Class<?> type, String name, Class<?> fieldType) {
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> k = todo.poll();
      for (Field f : k.getDeclaredFields()) {
        if (f.getName().equals(name) && f.getType() == fieldType) {
          return f;
        }
      }
      todo.addAll(Arrays.asList(k.getInterfaces()));
      if (k.getSuperclass() != null) {
        todo.add(k.getSuperclass());
      }
    }
    return null;
  }

  /** Every interface {@code type} implements, directly or through its supertypes. */
  private static Set<Class<?>> interfaces(Class<?> type) {
    Set<Class<?>> all = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      todo.addAll(Arrays.asList(k.getInterfaces()));
    }
    while (!todo.isEmpty()) {
      Class<?> i = todo.poll();
      if (all.add(i)) {
        todo.addAll(Arrays.asList(i.getInterfaces()));
      }
    }
    return all;
  }

  /** The abstract methods of {@code type}'s superclasses and interfaces. */
  private static List<Method> abstractMethods(Class<?> type) {
    List<Method> out = new ArrayList<>();
    for (Class<?> k = type.getSuperclass(); k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (Modifier.isAbstract(m.getModifiers())) {
          out.add(m);
        }
      }
    }
    for (Class<?> i : interfaces(type)) {
      for (Method m : i.getDeclaredMethods()) {
        if (Modifier.isAbstract(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** A concrete method of {@code type} (or a default method) that implements {@code m}. */
  private static Method implementation(Class<?> type, Method m) {
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      Method d = declared(k, m.getName(), m.getParameterTypes());
      if (d != null && !Modifier.isAbstract(d.getModifiers())) {
        return d;
      }
    }
    for (Class<?> i : interfaces(type)) {
      Method d = declared(i, m.getName(), m.getParameterTypes());
      if (d != null && d.isDefault()) {
        return d;
      }
    }
    return null;
  }
}
