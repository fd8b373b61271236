#!/usr/bin/env bash
# bench/run-bench.sh: the JMH micro-benchmarks of the hot pure cores (tcp_write_xmit with ACK
# processing, TSO, checksum, frame decode, payload copy, the clock's calendar).
#
#   bench/run-bench.sh                      # every benchmark, the settings in the classes
#   bench/run-bench.sh -f 1 -i 3 TcpBulk    # any JMH option and a benchmark name pattern
#   bench/run-bench.sh -l                   # list them
#
# Builds bench/target/benchmarks.jar (profile jmh; `./mvnw verify` never builds or runs it), then
# runs it. The scenario benchmark against ns-3 is `./sendpath bench` (see BENCHMARKS.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && ./mvnw -q -B -DskipTests -Pjmh -pl bench -am package) >&2
if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; else java="java"; fi
exec "$java" -jar "$root/bench/target/benchmarks.jar" "$@"
