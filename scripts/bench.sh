#!/usr/bin/env bash
# Runs a benchmark and writes its JSON (bench/results/) and plots (docs/benchmarks/).
#   ./scripts/bench.sh sim     closed-loop sync simulation (bench/results/sim.json)
#   ./scripts/bench.sh server  streamsync-server against nginx and chronyd, ~4.5 minutes
#                              (bench/results/server.json; needs wrk, nginx, chrony, jq, curl)
#   ./scripts/bench.sh ingest  streamsync-server ingest against the same plain ffmpeg command,
#                              2.5-5 minutes (bench/results/ingest.json, docs/benchmarks/ingest.md;
#                              needs ffmpeg, ffprobe, jq)
#   ./scripts/bench.sh viewer  the headless streamsync viewer against plain mpv, with drifting
#                              clocks and repeated joins, ~8 minutes (bench/results/viewer.json,
#                              docs/benchmarks/viewer.md; needs mpv, python3, jq, curl, gnuplot,
#                              ffmpeg). BUILD_DIR=DIR uses an existing build directory configured
#                              with the viewer instead of the default preset.
#   ./scripts/bench.sh e2e [--viewers N] [--minutes M]
#                              end-to-end sync: N (6) headless viewers on wrong clocks through five
#                              scenarios of M (2) minutes: clean, 50±10 ms + 1% loss, asymmetric
#                              delay, bandwidth cap, faults (bench/results/e2e.json,
#                              docs/benchmarks/sync.md's plots; needs python3, jq, curl, gnuplot)
#   ./scripts/bench.sh screen [--viewers N] [--seconds S] [--fps R]
#                              sync measured from pixels: N (3) GUI viewers on skewed clocks under
#                              one Xvfb, S (60) s of whole-screen captures at R (300/31 ≈ 9.7)/s, each
#                              window's frame-number strip decoded, ~2 minutes
#                              (bench/results/screen.json, docs/benchmarks/screen-*.png; needs
#                              Xvfb, xdpyinfo, xwininfo, ffmpeg with x11grab, python3, jq, gnuplot)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: $0 sim|server|ingest|viewer|e2e [--viewers N] [--minutes M]" >&2
  echo "       $0 screen [--viewers N] [--seconds S] [--fps R]" >&2
  exit 2
}
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
  viewer)
    if [ -n "${BUILD_DIR:-}" ]; then
      cmake --build "$BUILD_DIR" -j "$(nproc 2>/dev/null || echo 2)" --target streamsync streamsync-server
    else
      build_default streamsync streamsync-server
    fi
    bench/viewer_bench.sh "${BUILD_DIR:-build/default}" bench/results/viewer.json docs/benchmarks/viewer.md
    ;;
  e2e)
    shift
    if [ -n "${BUILD_DIR:-}" ]; then
      cmake --build "$BUILD_DIR" -j "$(nproc 2>/dev/null || echo 2)" --target streamsync \
        streamsync-server streamsync-impair-relay streamsync-sync-stats
    else
      build_default streamsync streamsync-server streamsync-impair-relay streamsync-sync-stats
    fi
    bench/e2e_bench.sh "${BUILD_DIR:-build/default}" bench/results/e2e.json docs/benchmarks "$@"
    ;;
  screen)
    shift
    if [ -n "${BUILD_DIR:-}" ]; then
      cmake --build "$BUILD_DIR" -j "$(nproc 2>/dev/null || echo 2)" --target streamsync streamsync-server
    else
      build_default streamsync streamsync-server
    fi
    bench/screen_bench.sh "${BUILD_DIR:-build/default}" bench/results/screen.json docs/benchmarks "$@"
    ;;
  *) usage ;;
esac
