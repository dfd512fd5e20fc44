#!/usr/bin/env bash
# Raw RS256 signatures per second on one thread: OpenSSL through FFM, Conscrypt, the JDK (bench/rsa-sign/),
# then `openssl speed rsa2048` for the same seconds, the ceiling the token endpoint is measured against.
#   bench/rsa-sign.sh                          # 2 s warm-up, 3 s per engine
#   bench/rsa-sign.sh --warmup 1 --seconds 1   # quick check that it works
# Options are passed to RsaSignBench (--warmup S, --seconds S, --engines openssl,conscrypt,jdk).
# GATEHOUSE_LIBCRYPTO: a libcrypto to use instead of the system's libcrypto.so.3.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
gatehouse_find_jdk
if [[ ! -f bench/rsa-sign/target/rsa-sign.jar || "${REBUILD:-0}" == 1 ]]; then
  ./mvnw -B -q package -pl bench/rsa-sign -am -DskipTests
fi
seconds=3
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[$i]}" == --seconds ]] && seconds="${args[$((i + 1))]}"
done
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms64m -Xmx64m --enable-native-access=ALL-UNNAMED \
  -jar bench/rsa-sign/target/rsa-sign.jar "$@"
if command -v openssl >/dev/null; then
  echo "# openssl speed -seconds ${seconds%.*} rsa2048 ($(openssl version))"
  openssl speed -seconds "${seconds%.*}" rsa2048 2>/dev/null | awk '/^rsa 2048/ {printf "openssl-speed %8.0f sign/s\n", $6}'
fi
