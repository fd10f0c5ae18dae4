#!/usr/bin/env bash
# Runs COMMAND on a throwaway copy of this machine on which the Debian packages
# PACKAGES were never installed, to check what a new machine goes through,
# without touching this machine (which others may be using):
#
#   sudo test/support/new-machine.sh "nginx nginx-light nginx-common tmux kubectl unzip" \
#     'git clone /path/to/checkout /tmp/x && cd /tmp/x && npm ci && npm test'
#
# In a private mount namespace, the whole root file system is put under an
# overlay whose writable layer is a tmpfs (everything written, apt-get installs
# included, is thrown away at the end); the packages' files are deleted in the
# overlay and dpkg forgets them, so apt-get really installs them again. A
# policy-rc.d keeps installed daemons from starting. The network is this
# machine's: the local PostgreSQL, RabbitMQ, NATS and Redis, and the package
# registries, are reached as usual.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "run as root (mount namespaces and overlays need it)" >&2; exit 2; }
packages="$1"
command="$2"
scratch="$(mktemp -d /tmp/new-machine.XXXXXX)"
trap 'rmdir "$scratch" 2>/dev/null || true' EXIT

unshare --mount --propagation private bash -euo pipefail -s "$scratch" "$packages" "$command" <<'INSIDE'
scratch="$1"; packages="$2"; command="$3"
mount -t tmpfs -o size=12g tmpfs "$scratch"
mkdir "$scratch/upper" "$scratch/work" "$scratch/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/work" "$scratch/root"
root="$scratch/root"
for package in $packages; do
  dpkg -L "$package" 2>/dev/null | while read -r path; do
    # Files and their symbolic links only: never a directory, nor a link to one (/lib -> usr/lib).
    if [ ! -d "$root$path" ] && { [ -f "$root$path" ] || [ -L "$root$path" ]; }; then rm -f "$root$path"; fi
  done
  rm -f "$root/var/lib/dpkg/info/$package".* "$root/var/lib/dpkg/info/$package":*.*
  # dpkg's status file without the package's stanza.
  awk -v pkg="$package" 'BEGIN { RS = ""; ORS = "\n\n" } $0 !~ "^Package: " pkg "\n" { print }' "$root/var/lib/dpkg/status" >"$root/var/lib/dpkg/status.new"
  mv "$root/var/lib/dpkg/status.new" "$root/var/lib/dpkg/status"
done
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"
for package in $packages; do
  if chroot "$root" dpkg -s "$package" >/dev/null 2>&1; then echo "still installed: $package" >&2; exit 1; fi
done
echo "new machine: $packages not installed; running: $command"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb bash -lc "$command"
INSIDE
