#!/usr/bin/env bash
# Operator scale benchmark (issue 9): bash bench/run.sh [clusters=1000]
# Builds Cornac, then runs the mock API server and the operator (as shipped) over N clusters and prints a report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/packages.sh
ensure_build_tools
mvn -B -ntp -q -DskipTests install >&2
mkdir -p bench/target && : > bench/target/operator.log
exec java -Xmx2g -cp "bench/target/cornac-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.cornac.bench.OperatorScaleBenchmark "${1:-1000}" "$PWD"
