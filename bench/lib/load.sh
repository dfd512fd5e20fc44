#!/usr/bin/env bash
# Load generation for the token benchmark (source this file).
#
#   measure_token_endpoint URL CLIENT_ID SECRET CONCURRENCY DURATION_SECONDS
#       -> stdout: one line  rps=<float> p50_ms=<float> p99_ms=<float> non2xx=<int>
#          (wrk's full report goes to stderr, or to $LOAD_LOG when that is set)
#   warmup_token_endpoint URL CLIENT_ID SECRET DURATION_SECONDS [CONCURRENCY=16]
#       -> same load, result only logged to stderr
#   check_token_endpoint URL CLIENT_ID SECRET
#       -> one curl request; fails unless it returns 2xx with an access_token
#   load_abort
#       -> for trap handlers: ends a wrk run still under way in this shell
#          (call the functions above directly, not inside $(...), for that to work)
#
# wrk runs with 2 threads, CONCURRENCY keep-alive connections, --latency, and
# bench/lib/token.lua as the request script. It is a closed-loop generator
# running on the same 2-core machine as the server under test, so it takes
# some CPU away from the server; that cost is the same for every server measured.
# Only loopback URLs are accepted.

_LOAD_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOKEN_LUA="$_LOAD_LIB_DIR/token.lua"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"

_load_log() { echo "[load] $*" >&2; }

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  _load_log "installing wrk (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; } ||
    { _load_log "could not install wrk"; return 1; }
}

_load_check_url() { # only loopback targets
  case "$1" in
    http://127.*|http://localhost[:/]*|http://localhost|http://\[::1\]*) return 0 ;;
  esac
  _load_log "refusing non-loopback target: $1"
  return 1
}

# _run_wrk URL CLIENT_ID SECRET CONCURRENCY DURATION -> the done() line on stdout
_run_wrk() {
  local url="$1" id="$2" secret="$3" conc="$4" dur="$5"
  _load_check_url "$url" || return 1
  [[ "$conc" =~ ^[1-9][0-9]*$ && "$dur" =~ ^[1-9][0-9]*$ ]] || { _load_log "bad concurrency/duration: $conc $dur"; return 1; }
  ensure_wrk || return 1
  local threads=$WRK_THREADS
  (( conc < threads )) && threads=$conc
  local out rc
  out="$(mktemp)"
  # Run in the background and `wait`, so a trapped INT/TERM in the calling shell
  # is handled at once; load_abort (from that trap) then ends this wrk.
  TOKEN_CLIENT_ID="$id" TOKEN_CLIENT_SECRET="$secret" \
    timeout --kill-after=10 $((dur + 60)) \
    wrk -t"$threads" -c"$conc" -d"${dur}s" --timeout "$WRK_TIMEOUT" --latency -s "$TOKEN_LUA" "$url" \
    >"$out" 2>&1 &
  _LOAD_WRK_PID=$!
  wait "$_LOAD_WRK_PID"
  rc=$?
  _LOAD_WRK_PID=
  if [[ -n "${LOAD_LOG:-}" ]]; then
    { echo "### wrk -t$threads -c$conc -d${dur}s $url (exit $rc)"; cat "$out"; } >>"$LOAD_LOG"
  else
    cat "$out" >&2
  fi
  local line
  line="$(grep -E '^rps=[0-9.]+ p50_ms=[0-9.]+ p99_ms=[0-9.]+ non2xx=[0-9]+$' "$out" | tail -n1)"
  rm -f "$out"
  [[ $rc -eq 0 && -n "$line" ]] || { _load_log "wrk failed (exit $rc)"; return 1; }
  echo "$line"
}

# Stop a wrk started by this shell that is still running (for traps).
load_abort() {
  if [[ -n "${_LOAD_WRK_PID:-}" ]] && kill -0 "$_LOAD_WRK_PID" 2>/dev/null; then
    kill -TERM "$_LOAD_WRK_PID" 2>/dev/null # the `timeout` wrapper passes it on to wrk
    wait "$_LOAD_WRK_PID" 2>/dev/null
  fi
  _LOAD_WRK_PID=
}

measure_token_endpoint() {
  if [[ $# -ne 5 ]]; then
    _load_log "usage: measure_token_endpoint URL CLIENT_ID SECRET CONCURRENCY DURATION"
    return 2
  fi
  _run_wrk "$@"
}

warmup_token_endpoint() {
  if [[ $# -lt 4 ]]; then
    _load_log "usage: warmup_token_endpoint URL CLIENT_ID SECRET DURATION [CONCURRENCY]"
    return 2
  fi
  _load_log "warm-up: ${4}s at c${5:-16} against $1"
  local tmp rc
  tmp="$(mktemp)"
  _run_wrk "$1" "$2" "$3" "${5:-16}" "$4" >"$tmp"
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
