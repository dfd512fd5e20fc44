#!/usr/bin/env bash
# A throw-away Gatehouse for a benchmark (source this file):
#   gatehouse_start   `./gatehouse start` (builds when needed; the launcher's JVM defaults) on
#                     127.0.0.1:$GATEHOUSE_BENCH_PORT with a fresh embedded-H2 data directory, the
#                     dev mailbox on and no SMTP server; waits (bounded) for /readyz. Sets
#                     GATEHOUSE_URL, GATEHOUSE_CLIENT_ID, GATEHOUSE_CLIENT_SECRET (bootstrap client
#                     with a random secret) and GATEHOUSE_BENCH_PIDS.
#   gatehouse_stop    stops the Gatehouse this file started (its process group), bounded wait.
#   gatehouse_management_token   prints a management access token (client_credentials of GATEHOUSE_CLIENT_ID)
#   gatehouse_register_redirect URI   adds URI to the client's redirect URIs (once; needs jq)
#
# Environment: GATEHOUSE_BENCH_PORT (18091), GATEHOUSE_BENCH_DATA (bench/.cache/gatehouse-bench-data,
# wiped at every start), GATEHOUSE_START_TIMEOUT seconds (600: the first start may build),
# GATEHOUSE_JAVA_OPTS (passed on to ./gatehouse). Log: bench/.cache/gatehouse-bench.log.

_GH_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_CACHE="${BENCH_CACHE:-$_GH_LIB_DIR/../.cache}"
GATEHOUSE_BENCH_PORT="${GATEHOUSE_BENCH_PORT:-18091}"
GATEHOUSE_BENCH_DATA="${GATEHOUSE_BENCH_DATA:-$BENCH_CACHE/gatehouse-bench-data}"
GATEHOUSE_BENCH_LOG="$BENCH_CACHE/gatehouse-bench.log"
GATEHOUSE_START_TIMEOUT="${GATEHOUSE_START_TIMEOUT:-600}"
_GH_PID=

_gh_log() { echo "[gatehouse] $*" >&2; }

gatehouse_start() {
  local url="http://127.0.0.1:$GATEHOUSE_BENCH_PORT"
  if (exec 3<>"/dev/tcp/127.0.0.1/$GATEHOUSE_BENCH_PORT") 2>/dev/null; then
    _gh_log "port $GATEHOUSE_BENCH_PORT is in use by a process this script did not start; refusing"
    return 1
  fi
  mkdir -p "$BENCH_CACHE"
  rm -rf "$GATEHOUSE_BENCH_DATA"
  GATEHOUSE_CLIENT_ID=skc_bench
  GATEHOUSE_CLIENT_SECRET="bench-$(openssl rand -hex 16)"
  _gh_log "starting ./gatehouse start on $url (fresh data in $GATEHOUSE_BENCH_DATA), log: $GATEHOUSE_BENCH_LOG"
  # setsid: own process group, so gatehouse_stop signals the launcher's JVM (it execs java) alone.
  # env -u: no SMTP server from the caller's environment, so sign-in mail goes to the dev mailbox.
  env -u GATEHOUSE_SMTP_HOST -u GATEHOUSE_DATABASE_URL -u GATEHOUSE_TLS_CERT -u GATEHOUSE_TLS_KEY \
    GATEHOUSE_LOGIN_EMAILS_PER_IP=200 GATEHOUSE_LOGIN_PROOFS_PER_IP=200 \
    GATEHOUSE_PORT="$GATEHOUSE_BENCH_PORT" GATEHOUSE_PUBLIC_URL="$url" GATEHOUSE_DATA_DIR="$GATEHOUSE_BENCH_DATA" \
    GATEHOUSE_MASTER_KEY="$(openssl rand -base64 32)" GATEHOUSE_DEV_MAILBOX=true \
    GATEHOUSE_BOOTSTRAP_CLIENT_ID="$GATEHOUSE_CLIENT_ID" GATEHOUSE_BOOTSTRAP_CLIENT_SECRET="$GATEHOUSE_CLIENT_SECRET" \
    setsid "$_GH_LIB_DIR/../../gatehouse" start >"$GATEHOUSE_BENCH_LOG" 2>&1 </dev/null &
  _GH_PID=$!
  local start=$SECONDS
  while (( SECONDS - start < GATEHOUSE_START_TIMEOUT )); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/readyz")" == 200 ]]; then
      GATEHOUSE_URL="$url"
      GATEHOUSE_BENCH_PIDS="$(pgrep -g "$_GH_PID" | tr '\n' ' ')"
      _gh_log "ready after $((SECONDS - start))s (pids $GATEHOUSE_BENCH_PIDS)"
      return 0
    fi
    if ! kill -0 "$_GH_PID" 2>/dev/null; then
      _gh_log "Gatehouse exited during startup; last log lines:"; tail -n 30 "$GATEHOUSE_BENCH_LOG" >&2
      _GH_PID=; return 1
    fi
    sleep 1 # poll interval of a bounded readiness loop
  done
  _gh_log "not ready after ${GATEHOUSE_START_TIMEOUT}s; stopping it"
  gatehouse_stop
  return 1
}

gatehouse_stop() {
  [[ -n "$_GH_PID" ]] || return 0
  if kill -0 -- "-$_GH_PID" 2>/dev/null; then
    _gh_log "stopping Gatehouse (pid $_GH_PID)"
    kill -TERM -- "-$_GH_PID" 2>/dev/null
    local i
    for ((i = 0; i < 60; i++)); do
      kill -0 -- "-$_GH_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 -- "-$_GH_PID" 2>/dev/null && { _gh_log "still alive after 30s, sending KILL"; kill -KILL -- "-$_GH_PID" 2>/dev/null; }
  fi
  wait "$_GH_PID" 2>/dev/null
  _GH_PID=
}

gatehouse_management_token() {
  local token
  token="$(curl -fsS --max-time 30 --data-urlencode grant_type=client_credentials \
      --data-urlencode "client_id=$GATEHOUSE_CLIENT_ID" --data-urlencode "client_secret=$GATEHOUSE_CLIENT_SECRET" \
      "$GATEHOUSE_URL/oauth/token" | jq -r .access_token)"
  [[ -n "$token" && "$token" != null ]] || { _gh_log "management token (client_credentials) failed"; return 1; }
  printf '%s' "$token"
}

# The environment's client gets a benchmark's redirect URI (added to its list, once).
gatehouse_register_redirect() {
  local uri="$1" token uris code out
  token="$(gatehouse_management_token)" || return 1
  uris="$(curl -fsS --max-time 30 -H "authorization: Bearer $token" \
      "$GATEHOUSE_URL/api/v1/clients/$GATEHOUSE_CLIENT_ID" | jq -c '.client.redirect_uris // []')" ||
    { _gh_log "GET /api/v1/clients/$GATEHOUSE_CLIENT_ID failed"; return 1; }
  if jq -e --arg u "$uri" 'index($u)' <<<"$uris" >/dev/null; then
    _gh_log "redirect URI $uri already registered"
    return 0
  fi
  (( $(jq length <<<"$uris") < 5 )) || { _gh_log "the client already has 5 redirect URIs; remove one"; return 1; }
  out="$(mktemp)"
  code="$(curl -s -o "$out" -w '%{http_code}' --max-time 30 -X PATCH -H "authorization: Bearer $token" \
      -H 'content-type: application/json' --data "$(jq -c --arg u "$uri" '{redirect_uris: (. + [$u])}' <<<"$uris")" \
      "$GATEHOUSE_URL/api/v1/clients/$GATEHOUSE_CLIENT_ID")"
  [[ "$code" == 200 ]] || { _gh_log "PATCH redirect_uris -> HTTP $code $(head -c 300 "$out")"; rm -f "$out"; return 1; }
  rm -f "$out"
  _gh_log "registered redirect URI $uri"
}
