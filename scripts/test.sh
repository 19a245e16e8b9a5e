#!/usr/bin/env bash
# The whole test suite. Installs what the tests need when it is missing (as root on Debian), then runs Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/packages.sh
ensure_build_tools
ensure_test_components
if [ ! -d ../shared/upstream-examples ]; then
  echo "error: ../shared/upstream-examples is missing; the compatibility tests read upstream's example manifests there" >&2
  exit 2
fi
exec mvn -B -ntp verify "$@"
