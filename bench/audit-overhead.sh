#!/usr/bin/env bash
# What auditing successful token issuance costs: token endpoint throughput with audit appends on
# (GATEHOUSE_AUDIT_SUCCESS=true, the default: one chained audit record per token) and off (refusals only).
#
#   bench/audit-overhead.sh [--db h2|postgresql] [--warmup 60] [--duration 20] [--runs 3] [--concurrency 64]
#
# Starts two Gatehouses from app/target (builds when missing) on ports 18092 (audit on) and 18093
# (audit off), each on a fresh database (embedded H2, or a new PostgreSQL database with --db postgresql),
# warms both up, then alternates measured runs (on, off, on, off, ...) so that drift of the machine
# hits both alike. Load: wrk with bench/lib/token.lua (client_credentials, client_secret_post), as
# bench/token-bench.sh. Reports the median run of each, the overhead (1 - on/off) and how many
# oauth.token.issued records each server wrote (from the audit API).
#
# Environment (--db postgresql): BENCH_PG_HOST (127.0.0.1), BENCH_PG_PORT (5432), BENCH_PG_USER (postgres), PGPASSWORD.
# Target (issue 6): audit appends cut token throughput by at most 10 %.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; gatehouse_find_jdk || exit 1
. "$root/scripts/jvm-options.sh"
. "$root/bench/lib/load.sh"

db=h2 warmup=60 duration=20 runs=3 concurrency=64
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$db" == h2 || "$db" == postgresql ]] || { echo "--db is h2 or postgresql" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ && "$duration" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ && "$concurrency" =~ ^[1-9][0-9]*$ ]] ||
  { echo "options take positive whole numbers" >&2; exit 2; }
(( warmup <= 3600 && duration <= 3600 && runs <= 50 && concurrency <= 10000 )) || { echo "option out of range" >&2; exit 2; }

pg_host=${BENCH_PG_HOST:-127.0.0.1} pg_port=${BENCH_PG_PORT:-5432} pg_user=${BENCH_PG_USER:-postgres}
psql_admin() { psql -X -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 "$@"; }

if [ ! -f "$root/app/target/gatehouse-app.jar" ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -pl app -am) || exit 1
fi
ensure_wrk || exit 1

work=$(mktemp -d)
export LOAD_LOG="$work/wrk.log"
declare -A PID PORT
PORT[on]=18092 PORT[off]=18093
client_id=skc_bench client_secret=bench-secret-0123456789
cleanup() {
  load_abort
  for mode in on off; do
    [ -n "${PID[$mode]:-}" ] && { kill "${PID[$mode]}" 2>/dev/null; wait "${PID[$mode]}" 2>/dev/null; }
    [ "$db" = postgresql ] && psql_admin -c "drop database if exists gatehouse_bench_audit_${mode}_$$" >/dev/null 2>&1
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_gatehouse() { # MODE
  local mode=$1 port=${PORT[$1]} url
  if [ "$db" = postgresql ]; then
    psql_admin -c "create database gatehouse_bench_audit_${mode}_$$" >/dev/null || return 1
    url="jdbc:postgresql://$pg_host:$pg_port/gatehouse_bench_audit_${mode}_$$"
  else
    url=""
  fi
  (
    export GATEHOUSE_PORT=$port GATEHOUSE_DATA_DIR="$work/$mode" GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$port"
    export GATEHOUSE_BOOTSTRAP_CLIENT_ID=$client_id GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=$client_secret
    export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)
    export GATEHOUSE_AUDIT_SUCCESS=$([ "$mode" = on ] && echo true || echo false)
    if [ -n "$url" ]; then
      export GATEHOUSE_DATABASE_URL=$url GATEHOUSE_DATABASE_USER=$pg_user GATEHOUSE_DATABASE_PASSWORD="${PGPASSWORD:-}"
    fi
    exec "$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:-$GATEHOUSE_JVM_DEFAULTS} \
      -jar "$root/app/target/gatehouse-app.jar" start >"$work/$mode.log" 2>&1
  ) &
  PID[$mode]=$!
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && return 0
    kill -0 "${PID[$mode]}" 2>/dev/null || { cat "$work/$mode.log" >&2; return 1; }
    sleep 0.1
  done
  echo "Gatehouse ($mode) did not become ready" >&2
  return 1
}

issued_records() { # MODE -> total oauth.token.issued records in its audit log
  local port=${PORT[$1]} token
  token=$(curl -sf -X POST "http://127.0.0.1:$port/oauth/token" -d grant_type=client_credentials \
    -d client_id=$client_id -d client_secret=$client_secret | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  curl -sf "http://127.0.0.1:$port/api/v1/audit/records?type=oauth.token.issued&page_size=1" \
    -H "authorization: Bearer $token" | sed -n 's/.*"total_size":\([0-9]*\).*/\1/p'
}

echo "# Audit overhead on the token endpoint ($db)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  nproc: $(nproc)  cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "settings: warmup=${warmup}s each, duration=${duration}s, runs=$runs per mode (alternating), concurrency=$concurrency"
start_gatehouse on || exit 1
start_gatehouse off || exit 1
for mode in on off; do
  url="http://127.0.0.1:${PORT[$mode]}/oauth/token"
  check_token_endpoint "$url" "$client_id" "$client_secret" || exit 1
  (( warmup > 0 )) && { warmup_token_endpoint "$url" "$client_id" "$client_secret" "$warmup" "$concurrency" || exit 1; }
done

declare -A RPS CPU PGCPU
out="$work/run.txt"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system clock ticks of the server process
# user + system clock ticks of every PostgreSQL process (only on this machine's server, --db postgresql)
pg_ticks() { local t=0 p; for p in $(pgrep -x postgres); do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
tck=$(getconf CLK_TCK)
for r in $(seq 1 "$runs"); do
  for mode in on off; do
    t0=$(cpu_ticks "${PID[$mode]}") p0=$(pg_ticks)
    measure_token_endpoint "http://127.0.0.1:${PORT[$mode]}/oauth/token" "$client_id" "$client_secret" \
      "$concurrency" "$duration" >"$out" || exit 1
    t1=$(cpu_ticks "${PID[$mode]}") p1=$(pg_ticks)
    rps=$(sed -n 's/^rps=\([0-9.]*\).*/\1/p' "$out")
    # Server CPU per request: steadier than req/s when something else on the machine takes a share.
    cpu=$(awk -v t="$((t1 - t0))" -v hz="$tck" -v rps="$rps" -v d="$duration" 'BEGIN { printf "%.3f", t / hz * 1000 / (rps * d) }')
    pgcpu=$(awk -v t="$((p1 - p0))" -v hz="$tck" -v rps="$rps" -v d="$duration" 'BEGIN { printf "%.3f", t / hz * 1000 / (rps * d) }')
    echo "audit=$mode run=$r $(cat "$out") server_cpu_ms_per_req=$cpu postgres_cpu_ms_per_req=$pgcpu"
    PGCPU[$mode]+="$pgcpu "
    RPS[$mode]+="$rps "
    CPU[$mode]+="$cpu "
  done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
on=$(median "${RPS[on]}") off=$(median "${RPS[off]}")
cpu_on=$(median "${CPU[on]}") cpu_off=$(median "${CPU[off]}")
pg_on=$(median "${PGCPU[on]}") pg_off=$(median "${PGCPU[off]}")
echo
echo "| audit of successful issuance | median req/s | median server CPU ms/request | PostgreSQL CPU ms/request | oauth.token.issued records written |"
echo "|---|---:|---:|---:|---:|"
echo "| on (default) | $on | $cpu_on | $pg_on | $(issued_records on) |"
echo "| off (GATEHOUSE_AUDIT_SUCCESS=false) | $off | $cpu_off | $pg_off | $(issued_records off) |"
awk -v on="$on" -v off="$off" 'BEGIN { printf "\noverhead: %.1f %% (target: at most 10 %%)\n", (off > 0 ? (1 - on / off) * 100 : 0) }'
awk -v on="$cpu_on" -v off="$cpu_off" 'BEGIN { printf "server CPU per request: +%.1f %% with audit on (throughput the audit would cost on a saturated server: %.1f %%)\n", (off > 0 ? (on / off - 1) * 100 : 0), (on > 0 ? (1 - off / on) * 100 : 0) }'
