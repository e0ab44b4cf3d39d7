#!/usr/bin/env bash
# Installs what the benchmark needs besides Magpie itself: nginx (with the WebDAV module) and wrk.
# Idempotent: installs only what is missing, and runs `apt-get update` only when it has to install.
set -euo pipefail

has_dav() { command -v nginx >/dev/null 2>&1 && nginx -V 2>&1 | grep -q -- '--with-http_dav_module'; }

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
has_dav || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "bench: missing ${need[*]}; run as root (or install them) first" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "bench: installing ${need[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if ! has_dav; then
    # nginx-light without the DAV module on this release: the regular build has it.
    apt-get install -y -qq --no-install-recommends nginx >/dev/null
fi
has_dav || { echo "bench: no nginx with the WebDAV module could be installed" >&2; exit 1; }
