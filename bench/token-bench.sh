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
# The RSA ceiling (`openssl speed rsa2048`, one core) is sampled at the start and before every measured
# run, with the server idle; the report uses the median and lists every sample (a shared host's speed
# drifts by up to ±20 % within minutes).
#
# Output: progress on stderr; machine facts, per-run lines and a Markdown table on
# stdout. Full wrk reports go to bench/.cache/token-bench-<timestamp>.log.
# Targets are loopback only; every loop and every wrk run is bounded.

# shellcheck source-path=SCRIPTDIR
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/lib/keycloak.sh"
source "$BENCH_DIR/lib/load.sh"
BENCH_NAME=token-bench
source "$BENCH_DIR/lib/measure.sh"

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; }
bench_parse_args "$@"

GATEHOUSE_URL="${GATEHOUSE_URL:-}"
if [[ -n "$GATEHOUSE_URL" ]]; then
  GATEHOUSE_TOKEN_URL="${GATEHOUSE_TOKEN_URL:-${GATEHOUSE_URL%/}/oauth/token}"
  [[ -n "${GATEHOUSE_CLIENT_ID:-}" && -n "${GATEHOUSE_CLIENT_SECRET:-}" ]] ||
    die "GATEHOUSE_URL is set, so GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET are needed"
  _load_check_url "$GATEHOUSE_TOKEN_URL" || die "Gatehouse must be on loopback"
elif [[ $SKIP_KEYCLOAK == 1 ]]; then
  die "--skip-keycloak without GATEHOUSE_URL leaves nothing to measure"
fi

measure_init
KC_STARTED=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  load_abort
  if [[ $KC_STARTED == 1 ]]; then keycloak_stop; fi
  measure_cleanup
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_wrk || die "wrk is needed"
command -v openssl >/dev/null || { _kc_need openssl || die "openssl is needed"; }

# ---------------------------------------------------------------- machine facts
machine_facts "# Token endpoint benchmark (client_credentials)"

# One core's RSA-2048 sign/s: 2 x this is the signing ceiling of the 2-core machine. Measured here and
# again before every measured run (the server idle); the ceiling is the median of all samples.
quiet_wait
openssl_sign_per_s
echo "openssl rsa2048 sign/s (1 core): $SIGN_PER_S"
sample_ceiling() {
  quiet_wait
  openssl_sign_per_s
  echo "openssl rsa2048 sign/s (1 core) before the next run: $SIGN_PER_S"
}

# ---------------------------------------------------------------- measuring
# bench_server NAME URL CLIENT_ID SECRET "SERVER_PIDS"
bench_server() {
  local name="$1" url="$2" id="$3" secret="$4" pids="${5:-}" c
  echo
  echo "## $name: $url"
  echo "server pids: ${pids:-unknown}; load average before warm-up: $(load_avg)"
  check_token_endpoint "$url" "$id" "$secret" || return 1
  if (( WARMUP > 0 )); then
    # shellcheck disable=SC2086 # pids: a list
    quiet_wait $pids
    warmup_token_endpoint "$url" "$id" "$secret" "$WARMUP" "$WARMUP_CONCURRENCY" || return 1
  fi
  for c in $CONCURRENCY; do
    measure_series "$name c=$c" "$name $c" "$pids" sample_ceiling measure_token_endpoint "$url" "$id" "$secret" "$c" "$DURATION" ||
      return 1
  done
}

SERVERS=()
if [[ -n "$GATEHOUSE_URL" ]]; then
  bench_server Gatehouse "$GATEHOUSE_TOKEN_URL" "$GATEHOUSE_CLIENT_ID" "$GATEHOUSE_CLIENT_SECRET" \
      "${GATEHOUSE_PID:-$(listener_pids "$GATEHOUSE_TOKEN_URL" | tr '\n' ' ')}" ||
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
sign_ceiling_median
echo
echo "## Results (median of $RUNS x ${DURATION}s runs by rps; p50/p99 from that run)"
echo
echo "| server | conc | rps | p50 ms | p99 ms | non-2xx (all runs) | rps min..max | rps / (2 x sign/s) | server cores | rps per server core | server CPU ms/req | other cores |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for s in "${SERVERS[@]}"; do
  for c in $CONCURRENCY; do
    read -r rps p50 p99 bad lo hi srv oth <<<"${RESULTS["$s $c"]}"
    awk -v s="$s" -v c="$c" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v bad="$bad" \
        -v lo="$lo" -v hi="$hi" -v sign="$SIGN_PER_S" -v srv="$srv" -v oth="$oth" 'BEGIN {
      per = (srv + 0 > 0) ? sprintf("%.0f", rps / srv) : "NA"
      ms = (srv + 0 > 0 && rps > 0) ? sprintf("%.3f", srv * 1000 / rps) : "NA"
      printf "| %s | %d | %.1f | %.2f | %.2f | %d | %.1f..%.1f | %.3f | %s | %s | %s | %s |\n",
        s, c, rps, p50, p99, bad, lo, hi, rps / (2 * sign), srv, per, ms, oth }'
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
echo "openssl rsa2048: $SIGN_PER_S sign/s on one core (median of ${#SIGN_SAMPLES[@]} samples: $(printf '%s\n' "${SIGN_SAMPLES[@]}" | sort -g | tr '\n' ' ')), so 2 x sign/s = $(awk -v s="$SIGN_PER_S" 'BEGIN {printf "%.1f", 2 * s}') is the RSA signing ceiling of this machine."
[[ -z "$GATEHOUSE_URL" ]] && echo "Gatehouse: not measured (GATEHOUSE_URL unset)."
echo "server cores / other cores: CPU used during the median run by the server / by everything"
echo "except the server and wrk (other builds etc.; large values mean a noisy measurement;"
echo "server cores NA: server pid unknown, other cores then include the server)."
echo "wrk details: $LOAD_LOG"
