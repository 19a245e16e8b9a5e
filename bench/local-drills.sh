#!/usr/bin/env bash
# The local runtime's failure drills (docs/performance.md "Failover drills"): for the local DCS timings and tuned
# ones, each without and with synchronous mode (and synchronous_mode_strict), a 2-member `cornac local` cluster is
# drilled with a switchover, a crash (kill -9), a hang resumed and a hang killed, while a writer commits every 20 ms;
# prints a table. Uses the components the main job installs; takes 8–9 minutes on 2 cores.
#   bash bench/local-drills.sh [default/async tuned/sync-strict ...]     (default: every variant)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/packages.sh
ensure_build_tools
ensure_local_components
echo "==> building Cornac's benchmarks (mvn package, tests skipped)" >&2
mvn -B -ntp -q -DskipTests package -pl bench -am >&2
version="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"
if [ -z "$version" ]; then
  ensure_commands "/usr/lib/postgresql/15/bin/postgres:postgresql"
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
fi
# Absolute: the supervisor the runtime starts runs with this class path, from the cluster's directory.
exec java -cp "$PWD/bench/target/cornac-bench-0.1.0-SNAPSHOT.jar:$PWD/bench/target/lib/*" dev.cornac.bench.LocalDrills "$version" "$@"
