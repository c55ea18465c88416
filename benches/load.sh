#!/usr/bin/env bash
# Load benchmark for the verification endpoint: wrk against /v/{token} on loopback (127.0.0.1
# only), each run bounded in time.
#
# 1. One certificate scanned again and again: `attest serve --demo` on a temporary database, one
#    issued certificate's URL, JSON and HTML (finished answers are kept 2 s, the default).
# 2. Every request a different certificate: 10,000 certificates issued into a second temporary
#    database (a generated export of 10,000 attendees), and wrk cycling through their URLs with
#    benches/verify_many.lua; with finished answers off (--verdict-cache-seconds 0, so each
#    request checks the token against the cached signature check and status and renders its
#    answer: the figure for the goal), then with the default.
#
# Needs wrk (Debian package "wrk"). Usage: benches/load.sh [seconds] [connections]
# ATTEST_BENCH_POSTGRES_URL=postgres://attest@127.0.0.1:54329/postgres runs both on new
# databases of that PostgreSQL server (made with psql) instead of SQLite files.
# ATTEST_BIN=path/to/attest uses that binary instead of building target/release/attest.
# The first start issues 10,000 certificates (about 10 s and 400 MB of PDFs and database in a
# temporary folder, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
bin=${ATTEST_BIN:-}
if [ -z "$bin" ]; then
    cargo build --release --quiet
    bin=${CARGO_TARGET_DIR:-target}/release/attest
fi
dir=$(mktemp -d)
port=18099
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$dir"' EXIT

# A database named $1: a file in $dir, or a new database of the PostgreSQL server.
database() {
    if [ -n "${ATTEST_BENCH_POSTGRES_URL:-}" ]; then
        local name="bench_$$_$1"
        psql -q "$ATTEST_BENCH_POSTGRES_URL" -c "CREATE DATABASE $name" >/dev/null
        echo "${ATTEST_BENCH_POSTGRES_URL%/*}/$name"
    else
        echo "$dir/$1.sqlite3"
    fi
}
export ATTEST_KEYS="$dir/keys"
echo "engine: $([ -n "${ATTEST_BENCH_POSTGRES_URL:-}" ] && echo PostgreSQL || echo SQLite)"

start() { # $1: database, $2: verdict cache seconds, then more serve options
    local db=$1 ttl=$2
    shift 2
    ATTEST_DB="$db" RUST_LOG=error "$bin" serve --addr "127.0.0.1:$port" --verdict-cache-seconds "$ttl" "$@" \
        >"$dir/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do grep -q "stop with Ctrl-C" "$dir/serve.log" 2>/dev/null && return; sleep 0.2; done
    cat "$dir/serve.log"
    exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
run() { # $1: title, then wrk options
    local title=$1
    shift
    echo "== $title, $conns connections, ${secs}s"
    wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" | grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk and the server share them"

start "$(database demo)" 2 --demo
url=$(grep -o "http://127.0.0.1:$port/v/[^ ]*" "$dir/serve.log" | head -1)
[ -n "$url" ] || { cat "$dir/serve.log"; exit 1; }
run "one certificate, JSON (Accept: application/json)" -H 'Accept: application/json' "$url"
run "one certificate, HTML page" "$url"
stop

# 10,000 attendees of one session, all eligible, and their certificates.
many="$(database many)"
awk 'BEGIN {
    print "Name (Original Name),User Email,Join Time,Leave Time"
    for (i = 1; i <= 10000; i++)
        printf "Guest %05d,guest%05d@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:42:00\"\n", i, i
}' >"$dir/many.csv"
export ATTEST_DB="$many" ATTEST_PUBLIC_URL="http://127.0.0.1:$port"
# Only `migrate` and `serve` make a database; the commands after it use one.
"$bin" migrate >/dev/null
"$bin" event create bench --title "Load benchmark" --starts 2025-03-14T09:58 --ends 2025-03-14T11:42 --tz UTC >/dev/null
"$bin" import bench "$dir/many.csv" --tz UTC >/dev/null
"$bin" issue bench --out "$dir/out" | head -1
grep -o "/v/[A-Za-z0-9._-]*" "$dir/out/manifest.csv" >"$dir/tokens.txt"
rm -rf "$dir/out"
unset ATTEST_DB ATTEST_PUBLIC_URL
echo "$(wc -l <"$dir/tokens.txt") distinct certificates"
export TOKENS="$dir/tokens.txt"

# After each start, a pass over every token first, so that the runs measure the steady state,
# not the first signature check of each token.
warm() { wrk -t2 -c"$conns" -d2s -s benches/verify_many.lua "$@" "http://127.0.0.1:$port" >/dev/null; }
start "$many" 0
warm -H 'Accept: application/json'
run "10,000 certificates in turn, JSON, finished answers off" -s benches/verify_many.lua \
    -H 'Accept: application/json' "http://127.0.0.1:$port"
run "10,000 certificates in turn, HTML page, finished answers off" -s benches/verify_many.lua "http://127.0.0.1:$port"
stop
start "$many" 2
warm -H 'Accept: application/json'
run "10,000 certificates in turn, JSON, finished answers kept 2 s (the default)" -s benches/verify_many.lua \
    -H 'Accept: application/json' "http://127.0.0.1:$port"
stop
