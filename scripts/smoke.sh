#!/usr/bin/env bash
# Smoke test of the README's first command: ./gatehouse start on the embedded default, then a
# token, an organization over REST, and a graceful stop (SIGTERM drains and exits 0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
port="${SMOKE_PORT:-18080}"
export GATEHOUSE_PORT="$port" GATEHOUSE_DATA_DIR="$work/data" GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$port"
export GATEHOUSE_BOOTSTRAP_CLIENT_ID="skc_smoke" GATEHOUSE_BOOTSTRAP_CLIENT_SECRET="smoke-secret-$(date +%s%N)"

"$root/gatehouse" start >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$work"' EXIT

ready=0
# Up to 3 minutes: after a build, ./gatehouse first records the JVM's start-up cache (D-ST3, ~20-60 s on CI).
for _ in $(seq 1 360); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then ready=1; break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.5
done
if [ "$ready" != 1 ]; then
  echo "smoke: server did not become ready"; cat "$work/server.log"; exit 1
fi

token=$(curl -sf -X POST "http://127.0.0.1:$port/oauth/token" \
  -d grant_type=client_credentials -d "client_id=$GATEHOUSE_BOOTSTRAP_CLIENT_ID" \
  -d "client_secret=$GATEHOUSE_BOOTSTRAP_CLIENT_SECRET" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "smoke: no access token"; exit 1; }

status=$(curl -s -o "$work/org.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/organizations" \
  -H "authorization: Bearer $token" -H 'content-type: application/json' -d '{"display_name":"Smoke Co"}')
grep -q '"id":"org_' "$work/org.json" && [ "$status" = 201 ] || { echo "smoke: create failed ($status)"; cat "$work/org.json"; exit 1; }

kill -TERM $pid
for _ in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
if kill -0 $pid 2>/dev/null; then echo "smoke: server did not stop on SIGTERM"; exit 1; fi
wait $pid || code=$?
grep -q "Stopped" "$work/server.log" || { echo "smoke: no graceful stop in the log"; cat "$work/server.log"; exit 1; }
echo "smoke: 4 passed, 0 failed"
