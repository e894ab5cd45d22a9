// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors

/*
 * Command lines of the C++ benchmark mains: `--name=value`, as gRPC's benchmark programs take
 * them, with the rules of the Java mains so one command line runs either. A boolean flag may be
 * given bare (`--streaming_rpcs` means `--streaming_rpcs=true`); unknown flags are errors, so a
 * typo does not silently run the default case.
 * Keep in sync with java/grpc-jni-interop/src/main/java/dev/grpcjni/interop/Flags.java.
 */
#ifndef GRPCJNI_BENCH_FLAGS_H_
#define GRPCJNI_BENCH_FLAGS_H_

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace grpcjni_bench {

// Exit status for a bad command line, as the Java mains.
enum { kExitUsage = 2 };

class Flags {
 public:
  using Defaults = std::map<std::string, std::optional<std::string>, std::less<>>;

  // Parses argv against `defaults` (name -> default, std::nullopt for "no default"). For --help
  // prints `usage` and exits 0; for a bad command line prints the error and `usage` to stderr and
  // exits with kExitUsage. The typed getters do the same for a bad value.
  static Flags Parse(int argc, char** argv, Defaults defaults, const char* usage) {
    for (int i = 1; i < argc; i++) {
      std::string_view a = argv[i];
      if (a == "--help" || a == "-h") {
        std::printf("%s\n", usage);
        std::exit(0);
      }
    }
    Flags f(std::move(defaults), usage);
    for (int i = 1; i < argc; i++) {
      std::string_view a = argv[i];
      if (a.substr(0, 2) != "--") f.Fail("expected --name=value, got: " + std::string(a));
      size_t eq = a.find('=');
      if (eq == std::string_view::npos) {
        // A bare boolean flag: --name means --name=true.
        auto d = f.values_.find(a.substr(2));
        if (d == f.values_.end() || (d->second != "true" && d->second != "false")) {
          f.Fail("expected --name=value, got: " + std::string(a));
        }
        d->second = "true";
        continue;
      }
      auto v = f.values_.find(a.substr(2, eq - 2));
      if (v == f.values_.end()) f.Fail("unknown flag: " + std::string(a.substr(0, eq)));
      v->second = std::string(a.substr(eq + 1));
    }
    return f;
  }

  // The value, or std::nullopt if unset and without a default. `name` is one of the defaults.
  const std::optional<std::string>& Get(std::string_view name) const {
    return values_.find(name)->second;
  }

  int GetInt(std::string_view name) const {
    const std::optional<std::string>& v = Get(name);
    if (v) {
      char* end = nullptr;
      errno = 0;
      long n = std::strtol(v->c_str(), &end, 10);
      if (!v->empty() && *end == '\0' && errno == 0 && n >= INT32_MIN && n <= INT32_MAX) {
        return static_cast<int>(n);
      }
    }
    Fail("--" + std::string(name) + " must be an integer: " + v.value_or("null"));
  }

  bool GetBool(std::string_view name) const {
    const std::optional<std::string>& v = Get(name);
    if (v && EqualsIgnoreCase(*v, "true")) return true;
    if (v && EqualsIgnoreCase(*v, "false")) return false;
    Fail("--" + std::string(name) + " must be true or false: " + v.value_or("null"));
  }

  // Prints `message` and the usage to stderr and exits with kExitUsage.
  [[noreturn]] void Fail(const std::string& message) const {
    std::fprintf(stderr, "%s\n%s\n", message.c_str(), usage_);
    std::exit(kExitUsage);
  }

 private:
  Flags(Defaults values, const char* usage) : values_(std::move(values)), usage_(usage) {}

  static bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++) {
      if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    }
    return true;
  }

  Defaults values_;
  const char* usage_;
};

}  // namespace grpcjni_bench

#endif  // GRPCJNI_BENCH_FLAGS_H_
