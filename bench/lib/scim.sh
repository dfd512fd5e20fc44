#!/usr/bin/env bash
# Shared by bench/scim-writes.sh and bench/scim-filter.sh (source this file).
#
#   scim_start PORT          fresh schema in PostgreSQL, Gatehouse from app/target on PORT (builds when missing);
#                            cleanup (server stop, schema drop) is registered on EXIT
#   scim_directory           management token, organization, enabled SCIM directory and its bearer token:
#                            sets ORG_ID, DIR_ID, SCIM_TOKEN, SCIM_PATH (/directory/<id>/scim/v2)
#   scim_psql SQL...         runs SQL in the benchmark's schema
#   scim_analyze             ANALYZE every table of the benchmark's schema (what autovacuum does on its own; the CI
#                            PostgreSQL runs with autovacuum off, D-SW5)
#   scim_cpu_ms              CPU milliseconds the server used so far (for CPU per request)
#   scim_jit_ms              CPU milliseconds the server's JIT compiler threads used so far (part of scim_cpu_ms)
#   scim_pg_cpu_ms           CPU milliseconds the local PostgreSQL processes used so far
#   scim_wrk LUA CONC SECS PATH
#                            wrk -t2 against http://127.0.0.1:PORT/PATH with the Lua script; prints its done() line
#
# PostgreSQL: BENCH_POSTGRES_URL (jdbc:postgresql://127.0.0.1:5432/test), BENCH_POSTGRES_USER (postgres),
# PGPASSWORD when it needs one. Only loopback targets are used.

_SCIM_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCIM_ROOT="$(cd "$_SCIM_LIB_DIR/../.." && pwd)"
. "$SCIM_ROOT/scripts/find-jdk.sh"; gatehouse_find_jdk
. "$_SCIM_LIB_DIR/load.sh"
. "$_SCIM_LIB_DIR/postgres.sh"

BENCH_POSTGRES_URL="${BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
BENCH_POSTGRES_USER="${BENCH_POSTGRES_USER:-postgres}"

_scim_log() { echo "[scim-bench] $*" >&2; }

# jdbc:postgresql://host:port/db -> psql connection arguments
_scim_psql_args() {
  local rest="${BENCH_POSTGRES_URL#jdbc:postgresql://}"
  rest="${rest%%\?*}"
  local hostport="${rest%%/*}" db="${rest#*/}"
  local host="${hostport%%:*}" port=5432
  [[ "$hostport" == *:* ]] && port="${hostport##*:}"
  echo "-h $host -p $port -d $db -U $BENCH_POSTGRES_USER"
}

scim_psql() {
  # shellcheck disable=SC2046
  PGOPTIONS="-c search_path=$SCIM_SCHEMA" psql -X -q -v ON_ERROR_STOP=1 $(_scim_psql_args) "$@"
}

# ANALYZE the benchmark's tables once, after the warm-up (bench/lib/postgres.sh, D-SW5).
scim_analyze() {
  # shellcheck disable=SC2046
  analyze_schema "$SCIM_SCHEMA" $(_scim_psql_args)
}

scim_autovacuum() { scim_psql -tA -c "show autovacuum"; }

_scim_cleanup() {
  local rc=$?
  if [[ -n "${SCIM_PID:-}" ]] && kill -0 "$SCIM_PID" 2>/dev/null; then
    kill "$SCIM_PID" 2>/dev/null
    wait "$SCIM_PID" 2>/dev/null || true
  fi
  load_abort 2>/dev/null || true
  if [[ -n "${SCIM_SCHEMA:-}" && -z "${BENCH_KEEP_SCHEMA:-}" ]]; then
    # shellcheck disable=SC2046
    psql -X -q $(_scim_psql_args) -c "drop schema if exists $SCIM_SCHEMA cascade" >/dev/null 2>&1 || true
  fi
  [[ -n "${SCIM_WORK:-}" ]] && rm -rf "$SCIM_WORK"
  exit "$rc"
}

# CPU time (ms) the Gatehouse process has used so far: the difference over a run, divided by its requests, is the
# server's CPU cost per request, which stays meaningful when other processes share the machine.
scim_cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$SCIM_PID/stat"
}

# CPU time (ms) of the server's C1/C2 compiler threads so far: on a slow host the JIT is still compiling minutes into
# a run, and this part of the server's CPU goes away with a longer warm-up (D-SW5).
scim_jit_ms() {
  local hz total=0 t
  hz=$(getconf CLK_TCK)
  for t in /proc/"$SCIM_PID"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      C1\ CompilerThre*|C2\ CompilerThre*) total=$(( total + $(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null || echo 0) )) ;;
    esac
  done
  echo $(( total * 1000 / hz ))
}

# CPU time (ms) all local PostgreSQL processes (backends, WAL writer, checkpointer, autovacuum) have used so far. Only
# meaningful when PostgreSQL runs on this machine and nobody else uses it meanwhile (the quiet window).
scim_pg_cpu_ms() {
  local hz total=0 pid
  hz=$(getconf CLK_TCK)
  for pid in $(pgrep -x postgres 2>/dev/null); do
    total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo $(( total * 1000 / hz ))
}

scim_start() {
  SCIM_PORT="$1"
  command -v psql >/dev/null || { _scim_log "psql is needed (apt-get install postgresql-client)"; return 1; }
  ensure_wrk || return 1
  if [[ ! -f "$SCIM_ROOT/app/target/gatehouse-app.jar" ]]; then
    (cd "$SCIM_ROOT" && ./mvnw -q -B package -DskipTests) || return 1
  fi
  SCIM_WORK="$(mktemp -d)"
  SCIM_SCHEMA="gh_bench_$(date +%s)_$$"
  trap _scim_cleanup EXIT
  trap 'exit 130' INT TERM
  # shellcheck disable=SC2046
  psql -X -q -v ON_ERROR_STOP=1 $(_scim_psql_args) -c "create schema $SCIM_SCHEMA" || return 1
  local sep='?'
  [[ "$BENCH_POSTGRES_URL" == *\?* ]] && sep='&'
  export GATEHOUSE_PORT="$SCIM_PORT" GATEHOUSE_DATA_DIR="$SCIM_WORK/data" GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$SCIM_PORT"
  export GATEHOUSE_DATABASE_URL="$BENCH_POSTGRES_URL${sep}currentSchema=$SCIM_SCHEMA"
  export GATEHOUSE_DATABASE_USER="$BENCH_POSTGRES_USER" GATEHOUSE_DATABASE_PASSWORD="${PGPASSWORD:-}"
  export GATEHOUSE_BOOTSTRAP_CLIENT_ID=skc_bench GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=bench-secret-0123456789
  export GATEHOUSE_MASTER_KEY
  GATEHOUSE_MASTER_KEY="$(openssl rand -base64 32)"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -Xms64m} -jar "$SCIM_ROOT/app/target/gatehouse-app.jar" start \
    >"$SCIM_WORK/server.log" 2>&1 &
  SCIM_PID=$!
  local i
  for i in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$SCIM_PORT/readyz" && { _scim_log "Gatehouse ready on :$SCIM_PORT, schema $SCIM_SCHEMA"; return 0; }
    kill -0 "$SCIM_PID" 2>/dev/null || { cat "$SCIM_WORK/server.log" >&2; return 1; }
    sleep 0.1
  done
  _scim_log "Gatehouse did not get ready in 60 s"; tail -50 "$SCIM_WORK/server.log" >&2; return 1
}

_scim_json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -1; }

scim_directory() {
  local url="http://127.0.0.1:$SCIM_PORT" token
  token="$(curl -sf -X POST "$url/oauth/token" -d grant_type=client_credentials \
    -d client_id="$GATEHOUSE_BOOTSTRAP_CLIENT_ID" -d client_secret="$GATEHOUSE_BOOTSTRAP_CLIENT_SECRET" | _scim_json_field access_token)"
  [[ -n "$token" ]] || { _scim_log "no management token"; return 1; }
  local auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')
  ORG_ID="$(curl -sf "${auth[@]}" -X POST "$url/api/v1/organizations" -d '{"display_name":"SCIM bench"}' | _scim_json_field id)"
  DIR_ID="$(curl -sf "${auth[@]}" -X POST "$url/api/v1/organizations/$ORG_ID/directories" \
    -d '{"directory_type":"SCIM","directory_provider":"OKTA"}' | _scim_json_field id)"
  curl -sf "${auth[@]}" -X PATCH "$url/api/v1/organizations/$ORG_ID/directories/$DIR_ID:enable" -d '{}' >/dev/null
  SCIM_TOKEN="$(curl -sf "${auth[@]}" -X POST "$url/api/v1/organizations/$ORG_ID/directories/$DIR_ID/secrets" -d '{}' \
    | _scim_json_field plain_secret)"
  SCIM_PATH="/directory/$DIR_ID/scim/v2"
  [[ "$ORG_ID" == org_* && "$DIR_ID" == dir_* && "$SCIM_TOKEN" == gds_* ]] || { _scim_log "directory setup failed"; return 1; }
  export SCIM_TOKEN SCIM_PATH
  _scim_log "organization $ORG_ID, directory $DIR_ID"
}

# scim_wrk LUA CONCURRENCY SECONDS PATH -> the Lua done() line (wrk's report goes to stderr)
scim_wrk() {
  local lua="$1" conc="$2" secs="$3" path="$4" out rc
  [[ "$conc" =~ ^[1-9][0-9]*$ && "$secs" =~ ^[1-9][0-9]*$ ]] || { _scim_log "bad concurrency/duration: $conc $secs"; return 1; }
  local threads=2
  (( conc < threads )) && threads=$conc
  out="$(mktemp)"
  BENCH_RUN="$(date +%s%N)" timeout --kill-after=10 $((secs + 60)) \
    wrk -t"$threads" -c"$conc" -d"${secs}s" --timeout 10s --latency -s "$lua" "http://127.0.0.1:$SCIM_PORT$path" >"$out" 2>&1 &
  _LOAD_WRK_PID=$!
  wait "$_LOAD_WRK_PID"
  rc=$?
  _LOAD_WRK_PID=
  cat "$out" >&2
  local line
  line="$(grep -E '^rps=' "$out" | tail -n1)"
  rm -f "$out"
  [[ $rc -eq 0 && -n "$line" ]] || { _scim_log "wrk failed (exit $rc)"; return 1; }
  echo "$line"
}
