#!/usr/bin/env bash
# The README's test command: installs dependencies, builds with warnings as errors, runs
# every test, then builds and runs the core and its tests again under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)

echo "== ci preset: -Wall -Wextra -Werror, all tests"
cmake --preset ci
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

echo "== ci preset done after ${SECONDS} s"
echo "== asan preset: AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"
echo "== all done after ${SECONDS} s"
