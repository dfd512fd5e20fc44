# Sourced by ./gatehouse, .ci/run and bench/: exports JAVA_HOME pointing at a JDK of 21 or newer.
gatehouse_java_major() {
  # The JDK's release file answers without starting a JVM (that costs ./gatehouse start ~0.2 s); java itself otherwise.
  local version
  version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "$1/release" 2>/dev/null | head -1)
  if [ -n "$version" ]; then
    echo "${version%%.*}"
    return
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
gatehouse_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-*-jdk-* /usr/lib/jvm/java-2[1-9]-* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(gatehouse_java_major "$candidate")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "gatehouse: no JDK of 21 or newer found (set JAVA_HOME)" >&2
  return 1
}
