#!/usr/bin/env bash
# Simpul vs Hive Gateway (GraphQL Mesh over the provider's unedited openapi.yaml), side by side,
# against the same BPJAMSOSTEK simulator, plus the direct-API ceiling. One command:
#
#   bench/hive/run.sh                      # build, start everything, measure, print one table
#
# Environment (all optional):
#   DURATION=10      seconds of load per cell (after a 2 s warm-up)
#   CONNECTIONS=32   concurrent connections (wrk -c), THREADS=2 (wrk -t)
#   ONLY="direct simpul hive"   which systems to measure
#   QUERIES="a b c c2"          which queries (c2: Simpul's root `enrollments` list; for Hive
#                               and the direct API it is the same as c)
#   SKIP_BUILD=1     reuse target/release as it is
#   BIN_DIR=DIR      take simpul, the adapter library and the simulator from DIR (implies
#                    SKIP_BUILD; to compare saved builds)
#   HIVE_FORK=1      Hive Gateway workers (its default is 1)
#   KEEP=1           keep the work directory (configs, logs) and print its path
#   RESULTS=FILE     also write the raw measurements there (tab-separated: system, query, rps,
#                    p50 us, p99 us, CPU % of a core, non-2xx, socket errors, CPU us per request)
#   SIMPUL_LOG=...   Simpul's log filter (default: its own default, `info`)
#
# Loopback only: every server listens on 127.0.0.1 on a port the kernel picks.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
ONLY="${ONLY:-direct simpul hive}"
QUERIES="${QUERIES:-a b c c2}"
HIVE_FORK="${HIVE_FORK:-1}"
BENCH=bench
# shellcheck source=bench/hive/lib.sh
source "$here/lib.sh"
bench_work simpul-bench-hive

say() { echo "[bench] $*" >&2; }

# --- tools -------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  say "installing wrk"
  (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; })
fi
for tool in jq node npm curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done
if [[ ! -d "$here/node_modules/@graphql-hive/gateway" ]]; then
  say "npm ci (Hive Gateway, Mesh Compose, @omnigraph/openapi, graphql@16 from package-lock.json)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
if [[ "${SKIP_BUILD:-0}" != 1 && -z "${BIN_DIR:-}" ]]; then
  say "cargo build --release (gateway, BPJAMSOSTEK adapter, simulator)"
  (cd "$root" && cargo build --release --quiet -p simpul-gateway -p simpul-adapter-bpjamsostek \
    -p simpul-bpjamsostek-simulator)
fi
release="${BIN_DIR:-$root/target/release}"

# --- servers -----------------------------------------------------------------------------
sim_url="$(start simulator 'serving http' "$release/bpjamsostek-simulator" --listen 127.0.0.1:0)"
say "simulator at $sim_url"

if [[ " $ONLY " == *" hive "* ]]; then
  (cd "$here" && BPJS_URL="$sim_url" BPJS_API_KEY="$API_KEY" \
    npx --no-install mesh-compose -o "$work/supergraph.graphql" >"$work/compose.log" 2>&1) ||
    { cat "$work/compose.log" >&2; exit 1; }
  hive_port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  # Run the gateway's JS entry point with node directly, so the pid measured is the server's.
  hive_bin="$(cd "$here" && node -p 'require.resolve("@graphql-hive/gateway/package.json").replace(/package\.json$/, "")')"
  hive_main="$hive_bin$(node -p "const b=require('$hive_bin/package.json').bin; typeof b==='string'?b:b['hive-gateway']")"
  NODE_ENV=production start hive 'Listening on|Serving|listening' node "$hive_main" supergraph "$work/supergraph.graphql" \
    --host 127.0.0.1 --port "$hive_port" --fork "$HIVE_FORK" >/dev/null
  hive_url="http://127.0.0.1:$hive_port"
  say "Hive Gateway at $hive_url"
fi

if [[ " $ONLY " == *" simpul "* ]]; then
  simpul_config "$release" "$sim_url" 5000 >"$work/simpul.toml"
  simpul_url="$(start simpul 'serving GraphQL' "$release/simpul" serve --config "$work/simpul.toml")"
  say "Simpul at $simpul_url"
fi

# --- queries -----------------------------------------------------------------------------
if [[ -n "${simpul_url:-}" ]]; then simpul_ids "$simpul_url"; fi

hive_query() {
  case "$1" in
  a) echo '{ listProgramVokasi(per_page: 20) { ... on listProgramVokasi_200_response { data { programId namaProgram tanggalMulai tahunAnggaran } } } }' ;;
  b) echo "{ getLembagaMitra(lembagaId: \"$PARTNER\") { ... on LembagaMitra { lembagaId namaLembaga jenisLembaga statusKemitraan pengalamanTahun alamat { jalan kodeWilayah } } } }" ;;
  c | c2) echo "{ getProgramVokasi(programId: \"$PROGRAMME\") { ... on ProgramVokasi { programId namaProgram } } listPesertaProgram(program_id: \"$PROGRAMME\", per_page: 50) { ... on listPesertaProgram_200_response { data { pesertaProgramId programId statusPelatihan tanggalDaftar } } } }" ;;
  esac
}
direct_path() {
  case "$1" in
  a) echo "/v1/program-vokasi?page=1&per_page=20" ;;
  b) echo "/v1/lembaga-mitra/$PARTNER" ;;
  c | c2) echo "/v1/peserta?program_id=$PROGRAMME&page=1&per_page=50" ;;
  esac
}

# --- measuring ---------------------------------------------------------------------------
ticks_per_s="$(getconf CLK_TCK)"
cpu_ticks() { # utime + stime of a pid and its children threads (a process's stat counts all threads)
  awk '{print $14 + $15}' "/proc/$1/stat"
}
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

results="$work/results.tsv"
: >"$results"
# measure system query url body(empty: GET) pid [extra wrk arguments]
measure() {
  local system="$1" query="$2" url="$3" body="$4" pid="$5"
  shift 5
  BODY="$body" wrk -t "$THREADS" -c "$CONNECTIONS" -d 2s "$@" -s "$here/post.lua" "$url" >/dev/null 2>&1 || true
  local before after out
  before="$(cpu_ticks "$pid")"
  out="$(BODY="$body" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s "$@" -s "$here/post.lua" "$url" 2>&1)"
  after="$(cpu_ticks "$pid")"
  local line
  line="$(grep '^RESULT' <<<"$out")" || { echo "bench: wrk failed: $out" >&2; exit 1; }
  read -r _ requests duration p50 p99 bad errors <<<"$line"
  local rps cpu per
  rps="$(awk -v r="$requests" -v d="$duration" 'BEGIN {printf "%.0f", r / (d / 1e6)}')"
  # CPU time per request served, in microseconds (the figure to compare on a busy machine).
  per="$(awk -v t=$((after - before)) -v hz="$ticks_per_s" -v r="$requests" 'BEGIN {printf "%.0f", r ? 1e6 * t / hz / r : 0}')"
  # CPU as a share of one core over the run.
  cpu="$(awk -v t=$((after - before)) -v hz="$ticks_per_s" -v d="$duration" 'BEGIN {printf "%.0f", 100 * t / hz / (d / 1e6)}')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$system" "$query" "$rps" "$p50" "$p99" "$cpu" "$bad" "$errors" "$per" >>"$results"
  say "$system $query: $rps rps, p50 ${p50} us, p99 ${p99} us, CPU ${cpu}% of a core ($per us per request), non-2xx $bad, socket errors $errors; load $(cut -d' ' -f1 /proc/loadavg)"
}

check() { # system query response: a GraphQL answer with data and no errors
  if ! jq -e '(.errors | not) and (.data != null)' >/dev/null <<<"$3"; then
    echo "bench: $1 query $2 does not answer cleanly: $3" >&2
    exit 1
  fi
}

for q in $QUERIES; do
  for system in $ONLY; do
    case "$system" in
    direct)
      [[ "$q" == c2 ]] && continue
      curl -sf -H "X-API-Key: $API_KEY" "$sim_url$(direct_path "$q")" >/dev/null
      measure direct "$q" "$sim_url$(direct_path "$q")" "" "$(cat "$work/simulator.pid")" -H "X-API-Key: $API_KEY"
      ;;
    simpul)
      query="$(simpul_query "$q")"
      check simpul "$q" "$(gql "$simpul_url" "$query")"
      measure simpul "$q" "$simpul_url/graphql" "$(jq -cn --arg q "$query" '{query: $q}')" "$(cat "$work/simpul.pid")"
      ;;
    hive)
      [[ "$q" == c2 ]] && continue
      query="$(hive_query "$q")"
      check hive "$q" "$(gql "$hive_url" "$query")"
      measure hive "$q" "$hive_url/graphql" "$(jq -cn --arg q "$query" '{query: $q}')" "$(cat "$work/hive.pid")"
      ;;
    esac
  done
done

[[ -n "${RESULTS:-}" ]] && cp "$results" "$RESULTS"

# --- the table ---------------------------------------------------------------------------
peak() { [[ -f "$work/$1.pid" ]] && echo "$(($(hwm_kb "$(cat "$work/$1.pid")") / 1024)) MB" || echo "-"; }
peak_simpul="$(peak simpul)"
peak_hive="$(peak hive)"
peak_sim="$(peak simulator)"

cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo
echo "Machine: $(nproc) cores, $cpu_model; $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per cell (after a warm-up), loopback; Simpul release build, BPJAMSOSTEK cache off (cache_ttl_ms = 0), API key without pii:read; Hive Gateway $(node -p "require('$here/node_modules/@graphql-hive/gateway/package.json').version") (--fork $HIVE_FORK) over Mesh Compose's supergraph of the unedited openapi.yaml."
echo "Peak RSS (VmHWM over the whole run): Simpul $peak_simpul, Hive $peak_hive, simulator $peak_sim. CPU: the gateway process (the simulator's for direct), % of one core."
echo
echo "| query | direct API rps (p50/p99 ms) | Hive rps (p50/p99 ms, CPU) | Simpul rps (p50/p99 ms, CPU) | Simpul / Hive | Simpul / direct |"
echo "|---|---|---|---|---|---|"
ms() { awk -v u="$1" 'BEGIN {printf (u < 10000 ? "%.1f" : "%.0f"), u / 1000}'; }
cell() { # system query -> "rps (p50/p99, cpu)"
  local row
  row="$(awk -F'\t' -v s="$1" -v q="$2" '$1 == s && $2 == q' "$results")"
  [[ -n "$row" ]] || { echo "-"; return; }
  IFS=$'\t' read -r _ _ rps p50 p99 cpu bad errors _ <<<"$row"
  local extra=""
  [[ "$bad" != 0 || "$errors" != 0 ]] && extra=", $bad non-2xx, $errors errors"
  if [[ "$1" == direct ]]; then
    printf "%'d (%s/%s)%s" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$extra"
  else
    printf "%'d (%s/%s, %s%%)%s" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$cpu" "$extra"
  fi
}
rps_of() { awk -F'\t' -v s="$1" -v q="$2" '$1 == s && $2 == q {print $3}' "$results"; }
ratio() { [[ -n "$1" && -n "$2" && "$2" != 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f×", a / b}' || echo "-"; }
pct() { [[ -n "$1" && -n "$2" && "$2" != 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f %%", 100 * a / b}' || echo "-"; }
label() {
  case "$1" in
  a) echo "(a) first 20 programmes" ;;
  b) echo "(b) one partner by id" ;;
  c) echo "(c) a programme's enrolments (node → enrollments)" ;;
  c2) echo "(c′) the same, root \`enrollments(where: {courseRun: {code}})\`" ;;
  esac
}
for q in $QUERIES; do
  hq="$q"
  [[ "$q" == c2 ]] && hq=c
  echo "| $(label "$q") | $(cell direct "$hq") | $(cell hive "$hq") | $(cell simpul "$q") | $(ratio "$(rps_of simpul "$q")" "$(rps_of hive "$hq")") | $(pct "$(rps_of simpul "$q")" "$(rps_of direct "$hq")") |"
done
