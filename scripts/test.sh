#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds native + Java, and runs every test: the shim's ctest suite,
# JUnit unit tests (surefire) and integration tests against real servers (failsafe), and the
# examples' smoke tests. Ends with one summary line; exits non-zero on any failure or JVM crash.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

status=0
# Debian's Maven 3.8.7 prints colour resets even in batch mode; strip them.
mvn -B -q verify "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || status=$?

# Sum every JUnit XML report: ctest's, surefire's and failsafe's.
reports=$(find . -path '*/target/*' \( -name 'TEST-*.xml' -o -name 'ctest-junit.xml' \) 2>/dev/null || true)
summary=$(printf '%s\n' $reports | xargs -r cat | tr '\n' ' ' | grep -o '<testsuite [^>]*>' | awk '
  function attr(name,   m) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
  { t += attr("tests"); f += attr("failures") + attr("errors"); s += attr("skipped") + attr("disabled") }
  END { printf "%d passed, %d failed, %d skipped", t - f - s, f, s }')

crashes=$(find . -path '*/target/*' -name 'hs_err*.log' 2>/dev/null || true)
if [ -n "$crashes" ]; then
  echo "test: JVM crash logs found:" >&2
  echo "$crashes" >&2
  status=1
fi

printf '\ntests: %s\n' "${summary:-0 passed, 0 failed}"
exit $status
