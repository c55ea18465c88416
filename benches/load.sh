#!/usr/bin/env bash
# Load benchmark for the verification endpoint: wrk against /v/{token} on loopback.
# Starts `attest serve --demo` on a temporary database, takes one issued certificate's URL,
# runs wrk for a bounded time (JSON and HTML), prints the figures and stops the server. Then the
# same JSON run with the verdict cache off (--verdict-cache-seconds 0): every request checks the
# signature and reads the database, as for a stream of different certificates.
# Needs wrk (Debian package "wrk"). Usage: benches/load.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
dir=$(mktemp -d)
port=18099
pid=""
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT

start() { # $1: verdict cache seconds
    ATTEST_DB="$dir/attest.sqlite3" RUST_LOG=error target/release/attest --public-url "http://127.0.0.1:$port" \
        serve --demo --addr "127.0.0.1:$port" --verdict-cache-seconds "$1" >"$dir/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q "listening" "$dir/serve.log" 2>/dev/null && break; sleep 0.2; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
run() { # $1: title, then wrk headers
    local title=$1; shift
    echo "== $title, $conns connections, ${secs}s"
    wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url" | grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk and the server share them"
start 2
url=$(grep -o "http://127.0.0.1:$port/v/[^ ]*" "$dir/serve.log" | head -1)
[ -n "$url" ] || { cat "$dir/serve.log"; exit 1; }
run "JSON (Accept: application/json), verdict cache 2 s" -H 'Accept: application/json'
run "HTML page, verdict cache 2 s"
stop
start 0
run "JSON, verdict cache off (signature and database on every request)" -H 'Accept: application/json'
stop
