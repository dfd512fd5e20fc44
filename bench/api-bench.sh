#!/usr/bin/env bash
# Organization API throughput over REST and gRPC, time from process start to /readyz, and idle RSS.
#   bench/api-bench.sh [--duration 20] [--warmup 30] [--concurrency "16 64"] [--startup-runs 5] [--startup-only] [--port 18090]
# Starts Gatehouse with ./gatehouse (its JVM options and start-up cache, recorded first by ./gatehouse prepare) on
# port 18090 (--port). Start-up: --startup-runs times a first start (fresh H2 data dir: migrations, RSA key, bootstrap)
# and a restart on that data; ready = wall time from launching ./gatehouse to the first 200 from /readyz;
# RSS after 5 s idle following the restart. The load runs against the last restarted server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; gatehouse_find_jdk

duration=20 warmup=30 concurrency="16 64" port=18090 startup_runs=5 startup_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --startup-runs) startup_runs=$2; shift 2 ;;
    --startup-only) startup_only=1; shift ;;
    --port) port=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

# The gRPC load generator is needed only for the load part; --startup-only does not build the whole reactor for it.
if [ "$startup_only" = 0 ] && [ ! -f "$root/bench/loadgen/target/loadgen.jar" ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests)
fi
# Builds when needed and records the start-up cache, so no timed start pays for either.
"$root/gatehouse" prepare

work=$(mktemp -d)
export GATEHOUSE_PORT=$port GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$port"
export GATEHOUSE_BOOTSTRAP_CLIENT_ID=skc_bench GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=bench-secret-0123456789
export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)
pid=
trap 'if [ -n "$pid" ]; then kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; fi; rm -rf "$work"' EXIT

# Starts ./gatehouse on data dir $1; sets pid and ready_ms (milliseconds until /readyz answered 200).
start_server() {
  local start_ns
  start_ns=$(date +%s%N)
  GATEHOUSE_DATA_DIR="$1" "$root/gatehouse" start >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
    kill -0 $pid 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.01
  done
  ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  # The server's own phase line (docs/DECISIONS.md D-ST1), logged once it is ready.
  for _ in $(seq 1 100); do grep -q 'Start-up phases' "$work/server.log" && break; sleep 0.01; done
  phases=$(sed -n 's/.*\(Start-up phases: .*\)/\1/p' "$work/server.log" | head -1)
}
stop_server() { kill $pid; wait $pid 2>/dev/null || true; pid=; }
# "median max" of the numbers given.
median_max() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; print m, v[NR]}'; }

echo "# machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(free -g | awk '/Mem/ {print $2}') GiB, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
firsts=() restarts=() rss=()
for run in $(seq 1 "$startup_runs"); do
  data="$work/data-$run"
  start_server "$data"; first=$ready_ms phases_first=$phases
  sleep 5
  rss_first=$(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 ))
  stop_server
  start_server "$data"; again=$ready_ms phases_again=$phases
  sleep 5
  rss_again=$(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 ))
  [ "$run" = "$startup_runs" ] || stop_server
  echo "run $run: first start ${first} ms (idle RSS ${rss_first} MiB), restart ${again} ms (idle RSS ${rss_again} MiB)"
  echo "  first:   $phases_first"
  echo "  restart: $phases_again"
  firsts+=("$first") restarts+=("$again") rss+=("$rss_first" "$rss_again")
done
read -r m x <<<"$(median_max "${firsts[@]}")"; echo "first start to /readyz (fresh data dir: migrations, RSA key, bootstrap): median ${m} ms, max ${x} ms"
read -r m x <<<"$(median_max "${restarts[@]}")"; echo "restart to /readyz: median ${m} ms, max ${x} ms"
read -r m x <<<"$(median_max "${rss[@]}")"; echo "idle RSS 5 s after ready (first starts and restarts): median ${m} MiB, max ${x} MiB"
[ "$startup_only" = 1 ] && exit 0

token=$(curl -sf -X POST "http://127.0.0.1:$port/oauth/token" -d grant_type=client_credentials \
  -d client_id=$GATEHOUSE_BOOTSTRAP_CLIENT_ID -d client_secret=$GATEHOUSE_BOOTSTRAP_CLIENT_SECRET \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
# gRPC: the Java closed-loop generator (Armeria client, h2c). REST: wrk, which costs the shared
# two cores far less than a JVM client, so the server gets the CPU a real deployment would give it.
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
target_org=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/organizations" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"display_name":"bench target"}' | sed -n 's/.*"id":"\(org_[0-9]*\)".*/\1/p')
cat > "$work/create.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"display_name":"bench ' .. counter .. '","metadata":{"source":"bench"}}')
end
LUA
load() {
  local transport=$1 op=$2 c=$3 seconds=$4
  if [ "$transport" = grpc ]; then
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -jar "$root/bench/loadgen/target/loadgen.jar" "http://127.0.0.1:$port" "$token" grpc "$op" "$c" "$seconds" 2>/dev/null | grep '^rps=' | tail -1
    return
  fi
  local out
  if [ "$op" = get ]; then
    out=$(wrk -t2 -c"$c" -d"${seconds}s" --latency -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/organizations/$target_org")
  else
    out=$(wrk -t2 -c"$c" -d"${seconds}s" --latency -H "authorization: Bearer $token" -s "$work/create.lua" "http://127.0.0.1:$port/api/v1/organizations")
  fi
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "rps=$rps p50_ms=$(to_ms "$p50") p99_ms=$(to_ms "$p99") errors=${non2xx:-0}"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v } else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v*1000 } else print v }'; }


echo "warm-up ${warmup}s (gRPC and REST, get and create)"
for transport in grpc rest; do
  load $transport get 16 $((warmup / 4)) >/dev/null
  load $transport create 16 $((warmup / 4)) >/dev/null
done

echo
echo "| operation | transport | concurrency | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|---|"
for op in get create; do
  for transport in rest grpc; do
    for c in $concurrency; do
      line=$(load $transport $op $c $duration)
      rps=$(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$line")
      p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line")
      p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$line")
      err=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<<"$line")
      echo "| organization $op | $transport | $c | $rps | $p50 | $p99 | $err |"
    done
  done
done
