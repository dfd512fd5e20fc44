#!/usr/bin/env bash
# SCIM filtered list on PostgreSQL: GET /Users?filter=userName eq "…" (random users) over a directory of
# --users (100,000) users seeded with one SQL insert (issue 5 target: p99 <= 10 ms). Prints the query plan of the
# lookup, which must use the unique index on (directory_id, user_name_lower) (docs/DECISIONS.md D-S4).
#   bench/scim-filter.sh [--users 100000] [--duration 30] [--warmup 20] [--concurrency "1 4 16"] [--port 18093]
# Starts its own Gatehouse on a fresh schema of BENCH_POSTGRES_URL, dropped at the end (see bench/lib/scim.sh).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/scim.sh"

users=100000 duration=30 warmup=20 concurrency="1 4 16" port=18093
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$users" =~ ^[1-9][0-9]*$ ]] || { echo "--users must be a positive number" >&2; exit 2; }
export BENCH_LIB="$SCIM_ROOT/bench/lib" BENCH_USERS="$users"

scim_start "$port"
scim_directory
env_id=$(scim_psql -tA -c "select environment_id from directories where id = '$DIR_ID'")
started=$(date +%s%N)
scim_psql -c "
insert into directory_users (id, environment_id, directory_id, user_name, user_name_lower, external_id, active, email,
    email_lower, given_name, family_name, display_name, resource, linked_user_id, create_time, update_time)
select 'diruser_9' || lpad(g::text, 16, '0'), '$env_id', '$DIR_ID', 'user' || g || '@bench.example',
    'user' || g || '@bench.example', 'ext-' || g, true, 'user' || g || '@bench.example', 'user' || g || '@bench.example',
    'Given' || g, 'Family' || g, null,
    '{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"user' || g || '@bench.example\",'
      || '\"externalId\":\"ext-' || g || '\",\"active\":true,\"name\":{\"givenName\":\"Given' || g || '\",\"familyName\":\"Family' || g || '\"},'
      || '\"emails\":[{\"value\":\"user' || g || '@bench.example\",\"type\":\"work\",\"primary\":true}]}',
    null, now(), now()
from generate_series(1, $users) as g;
analyze directory_users;"
echo "# machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(psql --version)"
echo "seeded $(scim_psql -tA -c "select count(*) from directory_users where directory_id = '$DIR_ID'") directory users in $(( ($(date +%s%N) - started) / 1000000 )) ms"
echo "query plan of the userName lookup:"
scim_psql -tA -c "explain select * from directory_users where environment_id = '$env_id' and directory_id = '$DIR_ID'
    and user_name_lower = 'user$((users / 2))@bench.example'" | sed 's/^/    /'
echo "warm-up ${warmup}s at c16: $(scim_wrk "$BENCH_LIB/scim-filter.lua" 16 "$warmup" "$SCIM_PATH")"
echo
echo "| filtered list (userName eq) | users | concurrency | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | non-2xx | misses |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for c in $concurrency; do
  cpu_before=$(scim_cpu_ms)
  line=$(scim_wrk "$BENCH_LIB/scim-filter.lua" "$c" "$duration" "$SCIM_PATH")
  field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  requests=$(awk -v r="$(field rps)" -v d="$duration" 'BEGIN { printf "%d", r * d }')
  cpu=$(awk -v c="$(( $(scim_cpu_ms) - cpu_before ))" -v n="$requests" 'BEGIN { printf "%.2f", (n > 0 ? c / n : 0) }')
  echo "| PostgreSQL | $users | $c | $(field rps) | $(field p50_ms) | $(field p95_ms) | $(field p99_ms) | $cpu | $(field non2xx) | $(field misses) |"
done
