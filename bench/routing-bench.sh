#!/usr/bin/env bash
# Login routing by domain with many organizations (each with a domain and an enabled SAML connection):
# server-side latency of LoginRouter.route (the one indexed domain query plus the connection rows), on one thread.
#   bench/routing-bench.sh [--organizations 100000] [--warmup 5000] [--lookups 20000]
# Database: a fresh H2 file; with GATEHOUSE_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/test a fresh schema
# there (dropped at the end). Builds the store test classes and the app's runtime classpath when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; gatehouse_find_jdk

organizations=100000 warmup=5000 lookups=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --organizations) organizations=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --lookups) lookups=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [ ! -f "$root/store/target/test-classes/dev/gatehouse/store/RoutingBench.class" ] || [ ! -d "$root/app/target/lib" ] \
   || [ ! -f "$root/store/target/classes/db/migration/V0010__create_connections_domains.sql" ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -pl app -am)
fi

# Gatehouse's own modules come from their target/classes (fresh); app/target/lib supplies the libraries only.
cp="$root/store/target/test-classes:$root/store/target/classes:$root/core/target/test-classes:$root/core/target/classes"
for jar in "$root"/app/target/lib/*.jar; do
  case "$(basename "$jar")" in gatehouse-*) ;; *) cp="$cp:$jar" ;; esac
done
echo "routing-bench: $organizations organizations, $warmup warm-up and $lookups measured lookups"
exec "$JAVA_HOME/bin/java" -Xss512k -cp "$cp" dev.gatehouse.store.RoutingBench "$organizations" "$warmup" "$lookups"
