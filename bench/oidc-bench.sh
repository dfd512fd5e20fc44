#!/usr/bin/env bash
# OpenID provider throughput (issue 3): Gatehouse side by side with Keycloak 26.
#
# Usage:
#   [GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_CLIENT_ID=skc_... GATEHOUSE_CLIENT_SECRET=...] \
#     bench/oidc-bench.sh [--warmup SECONDS] [--duration SECONDS] [--runs N]
#                         [--concurrency "16 64"] [--skip-keycloak] [--quiet-wait SECONDS]
#                         [--max-retries N]
#
#   --warmup    seconds of load before measuring each endpoint of each server (default 60)
#   --duration  seconds of one measured run (default 30)
#   --runs      measured runs per endpoint and concurrency; the median run by rate is reported (default 3)
#   --concurrency  space-separated numbers of concurrent clients (default "16 64")
#   --skip-keycloak  measure Gatehouse only
#   --quiet-wait  before openssl, each warm-up and each run, wait up to this many seconds for other
#                 processes to use < QUIET_MAX_CORES (0.15) cores (default 120, 0 = off)
#   --max-retries  extra runs per series that may replace runs during which other processes used
#                 > NOISE_MAX_CORES (0.25) cores (default = --runs)
#
# Measured, at every concurrency level, with p50/p99 per operation:
#   Gatehouse login          warm-session authorization-code login: GET /oauth/authorize with the
#                            worker's session cookie -> 302 with a code -> POST /oauth/token (loadgen)
#             refresh        rotating refresh_token grants, client_secret_post (wrk + lib/refresh.lua:
#                            before each run, one fresh refresh token per connection from a login per
#                            session; every answer's rotated token is used next, each token once)
#             introspection  POST /oauth/introspect of a user access token, client_secret_basic (wrk)
#             userinfo       GET /userinfo with that access token as bearer (wrk)
#   Keycloak  refresh, introspection: the same against realm "bench" (refresh tokens from password
#             grants; revokeRefreshToken=true and refreshTokenMaxReuse=0, so each works once, like
#             Gatehouse's; bench/README.md)
#
# MEASUREMENTS (default "login refresh introspection userinfo") picks what is measured (Keycloak
# only has refresh and introspection). REFRESH_LOAD=loadgen drives the refresh grants with the Java
# closed-loop generator instead of wrk (each worker chaining its own token; it costs the 2-core
# machine 0.5-0.7 cores, wrk ~0.05).
#
# SKIP_GATEHOUSE=1 measures Keycloak alone (e.g. in a separate quiet window; the ratio table then shows 0).
# Gatehouse: without GATEHOUSE_URL the script starts its own (./gatehouse start, fresh H2 data,
# dev mailbox, 127.0.0.1:$GATEHOUSE_BENCH_PORT, default 18091) and stops it before Keycloak starts.
# With GATEHOUSE_URL (its issuer URL), that server must have the dev mailbox on (no SMTP) and
# sign-up allowed: the script adds its redirect URI to the client and signs up as many new users
# as the largest concurrency (bench-<time>-<n>@bench.test; example.com belongs to the test organization's IdP simulator). GATEHOUSE_PID names its process(es).
# Keycloak is installed (bench/.cache/), started, configured, measured and stopped by the script.
#
# Output: progress on stderr; machine facts, per-run lines and Markdown tables on stdout.
# Full wrk and loadgen reports: bench/.cache/oidc-bench-<timestamp>.log. Loopback only; every
# loop and every load run is bounded.

# shellcheck source-path=SCRIPTDIR
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/lib/keycloak.sh"
source "$BENCH_DIR/lib/load.sh"
source "$BENCH_DIR/lib/gatehouse.sh"
BENCH_NAME=oidc-bench
BENCH_DEFAULT_WARMUP=60
source "$BENCH_DIR/lib/measure.sh"

usage() { sed -n '2,48p' "$0" | sed 's/^# \{0,1\}//'; }
bench_parse_args "$@"

REDIRECT_URI="${BENCH_REDIRECT_URI:-http://127.0.0.1:9/bench/callback}" # never called: the 302 is read
LOGIN_SCOPE="${LOGIN_SCOPE:-openid email profile offline_access}"       # ID, access and refresh token
TOKEN_SCOPE="openid email profile"                                     # the introspected access token
# Gatehouse issues refresh tokens only with offline_access; they belong to the session's grant.
# Keycloak's comparable token is the ordinary (online) refresh token of a user session, issued
# without offline_access (which would make an offline session instead).
GATEHOUSE_REFRESH_SCOPE="openid email profile offline_access"
KEYCLOAK_REFRESH_SCOPE="openid email profile"

MEASUREMENTS="${MEASUREMENTS:-login refresh introspection userinfo}"
REFRESH_LOAD="${REFRESH_LOAD:-wrk}"
[[ "$REFRESH_LOAD" == wrk || "$REFRESH_LOAD" == loadgen ]] || die "REFRESH_LOAD must be wrk or loadgen"
measuring() { [[ " $MEASUREMENTS " == *" $1 "* ]]; }

MAX_WORKERS=1
for c in $CONCURRENCY; do (( c > MAX_WORKERS )) && MAX_WORKERS=$c; done
(( WARMUP > 0 && WARMUP_CONCURRENCY > MAX_WORKERS )) && MAX_WORKERS=$WARMUP_CONCURRENCY

if [[ -n "${GATEHOUSE_URL:-}" ]]; then
  GATEHOUSE_URL="${GATEHOUSE_URL%/}"
  [[ -n "${GATEHOUSE_CLIENT_ID:-}" && -n "${GATEHOUSE_CLIENT_SECRET:-}" ]] ||
    die "GATEHOUSE_URL is set, so GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET are needed"
  _load_check_url "$GATEHOUSE_URL" || die "Gatehouse must be on loopback"
fi

measure_init
PRIVATE_DIR="$(mktemp -d)" # session cookies (secrets); mktemp -d is mode 700
SESSIONS_FILE="$PRIVATE_DIR/sessions"
REFRESH_TOKENS_FILE="$PRIVATE_DIR/refresh-tokens"
KC_STARTED=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  load_abort
  gatehouse_stop
  if [[ $KC_STARTED == 1 ]]; then keycloak_stop; fi
  measure_cleanup
  rm -rf "$PRIVATE_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_wrk || die "wrk is needed"
ensure_loadgen || die "bench/loadgen could not be built"
_kc_need jq || die "jq is needed"
command -v openssl >/dev/null || { _kc_need openssl || die "openssl is needed"; }

machine_facts "# OpenID provider benchmark (logins, refresh, introspection, userinfo)"
echo "measurements: $MEASUREMENTS; refresh load: $REFRESH_LOAD"
echo "loadgen: $LOADGEN_JAR on $("$LOADGEN_JAVA_HOME/bin/java" -version 2>&1 | head -n1), $LOADGEN_JAVA_OPTS, ${LOADGEN_WARMUP}s unmeasured first per run"
quiet_wait
openssl_sign_per_s
echo "openssl rsa2048 sign/s (1 core): $SIGN_PER_S"

# ------------------------------------------------------------ measure functions
# Each takes its fixed arguments, then CONCURRENCY DURATION, and prints the rps=… line.
measure_gatehouse_login() {
  BENCH_CLIENT_SECRET="$GATEHOUSE_CLIENT_SECRET" measure_loadgen login "$1" "$2" "${GATEHOUSE_ARGS[@]}" \
    --scope "$LOGIN_SCOPE"
}
measure_gatehouse_refresh() {
  if [[ $REFRESH_LOAD == wrk ]]; then
    REFRESH_FORM="$(_refresh_form "$GATEHOUSE_CLIENT_ID" "$GATEHOUSE_CLIENT_SECRET")" \
      measure_refresh "$GATEHOUSE_URL/oauth/token" "$REFRESH_TOKENS_FILE" "$1" "$2"
    return
  fi
  BENCH_CLIENT_SECRET="$GATEHOUSE_CLIENT_SECRET" measure_loadgen refresh "$1" "$2" "${GATEHOUSE_ARGS[@]}" \
    --scope "$GATEHOUSE_REFRESH_SCOPE"
}
measure_keycloak_refresh() {
  if [[ $REFRESH_LOAD == wrk ]]; then
    REFRESH_FORM="$(_refresh_form "$KEYCLOAK_APP_CLIENT_ID" "$KEYCLOAK_APP_CLIENT_SECRET")" \
      measure_refresh "$KEYCLOAK_TOKEN_URL" "$REFRESH_TOKENS_FILE" "$1" "$2"
    return
  fi
  BENCH_CLIENT_SECRET="$KEYCLOAK_APP_CLIENT_SECRET" BENCH_USER_PASSWORD="$KEYCLOAK_USER_PASSWORD" \
    measure_loadgen refresh "$1" "$2" "${KEYCLOAK_ARGS[@]}" --scope "$KEYCLOAK_REFRESH_SCOPE"
}
_refresh_form() { # CLIENT_ID SECRET: the form without the token (client_secret_post, as the loadgen sends it)
  printf 'grant_type=refresh_token&client_id=%s&client_secret=%s' "$(_urlencode "$1")" "$(_urlencode "$2")"
}
# Before every wrk refresh run (and its check and warm-up): MAX_WORKERS fresh refresh tokens, at least one per
# connection; the previous run's pool is not reused (tokens in flight when wrk stopped may have been rotated).
prepare_gatehouse_refresh() {
  [[ $REFRESH_LOAD == wrk ]] || return 0
  BENCH_CLIENT_SECRET="$GATEHOUSE_CLIENT_SECRET" loadgen refresh-tokens "${GATEHOUSE_ARGS[@]}" \
    --scope "$GATEHOUSE_REFRESH_SCOPE" --count "$MAX_WORKERS" --out "$REFRESH_TOKENS_FILE" 2>>"$LOAD_LOG" ||
    { log "could not get Gatehouse refresh tokens"; return 1; }
}
prepare_keycloak_refresh() {
  [[ $REFRESH_LOAD == wrk ]] || return 0
  BENCH_CLIENT_SECRET="$KEYCLOAK_APP_CLIENT_SECRET" BENCH_USER_PASSWORD="$KEYCLOAK_USER_PASSWORD" \
    loadgen refresh-tokens "${KEYCLOAK_ARGS[@]}" --scope "$KEYCLOAK_REFRESH_SCOPE" --count "$MAX_WORKERS" \
    --out "$REFRESH_TOKENS_FILE" 2>>"$LOAD_LOG" ||
    { log "could not get Keycloak refresh tokens"; return 1; }
}
# measure_introspection URL CLIENT_ID SECRET CONCURRENCY DURATION (the token: ACCESS_TOKEN)
measure_introspection() {
  local LOAD_METHOD=POST LOAD_EXPECT='"active":true'
  local LOAD_BODY="token=$(_urlencode "$ACCESS_TOKEN")"
  local LOAD_AUTHORIZATION="Basic $(printf '%s:%s' "$(_urlencode "$2")" "$(_urlencode "$3")" | base64 -w0)"
  measure_request "$1" "$4" "$5"
}
# measure_userinfo URL CONCURRENCY DURATION
measure_userinfo() {
  local LOAD_METHOD=GET LOAD_BODY= LOAD_EXPECT='"sub"' LOAD_AUTHORIZATION="Bearer $ACCESS_TOKEN"
  measure_request "$1" "$2" "$3"
}

# Access tokens live 5 minutes on both servers, so the static requests get a fresh one before
# every run (outside the measured window).
prepare_gatehouse_token() {
  ACCESS_TOKEN="$(BENCH_CLIENT_SECRET="$GATEHOUSE_CLIENT_SECRET" loadgen access-token "${GATEHOUSE_ARGS[@]}" \
      --scope "$TOKEN_SCOPE")"
  [[ "$ACCESS_TOKEN" == *.*.* ]] || { log "could not get a Gatehouse access token"; return 1; }
}
prepare_keycloak_token() {
  ACCESS_TOKEN="$(BENCH_CLIENT_SECRET="$KEYCLOAK_APP_CLIENT_SECRET" BENCH_USER_PASSWORD="$KEYCLOAK_USER_PASSWORD" \
      loadgen access-token "${KEYCLOAK_ARGS[@]}" --scope "$TOKEN_SCOPE")"
  [[ "$ACCESS_TOKEN" == *.*.* ]] || { log "could not get a Keycloak access token"; return 1; }
}

# series SERVER MEASUREMENT "PIDS" PREPARE MEASURE [ARGS...]: a 1-second check at concurrency 1
# (every answer as expected, or the benchmark stops), the warm-up, then every concurrency level.
MEASURED=()
series() {
  local server="$1" what="$2" pids="$3" prepare="$4" measure="$5" c line
  shift 5
  "$prepare" || return 1
  "$measure" "$@" 1 1 >"$RUN_OUT" || return 1
  line="$(cat "$RUN_OUT")"
  [[ "$line" == *" non2xx=0" ]] ||
    { log "$server $what: unexpected answers in the check run ($line); details in $LOAD_LOG"; return 1; }
  log "$server $what check OK ($line)"
  if (( WARMUP > 0 )); then
    "$prepare" || return 1
    # shellcheck disable=SC2086 # pids: a list
    quiet_wait $pids
    log "$server $what warm-up: ${WARMUP}s at c$WARMUP_CONCURRENCY"
    "$measure" "$@" "$WARMUP_CONCURRENCY" "$WARMUP" >"$RUN_OUT" || return 1
    log "$server $what warm-up result: $(cat "$RUN_OUT")"
  fi
  for c in $CONCURRENCY; do
    measure_series "$server $what c=$c" "$server|$what|$c" "$pids" "$prepare" "$measure" "$@" "$c" "$DURATION" ||
      return 1
  done
  MEASURED+=("$server|$what")
}

# ------------------------------------------------------------------ Gatehouse
if [[ "${SKIP_GATEHOUSE:-0}" != 1 ]]; then
  if [[ -z "${GATEHOUSE_URL:-}" ]]; then
    log "starting a Gatehouse for this run"
    gatehouse_start || die "Gatehouse did not start (log: $GATEHOUSE_BENCH_LOG)"
    GATEHOUSE_PIDS="$GATEHOUSE_BENCH_PIDS"
    GATEHOUSE_ORIGIN="started by this script: ./gatehouse start (JVM options: ${GATEHOUSE_JAVA_OPTS:-launcher defaults}), embedded H2, fresh data"
  else
    GATEHOUSE_PIDS="${GATEHOUSE_PID:-$(listener_pids "$GATEHOUSE_URL" | tr '\n' ' ')}"
    GATEHOUSE_ORIGIN="already running (GATEHOUSE_URL)"
  fi
  GATEHOUSE_ARGS=(--base "$GATEHOUSE_URL" --client-id "$GATEHOUSE_CLIENT_ID" --redirect-uri "$REDIRECT_URI"
    --sessions "$SESSIONS_FILE")
  echo
  echo "## Gatehouse: $GATEHOUSE_URL"
  echo "gatehouse: $GATEHOUSE_ORIGIN; server pids: ${GATEHOUSE_PIDS:-unknown}; load average: $(load_avg)"
  gatehouse_register_redirect "$REDIRECT_URI" || die "could not register the redirect URI"
  log "signing up $MAX_WORKERS users through the hosted login (dev mailbox), one session each"
  BENCH_CLIENT_SECRET="$GATEHOUSE_CLIENT_SECRET" loadgen sessions --base "$GATEHOUSE_URL" \
      --client-id "$GATEHOUSE_CLIENT_ID" --redirect-uri "$REDIRECT_URI" --count "$MAX_WORKERS" \
      --email-prefix "bench-$(date +%s)-$RANDOM" --out "$SESSIONS_FILE" ||
    die "hosted logins failed (dev mailbox on? sign-up allowed?)"
  echo "sessions: $MAX_WORKERS users signed up through the hosted login, one warm session each"

  if measuring login; then
    series Gatehouse login "$GATEHOUSE_PIDS" : measure_gatehouse_login || die "Gatehouse login measurement failed"
  fi
  if measuring refresh; then
    series Gatehouse refresh "$GATEHOUSE_PIDS" prepare_gatehouse_refresh measure_gatehouse_refresh ||
      die "Gatehouse refresh measurement failed"
  fi
  if measuring introspection; then
    series Gatehouse introspection "$GATEHOUSE_PIDS" prepare_gatehouse_token measure_introspection \
        "$GATEHOUSE_URL/oauth/introspect" "$GATEHOUSE_CLIENT_ID" "$GATEHOUSE_CLIENT_SECRET" ||
      die "Gatehouse introspection measurement failed"
  fi
  if measuring userinfo; then
    series Gatehouse userinfo "$GATEHOUSE_PIDS" prepare_gatehouse_token measure_userinfo "$GATEHOUSE_URL/userinfo" ||
      die "Gatehouse userinfo measurement failed"
  fi
  gatehouse_stop # a Gatehouse this script started; one it did not start keeps running
fi

# ------------------------------------------------------------------- Keycloak
if [[ $SKIP_KEYCLOAK == 0 ]]; then
  log "installing / starting Keycloak $KEYCLOAK_VERSION"
  KC_STARTED=1
  keycloak_start || die "Keycloak did not start (log: $KEYCLOAK_LOG)"
  keycloak_setup_app_user || die "Keycloak client/user setup failed"
  KEYCLOAK_ARGS=(--token-url "$KEYCLOAK_TOKEN_URL" --client-id "$KEYCLOAK_APP_CLIENT_ID" --username "$KEYCLOAK_USER")
  KEYCLOAK_PIDS="$(pgrep -g "$(cat "$KEYCLOAK_PIDFILE")" | tr '\n' ' ')"
  echo
  echo "## Keycloak: $KEYCLOAK_BASE_URL/realms/$KEYCLOAK_REALM"
  echo "keycloak: $KEYCLOAK_VERSION, start-dev (dev mode, embedded H2), JVM defaults of kc.sh; startup ${KEYCLOAK_STARTUP_SECONDS:-?}s; RSS after start $(keycloak_rss_mib) MiB"
  echo "keycloak realm: revokeRefreshToken=true, refreshTokenMaxReuse=0 (rotation like Gatehouse; Keycloak's default is off); user sessions by password grant (setup only)"
  if measuring refresh; then
    series Keycloak refresh "$KEYCLOAK_PIDS" prepare_keycloak_refresh measure_keycloak_refresh ||
      die "Keycloak refresh measurement failed"
  fi
  if measuring introspection; then
    series Keycloak introspection "$KEYCLOAK_PIDS" prepare_keycloak_token measure_introspection \
        "$KEYCLOAK_INTROSPECT_URL" "$KEYCLOAK_APP_CLIENT_ID" "$KEYCLOAK_APP_CLIENT_SECRET" ||
      die "Keycloak introspection measurement failed"
  fi
  echo "keycloak RSS after load: $(keycloak_rss_mib) MiB"
  keycloak_stop
  KC_STARTED=0
fi

# --------------------------------------------------------------------- report
echo
echo "## Results (median of $RUNS x ${DURATION}s runs by rate; p50/p99 from that run)"
echo
echo "One operation: login = authorize + code exchange (2 requests); refresh = 1 token request;"
echo "introspection and userinfo = 1 request. Errors: non-2xx answers, answers without the expected"
echo "content, and socket errors, over all runs."
echo
echo "| server | measurement | conc | ops/s | p50 ms | p99 ms | errors | ops/s min..max | server cores | ops/s per server core | server CPU ms/op | other cores |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for m in "${MEASURED[@]}"; do
  for c in $CONCURRENCY; do
    read -r rps p50 p99 bad lo hi srv oth <<<"${RESULTS["$m|$c"]}"
    awk -v s="${m%%|*}" -v w="${m#*|}" -v c="$c" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v bad="$bad" \
        -v lo="$lo" -v hi="$hi" -v srv="$srv" -v oth="$oth" 'BEGIN {
      per = (srv + 0 > 0) ? sprintf("%.0f", rps / srv) : "NA"
      ms = (srv + 0 > 0 && rps > 0) ? sprintf("%.3f", srv * 1000 / rps) : "NA"
      printf "| %s | %s | %d | %.1f | %.2f | %.2f | %d | %.1f..%.1f | %s | %s | %s | %s |\n",
        s, w, c, rps, p50, p99, bad, lo, hi, srv, per, ms, oth }'
  done
done
echo
if [[ $SKIP_KEYCLOAK == 0 ]]; then
  echo "| measurement | conc | Gatehouse ops/s | Keycloak ops/s | Gatehouse / Keycloak | target >= 2x |"
  echo "|---|---:|---:|---:|---:|---|"
  for w in refresh introspection; do
    measuring "$w" || continue
    for c in $CONCURRENCY; do
      read -r g _ <<<"${RESULTS["Gatehouse|$w|$c"]:-0}"
      read -r k _ <<<"${RESULTS["Keycloak|$w|$c"]:-0}"
      awk -v w="$w" -v c="$c" -v g="$g" -v k="$k" 'BEGIN {
        r = (k > 0) ? g / k : 0
        printf "| %s | %d | %.1f | %.1f | %.2f | %s |\n", w, c, g, k, r, (r >= 2 ? "met" : "**not met**") }'
    done
  done
  echo
fi
if [[ " $CONCURRENCY " == *" 64 "* && "${SKIP_GATEHOUSE:-0}" != 1 ]]; then
  echo "| Gatehouse measurement | p99 ms at c64 | target < 50 ms |"
  echo "|---|---:|---|"
  for w in login refresh introspection userinfo; do
    measuring "$w" || continue
    read -r _ _ p99 _ <<<"${RESULTS["Gatehouse|$w|64"]:-0 0 0}"
    awk -v w="$w" -v p="$p99" 'BEGIN { printf "| %s | %.2f | %s |\n", w, p, (p < 50 ? "met" : "**not met**") }'
  done
  echo
fi
echo "openssl rsa2048: $SIGN_PER_S sign/s on one core (a login signs 2 JWTs: access and ID token; a refresh too)."
echo "server cores / other cores: CPU used during the median run's measured window by the server / by"
echo "everything except the server and the load generator (large values mean a noisy measurement)."
echo "details: $LOAD_LOG"
