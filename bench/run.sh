#!/usr/bin/env bash
# Cornac's benchmarks. Builds Cornac, then runs the mock API server and the operator (as shipped) and prints a report.
#   bash bench/run.sh [clusters=1000]                          scale: cold start, idle resync, spec-change latency
#   bash bench/run.sh bulk-change [clusters=1000] [pod-ms=2500]  every cluster's image changed at once (issue 16)
#   bash bench/run.sh config-change [clusters=1000] [pod-ms=2500]  the seed's minor upgrade: docker_image patched in
#                                                                  the ConfigMap, applied live, rolled as a canary
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/packages.sh
ensure_build_tools
mvn -B -ntp -q -DskipTests install >&2
mkdir -p bench/target && : > bench/target/operator.log
main=dev.cornac.bench.OperatorScaleBenchmark
if [[ "${1:-}" == "bulk-change" || "${1:-}" == "config-change" ]]; then
  how=$([[ "$1" == "config-change" ]] && echo config || echo spec)
  shift
  exec java -Xmx2g -cp "bench/target/cornac-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
    dev.cornac.bench.BulkChangeBenchmark "${1:-1000}" "$PWD" "${2:-2500}" "$how"
fi
exec java -Xmx2g -cp "bench/target/cornac-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" "$main" "${1:-1000}" "$PWD"
