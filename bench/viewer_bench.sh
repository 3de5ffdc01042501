#!/usr/bin/env bash
# The viewer benchmark (issue #6, performance): the headless `streamsync` viewer against the
# real `streamsync-server --demo` on loopback, measured in one run:
#   1. CPU time and peak RSS against plain `mpv` (same vo/ao/hwdec) playing the same 720p HLS
#      for the same 60 s, alternating which goes first in every round;
#   2. dropped frames, rate changes and the rates used while a deliberately drifting clock
#      (+/-30000 ppm) keeps the sync loop correcting;
#   3. time from process start to the first frame and to "in sync", over repeated joins;
#   4. the sync error around schedule item transitions.
#
#   bench/viewer_bench.sh BUILD_DIR OUT_JSON OUT_MD     (run by ./scripts/bench.sh viewer;
#                                                        the plot goes next to OUT_MD as .png)
#
# Environment: BENCH_VIEWER_ROUNDS (2: rounds of viewer + mpv, ABBA order), BENCH_VIEWER_S (60,
# the measured window of each of those runs), BENCH_VIEWER_DRIFT_PPM (30000),
# BENCH_VIEWER_DRIFT_S (60), BENCH_VIEWER_DRIFT_ROUNDS (1: runs at +ppm and at -ppm each),
# BENCH_VIEWER_JOINS (12), BENCH_VIEWER_JOIN_S (6, --duration of each join run);
# BENCH_NOTE, a free-text note copied into the JSON and the doc.
# BENCH_VIEWER_KEEP=DIR keeps the raw runs (measure.py JSON, viewer reports, logs) in DIR;
# BENCH_VIEWER_FROM=DIR measures nothing and redoes the JSON, plot and doc from such a DIR.
# About 8 minutes with the defaults. All traffic stays on 127.0.0.1. Every process started
# here is stopped on exit, even on failure.
set -euo pipefail

build=$1
out_json=$2
out_md=$3
out_png=${out_md%.md}.png
here=$(cd "$(dirname "$0")" && pwd)
server_bin=$build/app/server/streamsync-server
viewer_bin=$build/app/viewer/streamsync
cache=$build/bench-viewer/demo-data  # made once by --demo (FFmpeg, ~15 s), copied per run

rounds=${BENCH_VIEWER_ROUNDS:-2}
window_s=${BENCH_VIEWER_S:-60}
drift_ppm=${BENCH_VIEWER_DRIFT_PPM:-30000}
drift_s=${BENCH_VIEWER_DRIFT_S:-60}
drift_rounds=${BENCH_VIEWER_DRIFT_ROUNDS:-1}
joins=${BENCH_VIEWER_JOINS:-12}
join_s=${BENCH_VIEWER_JOIN_S:-6}
quality=720p
channel=demo

for tool in mpv python3 jq curl gnuplot ffmpeg; do
  command -v "$tool" >/dev/null || { echo "viewer bench: needs $tool on PATH" >&2; exit 1; }
done
if [ -z "${BENCH_VIEWER_FROM:-}" ]; then
  for bin in "$server_bin" "$viewer_bin"; do
    [ -x "$bin" ] || { echo "viewer bench: $bin is not built" >&2; exit 1; }
  done
fi

log() { echo "[viewer bench] $*" >&2; }

loadavg_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/streamsync-viewer-bench.XXXXXX")
runs=$work/runs
mkdir -p "$runs" "$work/plot"
server_pid=""
child=""

stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  stop_pid "$child"
  stop_pid "$server_pid"
  if [ "$status" -ne 0 ]; then
    echo "viewer bench failed; logs:" >&2
    tail -n 20 "$work"/*.log "$runs"/*.log >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts streamsync-server on DATA with ephemeral ports; sets server_pid, http_port.
start_server() {
  local data=$1 timeout_s=$2 line=""
  "$server_bin" --demo --data "$data" --http 127.0.0.1:0 --ntp 127.0.0.1:0 \
    --ntp-rate-limit 1000 >"$work/server.out" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq $((timeout_s * 10))); do
    line=$(grep -m1 'msg=listening' "$work/server.log" || true)
    [ -n "$line" ] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "streamsync-server exited" >&2; return 1; }
    sleep 0.1
  done
  [ -n "$line" ] || { echo "streamsync-server did not listen within ${timeout_s}s" >&2; return 1; }
  http_port=$(sed -E 's/.* http=[^ ]*:([0-9]+).*/\1/' <<<"$line")
}

measure_all() {
  # ---- demo data: made once, copied fresh for every run (the catalog collects viewers)
  if [ ! -f "$cache/.complete" ]; then
    log "making the demo data (FFmpeg, once) in $cache"
    rm -rf "$cache"
    mkdir -p "$cache"
    start_server "$cache" 300
    stop_pid "$server_pid"
    server_pid=""
    touch "$cache/.complete"
  fi
  cp -a "$cache" "$work/data"
  start_server "$work/data" 60
  server=http://127.0.0.1:$http_port
  log "streamsync-server on $server"
  for _ in $(seq 100); do
    curl -fsS "$server/api/v1/channels/$channel/schedule" -o "$work/schedule.json" 2>/dev/null && break
    sleep 0.1
  done
  # The mpv baseline plays what the viewer plays: the items' VOD playlists of the pinned rung, in
  # schedule order, looped. (The live playlist /media/channels/demo/720p/live.m3u8 would make mpv
  # poll a sliding window, which the viewer never does.)
  jq -r --arg base "$server" --arg q "$quality" \
    '.schedules[-1].items[] | "\($base)/media/videos/\(.video_id)/\($q)/index.m3u8"' \
    "$work/schedule.json" >"$work/items.m3u"
  [ -s "$work/items.m3u" ] || { echo "the $channel channel has no items" >&2; exit 1; }
  while read -r url; do curl -fsS -o /dev/null "$url"; done <"$work/items.m3u"

  viewer_cmd=("$viewer_bin" --headless --server "$server" --channel "$channel" --quality "$quality")
  mpv_cmd=(mpv --no-config --no-terminal --vo=null --ao=null --hwdec=no --loop-playlist=inf
           "--playlist=$work/items.m3u")

  # measure NAME WINDOW_S|"" COMMAND...: one measured process (bench/viewer/measure.py).
  measure() {
    local name=$1 window=$2
    shift 2
    local args=(--out "$runs/$name.json" --stdout "$runs/$name.out" --stderr "$runs/$name.log")
    [ -n "$window" ] && args+=(--window "$window")
    python3 "$here/viewer/measure.py" "${args[@]}" -- "$@" &
    child=$!
    wait "$child" || { child=""; log "$name: the measured process failed"; tail -n 5 "$runs/$name.log" >&2; return 1; }
    child=""
  }

  # ---- 1. CPU and RSS: the viewer and plain mpv, same stream, same window, ABBA
  # The viewer's own --duration is a coarse Qt timer (it may fire up to 5% early), so both are
  # read at exactly window_s after the spawn and then stopped with SIGTERM; --duration is a backstop.
  for round in $(seq "$rounds"); do
    order=(viewer mpv)
    [ $((round % 2)) -eq 0 ] && order=(mpv viewer)
    for which in "${order[@]}"; do
      if [ "$which" = viewer ]; then
        measure "cpu-viewer-$round" "$window_s" "${viewer_cmd[@]}" --duration $((window_s + 10)) \
          --report "$runs/cpu-viewer-$round.jsonl"
      else
        measure "cpu-mpv-$round" "$window_s" "${mpv_cmd[@]}"
      fi
      log "round $round/$rounds $which: $(jq -c '.at_window | {cpu_s, vmhwm_mb: (.vmhwm_kb / 1024 | round)}' \
        "$runs/cpu-$which-$round.json")"
    done
  done

  # ---- 2. drifting clocks: the sync loop has to keep changing the rate
  for round in $(seq "$drift_rounds"); do
    order=(p m)
    [ $((round % 2)) -eq 0 ] && order=(m p)
    for sign in "${order[@]}"; do
      ppm=$drift_ppm
      [ "$sign" = m ] && ppm=-$drift_ppm
      measure "drift-$sign-$round" "$drift_s" "${viewer_cmd[@]}" --duration $((drift_s + 10)) \
        --clock-drift-ppm "$ppm" --report "$runs/drift-$sign-$round.jsonl"
      log "drift $ppm ppm: $(tail -n1 "$runs/drift-$sign-$round.jsonl" |
        jq -c '{state, error_ms, rate, rate_changes, dropped_frames, seeks}')"
    done
  done

  # ---- 3. joins: process start to first frame and to in sync
  for n in $(seq "$joins"); do
    measure "join-$n" "" "${viewer_cmd[@]}" --duration "$join_s" --report "$runs/join-$n.jsonl"
    first_frame_ns=$(jq -rs 'map(select(.state == "correcting" or .state == "in_sync"))[0].mono_ns // empty' \
      "$runs/join-$n.jsonl")
    if [ -n "$first_frame_ns" ]; then
      log "join $n/$joins: first frame after $(( (first_frame_ns - $(jq .start_mono_ns "$runs/join-$n.json")) / 1000000 )) ms"
    else
      log "join $n/$joins: no frame"
    fi
  done
  loadavg_at_end=$(cut -d' ' -f1-3 /proc/loadavg)
  stop_pid "$server_pid"
  server_pid=""

  # ---- results
  jq -n \
    --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --argjson nproc "$(nproc)" \
    --arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
    --arg la_start "$loadavg_at_start" --arg la_end "$loadavg_at_end" \
    --arg mpv "$(mpv --no-config --version | head -n1 | awk '{print $2}')" \
    --arg libmpv "$(dpkg-query -W -f '${Version}' libmpv2 2>/dev/null || echo unknown)" \
    --arg ffmpeg "$(ffmpeg -hide_banner -version | head -n1 | awk '{print $3}')" \
    --arg viewer "$(QT_QPA_PLATFORM=offscreen "$viewer_bin" --version 2>/dev/null | tail -n1)" \
    --arg build "$build" \
    --arg commit "$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    --arg dirty "$(git status --porcelain -- app core player 2>/dev/null | wc -l | tr -d ' ')" \
    --arg note "${BENCH_NOTE:-}" \
    --argjson rounds "$rounds" --argjson window_s "$window_s" --argjson drift_ppm "$drift_ppm" \
    --argjson drift_s "$drift_s" --argjson drift_rounds "$drift_rounds" \
    --argjson joins "$joins" --argjson join_s "$join_s" --arg quality "$quality" \
    --arg items "$(sed "s|$server|SERVER|" "$work/items.m3u" | paste -sd' ')" \
    --arg viewer_cmd "streamsync --headless --server SERVER --channel $channel --quality $quality --duration $((window_s + 10)) --report FILE" \
    --arg mpv_cmd "mpv --no-config --no-terminal --vo=null --ao=null --hwdec=no --loop-playlist=inf --playlist=ITEMS.m3u" \
    '{
      benchmark: "viewer", date: $date, nproc: $nproc, cpu: $cpu,
      loadavg_at_start: $la_start, loadavg_at_end: $la_end,
      versions: {mpv: $mpv, libmpv2: $libmpv, ffmpeg: $ffmpeg, streamsync: $viewer},
      build_dir: $build, git_commit: $commit, note: $note,
      uncommitted_files_in_app_core_player: (if $commit == "unknown" then "unknown" else ($dirty | tonumber) end),
      targets: {cpu_ratio_vs_mpv: 1.1, rss_ratio_vs_mpv: 1.3, dropped_frames_during_rate_changes: 0,
                join_to_first_frame_ms_p95: 1000},
      setup: {
        quality: $quality, rounds: $rounds, window_s: $window_s,
        viewer_command: $viewer_cmd, mpv_command: $mpv_cmd, mpv_playlist: $items,
        cpu_method: "utime+stime of all threads (/proc/PID/stat) and VmHWM (/proc/PID/status), read window_s after the spawn; then SIGTERM",
        drift_ppm: $drift_ppm, drift_s: $drift_s, drift_rounds: $drift_rounds,
        joins: $joins, join_duration_s: $join_s,
        first_frame: "first report line with state correcting or in_sync (the seek has landed, its frame was shown on vo=null and the clock started)",
        start_clock: "python3 time.monotonic_ns() right before spawning (CLOCK_MONOTONIC, the report'"'"'s mono_ns clock)"
      },
      drift_plus_ppm: $drift_ppm, drift_minus_ppm: (0 - $drift_ppm)
    }' >"$work/meta.json"
}

if [ -n "${BENCH_VIEWER_FROM:-}" ]; then
  log "re-analysing the runs in $BENCH_VIEWER_FROM (nothing is measured)"
  cp -a "$BENCH_VIEWER_FROM"/. "$work"/
else
  measure_all
  if [ -n "${BENCH_VIEWER_KEEP:-}" ]; then
    mkdir -p "$BENCH_VIEWER_KEEP"
    cp -a "$runs" "$work/meta.json" "$BENCH_VIEWER_KEEP"/
    log "raw runs kept in $BENCH_VIEWER_KEEP"
  fi
fi

mkdir -p "$(dirname "$out_json")" "$(dirname "$out_md")"
python3 "$here/viewer/analyze.py" --runs "$runs" --meta "$work/meta.json" --out "$out_json" \
  --plot-dir "$work/plot"
gnuplot -e "dir='$work/plot'; out='$out_png'; ppm='$drift_ppm'" "$here/viewer/plot.gp"

# ---- the doc
write_md() {
  local j=$out_json
  val() { jq -r "$1" "$j"; }
  met() { [ "$(val ".met.$1")" = true ] && echo met || echo "**not met**"; }
  cat <<MD
# Viewer: CPU, memory, rate changes, joins and item transitions

\`./scripts/bench.sh viewer\` (issue #6, performance) builds \`streamsync\` and
\`streamsync-server\`, starts the real \`streamsync-server --demo\` on loopback and runs the
headless viewer against it: against plain \`mpv\` for CPU and memory, with a deliberately
drifting clock for rate changes, and repeatedly from a cold start for join times. It writes
\`bench/results/viewer.json\`, this page and [viewer.png](viewer.png) (regenerated on every run),
prints progress on stderr and never passes or fails on speed.

## Reproduce

\`\`\`sh
./scripts/bench.sh viewer                     # ~8 minutes; the first run adds ~15 s of FFmpeg for the demo
BUILD_DIR=build/mine ./scripts/bench.sh viewer  # an existing build directory (with the viewer) instead of the default preset
\`\`\`

Needs \`mpv\`, \`python3\` (standard library only), \`jq\`, \`curl\`, \`gnuplot\`, \`ffmpeg\`.
Shorter runs for development: \`BENCH_VIEWER_ROUNDS=1 BENCH_VIEWER_S=15 BENCH_VIEWER_DRIFT_S=15
BENCH_VIEWER_JOINS=3 bench/viewer_bench.sh build/default /tmp/v.json /tmp/v.md\`.
\`BENCH_NOTE\` is copied into the JSON. \`BENCH_VIEWER_KEEP=DIR\` keeps the raw runs (the viewer's reports,
logs, per-process samples); \`BENCH_VIEWER_FROM=DIR\` redoes the JSON, the plot and this page from them
without measuring.

## Setup

- **Server**: \`streamsync-server --demo --data <fresh copy> --http 127.0.0.1:0 --ntp 127.0.0.1:0
  --ntp-rate-limit 1000\` (the demo data is made once under \`$(val .build_dir)/bench-viewer/\`).
  Channel \`demo\`: test pattern A (30 s) then B (20 s), looping, each as a 720p and a 360p H.264 +
  AAC HLS rung, 30 fps, 2 s segments.
- **Viewer**: \`$(val .setup.viewer_command)\` (vo=null, ao=null, hwdec=no inside; $(val .versions.streamsync),
  libmpv2 $(val .versions.libmpv2)). The CPU runs keep \`--report\` on, because the transitions
  are measured from those reports: the viewer pays for ~60 unbuffered JSON lines a second that a
  real viewer does not write.
- **mpv**: \`$(val .setup.mpv_command)\` (mpv $(val .versions.mpv)), where the playlist holds the
  channel's items in schedule order: \`$(val .setup.mpv_playlist)\`. These are the same VOD
  playlists the viewer loads (it loads each item's \`index.m3u8\` at the scheduled position and
  queues the next one); the channel's live playlist (\`/media/channels/demo/720p/live.m3u8\`)
  would have mpv re-poll a sliding window, which the viewer never does. \`--no-config\` and
  \`--no-terminal\` match libmpv's defaults (no config file, no terminal output).
- **CPU and RSS**: both processes are read **$(val .setup.window_s) s after they are spawned** —
  utime + stime of all threads from \`/proc/PID/stat\`, peak RSS from \`VmHWM\` in
  \`/proc/PID/status\` — and then stopped with SIGTERM. (The viewer's \`--duration\` is a coarse
  Qt timer that can end a run up to 5% early, so it is only a backstop here.) Both include
  their start-up: for the viewer that is the join (clock sync, schedule, load, exact seek).
  $(val .setup.rounds) rounds, ABBA (odd rounds start with the viewer); ratios are medians of the
  per-round ratios.
- **Rate changes**: the viewer with \`--clock-drift-ppm +$(val .setup.drift_ppm)\` and
  \`-$(val .setup.drift_ppm)\` for $(val .setup.drift_s) s each; dropped frames, rate changes and
  the rate distribution come from its \`--report\` (ticks in state correcting/in_sync).
  \`dropped_frames\` in the report is mpv's \`frame-drop-count\` + \`decoder-frame-drop-count\`,
  which restart at every item: the bench sums the counter's positive steps.
- **Joins**: $(val .setup.joins) cold starts of the viewer with \`--duration $(val .setup.join_duration_s)\`, one
  after the other. Start = \`time.monotonic_ns()\` in python3 right before spawning
  (CLOCK_MONOTONIC, the clock of the report's \`mono_ns\`). **First frame shown** = the first
  report line whose state is \`correcting\` or \`in_sync\`: the exact seek has landed, its first
  frame was handed to the (null) video output and held for the resume instant, and playback
  runs. \`join_to_position_ms\` (first \`raw_pos_s\` > 0) is given too. Percentiles interpolate
  linearly; with $(val .setup.joins) samples p95 lies between the two largest.
- **Item transitions**: in the 60 s no-drift reports of the CPU runs, at every change of
  \`item\` once playing: \`|error_ms|\` at the first tick ≥ 0.5 s after the change, and the
  largest \`|error_ms|\` within 2 s after it. A transition less than 5 s after the viewer first
  played is listed but not counted (it measures the join's convergence).
- **Clock error** (plot, bottom): the report's \`server_us\` minus the real server clock at that
  tick. Server and viewer run on one machine and the server answers NTP from the system clock,
  so the real server time at \`mono_ns\` is \`mono_ns + (CLOCK_REALTIME − CLOCK_MONOTONIC)\`,
  measured when the viewer starts. \`error_ms\` is measured against the viewer's own estimate of
  server time and cannot see this error; "true error" = \`error_ms\` + clock error.
- Machine: $(val .nproc) CPUs ($(val .cpu)), load average $(val .loadavg_at_start) at start and
  $(val .loadavg_at_end) at end. Run $(val .date), build \`$(val .build_dir)\`, commit
  $(val .git_commit | cut -c1-12) with $(val .uncommitted_files_in_app_core_player) uncommitted
  files under app/, core/, player/.
$( [ -n "$(val .note)" ] && printf -- '- **Note**: %s' "$(val .note)" )

## Results

| Metric | Result | Goal | |
|---|---|---|---|
| \`cpu_ratio_vs_mpv\` (whole window, start-up included) | **$(val .cpu_ratio_vs_mpv)** ($(val .viewer_cpu_s) s / $(val .mpv_cpu_s) s CPU in $(val .setup.window_s) s) | ≤ 1.1 | $(met cpu_ratio_vs_mpv) |
| CPU ratio, both playing (from $(val .cpu_ratio_steady_from_s) s to the end) | $(val .cpu_ratio_vs_mpv_steady) | (≤ 1.1) | $(awk -v x="$(val .cpu_ratio_vs_mpv_steady)" 'BEGIN { print (x <= 1.1) ? "within" : "**above**" }') |
| \`rss_ratio_vs_mpv\` | **$(val .rss_ratio_vs_mpv)** ($(val .viewer_peak_rss_mb) MB / $(val .mpv_peak_rss_mb) MB peak) | ≤ 1.3 | $(met rss_ratio_vs_mpv) |
| \`dropped_frames_during_rate_changes\` (720p30, ±$(val .setup.drift_ppm) ppm) | **$(val .dropped_frames_during_rate_changes)** in $(val '.rate_changes_during_drift') rate changes, rates $(val .drift_rate_min) … $(val .drift_rate_max) | 0 | $(met dropped_frames_during_rate_changes) |
| \`join_to_first_frame_ms\` p50 / p95 | **$(val .join_to_first_frame_ms.p50) / $(val .join_to_first_frame_ms.p95)** (max $(val .join_to_first_frame_ms.max), n $(val .join_to_first_frame_ms.n), missing $(val .join_to_first_frame_ms.missing)) | p95 ≤ 1000 | $(met join_to_first_frame_ms_p95) |
| \`join_to_in_sync_ms\` p50 / p95 | $(val .join_to_in_sync_ms.p50) / $(val .join_to_in_sync_ms.p95) (max $(val .join_to_in_sync_ms.max), missing $(val .join_to_in_sync_ms.missing)) | — | |
| \`item_transition_gap_ms\` p50 / max (\|error\| 0.5 s after) | $(val .item_transition_gap_ms.p50) / $(val .item_transition_gap_ms.max) over $(val .item_transition_gap_ms.n) transitions | — | |
| max \|error\| within 2 s of a transition, p50 / max | $(val .item_transition_gap_ms.max_within_2s_p50) / $(val .item_transition_gap_ms.max_within_2s_max) | — | |

### CPU and memory, per round

| Round | First | Viewer CPU (s) | mpv CPU (s) | CPU ratio | Ratio from $(val .cpu_ratio_steady_from_s) s | Viewer RSS at $(val .cpu_ratio_steady_from_s) s / peak (MB) | mpv RSS at $(val .cpu_ratio_steady_from_s) s / peak (MB) | RSS ratio | Viewer: rate changes / seeks / drops |
|---|---|---|---|---|---|---|---|---|---|
$(jq -r '.cpu_rounds[] | "| \(.round) | \(.first) | \(.viewer_cpu_s) (user \(.viewer_utime_s), sys \(.viewer_stime_s)) | \(.mpv_cpu_s) (user \(.mpv_utime_s), sys \(.mpv_stime_s)) | \(.cpu_ratio) | \(.cpu_ratio_steady) | \(.viewer_rss_mb_at_10s) / \(.viewer_peak_rss_mb) | \(.mpv_rss_mb_at_10s) / \(.mpv_peak_rss_mb) | \(.rss_ratio) | \(.viewer_report.rate_changes) / \(.viewer_report.seeks) / \(.viewer_report.dropped_frames) |"' "$j")

### Drifting clock

| Run | Drift (ppm) | Dropped | Rate changes | Rate min / p5 / p50 / p95 / max | Ticks at rate > 1 / < 1 | \|error_ms\| p50 / p95 / max | Seeks | Clock error at end (ms), per s | \|true error\| p95 / max (ms) |
|---|---|---|---|---|---|---|---|---|---|
$(jq -r '.drift_runs[] | "| \(.run) | \(.clock_drift_ppm) | \(.dropped_frames) | \(.rate_changes) | \(.rate_min) / \(.rate_p5) / \(.rate_p50) / \(.rate_p95) / \(.rate_max) | \(.share_of_ticks_rate_above_1) / \(.share_of_ticks_rate_below_1) | \(.abs_error_ms_p50) / \(.abs_error_ms_p95) / \(.abs_error_ms_max) | \(.seeks) | \(.clock_error_ms_at_end), \(.clock_error_ms_per_s) | \(.abs_true_error_ms_p95) / \(.abs_true_error_ms_max) |"' "$j")

### Joins (ms from spawn)

Medians of the phases: spawn → first report tick $(val .join_phases_ms_p50.spawn_to_first_tick), → \`seeking\`
(clock and schedule known) +$(val .join_phases_ms_p50.first_tick_to_seeking), → mpv has a position
+$(val .join_phases_ms_p50.seeking_to_position), → first frame (playing) +$(val .join_phases_ms_p50.position_to_first_frame),
→ in sync +$(val .join_phases_ms_p50.first_frame_to_in_sync). The error at the first playing tick
(signed, + = ahead): p50 $(val .join_first_error_ms.p50) ms, range $(val .join_first_error_ms.min) … $(val .join_first_error_ms.max) ms.

| Run | First tick | Seeking | raw_pos_s > 0 | First frame | In sync | First error (ms) | Longest tick gap (ms) | Dropped | Load at start |
|---|---|---|---|---|---|---|---|---|---|
$(jq -r '.join_runs[] | "| \(.run) | \(.first_tick_ms) | \(.seeking_ms) | \(.position_ms) | \(.first_frame_ms) | \(.in_sync_ms) | \(.first_error_ms) | \(.tick_gap_ms_max) | \(.dropped_frames) | \(.loadavg_at_start | split(" ")[0]) |"' "$j")

### Item transitions (no drift)

| Run | At (s) | Item | error before (ms) | mpv position − target at the new item's start (ms) | error at 0.5 s (ms) | max \|error\| 2 s (ms) | States within 2 s | Seeks | Dropped |
|---|---|---|---|---|---|---|---|---|---|
$(jq -r '.item_transitions[] | "| \(.run) | \(.t_s)\(if .during_join then " (join, not counted)" else "" end) | \(.from_item) → \(.to_item) | \(.error_ms_before // "—") | \(.raw_minus_target_ms_at_start // "—") | \(.error_ms_at_0_5s) | \(.abs_error_ms_max_2s) | \(.states_2s | join(", ")) | \(.seeks_in_2s) | \(.dropped_in_2s) |"' "$j")

"error before": the last \`error_ms\` in the second before the change. "mpv position − target":
\`raw_pos_s − target_s\` at the first tick where the new item has a position (mpv's own, unfiltered,
quantised to frames of 33 ms).

With the drifting clocks (errors against the viewer's own clock):
$(val .item_transition_gap_ms_drifting.n) transitions, \|error\| at 0.5 s p50 $(val '.item_transition_gap_ms_drifting.p50 // "—"') /
max $(val '.item_transition_gap_ms_drifting.max // "—"') ms, largest \|error\| within 2 s p50
$(val '.item_transition_gap_ms_drifting.max_within_2s_p50 // "—"') / max $(val '.item_transition_gap_ms_drifting.max_within_2s_max // "—"') ms.

![Sync error and playback rate, without drift and with a drifting clock; clock estimate error](viewer.png)

## What limits them, and what the viewer did

- **Noise.** This is a shared $(val .nproc)-core VM (load $(val .loadavg_at_start) → $(val .loadavg_at_end)); each
  run's load average at its start is in the JSON. mpv needs only ~$(jq -r '[.cpu_rounds[].mpv_cpu_per_s_steady] | add / length * 100 | round' "$j")% of one core for this
  stream, so a few hundred ms of someone else's CPU moves a ratio by several percent: read the per-round ratios.
- **CPU.** Both processes decode the same H.264 720p30 + AAC with the same libavcodec in software
  (\`hwdec=no\`) and discard the frames (\`vo=null\`), so the ratio is the viewer's own overhead: the
  Qt event loop, the ~60 Hz sync tick (tick interval p50 $(jq -r '.cpu_rounds[0].viewer_report.tick_interval_ms_p50' "$j") ms), observed mpv properties, NTP polling,
  heartbeats, and — in this benchmark only — the \`--report\` line written unbuffered at every tick.
  The headline ratio counts the whole window, in which the viewer spends its first
  ~$(val .join_to_first_frame_ms.p50) ms joining (mostly waiting, not decoding); once both play, the ratio
  is $(val .cpu_ratio_vs_mpv_steady).
- **Memory.** The viewer starts above mpv (RSS at $(val .cpu_ratio_steady_from_s) s: ratio $(jq -r '.cpu_rounds | map(.viewer_rss_mb_at_10s / .mpv_rss_mb_at_10s) | sort | .[length / 2 | floor] * 100 | round / 100' "$j"):
  Qt Core/Network and the viewer's own state on top of the same libmpv) and then grows: here from
  $(jq -r '[.cpu_rounds[] | "\(.viewer_rss_mb_at_10s) to \(.viewer_peak_rss_mb)"] | join(" and ")' "$j") MB, against
  $(jq -r '[.cpu_rounds[] | "\(.mpv_rss_mb_at_10s) to \(.mpv_peak_rss_mb)"] | join(" and ")' "$j") MB for mpv. It
  **grows at every item transition**, where mpv grows once and levels off. Checked once beyond the benchmark's window
  (2026-11-28, same build, one process each, 240 s): the viewer went 114 → 125 → 134 → 143 → 149 →
  154 → 158 → 164 MB, a step at every transition, still rising at the end; plain mpv looping the
  same two playlists went 104 → 117 MB and stayed flat from 140 s. The viewer queues each next item
  with \`prefetch-playlist=yes\` (two demuxers and their caches at once around a transition) and
  replaces the playlist on every load; whether the steps are a leak or allocator fragmentation was not
  investigated. So the RSS ratio depends on how many transitions the window holds (two in 60 s of
  this channel), and a longer run gives a larger ratio.
- **Dropped frames.** With \`vo=null\` no frame can miss a display refresh: \`frame-drop-count\`
  counts only frames mpv drops because video fell behind the (null) audio clock, and
  \`decoder-frame-drop-count\` frames the decoder skipped. A zero says the decoder keeps up at
  rates $(val .drift_rate_min) … $(val .drift_rate_max) on this machine, not that a real screen would
  show every frame; the GUI viewer on a real display needs its own check. The drifting clocks drove
  the rate over $(val .drift_rate_min) … $(val .drift_rate_max), not the full 0.95 … 1.05 range: the
  controller asks only for what the error needs. $(if [ "$(val .dropped_frames_in_joins)" -gt 0 ]; then
    echo "Drops did happen elsewhere: $(val .joins_with_tick_gap_over_100ms) of $(val .setup.joins) join runs had a gap of more than 100 ms
  between sync ticks (the process did not get the CPU; see the load column), with
  $(val .dropped_frames_in_joins) dropped frames in all the join runs together."
  else
    echo "The join runs dropped no frames either ($(val .joins_with_tick_gap_over_100ms) of them had a gap of more than
  100 ms between sync ticks)."
  fi) In an earlier run on a busier machine (2026-11-28, load 1.6-3.6) 4 of 12 join runs were
  starved of CPU (tick gaps of 370-690 ms, mpv logging "Audio device underrun") and dropped 47 frames
  in all: the drop count tracks the machine's load more than the rate changes.
- **Clock drift far outside the design.** ±$(val .setup.drift_ppm) ppm is 300 times the clock
  estimator's drift prior (1σ = 100 ppm, a crystal's range). The estimator absorbed only part of
  it: the estimated server time walked away from the real one at
  $(jq -r '[.drift_runs[] | .clock_error_ms_per_s] | map(tostring) | join(" and ")' "$j") ms per second (the drift
  itself is $(awk -v p="$(val .setup.drift_ppm)" 'BEGIN { print p / 1000 }') ms per second) and was
  $(jq -r '[.drift_runs[] | .clock_error_ms_at_end] | map(tostring) | join(" and ")' "$j") ms off at the end, while
  the viewer's own \`error_ms\` had a p50 of $(jq -r '[.drift_runs[] | .abs_error_ms_p50] | map(tostring) | join(" and ")' "$j") ms:
  it followed a wrong target closely. The median rates, $(jq -r '[.drift_runs[] | .rate_p50] | map(tostring) | join(" and ")' "$j"),
  are what tracking that wrongly estimated clock takes (not 1 ± $(awk -v p="$(val .setup.drift_ppm)" 'BEGIN { print p / 1e6 }')). The error does not go
  to zero: outside the deadband the rate the loop sets is proportional to the error (rate =
  1 − error / 1 s in these reports, e.g. 15 ms behind → 1.015), so a steady 1.5% mismatch is
  held with a steady ~15 ms error — outside the 7 ms deadband, in state \`correcting\` most of
  the time (the plot); the slow servo that removes creeping errors works only inside the deadband. That is
  fine for this test (the loop keeps changing the rate), but two viewers on such clocks would be
  apart by the sum of these errors; with a realistic drift the estimator is accurate (no-drift runs:
  clock error ≤ $(jq -r '[.cpu_rounds[].viewer_report.abs_clock_error_ms_max] | max' "$j") ms).
- **Joins.** The largest phase is the load and exact seek (median $(val .join_phases_ms_p50.seeking_to_position) ms: the item's
  HLS playlist, its segments, decoding from the keyframe up to the target frame), then the frame is
  held for the resume instant ($(val .join_phases_ms_p50.position_to_first_frame) ms); the clock and the
  schedule take $(val .join_phases_ms_p50.first_tick_to_seeking) ms after the first tick. Playback then
  starts **ahead of the target** in $(jq -r '[.join_runs[] | select(.first_error_ms != null and .first_error_ms > 0)] | length' "$j") of $(val .setup.joins) joins (first error p50
  $(val .join_first_error_ms.p50) ms) and the
  loop needs $(val .join_phases_ms_p50.first_frame_to_in_sync) ms (p50) of rate correction before
  \`in_sync\`. With $(val .setup.joins) joins, p95 lies between the two slowest runs: compare them with the
  tick-gap and load columns above before reading it as the viewer's own.
  Seen once (2026-11-28, 15:2x UTC run): a join that arrived 0.5 s before the end of a 20 s item
  first seeked into the ending item, then, once the next item was on air, waited ~1 s in
  \`seeking\` and loaded and seeked again: first frame after 2280 ms. A join near an item's end
  cost a wasted load, enough to miss the 1000 ms p95 with 12 joins; since 2026-12-03 such a
  join loads the next item held at its start instead (tests/viewer/integration/item_end_join_test.cpp).
- **Item transitions.** $(jq -r '[.item_transitions[].seeks_in_2s] | add' "$j") seeks and $(jq -r '[.item_transitions[].dropped_in_2s] | add' "$j") dropped frames within 2 s of the
  no-drift transitions; the next item is queued, starts paused on its first frame and is resumed
  at its scheduled instant (where each stream's first frame plays from is learned): the error 0.5 s after
  each transition was $(jq -r '[.item_transitions[] | select(.during_join | not) | .error_ms_at_0_5s | tostring] | join(", ")' "$j") ms
  (+ = ahead; one frame is 33 ms at 30 fps), then corrected by rate within about 2 s; mpv's own
  position of the new item was $(jq -r '[.item_transitions[] | select(.during_join | not) | .raw_minus_target_ms_at_start | tostring] | join(", ")' "$j") ms
  ahead of the target at its first tick. A lateness carried into a transition
  is carried through it: in one join run of 2026-11-28 that was starved of CPU the old item ended
  384 ms late and the new one started 522 ms late and was corrected by rate (1.05 for ~10 s), not by a
  seek (the seek threshold is 1 s).
- **\`--duration\`** is a coarse Qt timer: the join runs (\`--duration $(val .setup.join_duration_s)\`) exited
  $(jq -r '[.join_runs[].wall_s] | "\(min)-\(max)"' "$j") s after the spawn, start-up included. The CPU runs do not depend on it.
MD
}
write_md >"$out_md"
log "wrote $out_json, $out_md and $out_png"
jq '{cpu_ratio_vs_mpv, rss_ratio_vs_mpv, dropped_frames_during_rate_changes, join_to_first_frame_ms,
     join_to_in_sync_ms, item_transition_gap_ms: (.item_transition_gap_ms | del(.definition)), met}' "$out_json"
