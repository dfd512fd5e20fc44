#!/usr/bin/env bash
# SAML response validations per second, in process (no HTTP): see bench/saml-validate/.
#   bench/saml-validate.sh                       # 1 and 2 threads, 10 s warm-up, 20 s each
#   bench/saml-validate.sh --warmup 2 --seconds 3 # quick check that it works
# Extra options are passed to SamlValidateBench (--threads "1 2", --warmup S, --seconds S).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -f bench/saml-validate/target/saml-validate.jar || "${REBUILD:-0}" == 1 ]]; then
  ./mvnw -B -q package -pl bench/saml-validate -am -DskipTests
fi
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xms256m -Xmx256m -jar bench/saml-validate/target/saml-validate.jar "$@"
