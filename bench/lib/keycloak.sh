#!/usr/bin/env bash
# Keycloak helpers for the token benchmark. Source this file, then call:
#   keycloak_install       download + unpack org.keycloak:keycloak-quarkus-dist into bench/.cache/
#   keycloak_start         start-dev on 127.0.0.1:$KEYCLOAK_PORT, wait until it serves requests
#   keycloak_setup_client  realm "bench" + confidential client "bench-client" (service account)
#   keycloak_setup_app_user  realm "bench" + app client "bench-app" + user "bench-user", refresh-token rotation on
#   keycloak_stop          stop the Keycloak this file started (pid file), bounded wait
#
# Fairness notes
# - Keycloak runs with `start-dev`: dev mode with its embedded, file-backed H2
#   database (KC_DB=dev-file), which is what Gatehouse uses by default too.
#   Dev mode mainly relaxes hostname/HTTPS checks and disables theme/template
#   caching; none of that is on the client_credentials token path.
# - Everything else is Keycloak's default: realm token lifespans, RS256 with the
#   realm's generated RSA-2048 key, default client scopes (profile, email, roles,
#   web-origins, acr, basic, ...), and kc.sh's JVM defaults (G1, and outside a
#   container -Xms64m -Xmx512m; set JAVA_OPTS_KC_HEAP to change the heap).
#   Events, brute-force detection etc. stay at their (off) defaults. Nothing is
#   tuned for or against Keycloak.
#
# All knobs can be overridden from the environment:
#   KEYCLOAK_VERSION (default 26.7.3, newest 26.* on Maven Central when written)
#   KEYCLOAK_PORT (8180), KEYCLOAK_MGMT_PORT (9180), KEYCLOAK_JAVA_HOME (temurin 25)
#   KEYCLOAK_ADMIN_USER / KEYCLOAK_ADMIN_PASSWORD (admin / admin)
#   KEYCLOAK_REALM (bench), KEYCLOAK_CLIENT_ID (bench-client), KEYCLOAK_CLIENT_SECRET (bench-secret)
#   KEYCLOAK_START_TIMEOUT seconds (300), KEYCLOAK_FRESH=1 wipes the H2 data before starting.

_KC_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_DIR="${BENCH_DIR:-$(cd "$_KC_LIB_DIR/.." && pwd)}"
BENCH_CACHE="${BENCH_CACHE:-$BENCH_DIR/.cache}"

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.7.3}"
KEYCLOAK_HOST=127.0.0.1 # only ever loopback
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_MGMT_PORT="${KEYCLOAK_MGMT_PORT:-9180}"
KEYCLOAK_JAVA_HOME="${KEYCLOAK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
KEYCLOAK_ADMIN_USER="${KEYCLOAK_ADMIN_USER:-admin}"
KEYCLOAK_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:-admin}"
KEYCLOAK_REALM="${KEYCLOAK_REALM:-bench}"
KEYCLOAK_CLIENT_ID="${KEYCLOAK_CLIENT_ID:-bench-client}"
KEYCLOAK_CLIENT_SECRET="${KEYCLOAK_CLIENT_SECRET:-bench-secret}"
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-300}"

KEYCLOAK_HOME="$BENCH_CACHE/keycloak-$KEYCLOAK_VERSION"
KEYCLOAK_LOG="$BENCH_CACHE/keycloak-$KEYCLOAK_VERSION.log"
KEYCLOAK_PIDFILE="$BENCH_CACHE/keycloak.pid"
KEYCLOAK_BASE_URL="http://$KEYCLOAK_HOST:$KEYCLOAK_PORT"
KEYCLOAK_TOKEN_URL="$KEYCLOAK_BASE_URL/realms/$KEYCLOAK_REALM/protocol/openid-connect/token"

_kc_log() { echo "[keycloak] $*" >&2; }

_kc_need() { # _kc_need CMD [DEBIAN_PACKAGE]
  command -v "$1" >/dev/null 2>&1 && return 0
  _kc_log "installing ${2:-$1} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${2:-$1}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${2:-$1}" >/dev/null; } ||
    { _kc_log "could not install ${2:-$1}"; return 1; }
}

keycloak_install() {
  if [[ -x "$KEYCLOAK_HOME/bin/kc.sh" ]]; then
    _kc_log "Keycloak $KEYCLOAK_VERSION already installed in $KEYCLOAK_HOME"
    return 0
  fi
  _kc_need curl || return 1
  _kc_need unzip || return 1
  _kc_need sha1sum coreutils || return 1
  mkdir -p "$BENCH_CACHE/downloads" || return 1
  local name="keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
  local url="https://repo.maven.apache.org/maven2/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/$name"
  local zip="$BENCH_CACHE/downloads/$name"
  local want
  want="$(curl -fsS --max-time 60 "$url.sha1" | awk '{print $1}')" || { _kc_log "cannot fetch $url.sha1"; return 1; }
  if [[ ! -f "$zip" ]] || [[ "$(sha1sum "$zip" | awk '{print $1}')" != "$want" ]]; then
    _kc_log "downloading $url"
    curl -fsSL --retry 3 --max-time 1800 -o "$zip.part" "$url" || { _kc_log "download failed"; return 1; }
    mv "$zip.part" "$zip"
  fi
  if [[ "$(sha1sum "$zip" | awk '{print $1}')" != "$want" ]]; then
    _kc_log "sha1 mismatch for $zip"; rm -f "$zip"; return 1
  fi
  local tmp="$BENCH_CACHE/unpack.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; return 1; }
  # the zip holds a single top-level folder keycloak-<version>/
  local top
  top="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)"
  [[ -x "$top/bin/kc.sh" ]] || { _kc_log "unexpected zip layout"; rm -rf "$tmp"; return 1; }
  rm -rf "$KEYCLOAK_HOME" && mv "$top" "$KEYCLOAK_HOME" && rm -rf "$tmp"
  _kc_log "installed Keycloak $KEYCLOAK_VERSION into $KEYCLOAK_HOME"
}

# 0 when the realm endpoint answers 200 (Keycloak fully started)
_kc_ready() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        "$KEYCLOAK_BASE_URL/realms/master/.well-known/openid-configuration")" == 200 ]]
}

_kc_running_pid() { # prints the pid of our Keycloak if its process group is still alive
  [[ -f "$KEYCLOAK_PIDFILE" ]] || return 1
  local pid; pid="$(cat "$KEYCLOAK_PIDFILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

_kc_port_busy() { # something (not necessarily us) listens on our port
  (exec 3<>"/dev/tcp/$KEYCLOAK_HOST/$KEYCLOAK_PORT") 2>/dev/null
}

keycloak_start() {
  keycloak_install || return 1
  local pid
  if pid="$(_kc_running_pid)"; then
    if _kc_ready; then _kc_log "already running (pid $pid)"; KEYCLOAK_STARTUP_SECONDS=0; return 0; fi
  elif _kc_port_busy; then
    _kc_log "port $KEYCLOAK_PORT is used by a process this script did not start; refusing"
    return 1
  fi
  if [[ -z "${pid:-}" ]]; then
    [[ -x "$KEYCLOAK_JAVA_HOME/bin/java" ]] || { _kc_log "no JDK at $KEYCLOAK_JAVA_HOME (Keycloak 26 needs Java 21+)"; return 1; }
    [[ "${KEYCLOAK_FRESH:-0}" == 1 ]] && rm -rf "$KEYCLOAK_HOME/data"
    mkdir -p "$BENCH_CACHE"
    _kc_log "starting Keycloak $KEYCLOAK_VERSION (start-dev) on $KEYCLOAK_BASE_URL, log: $KEYCLOAK_LOG"
    # setsid: own process group, so keycloak_stop can signal kc.sh and its JVM together.
    # start-dev = dev mode + embedded H2 (dev-file) database, like Gatehouse's default.
    # The management interface (health/metrics) is off by default; its port is only
    # moved away from 9000 in case it ever gets enabled.
    JAVA_HOME="$KEYCLOAK_JAVA_HOME" \
    PATH="$KEYCLOAK_JAVA_HOME/bin:$PATH" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_ADMIN_USER" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
      setsid "$KEYCLOAK_HOME/bin/kc.sh" start-dev \
        --http-host="$KEYCLOAK_HOST" --http-port="$KEYCLOAK_PORT" \
        --http-management-port="$KEYCLOAK_MGMT_PORT" \
        >"$KEYCLOAK_LOG" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$KEYCLOAK_PIDFILE"
  fi
  local start=$SECONDS i
  for ((i = 0; i < KEYCLOAK_START_TIMEOUT; i++)); do
    if _kc_ready; then
      KEYCLOAK_STARTUP_SECONDS=$((SECONDS - start))
      _kc_log "ready after ${KEYCLOAK_STARTUP_SECONDS}s (pid $pid)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      _kc_log "Keycloak exited during startup; last log lines:"; tail -n 30 "$KEYCLOAK_LOG" >&2
      rm -f "$KEYCLOAK_PIDFILE"; return 1
    fi
    sleep 1 # poll interval of a bounded readiness loop
  done
  _kc_log "not ready after ${KEYCLOAK_START_TIMEOUT}s; stopping it"; tail -n 30 "$KEYCLOAK_LOG" >&2
  keycloak_stop
  return 1
}

keycloak_stop() {
  local pid
  if ! pid="$(_kc_running_pid)"; then rm -f "$KEYCLOAK_PIDFILE"; return 0; fi
  _kc_log "stopping Keycloak (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  local i
  for ((i = 0; i < 60; i++)); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    _kc_log "still alive after 30s, sending KILL"
    kill -KILL -- "-$pid" 2>/dev/null
  fi
  rm -f "$KEYCLOAK_PIDFILE"
}

# Resident memory (MiB) of our Keycloak process group, empty if not running.
keycloak_rss_mib() {
  local pid; pid="$(_kc_running_pid)" || return 0
  pgrep -g "$pid" | xargs -r ps -o rss= -p 2>/dev/null | awk '{s+=$1} END {if (NR) printf "%.0f\n", s/1024}'
}

# _kc_api METHOD PATH [JSON] -> prints body, returns 0 on 2xx; HTTP code in _KC_HTTP
_kc_api() {
  local method="$1" path="$2" body="${3:-}" out
  local args=(-s -o - -w '\n%{http_code}' --max-time 30 -X "$method"
    -H "Authorization: Bearer $_KC_ADMIN_TOKEN" "$KEYCLOAK_BASE_URL/admin/realms$path")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  out="$(curl "${args[@]}")"
  _KC_HTTP="${out##*$'\n'}"
  printf '%s' "${out%$'\n'*}"
  [[ "$_KC_HTTP" == 2* ]]
}

_kc_admin_login() {
  _kc_need jq || return 1
  _KC_ADMIN_TOKEN="$(curl -fsS --max-time 30 \
      --data-urlencode grant_type=password --data-urlencode client_id=admin-cli \
      --data-urlencode "username=$KEYCLOAK_ADMIN_USER" --data-urlencode "password=$KEYCLOAK_ADMIN_PASSWORD" \
      "$KEYCLOAK_BASE_URL/realms/master/protocol/openid-connect/token" | jq -r .access_token)"
  [[ -n "$_KC_ADMIN_TOKEN" && "$_KC_ADMIN_TOKEN" != null ]] || { _kc_log "admin login failed"; return 1; }
}

# realm (defaults: RS256, generated RSA-2048 key, default token lifespans)
_kc_ensure_realm() {
  if ! _kc_api GET "/$KEYCLOAK_REALM" >/dev/null; then
    [[ "$_KC_HTTP" == 404 ]] || { _kc_log "GET realm -> HTTP $_KC_HTTP"; return 1; }
    _kc_api POST "" "$(jq -nc --arg r "$KEYCLOAK_REALM" '{realm:$r, enabled:true}')" >/dev/null ||
      { _kc_log "create realm -> HTTP $_KC_HTTP"; return 1; }
    _kc_log "created realm $KEYCLOAK_REALM"
  fi
}

# _kc_put_client CLIENT_ID REPRESENTATION_JSON: create, or re-apply the settings of an existing one
_kc_put_client() {
  local client_id="$1" rep="$2" id
  id="$(_kc_api GET "/$KEYCLOAK_REALM/clients?clientId=$client_id" | jq -r '.[0].id // empty')" ||
    { _kc_log "list clients -> HTTP $_KC_HTTP"; return 1; }
  if [[ -z "$id" ]]; then
    _kc_api POST "/$KEYCLOAK_REALM/clients" "$rep" >/dev/null || { _kc_log "create client -> HTTP $_KC_HTTP"; return 1; }
    _kc_log "created client $client_id"
  else
    _kc_api PUT "/$KEYCLOAK_REALM/clients/$id" "$rep" >/dev/null || { _kc_log "update client -> HTTP $_KC_HTTP"; return 1; }
    _kc_log "client $client_id exists; settings and secret re-applied"
  fi
}

keycloak_setup_client() {
  _kc_admin_login || return 1
  _kc_ensure_realm || return 1
  # confidential client with a service account and a known secret
  _kc_put_client "$KEYCLOAK_CLIENT_ID" "$(jq -nc --arg c "$KEYCLOAK_CLIENT_ID" --arg s "$KEYCLOAK_CLIENT_SECRET" '{
      clientId:$c, enabled:true, protocol:"openid-connect", publicClient:false,
      clientAuthenticatorType:"client-secret", secret:$s, serviceAccountsEnabled:true,
      standardFlowEnabled:false, implicitFlowEnabled:false, directAccessGrantsEnabled:false}')" || return 1

  # smoke test: one client_credentials token, check it is an RS256 JWT
  local tok alg
  tok="$(curl -fsS --max-time 30 --data-urlencode grant_type=client_credentials \
      --data-urlencode "client_id=$KEYCLOAK_CLIENT_ID" --data-urlencode "client_secret=$KEYCLOAK_CLIENT_SECRET" \
      "$KEYCLOAK_TOKEN_URL" | jq -r .access_token)" || { _kc_log "token smoke test failed"; return 1; }
  alg="$(_kc_jwt_alg "$tok")"
  _kc_log "token endpoint $KEYCLOAK_TOKEN_URL issues ${#tok}-byte $alg access tokens"
  [[ "$alg" == RS256 ]] || { _kc_log "expected RS256, got '$alg'"; return 1; }
}

# For the OpenID provider benchmark: an application client (confidential, code flow and direct
# access grants, the latter only to prepare user sessions), a realm user with a password, and
# refresh-token rotation like Gatehouse's (see bench/README.md, "Keycloak settings"):
#   revokeRefreshToken=true, refreshTokenMaxReuse=0 - each refresh token works once; Keycloak's
#   default (false) lets a refresh token be used again until it expires. A reused token is then
#   refused and Keycloak ends that client's session (Gatehouse revokes the grant).
# KEYCLOAK_APP_CLIENT_ID (bench-app) / KEYCLOAK_APP_CLIENT_SECRET (bench-app-secret),
# KEYCLOAK_USER (bench-user) / KEYCLOAK_USER_PASSWORD (bench-password).
KEYCLOAK_APP_CLIENT_ID="${KEYCLOAK_APP_CLIENT_ID:-bench-app}"
KEYCLOAK_APP_CLIENT_SECRET="${KEYCLOAK_APP_CLIENT_SECRET:-bench-app-secret}"
KEYCLOAK_USER="${KEYCLOAK_USER:-bench-user}"
KEYCLOAK_USER_PASSWORD="${KEYCLOAK_USER_PASSWORD:-bench-password}"
KEYCLOAK_INTROSPECT_URL="$KEYCLOAK_TOKEN_URL/introspect"

keycloak_setup_app_user() {
  _kc_admin_login || return 1
  _kc_ensure_realm || return 1
  _kc_api PUT "/$KEYCLOAK_REALM" '{"revokeRefreshToken":true,"refreshTokenMaxReuse":0}' >/dev/null ||
    { _kc_log "realm refresh-token settings -> HTTP $_KC_HTTP"; return 1; }
  _kc_put_client "$KEYCLOAK_APP_CLIENT_ID" "$(jq -nc --arg c "$KEYCLOAK_APP_CLIENT_ID" \
      --arg s "$KEYCLOAK_APP_CLIENT_SECRET" '{
      clientId:$c, enabled:true, protocol:"openid-connect", publicClient:false,
      clientAuthenticatorType:"client-secret", secret:$s, serviceAccountsEnabled:false,
      standardFlowEnabled:true, implicitFlowEnabled:false, directAccessGrantsEnabled:true,
      redirectUris:["http://127.0.0.1:9/bench/callback"]}')" || return 1
  # Keycloak 26 introspects a token for a client only when that client is in its audience
  # ("Client 'bench-app' is not in the token audience" otherwise); Gatehouse's aud is the client too.
  local cid mapper
  cid="$(_kc_api GET "/$KEYCLOAK_REALM/clients?clientId=$KEYCLOAK_APP_CLIENT_ID" | jq -r '.[0].id // empty')"
  [[ -n "$cid" ]] || { _kc_log "client $KEYCLOAK_APP_CLIENT_ID not found"; return 1; }
  if ! _kc_api GET "/$KEYCLOAK_REALM/clients/$cid/protocol-mappers/models" | jq -e 'any(.[]; .name == "bench audience")' >/dev/null; then
    mapper="$(jq -nc --arg c "$KEYCLOAK_APP_CLIENT_ID" '{name:"bench audience", protocol:"openid-connect",
        protocolMapper:"oidc-audience-mapper", config:{"included.client.audience":$c, "access.token.claim":"true",
        "id.token.claim":"false", "introspection.token.claim":"true"}}')"
    _kc_api POST "/$KEYCLOAK_REALM/clients/$cid/protocol-mappers/models" "$mapper" >/dev/null ||
      { _kc_log "audience mapper -> HTTP $_KC_HTTP"; return 1; }
  fi
  # a complete profile (email, names, verified, no required actions), or the password grant
  # answers "Account is not fully set up"
  local user id
  user="$(jq -nc --arg u "$KEYCLOAK_USER" '{username:$u, enabled:true, email:($u + "@example.com"),
      emailVerified:true, firstName:"Bench", lastName:"User", requiredActions:[]}')"
  id="$(_kc_api GET "/$KEYCLOAK_REALM/users?exact=true&username=$KEYCLOAK_USER" | jq -r '.[0].id // empty')" ||
    { _kc_log "list users -> HTTP $_KC_HTTP"; return 1; }
  if [[ -z "$id" ]]; then
    _kc_api POST "/$KEYCLOAK_REALM/users" "$user" >/dev/null || { _kc_log "create user -> HTTP $_KC_HTTP"; return 1; }
    id="$(_kc_api GET "/$KEYCLOAK_REALM/users?exact=true&username=$KEYCLOAK_USER" | jq -r '.[0].id // empty')"
  else
    _kc_api PUT "/$KEYCLOAK_REALM/users/$id" "$user" >/dev/null || { _kc_log "update user -> HTTP $_KC_HTTP"; return 1; }
  fi
  [[ -n "$id" ]] || { _kc_log "user $KEYCLOAK_USER not found after creation"; return 1; }
  _kc_api PUT "/$KEYCLOAK_REALM/users/$id/reset-password" \
      "$(jq -nc --arg p "$KEYCLOAK_USER_PASSWORD" '{type:"password", value:$p, temporary:false}')" >/dev/null ||
    { _kc_log "set password -> HTTP $_KC_HTTP"; return 1; }
  _kc_log "client $KEYCLOAK_APP_CLIENT_ID and user $KEYCLOAK_USER ready; refresh tokens rotate (revokeRefreshToken=true, max reuse 0)"
}

_kc_jwt_alg() { # decode the JOSE header of a JWT and print its alg
  local h="${1%%.*}"
  h="$(printf '%s' "$h" | tr '_-' '/+')"
  while (( ${#h} % 4 )); do h+="="; done
  printf '%s' "$h" | base64 -d 2>/dev/null | jq -r .alg 2>/dev/null
}
