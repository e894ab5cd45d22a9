#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages grpc-jni needs to build and test, if any is missing; with --bench
# also those of the native C++ benchmark baseline (native/bench: gRPC++, protoc and its gRPC plugin),
# with --fuzz clang and its libFuzzer/sanitizer runtimes (native/fuzz, scripts/fuzz.sh), with
# --chaos iproute2 and nftables (scripts/chaos.sh).
# Idempotent; prints nothing when everything is already there.
#   scripts/setup.sh [--bench] [--fuzz] [--chaos]
set -euo pipefail

packages=(libgrpc-dev grpc-proto cmake g++ make pkgconf)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc) ;;
    # libFuzzer and the sanitizer runtimes are in libclang-rt-14-dev, which clang-14 pulls in only
    # as a recommendation (and the install below skips those).
    --fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    # scripts/chaos.sh: network namespaces, a veth pair and nftables rules between them.
    --chaos) packages+=(iproute2 nftables) ;;
    *) echo "usage: scripts/setup.sh [--bench] [--fuzz] [--chaos]" >&2; exit 2 ;;
  esac
done
command -v javac >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
