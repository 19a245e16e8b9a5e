# Shared by the README's commands: install missing Debian packages when running as root on Debian/Ubuntu,
# otherwise say exactly what to install.
ensure_commands() {
  # usage: ensure_commands "cmd:package" ...
  # a "cmd" that starts with / is a file that must exist
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair#*:}"
    if [ "${cmd#/}" != "$cmd" ]; then
      [ -e "$cmd" ] || missing+=("$pkg")
    else
      command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing ${missing[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: missing ${missing[*]}; install them (Debian/Ubuntu: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
}

ensure_build_tools() {
  ensure_commands "java:openjdk-17-jdk-headless" "mvn:maven"
}

# What a local cluster runs (cornac local): Patroni with its etcd3 and psycopg2 modules, etcd, PgBouncer, pgBackRest,
# postgres_exporter, psql and setpriv.
ensure_local_components() {
  ensure_commands "patroni:patroni" "etcd:etcd-server" "/usr/sbin/pgbouncer:pgbouncer" \
    "/usr/bin/prometheus-postgres-exporter:prometheus-postgres-exporter" \
    "/usr/lib/python3/dist-packages/etcd/__init__.py:python3-etcd" \
    "/usr/lib/python3/dist-packages/psycopg2/__init__.py:python3-psycopg2" "psql:postgresql-client" \
    "setpriv:util-linux" "pgbackrest:pgbackrest"
}

# Real data-plane components the tests start on 127.0.0.1 (docs/testing.md), promtool to
# check the operator's metrics, Chromium with its driver for the UI's browser tests, openssl for test certificates.
ensure_test_components() {
  ensure_commands "/usr/lib/postgresql/15/bin/postgres:postgresql-15" "etcdctl:etcd-client" "promtool:prometheus" \
    "chromium:chromium" "/usr/bin/chromedriver:chromium-driver" "openssl:openssl"
  ensure_local_components
}
