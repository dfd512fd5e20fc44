#!/usr/bin/env bash
# SCIM write throughput on PostgreSQL: half POST /Users, half PATCH /Users/{id} (names, title, active), each linking
# the environment user and membership and writing its event to the outbox in one transaction (issue 5 target:
# >= 800 writes/s and p95 <= 50 ms on 2 cores).
#   bench/scim-writes.sh [--duration 30] [--warmup 30] [--concurrency "16 64"] [--port 18092] [--pool 16]
# --pool sets the server's connection pool (GATEHOUSE_DATABASE_POOL_SIZE; default: the server's default, 16).
# Starts its own Gatehouse (app/target/gatehouse-app.jar, built when missing) on a fresh schema of
# BENCH_POSTGRES_URL (default jdbc:postgresql://127.0.0.1:5432/test, user BENCH_POSTGRES_USER=postgres), dropped at the end.
# After the warm-up the schema's tables are analyzed once (what autovacuum would have done; the CI server has it off,
# D-SW5); NO_ANALYZE=1 skips that. Nothing analyzes them again during the runs.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/scim.sh"

duration=30 warmup=30 concurrency="16 64" port=18092
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --pool) export GATEHOUSE_DATABASE_POOL_SIZE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export BENCH_LIB="$SCIM_ROOT/bench/lib"

scim_start "$port"
scim_directory
echo "# machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(psql --version)"
echo "# PostgreSQL autovacuum: $(scim_autovacuum)"
echo "warm-up ${warmup}s at c16: $(scim_wrk "$BENCH_LIB/scim-writes.lua" 16 "$warmup" "$SCIM_PATH")"
if [[ -z "${NO_ANALYZE:-}" ]]; then
  scim_analyze
  echo "analyzed the schema's tables after the warm-up ($(scim_psql -tA -c "select count(*) from directory_users") directory users)"
fi
echo
echo "pool: ${GATEHOUSE_DATABASE_POOL_SIZE:-server default} connections"
echo "| SCIM writes (create + PATCH) | concurrency | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | of which JIT | PostgreSQL CPU ms/req | non-2xx | creates | patches |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for c in $concurrency; do
  cpu_before=$(scim_cpu_ms)
  jit_before=$(scim_jit_ms)
  pg_before=$(scim_pg_cpu_ms)
  line=$(scim_wrk "$BENCH_LIB/scim-writes.lua" "$c" "$duration" "$SCIM_PATH")
  field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  requests=$(awk -v r="$(field rps)" -v d="$duration" 'BEGIN { printf "%d", r * d }')
  cpu=$(awk -v c="$(( $(scim_cpu_ms) - cpu_before ))" -v n="$requests" 'BEGIN { printf "%.2f", (n > 0 ? c / n : 0) }')
  jit=$(awk -v c="$(( $(scim_jit_ms) - jit_before ))" -v n="$requests" 'BEGIN { printf "%.2f", (n > 0 ? c / n : 0) }')
  pg=$(awk -v c="$(( $(scim_pg_cpu_ms) - pg_before ))" -v n="$requests" 'BEGIN { printf "%.2f", (n > 0 ? c / n : 0) }')
  echo "| PostgreSQL | $c | $(field rps) | $(field p50_ms) | $(field p95_ms) | $(field p99_ms) | $cpu | $jit | $pg | $(field non2xx) | $(field creates) | $(field patches) |"
done
events=$(scim_psql -tA -c "select count(*) from events")
users=$(scim_psql -tA -c "select count(*) from users")
echo
echo "rows after the runs: $users environment users, $events events in the outbox"
