#!/usr/bin/env bash
# The README's "run it" command. The server and the viewer are the next milestones; until
# they land this builds libstreamsync-core and runs the closed-loop sync simulation: ten
# viewers with wrong clocks on simulated networks, printed as a summary per scenario.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)" --target sync_sim_bench
echo "Simulating viewers with clocks off by up to ±2.5 s and ±100 ppm (see docs/benchmarks/sync-simulation.md)"
./build/default/bench/sync_sim_bench --json /dev/null
