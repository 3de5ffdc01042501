#!/usr/bin/env bash
# The README's "run it" command.
#   ./scripts/demo.sh         builds and starts streamsync-server with the Demo channel
#                             (two FFmpeg-made test videos looping) on http://localhost:8080
#   ./scripts/demo.sh --sim   runs the sync engine's closed-loop simulation instead
# The desktop viewer arrives with issue #6; until then watch the channel in any HLS player.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset default >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)

if [ "${1:-}" = "--sim" ]; then
  cmake --build --preset default -j "$jobs" --target sync_sim_bench
  echo "Simulating viewers with clocks off by up to ±2.5 s and ±100 ppm (see docs/benchmarks/sync-simulation.md)"
  exec ./build/default/bench/sync_sim_bench --json /dev/null
fi

cmake --build --preset default -j "$jobs" --target streamsync-server
data_dir=${STREAMSYNC_DATA:-$PWD/build/demo-data}
http=${STREAMSYNC_HTTP:-0.0.0.0:8080}
port=${http##*:}
cat <<MSG
Starting streamsync-server with the Demo channel (data in $data_dir; the first start makes
the demo videos with FFmpeg, ~15 s). Then:
  channels:      curl http://localhost:$port/api/v1/channels
  watch it live: mpv http://localhost:$port/media/channels/demo/master.m3u8   (or VLC, ffplay)
  server time:   chronyd -Q -f /dev/null "server 127.0.0.1 port 12123 iburst maxsamples 4"
Stop with Ctrl-C.
MSG
exec ./build/default/app/server/streamsync-server --demo --data "$data_dir" --http "$http"
