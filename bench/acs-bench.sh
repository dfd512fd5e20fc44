#!/usr/bin/env bash
# Signed-assertion validations per second over HTTP at the SAML ACS (POST /sso/v1/saml/{id}/callback).
#   bench/acs-bench.sh                                   # 30,000 responses, concurrency 16 (target >= 1,500/s)
#   bench/acs-bench.sh --responses 200 --concurrency 4   # quick check that it works
#   bench/acs-bench.sh --responses 30000 --concurrency 16 --mode validate   # without the idp_initiated_login JWT signing
# Starts its own Gatehouse (fresh H2 data dir, port 18091) from app/target, builds what is missing.
# Options go to AcsBench (bench/saml-validate): --responses N (pre-generated, distinct assertion IDs),
# --concurrency C (client threads), --mode token (default: full IdP-initiated success, incl. the JWT's RSA signature)
# or validate (validation + replay insert, then refused: no redirect target). The responses are generated right before the run: they expire after 5 min.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; gatehouse_find_jdk
port=${ACS_BENCH_PORT:-18091}
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--responses 30000 --concurrency 16)

if [ ! -f "$root/app/target/gatehouse-app.jar" ] || [ ! -f "$root/bench/saml-validate/target/saml-validate.jar" ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -pl app,bench/saml-validate -am)
fi

work=$(mktemp -d)
export GATEHOUSE_PORT=$port GATEHOUSE_DATA_DIR="$work/data" GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$port"
export GATEHOUSE_BOOTSTRAP_CLIENT_ID=skc_bench GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=bench-secret-0123456789
export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)
"$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:-} -jar "$root/app/target/gatehouse-app.jar" start >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
echo "cpu: $(nproc) x $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo)"
"$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$root/bench/saml-validate/target/saml-validate.jar:$root/bench/saml-validate/target/lib/*" \
  dev.gatehouse.bench.saml.AcsBench "http://127.0.0.1:$port" "$GATEHOUSE_BOOTSTRAP_CLIENT_ID" \
  "$GATEHOUSE_BOOTSTRAP_CLIENT_SECRET" "${args[@]}"
