#!/usr/bin/env bash
# The README's "run it" command.
#   ./scripts/demo.sh            builds and starts streamsync-server with the Demo channel
#                                (two FFmpeg-made test videos looping) on http://localhost:8080
#                                and opens the streamsync viewer on it; closing the viewer
#                                stops the server. Without a display the viewer runs headless
#                                and prints its sync state.
#   ./scripts/demo.sh --server   the server only (watch with `streamsync`, mpv, VLC...)
#   ./scripts/demo.sh --sim      the sync engine's closed-loop simulation instead
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

cmake --build --preset default -j "$jobs" --target streamsync-server streamsync
data_dir=${STREAMSYNC_DATA:-$PWD/build/demo-data}
http=${STREAMSYNC_HTTP:-0.0.0.0:8080}
port=${http##*:}
server=(./build/default/app/server/streamsync-server --demo --data "$data_dir" --http "$http")
cat <<MSG
Starting streamsync-server with the Demo channel (data in $data_dir; the first start makes
the demo videos with FFmpeg, ~15 s). Also:
  channels:      curl http://localhost:$port/api/v1/channels
  any HLS player: mpv http://localhost:$port/media/channels/demo/master.m3u8
  more viewers:  ./build/default/app/viewer/streamsync --server http://localhost:$port --channel demo
MSG
if [ "${1:-}" = "--server" ]; then
  echo "Stop with Ctrl-C."
  exec "${server[@]}"
fi

log=$(mktemp)
"${server[@]}" 2> >(tee "$log" >&2) &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; rm -f "$log"' EXIT
until grep -q 'msg=listening' "$log"; do
  kill -0 "$server_pid" 2>/dev/null || { echo "demo.sh: the server did not start" >&2; exit 1; }
  sleep 0.5
done

viewer=(./build/default/app/viewer/streamsync --server "http://localhost:$port" --channel demo)
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
  echo "Opening the viewer; close it to stop the server."
  "${viewer[@]}"
else
  echo "No display: the viewer runs headless (Ctrl-C stops both)."
  "${viewer[@]}" --headless
fi
