# Shared by the README's commands: install missing Debian packages when running as root on Debian/Ubuntu,
# otherwise say exactly what to install.
ensure_commands() {
  # usage: ensure_commands "cmd:package" ...
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair#*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
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
