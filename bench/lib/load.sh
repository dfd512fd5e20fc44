#!/usr/bin/env bash
# Load generation for the benchmarks (source this file).
#
#   measure_token_endpoint URL CLIENT_ID SECRET CONCURRENCY DURATION_SECONDS
#       -> stdout: one line  rps=<float> p50_ms=<float> p99_ms=<float> non2xx=<int>
#          (the full report goes to stderr, or to $LOAD_LOG when that is set)
#   warmup_token_endpoint URL CLIENT_ID SECRET DURATION_SECONDS [CONCURRENCY=16]
#       -> same load, result only logged to stderr
#   check_token_endpoint URL CLIENT_ID SECRET
#       -> one curl request; fails unless it returns 2xx with an access_token
#   measure_request URL CONCURRENCY DURATION_SECONDS
#       -> the same line for one fixed request described by LOAD_METHOD, LOAD_BODY,
#          LOAD_AUTHORIZATION and LOAD_EXPECT (see lib/request.lua)
#   measure_refresh URL TOKENS_FILE CONCURRENCY DURATION_SECONDS
#       -> the same line for rotating refresh_token grants driven by wrk (lib/refresh.lua): each
#          token of TOKENS_FILE (at least one per connection) and each rotated one is sent once;
#          the rest of the form (grant_type=refresh_token&client_id=…&client_secret=…) comes from
#          REFRESH_FORM in the environment
#   measure_loadgen MODE CONCURRENCY DURATION_SECONDS [--option value ...]
#       -> the same line from the Java closed-loop generator (bench/loadgen, OidcLoadGenerator)
#   loadgen MODE [--option value ...]
#       -> runs a setup mode of OidcLoadGenerator (sessions, access-token) in the foreground
#   ensure_wrk / ensure_loadgen
#       -> install wrk (apt-get) / build bench/loadgen/target/loadgen.jar when missing
#   load_abort
#       -> for trap handlers: ends a wrk or loadgen run still under way in this shell
#          (call the measure functions directly, not inside $(...), for that to work)
#
# wrk runs with 2 threads, CONCURRENCY keep-alive connections, --latency, and
# bench/lib/request.lua. The loadgen runs CONCURRENCY worker threads over HTTP/1.1 kept-alive
# connections. Both are closed-loop generators running on the same 2-core machine as the
# server under test, so they take some CPU away from the server; that cost is the same for
# every server measured with the same generator. Only loopback URLs are accepted.

_LOAD_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REQUEST_LUA="$_LOAD_LIB_DIR/request.lua"
REFRESH_LUA="$_LOAD_LIB_DIR/refresh.lua"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"
LOADGEN_JAR="${LOADGEN_JAR:-$_LOAD_LIB_DIR/../loadgen/target/loadgen.jar}"
LOADGEN_JAVA_HOME="${LOADGEN_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
LOADGEN_JAVA_OPTS="${LOADGEN_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -Xmx512m --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED}"
LOADGEN_SETUP_SECONDS="${LOADGEN_SETUP_SECONDS:-300}" # bound on a loadgen run's setup phase
LOADGEN_WARMUP="${LOADGEN_WARMUP:-3}" # seconds the loadgen runs unmeasured first (its own JIT)

_load_log() { echo "[load] $*" >&2; }

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  _load_log "installing wrk (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; } ||
    { _load_log "could not install wrk"; return 1; }
}

ensure_loadgen() {
  [[ -f "$LOADGEN_JAR" ]] && return 0
  _load_log "building bench/loadgen (./mvnw package -pl bench/loadgen -am)"
  (cd "$_LOAD_LIB_DIR/../.." && JAVA_HOME="$LOADGEN_JAVA_HOME" timeout 1800 ./mvnw -q -B package -DskipTests \
      -pl bench/loadgen -am) >&2 || { _load_log "loadgen build failed"; return 1; }
}

_load_check_url() { # only loopback targets
  case "$1" in
    http://127.*|http://localhost[:/]*|http://localhost|http://\[::1\]*) return 0 ;;
  esac
  _load_log "refusing non-loopback target: $1"
  return 1
}

_urlencode() { # RFC 3986 unreserved characters stay, every other byte is %XX
  local s="$1" out="" c i
  local LC_ALL=C
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [a-zA-Z0-9.~_-]) out+="$c" ;;
      *) printf -v c '%%%02X' "'$c"; out+="$c" ;;
    esac
  done
  printf '%s' "$out"
}

# _run_load TITLE LIMIT_SECONDS CMD... -> the result line of CMD's output on stdout.
# CMD runs in the background under `timeout`, and this shell waits for it, so a trapped
# INT/TERM in the calling shell is handled at once; load_abort (from that trap) then ends it.
# With LOAD_MARKER set, CMD prints that line when its measured window begins; then
# window_start (lib/measure.sh) is told, with the CPU seconds CMD used until then.
_run_load() {
  local title="$1" limit="$2" out rc line
  shift 2
  out="$(mktemp)"
  timeout --kill-after=10 "$limit" "$@" >"$out" 2>&1 &
  _LOAD_PID=$!
  if [[ -n "${LOAD_MARKER:-}" ]]; then
    local i generator
    for ((i = 0; i < limit * 20; i++)); do # bounded; CMD itself ends by `timeout` at the latest
      grep -qx -- "$LOAD_MARKER" "$out" && break
      kill -0 "$_LOAD_PID" 2>/dev/null || break
      sleep 0.05
    done
    generator="$(pgrep -P "$_LOAD_PID" | head -n1)"
    if [[ -n "$generator" ]] && declare -F window_start >/dev/null; then
      window_start "$(awk -v t="$(_pids_ticks "$generator")" -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }')"
    fi
  fi
  wait "$_LOAD_PID"
  rc=$?
  _LOAD_PID=
  if [[ -n "${LOAD_LOG:-}" ]]; then
    { echo "### $title (exit $rc)"; cat "$out"; } >>"$LOAD_LOG"
  else
    cat "$out" >&2
  fi
  line="$(grep -E '^rps=[0-9.]+ p50_ms=[0-9.]+ p99_ms=[0-9.]+ non2xx=[0-9]+$' "$out" | tail -n1)"
  [[ $rc -eq 0 && -n "$line" ]] || { _load_log "$title failed (exit $rc): $(grep -v '^WARNING' "$out" | tail -n 3)"; rm -f "$out"; return 1; }
  rm -f "$out"
  echo "$line"
}

# _run_wrk URL CONCURRENCY DURATION -> the done() line on stdout; the request is LOAD_*
_run_wrk() {
  local url="$1" conc="$2" dur="$3"
  _load_check_url "$url" || return 1
  [[ "$conc" =~ ^[1-9][0-9]*$ && "$dur" =~ ^[1-9][0-9]*$ ]] || { _load_log "bad concurrency/duration: $conc $dur"; return 1; }
  ensure_wrk || return 1
  local threads=$WRK_THREADS
  (( conc < threads )) && threads=$conc
  _run_load "wrk -t$threads -c$conc -d${dur}s ${LOAD_METHOD:-GET} $url" $((dur + 60)) \
    env LOAD_METHOD="${LOAD_METHOD:-GET}" LOAD_BODY="${LOAD_BODY:-}" \
      LOAD_AUTHORIZATION="${LOAD_AUTHORIZATION:-}" LOAD_EXPECT="${LOAD_EXPECT:-}" \
    wrk -t"$threads" -c"$conc" -d"${dur}s" --timeout "$WRK_TIMEOUT" --latency -s "$REQUEST_LUA" "$url"
}

measure_refresh() {
  if [[ $# -ne 4 ]]; then
    _load_log "usage: measure_refresh URL TOKENS_FILE CONCURRENCY DURATION"
    return 2
  fi
  local url="$1" tokens="$2" conc="$3" dur="$4"
  _load_check_url "$url" || return 1
  [[ "$conc" =~ ^[1-9][0-9]*$ && "$dur" =~ ^[1-9][0-9]*$ ]] || { _load_log "bad concurrency/duration: $conc $dur"; return 1; }
  [[ -s "$tokens" ]] || { _load_log "no refresh tokens in $tokens"; return 1; }
  (( $(grep -c . "$tokens") >= conc )) || { _load_log "$tokens has fewer tokens than connections ($conc)"; return 1; }
  ensure_wrk || return 1
  local threads=$WRK_THREADS
  (( conc < threads )) && threads=$conc
  # REFRESH_FORM (a client secret) reaches wrk through the environment, not its command line
  REFRESH_TOKENS="$tokens" REFRESH_THREADS="$threads" \
    _run_load "wrk -t$threads -c$conc -d${dur}s refresh_token $url" $((dur + 60)) \
    wrk -t"$threads" -c"$conc" -d"${dur}s" --timeout "$WRK_TIMEOUT" --latency -s "$REFRESH_LUA" "$url"
}

# Stop a wrk or loadgen started by this shell that is still running (for traps).
load_abort() {
  if [[ -n "${_LOAD_PID:-}" ]] && kill -0 "$_LOAD_PID" 2>/dev/null; then
    kill -TERM "$_LOAD_PID" 2>/dev/null # the `timeout` wrapper passes it on
    wait "$_LOAD_PID" 2>/dev/null
  fi
  _LOAD_PID=
}

measure_request() {
  if [[ $# -ne 3 ]]; then
    _load_log "usage: measure_request URL CONCURRENCY DURATION"
    return 2
  fi
  _run_wrk "$@"
}

# client_credentials with client_secret_post
_token_request() { # _token_request CLIENT_ID SECRET -> sets LOAD_* for the token endpoint
  LOAD_METHOD=POST LOAD_AUTHORIZATION= LOAD_EXPECT='"access_token"'
  LOAD_BODY="grant_type=client_credentials&client_id=$(_urlencode "$1")&client_secret=$(_urlencode "$2")"
}

measure_token_endpoint() {
  if [[ $# -ne 5 ]]; then
    _load_log "usage: measure_token_endpoint URL CLIENT_ID SECRET CONCURRENCY DURATION"
    return 2
  fi
  local LOAD_METHOD LOAD_BODY LOAD_AUTHORIZATION LOAD_EXPECT
  _token_request "$2" "$3"
  _run_wrk "$1" "$4" "$5"
}

warmup_token_endpoint() {
  if [[ $# -lt 4 ]]; then
    _load_log "usage: warmup_token_endpoint URL CLIENT_ID SECRET DURATION [CONCURRENCY]"
    return 2
  fi
  _load_log "warm-up: ${4}s at c${5:-16} against $1"
  local tmp rc
  tmp="$(mktemp)"
  measure_token_endpoint "$1" "$2" "$3" "${5:-16}" "$4" >"$tmp"
  rc=$?
  _load_log "warm-up result: $(cat "$tmp")"
  rm -f "$tmp"
  return $rc
}

check_token_endpoint() {
  local url="$1" id="$2" secret="$3" body code
  _load_check_url "$url" || return 1
  body="$(curl -s -w '\n%{http_code}' --max-time 30 -H 'Accept: application/json' \
      --data-urlencode grant_type=client_credentials \
      --data-urlencode "client_id=$id" --data-urlencode "client_secret=$secret" "$url")"
  code="${body##*$'\n'}"
  body="${body%$'\n'*}"
  if [[ "$code" != 2* ]] || ! grep -q '"access_token"' <<<"$body"; then
    _load_log "token request to $url failed: HTTP $code ${body:0:300}"
    return 1
  fi
  _load_log "token request to $url OK (HTTP $code, ${#body}-byte response)"
}

_loadgen_cmd() {
  echo "$LOADGEN_JAVA_HOME/bin/java" $LOADGEN_JAVA_OPTS -cp "$LOADGEN_JAR" dev.gatehouse.bench.OidcLoadGenerator
}

# Setup modes (sessions, access-token): foreground, bounded; stdout is the mode's output.
# The client secret and user password come from BENCH_CLIENT_SECRET / BENCH_USER_PASSWORD.
loadgen() {
  local -a cmd
  read -r -a cmd <<<"$(_loadgen_cmd)"
  timeout --kill-after=10 "$LOADGEN_SETUP_SECONDS" "${cmd[@]}" "$@" 2> >(grep -v '^WARNING' >&2)
}

measure_loadgen() {
  if [[ $# -lt 3 ]]; then
    _load_log "usage: measure_loadgen MODE CONCURRENCY DURATION [--option value ...]"
    return 2
  fi
  local mode="$1" conc="$2" dur="$3" url
  shift 3
  url="$(printf '%s\n' "$@" | grep -m1 '^http')"
  _load_check_url "$url" || return 1
  ensure_loadgen || return 1
  local -a cmd
  read -r -a cmd <<<"$(_loadgen_cmd)"
  LOAD_MARKER=measuring _run_load "loadgen $mode c$conc ${dur}s $url" $((dur + LOADGEN_WARMUP + LOADGEN_SETUP_SECONDS)) \
    "${cmd[@]}" "$mode" --concurrency "$conc" --seconds "$dur" --warmup-seconds "$LOADGEN_WARMUP" "$@"
}
