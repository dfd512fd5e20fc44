#!/usr/bin/env bash
# Signed-assertion validations per second over HTTP at the SAML ACS (POST /sso/v1/saml/{id}/callback).
#   bench/acs-bench.sh                                   # 24,000 warm-up + 15,000 measured responses, c16 (target >= 1,500/s)
#   bench/acs-bench.sh --responses 200 --concurrency 4   # quick check that it works (warm-up: as many as measured below 8,000)
#   bench/acs-bench.sh --mode validate                   # without the idp_initiated_login JWT signing
#   bench/acs-bench.sh --threads-cpu                     # also the server's CPU seconds per thread name
#   bench/acs-bench.sh --postgres                        # the replay cache in PostgreSQL (BENCH_POSTGRES_URL) instead of H2
# Starts its own Gatehouse (fresh data dir, port 18091) from app/target, builds what is missing.
# bench/saml-validate's AcsBench sets up a SAML connection and writes signed RSA-2048 responses (~6 kB of XML, distinct
# assertion IDs) to files; wrk (2 threads, bench/lib/acs.lua) posts each exactly once: first --warmup responses (the
# server's JIT), then the --responses measured ones. --mode token (default): full IdP-initiated success, 302 with the
# idp_initiated_login JWT (one RSA signature); --mode validate: validation + replay insert, then refused (400 and an
# audit record: no redirect target). The responses expire 5 min after they are generated, so keep runs short.
# Prints wrk's line (accepted/s, p50/p95/p99, unexpected answers), the CPU seconds of the server and of wrk, and the
# server's CPU per accepted response.
# GATEHOUSE_JAVA_OPTS is passed to the server's JVM (e.g. -XX:StartFlightRecording=filename=acs.jfr).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; gatehouse_find_jdk
. "$root/bench/lib/load.sh"
port=${ACS_BENCH_PORT:-18091}
responses=15000 warmup= concurrency=16 mode=token postgres=0 threads_cpu=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --responses) responses="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --postgres) postgres=1; shift ;;
    --threads-cpu) threads_cpu=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
# C2 still compiles the request path after 8,000 responses on 2 busy cores (docs/DECISIONS.md D-AC6)
[[ -z "$warmup" ]] && warmup=$(( responses < 8000 ? responses : 24000 ))
[[ "$responses" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ && "$concurrency" =~ ^[1-9][0-9]*$ ]] || { echo "bad numbers" >&2; exit 2; }
[[ "$mode" == token || "$mode" == validate ]] || { echo "--mode token|validate" >&2; exit 2; }
ensure_wrk

if [ ! -f "$root/app/target/gatehouse-app.jar" ] || [ ! -f "$root/bench/saml-validate/target/saml-validate.jar" ]; then
  (cd "$root" && ./mvnw -q -B install -DskipTests -pl app,bench/saml-validate -am)
fi

work=$(mktemp -d)
schema=
export GATEHOUSE_PORT=$port GATEHOUSE_DATA_DIR="$work/data" GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$port"
export GATEHOUSE_BOOTSTRAP_CLIENT_ID=skc_bench GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=bench-secret-0123456789
export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)
pg_url="${BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
if [[ $postgres == 1 ]]; then
  schema="gh_acs_$(date +%s)_$$"
  psql -X -q -h 127.0.0.1 -U "${BENCH_POSTGRES_USER:-postgres}" -d test -c "create schema $schema"
  export GATEHOUSE_DATABASE_URL="$pg_url?currentSchema=$schema" GATEHOUSE_DATABASE_USER="${BENCH_POSTGRES_USER:-postgres}"
fi
"$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:-} -jar "$root/app/target/gatehouse-app.jar" start >"$work/server.log" 2>&1 &
pid=$!
cleanup() {
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  [[ -n "$schema" ]] && psql -X -q -h 127.0.0.1 -U "${BENCH_POSTGRES_USER:-postgres}" -d test -c "drop schema $schema cascade" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
echo "cpu: $(nproc) x $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo); database: $([[ $postgres == 1 ]] && echo PostgreSQL || echo H2)"
prepare=$("$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$root/bench/saml-validate/target/saml-validate.jar:$root/bench/saml-validate/target/lib/*" \
  dev.gatehouse.bench.saml.AcsBench "http://127.0.0.1:$port" "$GATEHOUSE_BOOTSTRAP_CLIENT_ID" \
  "$GATEHOUSE_BOOTSTRAP_CLIENT_SECRET" --mode "$mode" --out "$work/measured.txt" --responses "$responses" \
  --out2 "$work/warmup.txt" --responses2 "$warmup")
echo "$prepare" | grep -v '^acs_path='
acs_path=$(echo "$prepare" | sed -n 's/^acs_path=//p')

threads=$WRK_THREADS
(( concurrency < threads )) && threads=$concurrency
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sys_ticks() { awk '{ print $15 }' "/proc/$1/stat"; }
# CPU ticks per thread name (digits folded), for --threads-cpu
thread_ticks() {
  for f in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9' <"$f/comm")" "$(sed 's/.*) //' "$f/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
  done | awk -F'\t' '{ t[$1] += $2 } END { for (k in t) print k "\t" t[k] }' | LC_ALL=C sort -t$'\t' -k1,1
}
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'; }
hz=$(getconf CLK_TCK)
# run LABEL FILE: one wrk run over FILE; prints its line and the CPU split
run() {
  local label="$1" file="$2" before after wrk_cpu line sys_before sw_before
  before=$(ticks $pid) sys_before=$(sys_ticks $pid) sw_before=$(switches $pid)
  [[ $threads_cpu == 1 ]] && thread_ticks $pid >"$work/threads.before"
  : >"$work/done.txt"
  ACS_BODIES="$file" ACS_PATH="$acs_path" ACS_THREADS=$threads ACS_EXPECT=$mode ACS_DONE="$work/done.txt" \
    /usr/bin/time -f 'wrk_cpu_s=%U+%S' -o "$work/time.txt" \
    wrk -t"$threads" -c"$concurrency" -d120s --timeout 10s --latency -s "$root/bench/lib/acs.lua" "http://127.0.0.1:$port" \
    >"$work/wrk.out" 2>"$work/wrk.err" &
  local timer=$! wrk_pid=
  while kill -0 $timer 2>/dev/null; do # every thread done: SIGINT makes wrk stop and report at once
    [[ -z "$wrk_pid" ]] && wrk_pid=$(pgrep -P $timer -x wrk || true)
    if [[ -n "$wrk_pid" && $(wc -l <"$work/done.txt") -ge $threads ]]; then
      kill -INT "$wrk_pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  wait $timer || true
  line=$(grep '^rps=' "$work/wrk.out" || true)
  after=$(ticks $pid)
  local sys=$(( $(sys_ticks $pid) - sys_before )) sw=$(( $(switches $pid) - sw_before ))
  wrk_cpu=$(sed -n 's/^wrk_cpu_s=//p' "$work/time.txt" | bc -l)
  grep -v '^$' "$work/wrk.err" >&2 || true
  grep -E 'Socket errors|Non-2xx' "$work/wrk.out" >&2 || true
  local seconds
  seconds=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  awk -v l="$label" -v line="$line" -v s="${seconds:-0}" -v srv="$(( after - before ))" -v hz="$hz" -v w="$wrk_cpu" -v sys="$sys" -v sw="$sw" 'BEGIN {
    printf "%s (c%s, %s): %s\n", l, "'"$concurrency"'", "'"$mode"'", line
    if (s > 0) printf "  cpu: server %.2f cores (%.1f s, %.0f %% in the kernel, %.0f voluntary context switches/s), wrk %.2f cores (%.1f s), of %d\n", srv / hz / s, srv / hz, (srv > 0 ? 100 * sys / srv : 0), sw / s, w / s, w, '"$(nproc)"'
    if (match(line, /accepted=[0-9]+/) && (n = substr(line, RSTART + 9, RLENGTH - 9) + 0) > 0) printf "  server cpu per accepted response: %.3f ms\n", 1000 * srv / hz / n
  }'
  if [[ $threads_cpu == 1 ]]; then # server CPU seconds by thread (threads that ended during the run are missing)
    thread_ticks $pid | LC_ALL=C join -t $'\t' -a 1 - "$work/threads.before" |
      awk -F'\t' -v hz="$hz" '{ d = ($2 - $3) / hz; if (d >= 0.1) printf "    %-40s %6.1f s\n", $1, d }' | sort -k2 -t$'\t' -rn
  fi
  [[ -n "$line" ]] || { echo "wrk failed" >&2; return 1; }
}
[[ $warmup -gt 0 ]] && run "warm-up" "$work/warmup.txt"
run "measured" "$work/measured.txt"
