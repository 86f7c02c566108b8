#!/usr/bin/env bash
# Simpul's user-space instructions per request on the bench/hive queries, counted by callgrind:
# a figure the neighbours on a shared machine do not move (CPU time per request does, by
# 20-30 % on a busy machine). The kernel's share (sockets) is not counted.
#
#   bench/hive/instructions.sh           # BIN_DIR=target/release QUERIES="a b c c2" N=200
#
# PROFILE=DIR keeps each query's callgrind file there (DIR/callgrind.QUERY), for
# `callgrind_annotate --inclusive=yes DIR/callgrind.b`.
# KEEP=1 keeps the work directory (config, logs) and prints its path, as in run.sh.
#
# Simpul (the BPJAMSOSTEK provider alone, cache_ttl_ms = 0: run.sh's config, from lib.sh, but
# with 60 s per provider call, callgrind being slow) runs under `valgrind --tool=callgrind`;
# each query is sent 20 times to warm up, the counters zeroed, then sent N times one after
# another with curl, and the instructions counted over those N.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
release="${BIN_DIR:-$root/target/release}"
QUERIES="${QUERIES:-a b c c2}"
N="${N:-200}"
command -v valgrind >/dev/null || { echo "instructions: valgrind is required" >&2; exit 1; }

BENCH=instructions
START_TENTHS=1200 # Simpul under valgrind starts slowly
# shellcheck source=bench/hive/lib.sh
source "$here/lib.sh"
bench_work simpul-bench-instructions

sim_url="$(start simulator 'serving http' "$release/bpjamsostek-simulator" --listen 127.0.0.1:0)"
simpul_config "$release" "$sim_url" 60000 >"$work/simpul.toml"
simpul_url="$(start simpul 'serving GraphQL' valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  "$release/simpul" serve --config "$work/simpul.toml")"
valgrind_pid="$(cat "$work/simpul.pid")"

simpul_ids "$simpul_url"
# Each dump gives its total twice, as `summary:` and as `totals:`; only `totals:` is read. Until
# 2026-12-08 both were added, so every figure printed before that date (and the README's step
# tables up to the "page split" row) is twice the true count; they compare with one another.
total_ir() { # the instructions callgrind counted since the last zeroing, after a dump
  rm -f "$work"/callgrind.out*
  callgrind_control -d "$valgrind_pid" >/dev/null 2>&1
  sleep 1
  awk '/^totals:/ {s += $2} END {print s + 0}' "$work"/callgrind.out*
}
for q in $QUERIES; do
  body="$(jq -cn --arg q "$(simpul_query "$q")" '{query: $q}')"
  jq -e '(.errors | not) and (.data != null)' >/dev/null <<<"$(gql "$simpul_url" "$(simpul_query "$q")")" ||
    { echo "instructions: query $q does not answer cleanly" >&2; exit 1; }
  for _ in $(seq 1 20); do curl -sS -o /dev/null -X POST -H 'content-type: application/json' --data-binary "$body" "$simpul_url/graphql"; done
  callgrind_control -z "$valgrind_pid" >/dev/null 2>&1
  for _ in $(seq 1 "$N"); do curl -sS -o /dev/null -X POST -H 'content-type: application/json' --data-binary "$body" "$simpul_url/graphql"; done
  ir="$(total_ir)"
  if [[ -n "${PROFILE:-}" ]]; then mkdir -p "$PROFILE" && cat "$work"/callgrind.out* >"$PROFILE/callgrind.$q"; fi
  callgrind_control -z "$valgrind_pid" >/dev/null 2>&1
  awk -v q="$q" -v ir="$ir" -v n="$N" 'BEGIN {printf "%s\t%.0f instructions per request (%d requests)\n", q, ir / n, n}'
done
