#!/usr/bin/env bash
# The main job: build Cornac when needed, then bring a postgresql manifest (default: the minimal example) up as a
# real Patroni + PostgreSQL cluster on this machine, and leave it running. Stop it with
#   bin/cornac local down acid-minimal-cluster        (add --purge to remove its data)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/packages.sh
manifest="${1:-manifests/minimal-postgres-manifest.yaml}"
[ "$#" -gt 0 ] && shift

ensure_build_tools
ensure_local_components
if [ ! -f cornac-cli/target/cornac-cli.jar ] || [ -n "$(find cornac-*/src pom.xml cornac-*/pom.xml -newer cornac-cli/target/cornac-cli.jar -print -quit)" ]; then
  echo "==> building Cornac (mvn install, tests skipped)" >&2
  mvn -B -ntp -q -DskipTests install >&2
fi

# The manifest's PostgreSQL version: installed from the distribution when it has it; otherwise the newest installed
# version runs instead, and the CLI says so.
wanted="$(sed -n '/^ *postgresql:/,/version:/ s/^ *version: *"\{0,1\}\([0-9.]*\)"\{0,1\}.*/\1/p' "$manifest" | head -1)"
if [ -n "$wanted" ] && [ ! -x "/usr/lib/postgresql/$wanted/bin/postgres" ] && [ "$(id -u)" -eq 0 ] \
    && command -v apt-get >/dev/null 2>&1 && apt-cache show "postgresql-$wanted" >/dev/null 2>&1; then
  ensure_commands "/usr/lib/postgresql/$wanted/bin/postgres:postgresql-$wanted"
fi
extra=()
if [ -n "$wanted" ] && [ ! -x "/usr/lib/postgresql/$wanted/bin/postgres" ]; then
  newest="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"
  if [ -z "$newest" ]; then
    ensure_commands "/usr/lib/postgresql/15/bin/postgres:postgresql"
    newest="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  fi
  echo "==> PostgreSQL $wanted is not available here; running the installed PostgreSQL $newest instead" >&2
  extra=(--postgres-version "$newest")
fi

name="$(sed -n '/^metadata:/,/name:/ s/^ *name: *"\{0,1\}\([^" ]*\)"\{0,1\}.*/\1/p' "$manifest" | head -1)"
if bin/cornac local list 2>/dev/null | grep -Eq "^$name +running"; then
  echo "==> $name is already running; its status:" >&2
  exec bin/cornac local status "$name"
fi
exec bin/cornac local up -f "$manifest" "${extra[@]}" "$@"
