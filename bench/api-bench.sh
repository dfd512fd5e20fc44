#!/usr/bin/env bash
# Organization API throughput over REST and gRPC, time from process start to /readyz, and idle RSS.
#   bench/api-bench.sh [--duration 20] [--warmup 30] [--concurrency "16 64"]
# Starts its own Gatehouse (fresh H2 data dir, port 18090) from app/target, builds when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; gatehouse_find_jdk

duration=20 warmup=30 concurrency="16 64" port=18090
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [ ! -f "$root/app/target/gatehouse-app.jar" ] || [ ! -f "$root/bench/loadgen/target/loadgen.jar" ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests)
fi

work=$(mktemp -d)
export GATEHOUSE_PORT=$port GATEHOUSE_DATA_DIR="$work/data" GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$port"
export GATEHOUSE_BOOTSTRAP_CLIENT_ID=skc_bench GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=bench-secret-0123456789
export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)

start_ns=$(date +%s%N)
"$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -XX:SharedArchiveFile=$root/app/target/gatehouse.jsa -XX:+AutoCreateSharedArchive -Xshare:auto} -jar "$root/app/target/gatehouse-app.jar" start >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 2000); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.01
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep_until_idle=$(( $(date +%s) + 5 ))
while [ "$(date +%s)" -lt "$sleep_until_idle" ]; do sleep 1; done
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

# Second start on the same data (migrations and bootstrap already done): the usual restart.
kill $pid; wait $pid 2>/dev/null || true
start_ns=$(date +%s%N)
"$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -XX:SharedArchiveFile=$root/app/target/gatehouse.jsa -XX:+AutoCreateSharedArchive -Xshare:auto} -jar "$root/app/target/gatehouse-app.jar" start >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 2000); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
  sleep 0.01
done
restart_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))

token=$(curl -sf -X POST "http://127.0.0.1:$port/oauth/token" -d grant_type=client_credentials \
  -d client_id=$GATEHOUSE_BOOTSTRAP_CLIENT_ID -d client_secret=$GATEHOUSE_BOOTSTRAP_CLIENT_SECRET \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
load() { "$JAVA_HOME/bin/java" -XX:+UseSerialGC -jar "$root/bench/loadgen/target/loadgen.jar" "http://127.0.0.1:$port" "$token" "$@" 2>/dev/null | tail -1; }

echo "# machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(free -g | awk '/Mem/ {print $2}') GiB, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "first start to /readyz: ${ready_ms} ms (fresh data dir: migrations, RSA key generation, bootstrap)"
echo "restart to /readyz: ${restart_ms} ms"
echo "idle RSS after first start: $((rss_kb / 1024)) MiB"

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
