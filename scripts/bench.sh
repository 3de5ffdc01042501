#!/usr/bin/env bash
# Runs a benchmark and writes its JSON (bench/results/) and plots (docs/benchmarks/).
#   ./scripts/bench.sh sim     closed-loop sync simulation (bench/results/sim.json)
#   ./scripts/bench.sh server  streamsync-server against nginx and chronyd, ~3 minutes
#                              (bench/results/server.json; needs wrk, nginx, chrony, jq, curl)
#   ./scripts/bench.sh ingest  streamsync-server ingest against the same plain ffmpeg command,
#                              2.5-5 minutes (bench/results/ingest.json, docs/benchmarks/ingest.md;
#                              needs ffmpeg, ffprobe, jq)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 sim|server|ingest" >&2; exit 2; }
[ $# -ge 1 ] || usage

build_default() {
  cmake --preset default >/dev/null
  cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)" --target "$@"
}

case "$1" in
  sim)
    build_default sync_sim_bench
    traces=$(mktemp -d)
    trap 'rm -rf "$traces"' EXIT
    mkdir -p bench/results docs/benchmarks
    ./build/default/bench/sync_sim_bench --json bench/results/sim.json --trace-dir "$traces"
    gnuplot -e "trace_dir='$traces'; out='docs/benchmarks/sync-simulation.png'" bench/plot_sim.gp
    echo "wrote bench/results/sim.json and docs/benchmarks/sync-simulation.png"
    ;;
  server)
    build_default streamsync-server ntp_load http_rate_load
    bench/server_bench.sh build/default bench/results/server.json docs/benchmarks/server.png
    ;;
  ingest)
    build_default streamsync-server ingest_command_print
    bench/ingest_bench.sh build/default bench/results/ingest.json docs/benchmarks/ingest.md
    ;;
  *) usage ;;
esac
