# Sourced by ./gatehouse and bench/audit-overhead.sh: the server's default JVM heap and collector options.
# G1 sizes its young generation to the load and gives memory back when idle (docs/DECISIONS.md D-GC2): the serial
# collector's fixed ~10 MB young generation cost logins half their throughput. A periodic collection every 2 s of
# idleness and the free ratios return a grown heap to the OS, keeping idle RSS where the serial collector's was.
# shellcheck disable=SC2034 # used by the scripts that source this file
GATEHOUSE_JVM_DEFAULTS="-XX:+UseG1GC -XX:G1PeriodicGCInterval=2000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -Xms32m"
