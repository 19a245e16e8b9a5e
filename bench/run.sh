#!/usr/bin/env bash
# Cornac's benchmarks. Builds Cornac, then runs the mock API server and the operator (as shipped) and prints a report.
#   bash bench/run.sh [clusters=1000] [grow-to]                scale: cold start, idle resync, spec-change latency,
#                                                              memory (and, with grow-to, memory per 1000 clusters)
#   bash bench/run.sh bulk-change [clusters=1000] [pod-ms=2500]  every cluster's image changed at once (issue 16)
#   bash bench/run.sh config-change [clusters=1000] [pod-ms=2500]  the seed's minor upgrade: docker_image patched in
#                                                                  the ConfigMap, applied live, rolled as a canary
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/packages.sh
ensure_build_tools
mvn -B -ntp -q -DskipTests install >&2
mkdir -p bench/target && : > bench/target/operator.log
# The API server (this benchmark's JVM) and the operator on different cores, so that the operator's CPU time and the
# API server's are not mixed (issue 20): the operator gets the last core, the API server the others. BENCH_PIN=0 shares.
pin=()
cores=$(nproc)
if [[ "${BENCH_PIN:-1}" != 0 && "$cores" -ge 2 ]] && command -v taskset >/dev/null; then
  export BENCH_API_CPUS="0-$((cores - 2))" BENCH_OPERATOR_CPUS="$((cores - 1))"
  pin=(taskset -c "$BENCH_API_CPUS")
fi
main=dev.cornac.bench.OperatorScaleBenchmark
if [[ "${1:-}" == "bulk-change" || "${1:-}" == "config-change" ]]; then
  how=$([[ "$1" == "config-change" ]] && echo config || echo spec)
  shift
  exec "${pin[@]}" java -Xmx2g -cp "bench/target/cornac-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
    dev.cornac.bench.BulkChangeBenchmark "${1:-1000}" "$PWD" "${2:-2500}" "$how"
fi
exec "${pin[@]}" java -Xmx2g -cp "bench/target/cornac-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" "$main" "${1:-1000}" "$PWD" \
  "${2:-0}"
