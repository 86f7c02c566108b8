# shellcheck shell=bash
# What bench/hive/run.sh and bench/hive/instructions.sh share, sourced by both: the work
# directory and its cleanup, starting a server and waiting for its URL, Simpul's config (the
# BPJAMSOSTEK provider alone, its cache off) and the queries sent to Simpul. Written once, so
# that the two scripts measure the same gateway on the same queries.
#
# The sourcing script sets BENCH (the name its messages start with) before it calls these.

API_KEY="sim-limited-demo-96000002" # the simulator's key without `pii:read`
PROGRAMME="PV-2020-0003"            # the programme with the most enrolments (8)
PARTNER="LM-0001"

# bench_work PREFIX: make the work directory ($work, /tmp/PREFIX.XXXXXX) and remove it on exit,
# after stopping the servers `start` started there (KEEP=1 keeps it and prints its path).
bench_work() {
  work="$(mktemp -d "/tmp/$1.XXXXXX")"
  trap bench_cleanup EXIT
}
bench_cleanup() {
  # Only the servers this script started, by their pid files.
  for file in "$work"/*.pid; do
    [[ -f "$file" ]] && kill "$(cat "$file")" 2>/dev/null || true
  done
  sleep 0.5
  if [[ "${KEEP:-0}" == 1 ]]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}

# start NAME PATTERN COMMAND...: start COMMAND in the background with its stdout and stderr in
# $work/NAME.out and .err and its pid in $work/NAME.pid; wait (up to START_TENTHS tenths of a
# second, 600 unless set) for a line matching PATTERN and print its http://host:port.
start() {
  local name="$1" pattern="$2"
  shift 2
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  echo "$!" >"$work/$name.pid"
  for _ in $(seq 1 "${START_TENTHS:-600}"); do
    if grep -qE "$pattern" "$work/$name.out" "$work/$name.err" 2>/dev/null; then
      grep -ohE 'http://127\.0\.0\.1:[0-9]+' "$work/$name.out" "$work/$name.err" | head -1
      return 0
    fi
    kill -0 "$!" 2>/dev/null || break
    sleep 0.1
  done
  echo "$BENCH: $name did not start; its output:" >&2
  cat "$work/$name.out" "$work/$name.err" >&2
  exit 1
}

# simpul_config RELEASE SIM_URL TIMEOUT_MS: Simpul's config, on stdout: the BPJAMSOSTEK provider
# alone (RELEASE's adapter library, the simulator at SIM_URL, cache off, its calls allowed
# TIMEOUT_MS), anonymous callers allowed to read enrolments, the rate limit out of the way, the
# store in $work.
simpul_config() {
  local release="$1" sim_url="$2" timeout_ms="$3"
  cat <<EOF
listen = "127.0.0.1:0"

[identity]
secret = "bench-identity-secret-0123456789"

[store]
url = "sqlite://$work/simpul-store.sqlite?mode=rwc"

[access]
# The benchmark calls anonymously; enrolments need this scope (no personal data in clear).
anonymous_scopes = "enrollment:read"

[rate_limit]
capacity = 100000000
refill_per_second = 100000000

[[providers]]
key = "bpjamsostek"
library = "$release/libsimpul_adapter_bpjamsostek.so"
required = true
timeout_ms = $timeout_ms
max_concurrency = 64

[providers.config]
base_url = "$sim_url"
api_key = "$API_KEY"
identity_secret = "bench-identity-secret-0123456789"
cache_ttl_ms = 0
max_concurrency = 64
EOF
}

gql() { # url query -> response body
  jq -cn --arg q "$2" '{query: $q}' | curl -sS -X POST -H 'content-type: application/json' --data-binary @- "$1/graphql"
}

# simpul_ids URL: set tc_id and run_id, the Simpul ids of PARTNER and PROGRAMME (queries b, c).
simpul_ids() {
  local ids
  ids="$(gql "$1" '{ trainingCenters(first: 100) { nodes { id sourceId } } courseRuns(first: 100) { nodes { id code } } }')"
  tc_id="$(jq -r --arg s "$PARTNER" '.data.trainingCenters.nodes[] | select(.sourceId == $s) | .id' <<<"$ids")"
  run_id="$(jq -r --arg s "$PROGRAMME" '.data.courseRuns.nodes[] | select(.code == $s) | .id' <<<"$ids")"
  [[ -n "$tc_id" && -n "$run_id" ]] || { echo "$BENCH: cannot find ids in $ids" >&2; exit 1; }
}

# simpul_query Q: Simpul's query Q (a, b, c, c2; b and c after simpul_ids).
simpul_query() {
  case "$1" in
  a) echo '{ courseRuns(first: 20) { nodes { id code startDate fiscalYear } } }' ;;
  b) echo "{ node(id: \"$tc_id\") { ... on TrainingCenter { id name institutionType active yearsOfExperience address { streetAddress regionCode } } } }" ;;
  c) echo "{ node(id: \"$run_id\") { ... on CourseRun { id code enrollments(first: 50) { nodes { id status registeredOn } } } } }" ;;
  c2) echo "{ enrollments(first: 50, where: { courseRun: { code: { _eq: \"$PROGRAMME\" } } }) { nodes { id status registeredOn } } }" ;;
  esac
}
