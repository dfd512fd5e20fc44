#!/usr/bin/env bash
# OAuth2 client_credentials token throughput: Gatehouse side by side with Keycloak 26.
#
# Usage:
#   [GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=... GATEHOUSE_CLIENT_SECRET=...] \
#     bench/token-bench.sh [--warmup SECONDS] [--duration SECONDS] [--runs N]
#                          [--concurrency "16 64"] [--skip-keycloak] [--quiet-wait SECONDS]
#                          [--max-retries N]
#
#   --warmup    seconds of load before measuring each server (default 180)
#   --duration  seconds of one measured run (default 30)
#   --runs      measured runs per concurrency level; the median run by rps is reported (default 3)
#   --concurrency  space-separated connection counts (default "16 64")
#   --skip-keycloak  measure Gatehouse only
#   --quiet-wait  before openssl, warm-up and each run, wait up to this many seconds for
#                 other processes to use < QUIET_MAX_CORES (0.15) cores (default 120, 0 = off)
#   --max-retries  extra runs per concurrency level that may replace runs during which
#                 other processes used > NOISE_MAX_CORES (0.25) cores (default = --runs)
#
# Gatehouse is optional: without GATEHOUSE_URL only Keycloak is measured.
# GATEHOUSE_TOKEN_URL overrides the token endpoint (default $GATEHOUSE_URL/oauth/token).
# GATEHOUSE_PID (optional, space-separated) names the server process(es) for the CPU
# figures; by default the process listening on the Gatehouse port is used.
# Gatehouse must already be running; Keycloak is installed (bench/.cache/), started,
# configured, measured and stopped by this script (also on error / Ctrl-C).
#
# Output: progress on stderr; machine facts, per-run lines and a Markdown table on
# stdout. Full wrk reports go to bench/.cache/wrk-<timestamp>.log.
# Targets are loopback only; every loop and every wrk run is bounded.

# shellcheck source-path=SCRIPTDIR
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/lib/keycloak.sh"
source "$BENCH_DIR/lib/load.sh"

WARMUP=180
DURATION=30
RUNS=3
CONCURRENCY="16 64"
WARMUP_CONCURRENCY="${WARMUP_CONCURRENCY:-64}"
SKIP_KEYCLOAK=0
QUIET_WAIT=120
MAX_RETRIES=
NOISE_MAX_CORES="${NOISE_MAX_CORES:-0.25}"
QUIET_MAX_CORES="${QUIET_MAX_CORES:-0.15}"

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "token-bench: $*" >&2; exit 1; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
log() { echo "[bench] $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --warmup) WARMUP="${2:-}"; shift 2 ;;
    --warmup=*) WARMUP="${1#*=}"; shift ;;
    --duration) DURATION="${2:-}"; shift 2 ;;
    --duration=*) DURATION="${1#*=}"; shift ;;
    --runs) RUNS="${2:-}"; shift 2 ;;
    --runs=*) RUNS="${1#*=}"; shift ;;
    --concurrency) CONCURRENCY="${2:-}"; shift 2 ;;
    --concurrency=*) CONCURRENCY="${1#*=}"; shift ;;
    --skip-keycloak) SKIP_KEYCLOAK=1; shift ;;
    --quiet-wait) QUIET_WAIT="${2:-}"; shift 2 ;;
    --max-retries) MAX_RETRIES="${2:-}"; shift 2 ;;
    --max-retries=*) MAX_RETRIES="${1#*=}"; shift ;;
    --quiet-wait=*) QUIET_WAIT="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$WARMUP" =~ ^[0-9]+$ && "$WARMUP" -le 3600 ]] || die "--warmup must be 0..3600"
[[ "$DURATION" =~ ^[1-9][0-9]*$ && "$DURATION" -le 3600 ]] || die "--duration must be 1..3600"
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$RUNS" -le 50 ]] || die "--runs must be 1..50"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ && "$QUIET_WAIT" -le 3600 ]] || die "--quiet-wait must be 0..3600"
MAX_RETRIES="${MAX_RETRIES:-$RUNS}"
[[ "$MAX_RETRIES" =~ ^[0-9]+$ && "$MAX_RETRIES" -le 50 ]] || die "--max-retries must be 0..50"
for c in $CONCURRENCY; do [[ "$c" =~ ^[1-9][0-9]*$ && "$c" -le 10000 ]] || die "bad concurrency: $c"; done

GATEHOUSE_URL="${GATEHOUSE_URL:-}"
if [[ -n "$GATEHOUSE_URL" ]]; then
  GATEHOUSE_TOKEN_URL="${GATEHOUSE_TOKEN_URL:-${GATEHOUSE_URL%/}/oauth/token}"
  [[ -n "${GATEHOUSE_CLIENT_ID:-}" && -n "${GATEHOUSE_CLIENT_SECRET:-}" ]] ||
    die "GATEHOUSE_URL is set, so GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET are needed"
  _load_check_url "$GATEHOUSE_TOKEN_URL" || die "Gatehouse must be on loopback"
elif [[ $SKIP_KEYCLOAK == 1 ]]; then
  die "--skip-keycloak without GATEHOUSE_URL leaves nothing to measure"
fi

mkdir -p "$BENCH_CACHE"
LOAD_LOG="$BENCH_CACHE/wrk-$(date +%Y%m%d-%H%M%S).log"
export LOAD_LOG
: >"$LOAD_LOG"

RUN_OUT="$(mktemp)"
TIMES_OUT="$(mktemp)"
KC_STARTED=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  load_abort
  if [[ $KC_STARTED == 1 ]]; then keycloak_stop; fi
  rm -f "$RUN_OUT" "$TIMES_OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_wrk || die "wrk is needed"
command -v openssl >/dev/null || { _kc_need openssl || die "openssl is needed"; }

# ---------------------------------------------------------------- machine facts
echo "# Token endpoint benchmark (client_credentials)"
echo
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc: $(nproc)"
echo "cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "kernel: $(uname -sr)"
echo "java (default): $(java -version 2>&1 | head -n1)"
echo "java (Keycloak): $("$KEYCLOAK_JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
echo "wrk: $(wrk -v 2>&1 | head -n1)"
echo "openssl: $(openssl version)"
echo "load average at start: $(load_avg)"
echo "settings: warmup=${WARMUP}s (c$WARMUP_CONCURRENCY) duration=${DURATION}s runs=$RUNS max_retries=$MAX_RETRIES (noise > $NOISE_MAX_CORES cores) quiet_wait=${QUIET_WAIT}s concurrency=\"$CONCURRENCY\" wrk_threads=$WRK_THREADS"

# ------------------------------------------------------------- CPU accounting
# This machine may be shared (other builds running), so every measured run also
# reports where the CPU went, in cores (2.00 = both cores busy the whole run):
#   cpu_server  the server process(es)   cpu_wrk  the load generator
#   cpu_other   everything else on the machine (noise if well above ~0.05)
CLK_TCK="$(getconf CLK_TCK)"
_machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
_pids_ticks() { # utime+stime of the given pids (all their threads)
  local p sum=0 t
  for p in "$@"; do
    t="$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null)" && sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}
_children_seconds() { # CPU seconds of this shell's reaped children (wrk, via `timeout`)
  # `times` must run in this shell, not in a $(...) subshell, hence the file
  times >"$TIMES_OUT"
  awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } print n }' "$TIMES_OUT"
}
_listener_pids() { # pids listening on the port of URL (for the Gatehouse CPU figure)
  local port
  port="$(sed -E 's#^[a-z]+://[^/]*:([0-9]+).*#\1#' <<<"$1")"
  [[ "$port" =~ ^[0-9]+$ ]] || port=80
  ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# quiet_wait [SERVER_PIDS...]: the machine may be shared with builds. Before the
# openssl baseline and before each measured run, wait (at most QUIET_WAIT
# seconds) until processes other than the server use < QUIET_MAX_CORES cores,
# sampled over 2-second windows. Then measure anyway; cpu_other shows the noise.
quiet_wait() {
  (( QUIET_WAIT > 0 )) || return 0
  local start=$SECONDS m0 s0 other
  while :; do
    m0="$(_machine_busy_ticks)"; s0="$(_pids_ticks "$@")"
    sleep 2 # sampling window, not a fixed wait
    other="$(awk -v m="$(( $(_machine_busy_ticks) - m0 ))" -v s="$(( $(_pids_ticks "$@") - s0 ))" \
        -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (m - s) / hz / 2 }')"
    if awk -v o="$other" -v max="$QUIET_MAX_CORES" 'BEGIN { exit !(o < max) }'; then
      (( SECONDS - start > 2 )) && log "machine quiet again (${other} cores used by others) after $((SECONDS - start))s"
      return 0
    fi
    if (( SECONDS - start >= QUIET_WAIT )); then
      log "WARNING: other processes still use ${other} cores after ${QUIET_WAIT}s; measuring anyway (noisy)"
      return 0
    fi
    (( SECONDS - start < 3 )) && log "other processes use ${other} cores; waiting up to ${QUIET_WAIT}s for a quiet machine"
  done
}

# ------------------------------------------------------------ openssl baseline
# One core's RSA-2048 private-key operations per second (what an RS256 JWT
# signature costs). 2 x this is the signing ceiling of the 2-core machine.
quiet_wait
log "openssl speed -seconds 5 rsa2048"
SSL_OUT="$(openssl speed -seconds 5 rsa2048 2>/dev/null)"
# Find the "sign/s" column in the header line, take the same column of the
# "rsa 2048 bits" line (works for OpenSSL 3.0 and the wider 3.2+ table).
SIGN_PER_S="$(awk '
  /sign\/s/ && !col { for (i = 1; i <= NF; i++) if ($i == "sign/s") col = i }
  /^rsa +2048 +bits/ && col { print $(col + 3); exit }' <<<"$SSL_OUT")"
[[ "$SIGN_PER_S" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "$SSL_OUT" >&2; die "could not parse openssl speed output"; }
echo "openssl rsa2048 sign/s (1 core): $SIGN_PER_S"

# ---------------------------------------------------------------- measuring
# RESULTS["<server> <conc>"] = "rps p50 p99 non2xx_total rps_min rps_max cpu_server cpu_other"
# (all but the totals and min/max taken from the median run)
declare -A RESULTS

# bench_server NAME URL CLIENT_ID SECRET "SERVER_PIDS"
bench_server() {
  local name="$1" url="$2" id="$3" secret="$4" c r line
  local -a pids
  read -r -a pids <<<"${5:-}"
  echo
  echo "## $name: $url"
  echo "server pids: ${pids[*]:-unknown}; load average before warm-up: $(load_avg)"
  check_token_endpoint "$url" "$id" "$secret" || return 1
  if (( WARMUP > 0 )); then
    quiet_wait "${pids[@]}"
    warmup_token_endpoint "$url" "$id" "$secret" "$WARMUP" "$WARMUP_CONCURRENCY" || return 1
  fi
  for c in $CONCURRENCY; do
    local rows=() attempt=0 r
    # keep RUNS runs; a run disturbed by other processes (cpu_other > NOISE_MAX_CORES)
    # is discarded and repeated while retries are left (bounded: RUNS + MAX_RETRIES runs)
    while (( ${#rows[@]} < RUNS && attempt < RUNS + MAX_RETRIES )); do
      attempt=$((attempt + 1)); r=$(( ${#rows[@]} + 1 ))
      quiet_wait "${pids[@]}"
      log "$name c$c run $r/$RUNS (attempt $attempt, ${DURATION}s)"
      local t0 m0 s0 w0 w1 cpu
      _children_seconds >"$RUN_OUT"; w0="$(cat "$RUN_OUT")"
      t0="$(date +%s.%N)"; m0="$(_machine_busy_ticks)"; s0="$(_pids_ticks "${pids[@]}")"
      # not inside $(...): the wrk run must belong to this shell for load_abort
      measure_token_endpoint "$url" "$id" "$secret" "$c" "$DURATION" >"$RUN_OUT" || return 1
      line="$(cat "$RUN_OUT")"
      _children_seconds >"$RUN_OUT"; w1="$(cat "$RUN_OUT")"
      cpu="$(awk -v t0="$t0" -v t1="$(date +%s.%N)" -v m="$(( $(_machine_busy_ticks) - m0 ))" \
          -v sv="$(( $(_pids_ticks "${pids[@]}") - s0 ))" -v w0="$w0" -v w1="$w1" \
          -v hz="$CLK_TCK" -v known="${#pids[@]}" 'BEGIN {
        el = t1 - t0; srv = sv / hz / el; wrk = (w1 - w0) / el; oth = m / hz / el - wrk - srv
        if (oth < 0) oth = 0
        if (known > 0) printf "cpu_server=%.2f cpu_wrk=%.2f cpu_other=%.2f", srv, wrk, oth
        else printf "cpu_server=NA cpu_wrk=%.2f cpu_server+other=%.2f", wrk, oth }')"
      local other="${cpu##*=}" left=$(( RUNS + MAX_RETRIES - attempt - (RUNS - r) ))
      if [[ ${#pids[@]} -gt 0 ]] && (( left > 0 )) &&
         awk -v o="$other" -v max="$NOISE_MAX_CORES" 'BEGIN { exit !(o > max) }'; then
        echo "$name c=$c discarded $line $cpu (other processes > $NOISE_MAX_CORES cores)"
        continue
      fi
      echo "$name c=$c run=$r $line $cpu"
      # "rps p50 p99 non2xx cpu_server cpu_other"
      rows+=("$(sed -E 's/^rps=([^ ]+) p50_ms=([^ ]+) p99_ms=([^ ]+) non2xx=([^ ]+)$/\1 \2 \3 \4/' <<<"$line") \
$(sed -E 's/^cpu_server=([^ ]+) .*=([^ ]+)$/\1 \2/' <<<"$cpu")")
    done
    RESULTS["$name $c"]="$(printf '%s\n' "${rows[@]}" | sort -g -k1,1 | awk -v n="${#rows[@]}" '
      { rps[NR] = $1; p50[NR] = $2; p99[NR] = $3; bad += $4; srv[NR] = $5; oth[NR] = $6 }
      END { m = int((n + 1) / 2); print rps[m], p50[m], p99[m], bad, rps[1], rps[n], srv[m], oth[m] }')"
  done
}

SERVERS=()
if [[ -n "$GATEHOUSE_URL" ]]; then
  bench_server Gatehouse "$GATEHOUSE_TOKEN_URL" "$GATEHOUSE_CLIENT_ID" "$GATEHOUSE_CLIENT_SECRET" \
      "${GATEHOUSE_PID:-$(_listener_pids "$GATEHOUSE_TOKEN_URL" | tr '\n' ' ')}" ||
    die "Gatehouse measurement failed"
  SERVERS+=(Gatehouse)
fi

if [[ $SKIP_KEYCLOAK == 0 ]]; then
  log "installing / starting Keycloak $KEYCLOAK_VERSION"
  KC_STARTED=1
  keycloak_start || die "Keycloak did not start (log: $KEYCLOAK_LOG)"
  keycloak_setup_client || die "Keycloak client setup failed"
  echo
  echo "keycloak: $KEYCLOAK_VERSION, start-dev (dev mode, embedded H2), JVM defaults of kc.sh; startup ${KEYCLOAK_STARTUP_SECONDS:-?}s; RSS after start $(keycloak_rss_mib) MiB"
  bench_server Keycloak "$KEYCLOAK_TOKEN_URL" "$KEYCLOAK_CLIENT_ID" "$KEYCLOAK_CLIENT_SECRET" \
      "$(pgrep -g "$(cat "$KEYCLOAK_PIDFILE")" | tr '\n' ' ')" ||
    die "Keycloak measurement failed"
  echo "keycloak RSS after load: $(keycloak_rss_mib) MiB"
  keycloak_stop
  KC_STARTED=0
  SERVERS+=(Keycloak)
fi

# ------------------------------------------------------------------- report
echo
echo "## Results (median of $RUNS x ${DURATION}s runs by rps; p50/p99 from that run)"
echo
echo "| server | conc | rps | p50 ms | p99 ms | non-2xx (all runs) | rps min..max | rps / (2 x sign/s) | server cores | rps per server core | other cores |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for s in "${SERVERS[@]}"; do
  for c in $CONCURRENCY; do
    read -r rps p50 p99 bad lo hi srv oth <<<"${RESULTS["$s $c"]}"
    awk -v s="$s" -v c="$c" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v bad="$bad" \
        -v lo="$lo" -v hi="$hi" -v sign="$SIGN_PER_S" -v srv="$srv" -v oth="$oth" 'BEGIN {
      per = (srv + 0 > 0) ? sprintf("%.0f", rps / srv) : "NA"
      printf "| %s | %d | %.1f | %.2f | %.2f | %d | %.1f..%.1f | %.3f | %s | %s | %s |\n",
        s, c, rps, p50, p99, bad, lo, hi, rps / (2 * sign), srv, per, oth }'
  done
done
echo
if [[ -n "$GATEHOUSE_URL" && $SKIP_KEYCLOAK == 0 ]]; then
  echo "| conc | Gatehouse / Keycloak rps | Gatehouse rps / (2 x openssl sign/s) |"
  echo "|---:|---:|---:|"
  for c in $CONCURRENCY; do
    read -r g _ <<<"${RESULTS["Gatehouse $c"]}"
    read -r k _ <<<"${RESULTS["Keycloak $c"]}"
    awk -v c="$c" -v g="$g" -v k="$k" -v sign="$SIGN_PER_S" 'BEGIN {
      printf "| %d | %.2f | %.3f |\n", c, (k > 0 ? g / k : 0), g / (2 * sign) }'
  done
  echo
fi
echo "openssl rsa2048: $SIGN_PER_S sign/s on one core, so 2 x sign/s = $(awk -v s="$SIGN_PER_S" 'BEGIN {printf "%.1f", 2 * s}') is the RSA signing ceiling of this machine."
[[ -z "$GATEHOUSE_URL" ]] && echo "Gatehouse: not measured (GATEHOUSE_URL unset)."
echo "server cores / other cores: CPU used during the median run by the server / by everything"
echo "except the server and wrk (other builds etc.; large values mean a noisy measurement;"
echo "server cores NA: server pid unknown, other cores then include the server)."
echo "wrk details: $LOAD_LOG"
