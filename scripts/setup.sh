#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages grpc-jni needs to build and test, if any is missing; with --bench
# also those of the native C++ benchmark baseline (native/bench: gRPC++, protoc and its gRPC plugin).
# Idempotent; prints nothing when everything is already there.
#   scripts/setup.sh [--bench]
set -euo pipefail

packages=(libgrpc-dev grpc-proto cmake g++ make pkgconf)
case "${1:-}" in
  "") ;;
  --bench) packages+=(libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc) ;;
  *) echo "usage: scripts/setup.sh [--bench]" >&2; exit 2 ;;
esac
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
