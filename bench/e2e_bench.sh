#!/usr/bin/env bash
# End-to-end sync benchmark (issue #7): streamsync-server --demo on loopback and N headless
# viewers on clocks skewed over ±2.5 s and drifting over ±100 ppm, through five scenarios
# of M minutes each. Every viewer writes one JSON line per sync tick; streamsync-sync-stats
# turns them into the published numbers.
#
#   bench/e2e_bench.sh BUILD_DIR RESULTS_JSON DOC_DIR [--viewers N] [--minutes M]
#
# Impairments go through streamsync-impair-relay (userspace: the CI kernel has no netem),
# one relay per viewer for HTTP (TCP) and the time service (UDP).
set -euo pipefail

build=$1 results=$2 docs=$3
shift 3
viewers=6
minutes=2
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) viewers=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    *) echo "e2e_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$viewers" -ge 2 ] || { echo "e2e_bench.sh: --viewers must be at least 2" >&2; exit 2; }

server_bin=$build/app/server/streamsync-server
viewer_bin=$build/app/viewer/streamsync
relay_bin=$build/tests/tools/impair_relay/streamsync-impair-relay
stats_bin=$build/tests/tools/streamsync-sync-stats
for bin in "$server_bin" "$viewer_bin" "$relay_bin" "$stats_bin"; do
  [ -x "$bin" ] || { echo "e2e_bench.sh: $bin is missing (build it first)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  [ -f "$work/relay.pids" ] && while read -r pid; do pids+=("$pid"); done <"$work/relay.pids"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mono_ns() { python3 -c 'import time; print(time.monotonic_ns())'; }
wall_offset_ns=$(python3 -c 'import time; print(time.time_ns() - time.monotonic_ns())')
scenario_s=$((minutes * 60))

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

server_pid=""
start_server() {  # [http_port ntp_port]
  local http=${1:-0} ntp=${2:-0}
  : >"$work/server.log"
  "$server_bin" --data "$work/data" --http "127.0.0.1:$http" --ntp "127.0.0.1:$ntp" --demo \
    --ntp-rate-limit 100000 2>>"$work/server.log" &
  server_pid=$!
  pids+=("$server_pid")
  local ports
  ports=$(listening_ports "$work/server.log" "http ntp" | xargs)
  read -r http_port ntp_port <<<"$ports"
}

# start_relay NAME relay-options...: prints "tcp_port udp_port control_port". Call it as
# relay=$(start_relay ...) so that a relay that does not start stops the benchmark.
start_relay() {
  local name=$1
  shift
  "$relay_bin" --tcp "127.0.0.1:0=127.0.0.1:$http_port" --udp "127.0.0.1:0=127.0.0.1:$ntp_port" \
    --control 127.0.0.1:0 "$@" >/dev/null 2>"$work/relay-$name.log" &
  echo "$!" >>"$work/relay.pids"  # this runs in a subshell: cleanup reads the file
  local ports
  ports=$(listening_ports "$work/relay-$name.log" "tcp udp control" | xargs)
  echo "$ports"
}

# relay_command CONTROL_PORT COMMAND: e.g. cut, restore (one UDP datagram).
relay_command() {
  python3 -c "import socket, sys; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(sys.argv[2].encode(), ('127.0.0.1', int(sys.argv[1]))); reply = s.recv(200).decode()
sys.exit(0 if reply.startswith('ok') else reply)" "$1" "$2"
}

# start_viewer INDEX SCENARIO [HTTP_PORT NTP_PORT]: a headless viewer on its own wrong clock.
viewer_pids=()
start_viewer() {
  local i=$1 scenario=$2 http=${3:-$http_port} ntp=${4:-}
  local skew drift
  skew=$(python3 -c "print(round(-2500 + 5000 * $i / ($viewers - 1)))")
  drift=$(python3 -c "print(round(-100 + 200 * $i / ($viewers - 1)))")
  local args=(--headless --server "http://127.0.0.1:$http" --channel demo
              --report "$work/$scenario-$i.jsonl" --clock-skew-ms "$skew" --clock-drift-ppm "$drift")
  [ -n "$ntp" ] && args+=(--ntp-port "$ntp")
  "$viewer_bin" "${args[@]}" 2>"$work/$scenario-$i.log" &
  viewer_pids[$i]=$!
  pids+=("$!")
}

stop_viewers() {
  for pid in "${viewer_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${viewer_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  viewer_pids=()
}

# stats SCENARIO ORIGIN_NS [tool options...]: the tool's JSON for this scenario's reports.
stats() {
  local scenario=$1 origin=$2
  shift 2
  "$stats_bin" --origin-ns "$origin" --wall-offset-ns "$wall_offset_ns" "$@" "$work/$scenario"-*.jsonl
}

# summarize NAME STATS_JSON [extra jq object]: one result object with the published keys.
summarize() {
  jq -c --arg name "$1" '{
      name: $name,
      pair_error_p50_ms, pair_error_p95_ms, pair_error_p99_ms, pair_error_max_ms,
      convergence_s: ([.viewers[].convergence_s // 1e9] | max),
      join_to_first_frame_ms_p95: ([.viewers[].join_to_first_frame_ms] | sort | .[((length * 0.95) | ceil) - 1]),
      error_to_schedule_p95_ms: ([.viewers[].error_p95_ms] | max),
      seeks_per_min: ([.viewers[].seeks_per_min // 0] | add / length),
      rate_changes_per_min: ([.viewers[].rate_changes_per_min // 0] | add / length),
      stalls: ([.viewers[].stalls // 0] | add),
      quality_switches: ([.viewers[].quality_switches // 0] | add),
      dropped_frames: ([.viewers[].dropped_frames // 0] | add),
      clock_bias_ms: [.viewers[].clock_bias_ms],
      viewers: .viewers
    }' <<<"$2"
}

# Measured after the first 20 s (join and convergence are reported separately).
settle_s=20

echo "== starting streamsync-server --demo"
start_server
echo "server: http $http_port, ntp $ntp_port"
results_lines=()

run_scenario() {  # NAME SETUP_FUNCTION
  local name=$1 setup=$2
  echo "== $name: $viewers viewers, $minutes min"
  local origin
  origin=$(mono_ns)
  "$setup" "$name"
  sleep "$scenario_s"
  stop_viewers
  local json
  json=$(stats "$name" "$origin" --from-s "$settle_s" --series "$work/e2e-$name.tsv" --pairs "$work/$name.pairs")
  results_lines+=("$(summarize "$name" "$json")")
  sort -g "$work/$name.pairs" >"$work/e2e-$name.pairs"
  echo "${results_lines[-1]}" | jq -c '{name, pair_error_p95_ms, pair_error_p99_ms, convergence_s}'
}

setup_clean() {
  for i in $(seq 0 $((viewers - 1))); do start_viewer "$i" "$1"; done
}

setup_impaired() {
  for i in $(seq 0 $((viewers - 1))); do
    relay=$(start_relay "$1-$i" --delay-ms 50 --jitter-ms 10 --loss 0.01 --seed "$i")
    read -r tcp udp _ <<<"$relay"
    start_viewer "$i" "$1" "$tcp" "$udp"
  done
}

# Requests take 40 ms longer than replies: NTP cannot see it and puts server time
# (40 − 0) / 2 = 20 ms late... i.e. each viewer's estimate runs 20 ms ahead of the truth.
asymmetric_up_ms=40
setup_asymmetric() {
  for i in $(seq 0 $((viewers - 1))); do
    if [ $((i % 2)) -eq 0 ]; then
      relay=$(start_relay "$1-$i" --up-delay-ms "$asymmetric_up_ms" --down-delay-ms 0 --seed "$i")
      read -r tcp udp _ <<<"$relay"
      start_viewer "$i" "$1" "$tcp" "$udp"
    else
      start_viewer "$i" "$1"
    fi
  done
}

# Half the viewers get 1.5x the lowest rung's bandwidth: only that rung fits.
setup_bandwidth() {
  local lowest_bps kbps
  lowest_bps=$(curl -fsS "http://127.0.0.1:$http_port/api/v1/videos/demo-pattern-a" |
               jq '[.renditions[].bandwidth] | min')
  kbps=$((lowest_bps * 3 / 2 / 1000))
  echo "bandwidth cap: $kbps kbit/s (lowest rung $((lowest_bps / 1000)) kbit/s)"
  for i in $(seq 0 $((viewers - 1))); do
    if [ $((i % 2)) -eq 0 ]; then
      relay=$(start_relay "$1-$i" --bandwidth-kbps "$kbps" --seed "$i")
      read -r tcp udp _ <<<"$relay"
      start_viewer "$i" "$1" "$tcp" "$udp"
    else
      start_viewer "$i" "$1"
    fi
  done
}

run_scenario clean setup_clean
run_scenario impaired setup_impaired
run_scenario asymmetric setup_asymmetric
run_scenario bandwidth setup_bandwidth

# Faults: viewer 0's network is cut for 10 s, the server is killed and restarted, one
# viewer joins late. Each is measured from the moment it ends.
echo "== faults: $viewers viewers, $minutes min"
name=faults
origin=$(mono_ns)
relay=$(start_relay "$name-0")
read -r tcp udp cut_control <<<"$relay"
start_viewer 0 "$name" "$tcp" "$udp"
for i in $(seq 1 $((viewers - 2))); do start_viewer "$i" "$name"; done
quarter=$((scenario_s / 4))
sleep "$quarter"
relay_command "$cut_control" cut
sleep 10
relay_command "$cut_control" restore
cut_end_s=$(python3 -c "print(($(mono_ns) - $origin) / 1e9)")
sleep "$quarter"
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
start_server "$http_port" "$ntp_port"
restart_s=$(python3 -c "print(($(mono_ns) - $origin) / 1e9)")
sleep "$quarter"
late_s=$(python3 -c "print(($(mono_ns) - $origin) / 1e9)")
start_viewer $((viewers - 1)) "$name"
sleep "$quarter"
stop_viewers
cut=$(stats "$name" "$origin" --after-s "$cut_end_s")
restart=$(stats "$name" "$origin" --after-s "$restart_s")
late=$(stats "$name" "$origin" --after-s "$late_s" --from-s "$late_s")
after=$(stats "$name" "$origin" --from-s "$(python3 -c "print($restart_s + 5)")" --series "$work/e2e-$name.tsv")
faults_line=$(summarize "$name" "$after")
faults_line=$(jq -c --argjson cut "$cut" --argjson restart "$restart" --argjson late "$late" \
  --argjson cut_s "$cut_end_s" --argjson restart_s "$restart_s" --argjson late_s "$late_s" '. + {
    resync_after_network_cut_s: $cut.viewers[0].resync_after_event_s,
    # The late joiner (the last report) was not there yet.
    resync_after_server_restart_s: ([$restart.viewers[:-1][].resync_after_event_s // 1e9] | max),
    late_join_convergence_s: ($late.viewers | last | .convergence_s),
    events_s: {network_cut_end: $cut_s, server_restart: $restart_s, late_join: $late_s}
  }' <<<"$faults_line")
results_lines+=("$faults_line")
echo "$faults_line" | jq -c '{name, pair_error_p95_ms, resync_after_network_cut_s, resync_after_server_restart_s, late_join_convergence_s}'

mkdir -p "$(dirname "$results")"
printf '%s\n' "${results_lines[@]}" | jq -s \
  --argjson viewers "$viewers" --argjson minutes "$minutes" --arg cpus "$(nproc)" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson asym "$asymmetric_up_ms" '{
    setup: {viewers: $viewers, minutes_per_scenario: $minutes, cpus: ($cpus | tonumber),
            load_average_at_end: $load, measured_after_s: 20,
            asymmetric_theoretical_bias_ms: ($asym / 2)},
    scenarios: .
  }' >"$results"
echo "wrote $results"
gnuplot -e "data='$work'; out='$docs'" bench/plot_e2e.gp && echo "wrote $docs/e2e-*.png"
