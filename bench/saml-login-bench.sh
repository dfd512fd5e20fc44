#!/usr/bin/env bash
# SP-initiated SAML login against Keycloak, end to end (issue 4): Gatehouse's SAML SP timed and compared with
# Keycloak's own SAML brokering of the same IdP, in the same run, on the same Keycloak.
#
# Usage:
#   bench/saml-login-bench.sh [--logins N] [--warmup N] [--concurrency "1 4"] [--quiet-wait SECONDS]
#
#   --logins       measured logins per path and concurrency level (default 200)
#   --warmup       unmeasured logins per path first, at the highest level (default 100)
#   --concurrency  space-separated numbers of concurrent browsers (default "1 4")
#   --quiet-wait   before measuring, wait up to this many seconds for other processes to use
#                  < QUIET_MAX_CORES (0.15) cores (default 120, 0 = off)
#
# One login = the whole browser journey with a fresh cookie jar (bench/loadgen SamlLoginBench):
#   Gatehouse  app authorize (connection_id) -> AuthnRequest (HTTP-Redirect) to the IdP -> Keycloak login form ->
#              credentials -> auto-post SAMLResponse -> Gatehouse ACS -> code at the app's redirect URI -> token exchange
#   Keycloak   broker realm authorize (kc_idp_hint) -> AuthnRequest (HTTP-Redirect) to the IdP -> the same form and
#              credentials -> auto-post SAMLResponse -> broker endpoint -> code -> token exchange
# The IdP is the same on both paths: Keycloak realm "idp" (one user, signed Response and Assertion).
#
# Everything is started, configured and stopped by the script, on loopback only:
#   Keycloak 26 (bench/lib/keycloak.sh; KEYCLOAK_PORT 8180) with realm "idp" (SAML clients for Gatehouse's SP and
#   for the broker realm, a user) and realm "broker" (SAML identity provider "idp-saml" imported from the idp
#   realm's metadata, a first-broker-login flow that only creates the user, an OIDC confidential client);
#   Gatehouse (./gatehouse start, fresh H2, GATEHOUSE_BENCH_PORT 18091, GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA=true)
#   with an organization, a domain and a SAML connection created from the idp realm's metadata URL.
#
# Output: progress on stderr; machine facts, one line per series and Markdown tables on stdout. Keycloak's realms
# "idp" and "broker" are deleted and made again at every run.

# shellcheck source-path=SCRIPTDIR
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/lib/keycloak.sh"
source "$BENCH_DIR/lib/load.sh"
source "$BENCH_DIR/lib/gatehouse.sh"
BENCH_NAME=saml-login-bench
source "$BENCH_DIR/lib/measure.sh"

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }
LOGINS=200 WARMUP=100 CONCURRENCY="1 4" QUIET_WAIT=120
while [[ $# -gt 0 ]]; do
  case "$1" in
    --logins) LOGINS="${2:-}"; shift 2 ;;
    --warmup) WARMUP="${2:-}"; shift 2 ;;
    --concurrency) CONCURRENCY="${2:-}"; shift 2 ;;
    --quiet-wait) QUIET_WAIT="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$LOGINS" =~ ^[1-9][0-9]*$ && "$LOGINS" -le 100000 ]] || die "--logins must be 1..100000"
[[ "$WARMUP" =~ ^[0-9]+$ && "$WARMUP" -le 100000 ]] || die "--warmup must be 0..100000"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ && "$QUIET_WAIT" -le 3600 ]] || die "--quiet-wait must be 0..3600"
for c in $CONCURRENCY; do [[ "$c" =~ ^[1-9][0-9]*$ && "$c" -le 64 ]] || die "bad concurrency: $c (1..64)"; done

IDP_REALM=idp BROKER_REALM=broker IDP_ALIAS=idp-saml
FIRST_LOGIN_FLOW=silent-first-broker-login
USER_NAME=saml-bench-user USER_DOMAIN=saml-bench.test
USER_EMAIL="$USER_NAME@$USER_DOMAIN"
USER_PASSWORD="bench-$(openssl rand -hex 12)"
BROKER_CLIENT_ID=bench-app BROKER_CLIENT_SECRET="bench-$(openssl rand -hex 16)"
REDIRECT_URI="${BENCH_REDIRECT_URI:-http://127.0.0.1:9/bench/callback}" # never called: the 302 is read
export GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA=true # the IdP's metadata URL is on loopback

KC_STARTED=0 BENCH_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "$BENCH_PID" ]] && kill "$BENCH_PID" 2>/dev/null
  gatehouse_stop
  if [[ $KC_STARTED == 1 ]]; then keycloak_stop; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_loadgen || die "bench/loadgen could not be built"
_kc_need jq || die "jq is needed"

# ------------------------------------------------------------------- Keycloak
# kc_json METHOD PATH [JSON]: the admin API (PATH under /admin/realms); prints the body, fails unless 2xx (callers
# `|| die`). Keycloak's admin tokens live 60 s and setup calls can be slow on a busy machine, so the token is renewed
# when it is 30 s old.
kc_json() {
  if (( SECONDS - ${_KC_LOGIN_AT:-0} > 30 )); then
    _kc_admin_login || return 1
    _KC_LOGIN_AT=$SECONDS
  fi
  _kc_api "$@" || { log "Keycloak admin $1 $2 -> HTTP $_KC_HTTP"; return 1; }
}

# kc_saml_client REALM CLIENT_ID ACS_URL: signed Response and Assertion (RSA-SHA256, exclusive c14n), NameID = email,
# email / firstName / lastName attributes; the same client settings for Gatehouse's SP and for the broker.
kc_saml_client() {
  local mappers
  mappers="$(jq -nc '[("email", "firstName", "lastName") | {name: ., protocol: "saml",
      protocolMapper: "saml-user-property-mapper", config: {"user.attribute": ., "attribute.name": .,
      "attribute.nameformat": "Basic", "friendly.name": .}}]')"
  kc_json POST "/$1/clients" "$(jq -nc --arg c "$2" --arg acs "$3" --argjson m "$mappers" '{clientId: $c,
      protocol: "saml", enabled: true, frontchannelLogout: false, redirectUris: [$acs], protocolMappers: $m,
      attributes: {"saml.server.signature": "true", "saml.assertion.signature": "true",
        "saml.signature.algorithm": "RSA_SHA256",
        "saml_signature_canonicalization_method": "http://www.w3.org/2001/10/xml-exc-c14n#",
        "saml.authnstatement": "true", "saml_force_name_id_format": "true", "saml_name_id_format": "email",
        "saml_assertion_consumer_url_post": $acs, "saml.client.signature": "false", "saml.encrypt": "false"}}')" \
      >/dev/null || return 1
}

keycloak_setup_realms() {
  local realm
  for realm in "$BROKER_REALM" "$IDP_REALM"; do
    kc_json DELETE "/$realm" >/dev/null 2>&1 || [[ "$_KC_HTTP" == 404 ]] ||
      { log "delete realm $realm -> HTTP $_KC_HTTP"; return 1; }
    kc_json POST "" "$(jq -nc --arg r "$realm" '{realm: $r, enabled: true}')" >/dev/null || return 1
  done
  kc_json POST "/$IDP_REALM/users" "$(jq -nc --arg u "$USER_NAME" --arg e "$USER_EMAIL" --arg p "$USER_PASSWORD" '{
      username: $u, email: $e, emailVerified: true, firstName: "Bench", lastName: "User", enabled: true,
      requiredActions: [], credentials: [{type: "password", value: $p, temporary: false}]}')" >/dev/null || return 1
  local broker_entity="$KEYCLOAK_BASE_URL/realms/$BROKER_REALM"
  kc_saml_client "$IDP_REALM" "$broker_entity" "$broker_entity/broker/$IDP_ALIAS/endpoint" || return 1

  # First broker login: only "create the user if unique" (no review-profile or account-linking pages).
  kc_json POST "/$BROKER_REALM/authentication/flows" "$(jq -nc --arg a "$FIRST_LOGIN_FLOW" '{alias: $a,
      description: "bench: create the brokered user silently", providerId: "basic-flow", topLevel: true,
      builtIn: false}')" >/dev/null || return 1
  kc_json POST "/$BROKER_REALM/authentication/flows/$FIRST_LOGIN_FLOW/executions/execution" \
      '{"provider":"idp-create-user-if-unique"}' >/dev/null || return 1
  local execution
  execution="$(kc_json GET "/$BROKER_REALM/authentication/flows/$FIRST_LOGIN_FLOW/executions" |
      jq -c '.[0] | .requirement = "REQUIRED"')" || return 1
  kc_json PUT "/$BROKER_REALM/authentication/flows/$FIRST_LOGIN_FLOW/executions" "$execution" >/dev/null || return 1

  # The SAML identity provider, from the idp realm's metadata; the same binding and signing as Gatehouse's connection.
  local imported
  imported="$(kc_json POST "/$BROKER_REALM/identity-provider/import-config" "$(jq -nc \
      --arg u "$KEYCLOAK_BASE_URL/realms/$IDP_REALM/protocol/saml/descriptor" '{providerId: "saml", fromUrl: $u}')")" || return 1
  kc_json POST "/$BROKER_REALM/identity-provider/instances" "$(jq -nc --arg a "$IDP_ALIAS" --arg f "$FIRST_LOGIN_FLOW" \
      --arg e "$broker_entity" --argjson c "$imported" '{alias: $a, providerId: "saml", enabled: true,
      trustEmail: true, firstBrokerLoginFlowAlias: $f, config: ($c + {entityId: $e, principalType: "SUBJECT",
        nameIDPolicyFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        postBindingAuthnRequest: "false", postBindingResponse: "true", wantAuthnRequestsSigned: "false",
        wantAssertionsSigned: "true", validateSignature: "true", syncMode: "IMPORT"})}')" >/dev/null || return 1
  local attribute
  for attribute in email firstName lastName; do
    kc_json POST "/$BROKER_REALM/identity-provider/instances/$IDP_ALIAS/mappers" "$(jq -nc --arg a "$IDP_ALIAS" \
        --arg n "$attribute" '{name: $n, identityProviderAlias: $a, identityProviderMapper:
        "saml-user-attribute-idp-mapper", config: {"attribute.name": $n, "user.attribute": $n, syncMode: "INHERIT"}}')" \
        >/dev/null || return 1
  done
  kc_json POST "/$BROKER_REALM/clients" "$(jq -nc --arg c "$BROKER_CLIENT_ID" --arg s "$BROKER_CLIENT_SECRET" \
      --arg r "$REDIRECT_URI" '{clientId: $c, protocol: "openid-connect", enabled: true, publicClient: false,
      clientAuthenticatorType: "client-secret", secret: $s, standardFlowEnabled: true, directAccessGrantsEnabled: false,
      redirectUris: [$r]}')" >/dev/null || return 1
  log "Keycloak: realm $IDP_REALM (user $USER_NAME, SAML client for the broker), realm $BROKER_REALM (IdP $IDP_ALIAS, client $BROKER_CLIENT_ID)"
}

# ------------------------------------------------------------------ Gatehouse
# gh_api METHOD PATH [JSON]: the management API; prints the body, fails unless 2xx (callers `|| return 1`)
gh_api() {
  local out code
  out="$(curl -s -w '\n%{http_code}' --max-time 60 -X "$1" -H "authorization: Bearer $GH_TOKEN" \
      ${3:+-H "content-type: application/json" --data "$3"} "$GATEHOUSE_URL$2")"
  code="${out##*$'\n'}"
  [[ "$code" == 2* ]] || { log "Gatehouse $1 $2 -> HTTP $code ${out:0:400}"; return 1; }
  printf '%s' "${out%$'\n'*}"
}

gatehouse_setup_connection() {
  GH_TOKEN="$(gatehouse_management_token)" || return 1
  gatehouse_register_redirect "$REDIRECT_URI" || return 1
  local org saml
  org="$(gh_api POST /api/v1/organizations '{"display_name":"SAML bench"}' | jq -er .organization.id)" || return 1
  gh_api POST "/api/v1/organizations/$org/domains" "$(jq -nc --arg d "$USER_DOMAIN" '{domain: $d}')" >/dev/null ||
    return 1
  CONNECTION_ID="$(gh_api POST "/api/v1/organizations/$org/connections" '{"type":"SAML","provider":"CUSTOM"}' |
      jq -er .connection.id)" || return 1
  # debug_enabled: the IdP's URLs are plain http on loopback (docs/DECISIONS.md D-CN4)
  saml="$(gh_api PATCH "/api/v1/organizations/$org/connections/$CONNECTION_ID" "$(jq -nc \
      --arg u "$KEYCLOAK_BASE_URL/realms/$IDP_REALM/protocol/saml/descriptor" '{debug_enabled: true,
      saml_config: {idp_metadata_url: $u, idp_sso_request_binding: "HTTP_REDIRECT",
        saml_signing_option: "SAML_RESPONSE_ASSERTION_SIGNING"}}')" | jq -ec .connection.saml_config)" || return 1
  gh_api PATCH "/api/v1/organizations/$org/connections/$CONNECTION_ID:enable" >/dev/null || return 1
  kc_saml_client "$IDP_REALM" "$(jq -r .sp_entity_id <<<"$saml")" "$(jq -r .sp_assertion_url <<<"$saml")" || return 1
  log "Gatehouse: organization $org, domain $USER_DOMAIN, SAML connection $CONNECTION_ID from the idp realm's metadata URL"
}

# ---------------------------------------------------------------------- run
machine_facts_short() {
  echo "# SAML login benchmark: Gatehouse's SAML SP vs Keycloak's SAML brokering (same IdP: Keycloak realm $IDP_REALM)"
  echo
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "java (Keycloak, loadgen): $("$KEYCLOAK_JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
  echo "load average at start: $(load_avg)"
  echo "settings: logins=$LOGINS per series, warmup=$WARMUP per path, concurrency=\"$CONCURRENCY\""
}
machine_facts_short

log "installing / starting Keycloak $KEYCLOAK_VERSION"
KC_STARTED=1
keycloak_start || die "Keycloak did not start (log: $KEYCLOAK_LOG)"
keycloak_setup_realms || die "Keycloak setup failed"
log "starting a Gatehouse for this run"
gatehouse_start || die "Gatehouse did not start (log: $GATEHOUSE_BENCH_LOG)"
gatehouse_setup_connection || die "Gatehouse setup failed"

KEYCLOAK_PIDS="$(pgrep -g "$(cat "$KEYCLOAK_PIDFILE")" | tr '\n' ' ')"
echo "keycloak: $KEYCLOAK_VERSION, start-dev (dev mode, embedded H2), JVM defaults of kc.sh; pids $KEYCLOAK_PIDS"
echo "gatehouse: ./gatehouse start (JVM options: ${GATEHOUSE_JAVA_OPTS:-launcher defaults}), embedded H2, fresh data; pids $GATEHOUSE_BENCH_PIDS"
echo "both paths: HTTP-Redirect AuthnRequests (unsigned), signed Response and Assertion (RSA-SHA256) verified by the SP,"
echo "  scope \"openid email profile\", PKCE S256, client_secret_post; Keycloak password hashing at its defaults"
quiet_wait $GATEHOUSE_BENCH_PIDS $KEYCLOAK_PIDS

read -r -a cmd <<<"$LOADGEN_JAVA_HOME/bin/java $LOADGEN_JAVA_OPTS -cp $LOADGEN_JAR dev.gatehouse.bench.SamlLoginBench"
levels=($CONCURRENCY)
limit=$(( 600 + (WARMUP * 2 + LOGINS * ${#levels[@]} * 2) * 5 )) # 5 s per login at worst: a bound, not an estimate
BENCH_CLIENT_SECRET="$GATEHOUSE_CLIENT_SECRET" BENCH_BROKER_CLIENT_SECRET="$BROKER_CLIENT_SECRET" \
BENCH_USER_PASSWORD="$USER_PASSWORD" timeout --kill-after=10 "$limit" "${cmd[@]}" \
    --gatehouse "$GATEHOUSE_URL" --gatehouse-client-id "$GATEHOUSE_CLIENT_ID" --connection-id "$CONNECTION_ID" \
    --keycloak "$KEYCLOAK_BASE_URL" --idp-realm "$IDP_REALM" --broker-realm "$BROKER_REALM" --idp-alias "$IDP_ALIAS" \
    --broker-client-id "$BROKER_CLIENT_ID" --username "$USER_NAME" --redirect-uri "$REDIRECT_URI" \
    --logins "$LOGINS" --warmup "$WARMUP" --concurrency "$CONCURRENCY" --clk-tck "$CLK_TCK" \
    --gatehouse-pids "$GATEHOUSE_BENCH_PIDS" --keycloak-pids "$KEYCLOAK_PIDS" \
    2> >(grep -v '^WARNING' >&2) &
BENCH_PID=$!
wait "$BENCH_PID"
rc=$?
BENCH_PID=
(( rc == 0 )) || die "SamlLoginBench failed (exit $rc)"
echo
echo "load average at the end: $(load_avg)"
