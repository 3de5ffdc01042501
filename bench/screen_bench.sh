#!/usr/bin/env bash
# Ground truth from the screen (issue #7): N real GUI viewers (not --headless: Qt window,
# libmpv's render API through Mesa llvmpipe) side by side under one Xvfb display, on clocks
# skewed over ±2.5 s, playing streamsync-server --demo. ffmpeg's x11grab captures the
# whole area at once R times per second; bench/screen/decode_strips.py reads each window's
# frame-number strip; bench/screen/spread_stats.py turns that into the spread in frames
# between the viewers per capture. Only pixels count: no viewer reports anything.
#
#   bench/screen_bench.sh BUILD_DIR RESULTS_JSON DOC_DIR [--viewers N] [--seconds S] [--fps R]
#                         [--settle S2] [--keep DIR]
#
# N viewers (3), S seconds of captures (60) at R per second (300/31 ≈ 9.68, see below; a
# rational as ffmpeg's -framerate takes it, or a plain number), after the viewers play
# and S2 more seconds to converge (15). Writes RESULTS_JSON, DOC_DIR/screen-spread.png (the
# histogram), DOC_DIR/screen-offsets.png (each viewer vs. the median over time) and
# DOC_DIR/screen-capture.png (one capture: what the decoder reads). --keep
# copies the per-capture results and the logs to DIR (the raw captures are not kept).
set -euo pipefail

usage() {
  echo "usage: $0 BUILD_DIR RESULTS_JSON DOC_DIR [--viewers N] [--seconds S] [--fps R] [--settle S] [--keep DIR]" >&2
  exit 2
}
[ $# -ge 3 ] || usage
build=$1 results=$2 docs=$3
shift 3
viewers=3
seconds=60
# Not 10: 10/s is a divisor of the video's 30 fps, so every capture would fall at the same
# phase of the frame period and "all on the same frame" would measure where that phase
# happens to sit (one run: 94 %, the next 23 %). 300/31 moves the phase by 1/10 frame per
# capture, sweeping the whole frame period every second.
fps=300/31
settle_s=15
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) viewers=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --fps) fps=$2; shift 2 ;;
    --settle) settle_s=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "screen_bench.sh: unknown option $1" >&2; usage ;;
  esac
done
[ "$viewers" -ge 2 ] || { echo "screen_bench.sh: --viewers must be at least 2" >&2; exit 2; }
[ "$seconds" -ge 5 ] || { echo "screen_bench.sh: --seconds must be at least 5" >&2; exit 2; }
fps_value=$(python3 -c "from fractions import Fraction as F; import sys; v = F(sys.argv[1])
assert 1 <= v <= 30; print(round(float(v), 4))" "$fps" 2>/dev/null) ||
  { echo "screen_bench.sh: --fps '$fps' is not a rate between 1 and 30 (e.g. 10 or 300/31)" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
decode=$here/screen/decode_strips.py
stats=$here/screen/spread_stats.py
server_bin=$build/app/server/streamsync-server
viewer_bin=$build/app/viewer/streamsync
for bin in "$server_bin" "$viewer_bin"; do
  [ -x "$bin" ] || { echo "screen_bench.sh: $bin is missing (build it first)" >&2; exit 1; }
done
for tool in Xvfb xdpyinfo xwininfo ffmpeg python3 jq gnuplot; do
  command -v "$tool" >/dev/null ||
    { echo "screen_bench.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
python3 "$decode" --self-test >/dev/null ||
  { echo "screen_bench.sh: the strip decoder fails its self-test" >&2; exit 1; }

# Modest windows and the 360p rung: two shared cores have to decode, render (llvmpipe, on
# the CPU) and capture everything at once.
win_w=480 win_h=270 gap=20 cols=$((viewers < 3 ? viewers : 3))
rows=$(((viewers + cols - 1) / cols))
area_w=$((cols * (win_w + gap) - gap)) area_h=$((rows * (win_h + gap) - gap))
quality=360p

work=$(mktemp -d)
pids=()
cleanup() {
  if [ -n "$keep" ]; then
    mkdir -p "$keep" && cp "$work"/*.jsonl "$work"/*.log "$work"/*.t "$keep"/ 2>/dev/null || true
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
date_start=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- Xvfb on a free display number (the lock file is how X servers claim one).
display=""
for d in $(seq 90 150); do
  [ -e "/tmp/.X$d-lock" ] || [ -e "/tmp/.X11-unix/X$d" ] && continue
  Xvfb ":$d" -screen 0 "$((area_w + 40))x$((area_h + 40))x24" -nolisten tcp \
    2>"$work/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 1 100); do
    xdpyinfo -display ":$d" >/dev/null 2>&1 && { display=":$d"; break; }
    kill -0 "$xvfb_pid" 2>/dev/null || break  # lost the race for this number
    sleep 0.1
  done
  if [ -n "$display" ]; then pids+=("$xvfb_pid"); break; fi
  kill "$xvfb_pid" 2>/dev/null || true
done
[ -n "$display" ] || { echo "screen_bench.sh: could not start Xvfb" >&2; cat "$work/xvfb.log" >&2; exit 1; }
echo "== Xvfb on $display"

# --- the server (same as bench/e2e_bench.sh).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
server_cmd=("$server_bin" --data "$work/data" --http 127.0.0.1:0 --ntp 127.0.0.1:0 --demo
            --ntp-rate-limit 100000)
"${server_cmd[@]}" 2>"$work/server.log" &
pids+=("$!")
read -r http_port ntp_port <<<"$(listening_ports "$work/server.log" "http ntp" | xargs)"
echo "== streamsync-server --demo: http $http_port, ntp $ntp_port"

# --- the viewers: own settings (XDG_CONFIG_HOME), own clock, own place on the screen.
windows=() skews=() viewer_cmds=() viewer_pids=()
for i in $(seq 0 $((viewers - 1))); do
  skew=$(python3 -c "print(round(-2500 + 5000 * $i / ($viewers - 1)))")
  x=$(((i % cols) * (win_w + gap))) y=$(((i / cols) * (win_h + gap)))
  windows+=("$x,$y,$win_w,$win_h")
  skews+=("$skew")
  cmd=("$viewer_bin" --server "http://127.0.0.1:$http_port" --channel demo --ntp-port "$ntp_port"
       "--display-name=screen-$i" --presentation --clock-skew-ms "$skew" --quality "$quality"
       --report "$work/viewer-$i.jsonl" -geometry "${win_w}x${win_h}+$x+$y")
  viewer_cmds+=("$(printf '%q ' "${cmd[@]}")")
  mkdir -p "$work/config-$i"
  # LIBGL_ALWAYS_SOFTWARE: Mesa's llvmpipe, as in the GUI test (Xvfb has no GPU).
  DISPLAY=$display XDG_CONFIG_HOME=$work/config-$i QT_QPA_PLATFORM=xcb LIBGL_ALWAYS_SOFTWARE=1 \
    "${cmd[@]}" >"$work/viewer-$i.log" 2>&1 &
  pids+=("$!")
  viewer_pids[$i]=$!
done

viewers_alive() {
  for i in "${!viewer_pids[@]}"; do
    if ! kill -0 "${viewer_pids[$i]}" 2>/dev/null; then
      echo "screen_bench.sh: viewer $i exited; its log:" >&2
      tail -n 30 "$work/viewer-$i.log" >&2
      exit 1
    fi
  done
}

# Qt honours -geometry without a window manager; check it did, or the windows overlap or
# the decoder reads the wrong place.
for _ in $(seq 1 600); do
  missing=0
  tree=$(xwininfo -display "$display" -root -tree 2>/dev/null || true)
  for w in "${windows[@]}"; do
    IFS=, read -r x y ww hh <<<"$w"
    grep -q " ${ww}x${hh}+$x+$y " <<<"$tree" || missing=$((missing + 1))
  done
  [ "$missing" -eq 0 ] && break
  viewers_alive
  sleep 0.1
done
[ "$missing" -eq 0 ] || {
  echo "screen_bench.sh: $missing viewer window(s) not at their -geometry; windows:" >&2
  xwininfo -display "$display" -root -tree >&2; exit 1; }
echo "== $viewers viewers (skews ${skews[*]} ms) at ${windows[*]}"

grab=(ffmpeg -hide_banner -nostdin -loglevel info -f x11grab -draw_mouse 0 -framerate "$fps"
      -video_size "${area_w}x${area_h}" -i "$display+0,0")
window_args=()
for w in "${windows[@]}"; do window_args+=(--window "$w"); done

# capture NAME SECONDS: raw gray frames in $work/NAME.gray, capture times in NAME.t.
# showinfo logs each frame's pts (x11grab stamps frames with the wall clock when grabbed);
# passthrough keeps ffmpeg from duplicating or dropping frames to a constant rate.
capture() {
  "${grab[@]}" -t "$2" -vf showinfo -fps_mode passthrough -f rawvideo -pix_fmt gray \
    -y "$work/$1.gray" 2>"$work/$1.log" ||
    { echo "screen_bench.sh: ffmpeg x11grab failed:" >&2; tail -n 20 "$work/$1.log" >&2; exit 1; }
  sed -nE 's/.*\] n: *[0-9]+ .*pts_time:([0-9.]+).*/\1/p' "$work/$1.log" >"$work/$1.t"
}

# --- wait until every window shows decodable, advancing frame numbers.
echo "== waiting for the viewers to play"
playing=0
for attempt in $(seq 1 40); do
  viewers_alive
  capture probe 2
  if python3 "$decode" --size "${area_w}x${area_h}" "${window_args[@]}" --input "$work/probe.gray" \
       --timestamps "$work/probe.t" --out "$work/probe.jsonl" 2>"$work/probe.err" &&
     jq -se --argjson n "$viewers" '
       [range($n) as $i | [.[].frames[$i] | select(. != null)] | (length >= 10 and max > min)]
       | all' "$work/probe.jsonl" >/dev/null; then
    playing=1
    break
  fi
  sleep 1
done
[ "$playing" -eq 1 ] || {
  echo "screen_bench.sh: the viewers do not show advancing frame numbers; last probe:" >&2
  head -n 1 "$work/probe.jsonl" >&2 || true; cat "$work/probe.err" >&2; exit 1; }
echo "== playing after $attempt probe(s); $settle_s s to converge"
sleep "$settle_s"

# --- the measurement.
# CPU seconds of a process so far (user + system), to report each viewer's CPU share.
cpu_s() { ps -o times= -p "$1" | tr -d ' '; }
# The whole machine's busy share (all cores) from /proc/stat: other work on the machine
# (a build, a test's ffmpeg) starves the viewers' decoding and llvmpipe rendering.
machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
read -r busy_before total_before <<<"$(machine_busy)"
cpu_before=()
for i in "${!viewer_pids[@]}"; do cpu_before[$i]=$(cpu_s "${viewer_pids[$i]}"); done
echo "== capturing ${seconds} s at $fps ($fps_value) captures/s"
capture screen "$seconds"
viewers_alive
read -r busy_after total_after <<<"$(machine_busy)"
machine_busy_pct=$(((busy_after - busy_before) * 100 / (total_after - total_before)))
viewer_cpu=()
for i in "${!viewer_pids[@]}"; do
  viewer_cpu+=("$(((($(cpu_s "${viewer_pids[$i]}") - cpu_before[i]) * 100 + seconds / 2) / seconds))")
done
mkdir -p "$(dirname "$results")" "$docs"
# One capture as a PNG for the record: what the decoder looks at.
"${grab[@]}" -frames:v 1 -y "$docs/screen-capture.png" 2>/dev/null ||
  echo "screen_bench.sh: could not save $docs/screen-capture.png (continuing)" >&2
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$decode" --size "${area_w}x${area_h}" "${window_args[@]}" --input "$work/screen.gray" \
  --timestamps "$work/screen.t" --out "$work/screen.jsonl"
stats_json=$(python3 "$stats" "$work/screen.jsonl" --histogram "$work/spread.hist" \
  --series "$work/spread.series")

viewer_cmds_json=$(printf '%s\n' "${viewer_cmds[@]}" | jq -R . | jq -sc .)
skews_json=$(printf '%s\n' "${skews[@]}" | jq -sc .)
cpu_json=$(printf '%s\n' "${viewer_cpu[@]}" | jq -sc .)
jq -n --argjson stats "$stats_json" --argjson rects "$(head -n 1 "$work/screen.jsonl" | jq -c .video_rects)" \
  --arg date "$date_start" --arg commit "$(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --arg dirty "$(git -C "$here" status --porcelain 2>/dev/null | head -c1)" \
  --argjson cpus "$(nproc)" --arg load_start "$load_start" --arg load_end "$load_end" \
  --argjson viewers "$viewers" --argjson seconds "$seconds" --arg fps "$fps" --argjson fps_value "$fps_value" \
  --argjson viewer_cpu "$cpu_json" --argjson machine_busy "$machine_busy_pct" \
  --argjson settle "$settle_s" --argjson skews "$skews_json" --arg quality "$quality" \
  --arg windows "${windows[*]}" --arg server_cmd "$(printf '%q ' "${server_cmd[@]}")" \
  --argjson viewer_cmds "$viewer_cmds_json" \
  --arg grab_cmd "$(printf '%q ' "${grab[@]}") -t $seconds -vf showinfo -fps_mode passthrough -f rawvideo -pix_fmt gray OUT.gray" \
  --arg decode_cmd "bench/screen/decode_strips.py --size ${area_w}x${area_h} ${window_args[*]} --input OUT.gray --timestamps OUT.t" '
  {
    date: $date, git_commit: $commit, git_dirty: ($dirty != ""), nproc: $cpus,
    loadavg_start: $load_start, loadavg_end: $load_end,
    target: "share_within_one_frame >= 0.95 (30 fps video)",
    setup: {
      viewers: $viewers, capture_seconds: $seconds, capture_fps: $fps_value, capture_framerate: $fps,
      video_fps: 30, viewer_cpu_percent_during_capture: $viewer_cpu,
      machine_cpu_busy_percent_during_capture: $machine_busy,
      settle_after_playing_s: $settle, clock_skews_ms: $skews, quality: $quality,
      windows: ($windows | split(" ")), video_rects_located: $rects,
      environment: "Xvfb 24-bit, QT_QPA_PLATFORM=xcb, LIBGL_ALWAYS_SOFTWARE=1 (llvmpipe), XDG_CONFIG_HOME per viewer",
      commands: {server: $server_cmd, viewers: $viewer_cmds, capture: $grab_cmd, decode: $decode_cmd}
    },
    results: $stats
  }' >"$results"
echo "wrote $results"
jq -c '.results | {screen_frame_spread_p50, screen_frame_spread_p95, screen_frame_spread_max,
  share_all_same_frame, share_within_one_frame, captures, captures_compared,
  undecodable_windows, transitions_excluded}' "$results"
gnuplot -e "hist='$work/spread.hist'; out='$docs/screen-spread.png'; series='$work/spread.series'; out2='$docs/screen-offsets.png'; viewers=$viewers" \
  "$here/screen/plot_spread.gp" && echo "wrote $docs/screen-spread.png and $docs/screen-offsets.png"
