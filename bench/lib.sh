# Shared by the benchmark scripts (sourced, not run).

# listening_ports LOG KEYS: waits (up to 300 s) for a "msg=listening" line in LOG, as
# streamsync-server and streamsync-impair-relay log once their sockets are bound, and
# prints the port of each key=host:port named in KEYS, one per line. Exits the script,
# showing LOG, if none comes.
listening_ports() {
  local log=$1 keys=$2 line=""
  for _ in $(seq 1 3000); do
    line=$(grep -m1 'msg=listening' "$log" 2>/dev/null || true)
    [ -n "$line" ] && break
    sleep 0.1
  done
  [ -n "$line" ] || { echo "$(basename "$0"): no listening line in $log" >&2; cat "$log" >&2; exit 1; }
  for key in $keys; do
    sed -E "s/.*$key=[^ ]*:([0-9]+).*/\1/" <<<"$line"
  done
}
