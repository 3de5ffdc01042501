#!/usr/bin/env bash
# The streamsync-server benchmark (issue #4): segment serving against nginx, NTP against chronyd,
# API latency against nginx serving a file of the same size, memory with 1000 viewers.
# Every baseline runs in the same invocation, alternating with the server, and speeds are
# reported as ratios to it: absolute numbers on a shared 2-core machine mean little.
#
#   bench/server_bench.sh BUILD_DIR OUT_JSON OUT_PNG     (run by ./scripts/bench.sh server)
#
# Environment: BENCH_SEGMENT_ROUNDS (3), BENCH_NTP_ROUNDS (9), BENCH_SEGMENT_S (10),
# BENCH_NTP_S (5), BENCH_API_S (10), BENCH_VIEWERS_S (30); BENCH_NOTE, a free-text note
# copied into the JSON (say what was unusual about the run).
# All traffic stays on 127.0.0.1. Every process started here is stopped on exit, even on failure.
set -euo pipefail

build=$1
out_json=$2
out_png=$3
server_bin=$build/app/server/streamsync-server
ntp_load=$build/bench/ntp_load
http_load=$build/bench/http_rate_load
cache=$build/bench-server/demo-data  # made once by --demo (FFmpeg, ~15 s), copied per run

segment_rounds=${BENCH_SEGMENT_ROUNDS:-3}
ntp_rounds=${BENCH_NTP_ROUNDS:-9}
segment_s=${BENCH_SEGMENT_S:-10}
ntp_s=${BENCH_NTP_S:-5}
api_s=${BENCH_API_S:-10}
viewers_s=${BENCH_VIEWERS_S:-30}
ntp_sockets=2
ntp_window=32  # per socket: 64 in flight fit easily in a default 208 KiB socket buffer
# A thread per socket: one generator thread costs about what one server thread does per reply,
# so with one it is the limit and every server that keeps up scores ~1.0 (docs/benchmarks).
ntp_threads=2
api_rate=1000

for tool in wrk nginx chronyd jq curl ss gnuplot; do
  command -v "$tool" >/dev/null || { echo "server bench: needs $tool on PATH" >&2; exit 1; }
done

loadavg_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/streamsync-bench.XXXXXX")
chmod 755 "$work"  # nginx and chronyd may read it as another user
declare -A pids=()

stop_all() {
  local name pid
  for name in "${!pids[@]}"; do
    pid=${pids[$name]}
    kill -TERM "$pid" 2>/dev/null || true
  done
  for name in "${!pids[@]}"; do
    pid=${pids[$name]}
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "pids[$name]"
  done
}
cleanup() {
  local status=$?
  stop_all
  if [ "$status" -ne 0 ]; then
    echo "server bench failed; logs:" >&2
    tail -n 20 "$work"/*.log >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[server bench] $*" >&2; }

# A TCP and UDP port nobody listens on, from a bounded number of random tries.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if [ -z "$(ss -Htuln "sport = :$port")" ]; then echo "$port"; return 0; fi
  done
  echo "server bench: no free port found" >&2
  return 1
}

# Starts streamsync-server on DATA with ephemeral ports; sets server_pid, http_port, ntp_port.
start_server() {
  local data=$1 timeout_s=$2 line=""
  "$server_bin" --demo --data "$data" --http 127.0.0.1:0 --ntp 127.0.0.1:0 \
    --ntp-rate-limit 10000000 >"$work/server.out" 2>"$work/server.log" &
  server_pid=$!
  pids[server]=$server_pid
  for _ in $(seq $((timeout_s * 10))); do
    line=$(grep -m1 'msg=listening' "$work/server.log" || true)
    [ -n "$line" ] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "streamsync-server exited" >&2; return 1; }
    sleep 0.1
  done
  [ -n "$line" ] || { echo "streamsync-server did not listen within ${timeout_s}s" >&2; return 1; }
  http_port=$(sed -E 's/.* http=[^ ]*:([0-9]+).*/\1/' <<<"$line")
  ntp_port=$(sed -E 's/.* ntp=[^ ]*:([0-9]+).*/\1/' <<<"$line")
}

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# wrk's "Transfer/sec" in MiB/s (wrk prints binary units).
wrk_mb_s() {
  awk '/^Transfer\/sec:/ {
    v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v);
    f = (u == "GB") ? 1024 : (u == "MB") ? 1 : (u == "KB") ? 1 / 1024 : 1 / 1048576;
    printf "%.1f", v * f }' "$1"
}
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
# Non-2xx answers plus socket errors.
wrk_errors() {
  awk '/Non-2xx or 3xx responses:/ { e += $NF }
       /Socket errors:/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) e += $i }
       END { print e + 0 }' "$1"
}

# ---- demo data: made once, copied fresh for every run so that runs do not accumulate viewers
if [ ! -f "$cache/.complete" ]; then
  log "making the demo data (FFmpeg, once) in $cache"
  rm -rf "$cache"
  mkdir -p "$cache"
  start_server "$cache" 300
  stop_all
  touch "$cache/.complete"
fi
data=$work/data
cp -a "$cache" "$data"

segment_file=$(find "$data/media/videos" -path '*/720p/seg_*.[mt][4s]*' -printf '%s %P\n' | sort -n | tail -n1)
[ -n "$segment_file" ] || { echo "no 720p segment in the demo data" >&2; exit 1; }
segment_bytes=${segment_file%% *}
segment_path=/media/videos/${segment_file#* }

log "starting streamsync-server"
start_server "$data" 60
sleep 1
rss_idle=$(rss_mb "$server_pid")

# ---- nginx: the same media directory, served statically
nginx_port=$(free_port)
mkdir -p "$work/nginx" "$work/static"
curl -fsS "http://127.0.0.1:$http_port/api/v1/channels" -o "$work/static/channels.json"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { video/mp2t ts; video/iso.segment m4s; application/vnd.apple.mpegurl m3u8; application/json json; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$nginx_port;
    location /media/ { alias $data/media/; }
    location /static/ { alias $work/static/; }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx.log" 2>&1 &
pids[nginx]=$!
for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port$segment_path" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port$segment_path"

# ---- chronyd: an NTP server that never touches the system clock (-x), on its own port
chrony_port=$(free_port)
mkdir -p "$work/chrony"
cat >"$work/chrony/chrony.conf" <<EOF
port $chrony_port
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 10
cmdport 0
pidfile $work/chrony/chronyd.pid
driftfile $work/chrony/drift
EOF
chrony_user=(-U)
[ "$(id -u)" -eq 0 ] && chrony_user=(-u root)  # no privilege drop: its files are in $work
chronyd -d -x "${chrony_user[@]}" -f "$work/chrony/chrony.conf" >"$work/chrony.log" 2>&1 &
pids[chronyd]=$!

ntp_up() {
  for _ in $(seq 50); do
    [ "$("$ntp_load" --port "$1" --duration-s 0.1 --sockets 1 --window 1 | jq .answered)" -gt 0 ] &&
      return 0
    sleep 0.1
  done
  echo "no NTP answers on port $1" >&2
  return 1
}
ntp_up "$ntp_port"
ntp_up "$chrony_port"

# ---- 1. segment serving: wrk against both, alternating
log "segments: $segment_path ($segment_bytes bytes), $segment_rounds rounds of ${segment_s}s each"
wrk_run() {  # URL OUTFILE
  wrk -t2 -c32 -d"${segment_s}s" "$1" >"$2" 2>&1 || { cat "$2" >&2; return 1; }
}
wrk -t2 -c32 -d1s "http://127.0.0.1:$http_port$segment_path" >/dev/null
wrk -t2 -c32 -d1s "http://127.0.0.1:$nginx_port$segment_path" >/dev/null
segment_rounds_json='[]'
for round in $(seq "$segment_rounds"); do
  wrk_run "http://127.0.0.1:$http_port$segment_path" "$work/wrk-server-$round.txt"
  wrk_run "http://127.0.0.1:$nginx_port$segment_path" "$work/wrk-nginx-$round.txt"
  segment_rounds_json=$(jq -c \
    --argjson s "$(wrk_rps "$work/wrk-server-$round.txt")" \
    --argjson n "$(wrk_rps "$work/wrk-nginx-$round.txt")" \
    --argjson sm "$(wrk_mb_s "$work/wrk-server-$round.txt")" \
    --argjson nm "$(wrk_mb_s "$work/wrk-nginx-$round.txt")" \
    --argjson se "$(wrk_errors "$work/wrk-server-$round.txt")" \
    --argjson ne "$(wrk_errors "$work/wrk-nginx-$round.txt")" \
    '. + [{server_rps: $s, nginx_rps: $n, server_mb_s: $sm, nginx_mb_s: $nm,
           server_errors: $se, nginx_errors: $ne, ratio: ($s / $n)}]' <<<"$segment_rounds_json")
  log "  round $round: $(jq -c '.[-1]' <<<"$segment_rounds_json")"
done

# ---- 2. NTP: the same closed-loop load against both, alternating
log "NTP: $ntp_rounds rounds of ${ntp_s}s, window $ntp_sockets x $ntp_window, $ntp_threads generator threads"
ntp_rounds_json='[]'
for round in $(seq "$ntp_rounds"); do
  ours=$("$ntp_load" --port "$ntp_port" --duration-s "$ntp_s" --sockets $ntp_sockets --window $ntp_window --threads $ntp_threads)
  theirs=$("$ntp_load" --port "$chrony_port" --duration-s "$ntp_s" --sockets $ntp_sockets --window $ntp_window --threads $ntp_threads)
  ntp_rounds_json=$(jq -c --argjson s "$ours" --argjson c "$theirs" \
    '. + [{server: $s, chrony: $c, ratio: ($s.answered_per_s / $c.answered_per_s)}]' <<<"$ntp_rounds_json")
  log "  round $round: ours $(jq -c '{answered_per_s, answered_fraction, rtt_us_p50}' <<<"$ours")" \
    "chrony $(jq -c '{answered_per_s, answered_fraction, rtt_us_p50}' <<<"$theirs")"
done

# ---- 3. API latency at a constant rate; baseline: nginx serving a file of the same size
log "API: GET /api/v1/channels at $api_rate req/s for ${api_s}s, then nginx the same"
api_server=$("$http_load" --port "$http_port" --target /api/v1/channels --rate $api_rate \
  --duration-s "$api_s" --connections 16)
api_nginx=$("$http_load" --port "$nginx_port" --target /static/channels.json --rate $api_rate \
  --duration-s "$api_s" --connections 16)
log "  ours $(jq -c '{ok, errors, response_bytes, latency_ms}' <<<"$api_server")"
log "  nginx $(jq -c '{ok, errors, response_bytes, latency_ms}' <<<"$api_nginx")"

# ---- 4. memory: 1000 viewers registering and heartbeating every 5 s
rss_before_viewers=$(rss_mb "$server_pid")
log "viewers: 1000, heartbeat every 5 s for ${viewers_s}s (RSS before: $rss_before_viewers MiB)"
viewers=$("$http_load" --mode viewers --port "$http_port" --viewers 1000 \
  --heartbeat-interval-s 5 --duration-s "$viewers_s" --connections 16 --rss-pid "$server_pid")
log "  $(jq -c '{register: .register.errors, heartbeat: .heartbeat.errors, rss_mb}' <<<"$viewers")"

stop_all

# ---- results
median='sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end'
mkdir -p "$(dirname "$out_json")" "$(dirname "$out_png")"
jq -n \
  --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --argjson nproc "$(nproc)" \
  --arg loadavg_start "$loadavg_at_start" --arg loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
  --arg wrk "$(wrk --version 2>&1 | head -n1 | awk '{print $2}')" \
  --arg nginx "$(nginx -v 2>&1 | sed 's|.*nginx/||')" \
  --arg chronyd "$(chronyd -v | awk '{print $4}')" \
  --arg server "$("$server_bin" --version 2>&1 | head -n1)" \
  --arg commit "$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  --arg dirty "$(git status --porcelain -- app core 2>/dev/null | wc -l | tr -d ' ' ||
                 echo unknown)" \
  --arg note "${BENCH_NOTE:-}" \
  --arg segment_path "$segment_path" --argjson segment_bytes "$segment_bytes" \
  --argjson segment_s "$segment_s" --argjson segment "$segment_rounds_json" \
  --argjson ntp_s "$ntp_s" --argjson ntp "$ntp_rounds_json" \
  --argjson api_server "$api_server" --argjson api_nginx "$api_nginx" \
  --argjson viewers "$viewers" --argjson rss_idle "$rss_idle" \
  --argjson rss_before_viewers "$rss_before_viewers" \
  "def median: $median;
  {
    benchmark: \"server\", date: \$date, nproc: \$nproc, cpu: \$cpu,
    loadavg_at_start: \$loadavg_start, loadavg_at_end: \$loadavg,
    versions: {wrk: \$wrk, nginx: \$nginx, chronyd: \$chronyd, streamsync_server: \$server},
    git_commit: \$commit, note: \$note,
    uncommitted_files_in_app_and_core: (if \$commit == \"unknown\" then \"unknown\" else \$dirty end),
    targets: {segment_rps_ratio_vs_nginx: \">= 0.5\", ntp_rps_ratio_vs_chrony: \">= 1.0\",
              ntp_answered_fraction: \">= 0.999\", api_p99_ms: \"<= 5\",
              rss_mb_1000_viewers: \"<= 100\"},

    segment_url: \$segment_path, segment_bytes: \$segment_bytes,
    segment_rps: ([\$segment[].server_rps] | median),
    nginx_segment_rps: ([\$segment[].nginx_rps] | median),
    segment_rps_ratio_vs_nginx: ([\$segment[].ratio] | median),
    segment_mb_s: ([\$segment[].server_mb_s] | median),
    nginx_segment_mb_s: ([\$segment[].nginx_mb_s] | median),
    segment_errors: ([\$segment[].server_errors] | add),
    segment_rounds: \$segment,
    segment_load: \"wrk -t2 -c32 -d\(\$segment_s)s, rounds alternate server and nginx\",

    ntp_rps: ([\$ntp[].server.answered_per_s] | median),
    chrony_ntp_rps: ([\$ntp[].chrony.answered_per_s] | median),
    ntp_rps_ratio_vs_chrony: ([\$ntp[].ratio] | median),
    ntp_answered_fraction: (([\$ntp[].server.answered] | add) / ([\$ntp[].server.sent] | add)),
    chrony_ntp_answered_fraction: (([\$ntp[].chrony.answered] | add) / ([\$ntp[].chrony.sent] | add)),
    ntp_window: \$ntp[0].server.window_total,
    ntp_window_per_socket: \$ntp[0].server.window_per_socket,
    ntp_sockets: \$ntp[0].server.sockets,
    ntp_load_threads: \$ntp[0].server.threads,
    ntp_rtt_us_p50: ([\$ntp[].server.rtt_us_p50] | median),
    chrony_ntp_rtt_us_p50: ([\$ntp[].chrony.rtt_us_p50] | median),
    ntp_rtt_us_p99: ([\$ntp[].server.rtt_us_p99] | median),
    chrony_ntp_rtt_us_p99: ([\$ntp[].chrony.rtt_us_p99] | median),
    ntp_rounds: \$ntp,

    api_rate_per_s: \$api_server.rate_per_s,
    api_p50_ms: \$api_server.latency_ms.p50,
    api_p99_ms: \$api_server.latency_ms.p99,
    api_achieved_rate_per_s: \$api_server.achieved_rate_per_s,
    api_errors: \$api_server.errors,
    api_response_bytes: \$api_server.response_bytes,
    nginx_api_p50_ms: \$api_nginx.latency_ms.p50,
    nginx_api_p99_ms: \$api_nginx.latency_ms.p99,
    api_p99_ratio_vs_nginx: (\$api_server.latency_ms.p99 / \$api_nginx.latency_ms.p99),
    api_server: \$api_server, api_nginx: \$api_nginx,

    rss_mb_idle: \$rss_idle,
    rss_mb_before_viewers: \$rss_before_viewers,
    rss_mb_1000_viewers: \$viewers.rss_mb.peak,
    heartbeat_errors: \$viewers.heartbeat.errors,
    register_errors: \$viewers.register.errors,
    heartbeat_p99_ms: \$viewers.heartbeat.latency_ms.p99,
    viewers: (\$viewers | del(.rss_samples)),
    rss_samples: \$viewers.rss_samples
  }" >"$out_json"

# ---- plot: the ratios against the baselines, and RSS while 1000 viewers heartbeat
jq -r '.rss_samples[] | "\(.[0]) \(.[1])"' "$out_json" >"$work/rss.dat"
jq -r '"\"segments (vs nginx)\" \(.segment_rps_ratio_vs_nginx) 0.5",
       "\"NTP (vs chronyd)\" \(.ntp_rps_ratio_vs_chrony) 1.0",
       "\"API p99 (nginx p99 / ours)\" \(1 / .api_p99_ratio_vs_nginx) 0"' \
  "$out_json" >"$work/ratios.dat"
gnuplot -e "rss='$work/rss.dat'; ratios='$work/ratios.dat'; out='$out_png'" bench/plot_server.gp
log "wrote $out_json and $out_png"
