#!/usr/bin/env bash
# What the tests need from the machine, brought by `npm test` itself (its `pretest`
# step), so the README's test command passes on a new machine. Each line names a
# program the tests run and the Debian package that provides it. Missing packages
# are installed with apt-get when we may (root, or passwordless sudo); otherwise
# this exits 1 with the list and the one command that installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

# program (or absolute path)   Debian package      used by
requirements=(
  "rabbitmq-server             rabbitmq-server     broker definitions, node services' events"
  "/usr/sbin/nats-server       nats-server         JetStream configuration, node services' events"
  "pg_ctlcluster               postgresql          generated services' databases"
  "psql                        postgresql-client   e2e tests' database set-up"
  "redis-server                redis-server        the gateway's shared rate limit"
  "tmux                        tmux                the terminal the init and add-service tests type into"
  "/usr/sbin/nginx             nginx-light         the generated nginx gateway (nginx -t, and run)"
  "git                         git                 lint --against a git revision"
)

missing=()
for line in "${requirements[@]}"; do
  read -r program package _ <<<"$line"
  if [[ "$program" == /* ]]; then [ -x "$program" ] && continue; else command -v "$program" >/dev/null 2>&1 && continue; fi
  missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(); fi
  if [ "$(id -u)" -ne 0 ] && [ "${#sudo[@]}" -eq 0 ]; then
    echo "The tests need these Debian packages, which are not installed: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing what the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The tests log in as postgres over 127.0.0.1 without a password, as this machine's cluster allows.
for hba in /etc/postgresql/*/main/pg_hba.conf; do
  [ -f "$hba" ] || continue
  [ -w "$hba" ] || continue
  if ! grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$(basename "$(dirname "$(dirname "$hba")")")" main reload 2>/dev/null || true
  fi
done
