#!/usr/bin/env bash
# The main job: build Cornac when needed and render the complete example into its Kubernetes objects.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/packages.sh
ensure_build_tools
if [ ! -f cornac-cli/target/cornac-cli.jar ] || [ -n "$(find cornac-*/src pom.xml cornac-*/pom.xml -newer cornac-cli/target/cornac-cli.jar -print -quit)" ]; then
  echo "==> building Cornac (mvn package, tests skipped)" >&2
  mvn -B -ntp -q -DskipTests install >&2
fi
exec bin/cornac render -f manifests/complete-postgres-manifest.yaml --config manifests/configmap.yaml "$@"
