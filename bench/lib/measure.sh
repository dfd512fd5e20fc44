#!/usr/bin/env bash
# Measuring machinery shared by bench/token-bench.sh and bench/oidc-bench.sh (source this
# file after lib/keycloak.sh and lib/load.sh; set BENCH_NAME first):
#
#   bench_parse_args "$@"   the common options (see either script's header); sets WARMUP DURATION
#                           RUNS CONCURRENCY SKIP_KEYCLOAK QUIET_WAIT MAX_RETRIES, exits on bad input
#   measure_init            temp files and the wrk/loadgen log ($LOAD_LOG); measure_cleanup removes them
#   machine_facts TITLE     date, cores, CPU, memory, kernel, JDKs, wrk, openssl, load, settings (stdout)
#   openssl_sign_per_s      sets SIGN_PER_S: one core's RSA-2048 signatures per second (openssl speed),
#                           and appends it to SIGN_SAMPLES
#   sign_ceiling_median     sets SIGN_PER_S to the median of SIGN_SAMPLES (a shared host's speed drifts:
#                           one measurement can be 20 % off the next minute's)
#   quiet_wait [PIDS...]    wait (bounded) until processes other than PIDS are quiet
#   listener_pids URL       the pids listening on URL's port
#   measure_series LABEL KEY "PIDS" PREPARE MEASURE [ARGS...]
#       RUNS runs of `MEASURE ARGS...` (which prints rps=… p50_ms=… p99_ms=… non2xx=…); before each,
#       PREPARE (a function, or : for none) and quiet_wait. Runs during which other processes used
#       more than NOISE_MAX_CORES are discarded and repeated (at most MAX_RETRIES extra runs). Prints
#       one line per run; stores the median run by rps in RESULTS[KEY] as
#       "rps p50 p99 non2xx_total rps_min rps_max cpu_server cpu_other".
#   window_start SECONDS    (for load functions) the measured window begins now
#
# CPU accounting: the machine may be shared (other builds running), so every run also reports where
# the CPU went, in cores (2.00 = both cores busy the whole run): cpu_server (the server process(es)),
# cpu_load (the load generator: wrk or the Java loadgen, children of this shell), cpu_other
# (everything else; noise if well above ~0.05).

BENCH_NAME="${BENCH_NAME:-bench}"
NOISE_MAX_CORES="${NOISE_MAX_CORES:-0.25}"
QUIET_MAX_CORES="${QUIET_MAX_CORES:-0.15}"
WARMUP_CONCURRENCY="${WARMUP_CONCURRENCY:-64}"
declare -A RESULTS
MEASURE_PIDS= WINDOW_T0=

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
log() { echo "[bench] $*" >&2; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

bench_parse_args() {
  WARMUP="${BENCH_DEFAULT_WARMUP:-180}" DURATION=30 RUNS=3 CONCURRENCY="16 64" SKIP_KEYCLOAK=0 QUIET_WAIT=120 MAX_RETRIES=
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
      --quiet-wait=*) QUIET_WAIT="${1#*=}"; shift ;;
      --max-retries) MAX_RETRIES="${2:-}"; shift 2 ;;
      --max-retries=*) MAX_RETRIES="${1#*=}"; shift ;;
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
  local c
  for c in $CONCURRENCY; do [[ "$c" =~ ^[1-9][0-9]*$ && "$c" -le 10000 ]] || die "bad concurrency: $c"; done
}

measure_init() {
  mkdir -p "$BENCH_CACHE"
  LOAD_LOG="$BENCH_CACHE/${BENCH_NAME}-$(date +%Y%m%d-%H%M%S).log"
  export LOAD_LOG
  : >"$LOAD_LOG"
  RUN_OUT="$(mktemp)"
  TIMES_OUT="$(mktemp)"
}

measure_cleanup() {
  rm -f "${RUN_OUT:-}" "${TIMES_OUT:-}"
}

machine_facts() {
  echo "$1"
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
}

# ------------------------------------------------------------- CPU accounting
CLK_TCK="$(getconf CLK_TCK)"
_machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
_pids_ticks() { # utime+stime of the given pids (all their threads)
  local p sum=0 t
  for p in "$@"; do
    t="$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null)" && sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}
_children_seconds() { # CPU seconds of this shell's reaped children (wrk or the loadgen, via `timeout`)
  # `times` must run in this shell, not in a $(...) subshell, hence the file
  times >"$TIMES_OUT"
  awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } print n }' "$TIMES_OUT"
}
listener_pids() { # pids listening on the port of URL (for the server CPU figure)
  local port
  port="$(sed -E 's#^[a-z]+://[^/]*:([0-9]+).*#\1#' <<<"$1")"
  [[ "$port" =~ ^[0-9]+$ ]] || port=80
  ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# quiet_wait [SERVER_PIDS...]: before each measured run, wait (at most QUIET_WAIT seconds) until
# processes other than the server use < QUIET_MAX_CORES cores, sampled over 2-second windows.
# Then measure anyway; cpu_other shows the noise.
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

# One core's RSA-2048 private-key operations per second (what an RS256 JWT signature costs).
# 2 x this is the signing ceiling of the 2-core machine.
openssl_sign_per_s() {
  local out
  log "openssl speed -seconds 5 rsa2048"
  out="$(openssl speed -seconds 5 rsa2048 2>/dev/null)"
  # Find the "sign/s" column in the header line, take the same column of the
  # "rsa 2048 bits" line (works for OpenSSL 3.0 and the wider 3.2+ table).
  SIGN_PER_S="$(awk '
    /sign\/s/ && !col { for (i = 1; i <= NF; i++) if ($i == "sign/s") col = i }
    /^rsa +2048 +bits/ && col { print $(col + 3); exit }' <<<"$out")"
  [[ "$SIGN_PER_S" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "$out" >&2; die "could not parse openssl speed output"; }
  SIGN_SAMPLES+=("$SIGN_PER_S")
}
SIGN_SAMPLES=()

sign_ceiling_median() {
  (( ${#SIGN_SAMPLES[@]} > 0 )) || die "no openssl speed samples"
  SIGN_PER_S="$(printf '%s\n' "${SIGN_SAMPLES[@]}" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
}

# ------------------------------------------------------------------ measuring
# window_start LOAD_CPU_SECONDS: a load function whose generator has a setup phase (the Java
# loadgen: JVM start, sessions, its own warm-up) calls this when the measured window begins, with
# the CPU seconds the generator used until then; measure_series then accounts CPU from there.
window_start() {
  WINDOW_T0="$(date +%s.%N)" WINDOW_M0="$(_machine_busy_ticks)" WINDOW_L0="${1:-0}"
  # shellcheck disable=SC2086 # a list of pids
  WINDOW_S0="$(_pids_ticks $MEASURE_PIDS)"
}

measure_series() {
  local label="$1" key="$2" prepare="$4" measure="$5"
  local -a pids
  read -r -a pids <<<"${3:-}"
  shift 5
  local rows=() attempt=0 r line t0 m0 s0 w0 w1 cpu
  # keep RUNS runs; a run disturbed by other processes (cpu_other > NOISE_MAX_CORES) is
  # discarded and repeated while retries are left (bounded: RUNS + MAX_RETRIES runs)
  while (( ${#rows[@]} < RUNS && attempt < RUNS + MAX_RETRIES )); do
    attempt=$((attempt + 1)); r=$(( ${#rows[@]} + 1 ))
    "$prepare" || return 1
    quiet_wait "${pids[@]}"
    log "$label run $r/$RUNS (attempt $attempt, ${DURATION}s)"
    _children_seconds >"$RUN_OUT"; w0="$(cat "$RUN_OUT")"
    t0="$(date +%s.%N)"; m0="$(_machine_busy_ticks)"; s0="$(_pids_ticks "${pids[@]}")"
    MEASURE_PIDS="${pids[*]}" WINDOW_T0=
    # not inside $(...): the load run must belong to this shell for load_abort
    "$measure" "$@" >"$RUN_OUT" || return 1
    line="$(cat "$RUN_OUT")"
    _children_seconds >"$RUN_OUT"; w1="$(cat "$RUN_OUT")"
    if [[ -n "$WINDOW_T0" ]]; then # the generator said when its measured window began (after its setup)
      t0="$WINDOW_T0" m0="$WINDOW_M0" s0="$WINDOW_S0"
      w0="$(awk -v a="$w0" -v b="$WINDOW_L0" 'BEGIN { print a + b }')"
    fi
    cpu="$(awk -v t0="$t0" -v t1="$(date +%s.%N)" -v m="$(( $(_machine_busy_ticks) - m0 ))" \
        -v sv="$(( $(_pids_ticks "${pids[@]}") - s0 ))" -v w0="$w0" -v w1="$w1" \
        -v hz="$CLK_TCK" -v known="${#pids[@]}" 'BEGIN {
      el = t1 - t0; srv = sv / hz / el; load = (w1 - w0) / el; oth = m / hz / el - load - srv
      if (oth < 0) oth = 0
      if (known > 0) printf "cpu_server=%.2f cpu_load=%.2f cpu_other=%.2f", srv, load, oth
      else printf "cpu_server=NA cpu_load=%.2f cpu_server+other=%.2f", load, oth }')"
    local other="${cpu##*=}" left=$(( RUNS + MAX_RETRIES - attempt - (RUNS - r) ))
    if [[ ${#pids[@]} -gt 0 ]] && (( left > 0 )) &&
       awk -v o="$other" -v max="$NOISE_MAX_CORES" 'BEGIN { exit !(o > max) }'; then
      echo "$label discarded $line $cpu (other processes > $NOISE_MAX_CORES cores)"
      continue
    fi
    echo "$label run=$r $line $cpu"
    # "rps p50 p99 non2xx cpu_server cpu_other"
    rows+=("$(sed -E 's/^rps=([^ ]+) p50_ms=([^ ]+) p99_ms=([^ ]+) non2xx=([^ ]+)$/\1 \2 \3 \4/' <<<"$line") \
$(sed -E 's/^cpu_server=([^ ]+) .*=([^ ]+)$/\1 \2/' <<<"$cpu")")
  done
  RESULTS["$key"]="$(printf '%s\n' "${rows[@]}" | sort -g -k1,1 | awk -v n="${#rows[@]}" '
    { rps[NR] = $1; p50[NR] = $2; p99[NR] = $3; bad += $4; srv[NR] = $5; oth[NR] = $6 }
    END { m = int((n + 1) / 2); print rps[m], p50[m], p99[m], bad, rps[1], rps[n], srv[m], oth[m] }')"
}
