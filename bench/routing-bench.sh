#!/usr/bin/env bash
# Issue 4's routing target, over HTTP: with N organizations (each with a domain and an enabled SAML connection),
# GET /oauth/authorize?response_type=code&client_id=…&redirect_uri=…&scope=openid&state=…&domain=org<i>.bench.test
# against a running Gatehouse, answered with the AuthnRequest on its way to the IdP's SSO URL (a login transaction
# stored; the seeded connections use Gatehouse's default HTTP-POST binding, so the answer is the auto-post form).
#   bench/routing-bench.sh [--organizations 100000] [--concurrency "1 8"] [--warmup 30] [--duration 30]
#                          [--selector domain|login_hint] [--postgres]
#   bench/routing-bench.sh --in-process [--organizations 100000] [--lookups 20000]   # LoginRouter.route alone
# How: Gatehouse is started once (migrations, bootstrap) and stopped; store's RoutingBenchSeed inserts the N
# organizations, domains and connections with JDBC batches of 1,000 (rows only, no events; ~10 s for 100,000 on H2);
# Gatehouse is started again (java -jar app/target/gatehouse-app.jar start, port 18291 unless ROUTING_BENCH_PORT).
# wrk (2 threads, bench/lib/routing.lua) picks a random seeded domain per request; every answer must go to the IdP.
# For each concurrency: a --warmup run (JIT), then a measured run. Server-side latency: the timer
# gatehouse.oauth.authorize{result="identity_provider"} (http's AuthorizeLatency: request's first byte to the answer's
# last byte, blocking-executor wait included) scraped from /metrics right before and after the measured run; the
# difference of its buckets is exactly that run's distribution, and a quantile is reported as the upper bound of its
# bucket (0.1 ms buckets up to 1 ms, 0.25 ms up to 6 ms). Client-side: wrk's latency (loopback, same 2 cores).
# Database: embedded H2 in a fresh data directory, or with --postgres a fresh schema of
# BENCH_POSTGRES_URL (jdbc:postgresql://127.0.0.1:5432/test, user postgres, trust), dropped at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; gatehouse_find_jdk
. "$root/bench/lib/load.sh"
. "$root/bench/lib/postgres.sh"

organizations=100000 concurrency="1 8" warmup=30 duration=30 selector=domain postgres=0 in_process=0 lookups=20000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --organizations) organizations="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --selector) selector="$2"; shift 2 ;;
    --postgres) postgres=1; shift ;;
    --in-process) in_process=1; shift ;;
    --lookups) lookups="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$organizations" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ && "$duration" =~ ^[1-9][0-9]*$ ]] || { echo "bad numbers" >&2; exit 2; }
[[ "$selector" == domain || "$selector" == login_hint ]] || { echo "--selector domain|login_hint" >&2; exit 2; }

if [[ ! -f "$root/app/target/gatehouse-app.jar" || ! -f "$root/store/target/test-classes/dev/gatehouse/store/RoutingBenchSeed.class" ]]; then
  (cd "$root" && ./mvnw -q -B install -DskipTests -pl app -am)
fi
# Gatehouse's own modules come from their target/classes (fresh); app/target/lib supplies the libraries only.
cp="$root/store/target/test-classes:$root/store/target/classes:$root/core/target/test-classes:$root/core/target/classes"
for jar in "$root"/app/target/lib/*.jar; do
  case "$(basename "$jar")" in gatehouse-*) ;; *) cp="$cp:$jar" ;; esac
done
echo "machine: $(nproc) x$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"

if [[ $in_process == 1 ]]; then
  echo "routing-bench (in-process router): $organizations organizations, 5000 warm-up and $lookups measured lookups"
  exec "$JAVA_HOME/bin/java" -Xss512k -cp "$cp" dev.gatehouse.store.RoutingBench "$organizations" 5000 "$lookups"
fi
ensure_wrk

port=${ROUTING_BENCH_PORT:-18291}
url="http://127.0.0.1:$port"
work=$(mktemp -d)
schema= pid=
export GATEHOUSE_PORT=$port GATEHOUSE_DATA_DIR="$work/data" GATEHOUSE_PUBLIC_URL="$url"
export GATEHOUSE_BOOTSTRAP_CLIENT_ID=skc_routing_bench GATEHOUSE_BOOTSTRAP_CLIENT_SECRET="bench-$(openssl rand -hex 16)"
export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)
unset GATEHOUSE_DATABASE_URL GATEHOUSE_DATABASE_USER GATEHOUSE_DATABASE_PASSWORD
db_url="jdbc:h2:file:$work/data/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=128"
db_user=sa
pg_user="${BENCH_POSTGRES_USER:-postgres}"
if [[ $postgres == 1 ]]; then
  schema="gh_routing_$(date +%s)_$$"
  psql -X -q -h 127.0.0.1 -U "$pg_user" -d test -c "create schema $schema"
  db_url="${BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test}?currentSchema=$schema" db_user="$pg_user"
  export GATEHOUSE_DATABASE_URL="$db_url" GATEHOUSE_DATABASE_USER="$db_user"
fi
stop_server() {
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}
cleanup() {
  load_abort 2>/dev/null || true
  stop_server
  [[ -n "$schema" ]] && psql -X -q -h 127.0.0.1 -U "$pg_user" -d test -c "drop schema $schema cascade" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
start_server() {
  "$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:-} -jar "$root/app/target/gatehouse-app.jar" start >>"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do # bounded: 120 s
    curl -sf -o /dev/null "$url/readyz" && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "Gatehouse not ready after 120 s" >&2; tail -n 30 "$work/server.log" >&2; exit 1
}

start_server
stop_server
suffix=bench.test
"$JAVA_HOME/bin/java" -cp "$cp" dev.gatehouse.store.RoutingBenchSeed "$db_url" "$db_user" "" "$url" "$organizations" "$suffix"
if [[ $postgres == 1 && -z "${NO_ANALYZE:-}" ]]; then
  # The CI PostgreSQL runs with autovacuum = off, so the freshly seeded tables would never be analyzed: do once what
  # autovacuum does on its own (D-SW5, D-RB6). NO_ANALYZE=1 measures without statistics.
  analyze_schema "$schema" -h 127.0.0.1 -U "$pg_user" -d test
  echo "analyzed the seeded schema $schema (autovacuum: $(psql -X -At -h 127.0.0.1 -U "$pg_user" -d test -c 'show autovacuum'))"
fi
start_server
echo "database: $([[ $postgres == 1 ]] && echo "PostgreSQL $(psql -X -At -h 127.0.0.1 -U "$pg_user" -d test -c 'show server_version')" || echo "H2 (embedded file)")"

token=$(curl -fsS --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$GATEHOUSE_BOOTSTRAP_CLIENT_ID" \
  --data-urlencode "client_secret=$GATEHOUSE_BOOTSTRAP_CLIENT_SECRET" "$url/oauth/token" | jq -r .access_token)
redirect="http://127.0.0.1:9/callback"
curl -fsS -o /dev/null -X PATCH -H "authorization: Bearer $token" -H 'content-type: application/json' \
  --data "{\"redirect_uris\":[\"$redirect\"]}" "$url/api/v1/clients/$GATEHOUSE_BOOTSTRAP_CLIENT_ID"
path="/oauth/authorize?response_type=code&client_id=$GATEHOUSE_BOOTSTRAP_CLIENT_ID&redirect_uri=$(_urlencode "$redirect")&scope=openid&state=bench&"
idp="https://idp.bench.test/sso"
probe=$(curl -s -o "$work/probe.html" -w '%{http_code} %{redirect_url}' "$url${path}domain=org$((organizations - 1)).$suffix")
if [[ "$probe" == "302 $idp"* ]]; then
  echo "probe: GET ${path}domain=org$((organizations - 1)).$suffix -> ${probe:0:80}… (HTTP-Redirect binding)"
elif [[ "$probe" == "200 "* ]] && grep -qF "action=\"$idp" "$work/probe.html"; then
  echo "probe: GET ${path}domain=org$((organizations - 1)).$suffix -> 200, auto-post form to $idp (HTTP-POST binding)"
else
  echo "the authorize request is not routed to the IdP: $probe $(head -c 300 "$work/probe.html")" >&2; exit 1
fi

scrape() { curl -fsS "$url/metrics" | grep '^gatehouse_oauth_authorize_seconds_\(bucket\|count\|sum\){.*result="identity_provider"' >"$1"; }
# server_quantiles BEFORE AFTER: the measured run's own distribution (bucket upper bounds, ms)
server_quantiles() {
  awk '
    function le(line) { match(line, /le="[^"]+"/); return substr(line, RSTART + 4, RLENGTH - 5) }
    FNR == 1 { file++ }
    /_bucket\{/ { v = $NF + 0; b = le($0); if (file == 1) before[b] = v; else after[b] = v; next }
    /_count\{/ { if (file == 1) c0 = $NF; else c1 = $NF; next }
    /_sum\{/ { if (file == 1) s0 = $NF; else s1 = $NF; next }
    END {
      n = 0
      for (b in after) if (b != "+Inf") { bounds[++n] = b + 0; key[b + 0] = b }
      for (i = 2; i <= n; i++) { x = bounds[i]; j = i - 1; while (j > 0 && bounds[j] > x) { bounds[j + 1] = bounds[j]; j-- } bounds[j + 1] = x }
      total = c1 - c0
      if (total <= 0) { print "server: no requests recorded"; exit 1 }
      split("0.5 0.9 0.99 0.999", qs, " "); split("p50 p90 p99 p99.9", names, " ")
      line = sprintf("server: requests=%d mean_ms=%.3f", total, 1000 * (s1 - s0) / total)
      for (q = 1; q <= 4; q++) {
        want = qs[q] * total; found = "> " 1000 * bounds[n]
        for (i = 1; i <= n; i++) { k = key[bounds[i]]; if (after[k] - before[k] >= want) { found = sprintf("<=%.2f", 1000 * bounds[i]); break } }
        line = line sprintf(" %s_ms%s", names[q], found)
      }
      print line
    }' "$1" "$2"
}

run_wrk() { # SECONDS CONCURRENCY
  local threads=2
  (( $2 < threads )) && threads=$2
  ROUTING_ORGANIZATIONS=$organizations ROUTING_PATH="$path" ROUTING_SELECTOR=$selector ROUTING_SUFFIX=$suffix \
    ROUTING_EXPECT="$idp" wrk -t"$threads" -c"$2" -d"${1}s" --timeout 10s --latency -s "$root/bench/lib/routing.lua" "$url"
}
hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for c in $concurrency; do
  if (( warmup > 0 )); then
    run_wrk "$warmup" "$c" | grep '^client:' | sed "s/^/warm-up c$c /"
  fi
  scrape "$work/before.txt"
  t0=$(ticks "$pid")
  out=$(run_wrk "$duration" "$c")
  t1=$(ticks "$pid")
  scrape "$work/after.txt"
  echo "measured c$c, ${duration}s, $organizations organizations, routed by $selector:"
  grep -E '^(client:|first bad)' <<<"$out" | sed 's/^/  /'
  server_quantiles "$work/before.txt" "$work/after.txt" | sed 's/^/  /'
  awk -v t=$((t1 - t0)) -v hz="$hz" -v d="$duration" 'BEGIN { printf "  server cpu: %.2f cores\n", t / hz / d }'
done
echo "target (issue 4): authorize-to-IdP-redirect p99 <= 5 ms server-side with 100,000 organizations, routed by domain"
