#!/usr/bin/env bash
# Installs what the benchmark needs besides Magpie itself: nginx (with the WebDAV module) and wrk, and for
# the image phase thumbor from PyPI (with OpenCV, for smart crops) in a venv of its own, bench/.venv, so
# the system Python is left alone.
# Idempotent: installs only what is missing, and runs `apt-get update` only when it has to install.
set -euo pipefail
cd "$(dirname "$0")/.."

THUMBOR_VERSION=7.8.0
VENV=bench/.venv

has_dav() { command -v nginx >/dev/null 2>&1 && nginx -V 2>&1 | grep -q -- '--with-http_dav_module'; }
has_venv() { python3 -c 'import ensurepip, venv' >/dev/null 2>&1; }
has_thumbor() {
    "$VENV/bin/python" -c "import importlib.metadata as m, cv2, thumbor
assert m.version('thumbor') == '$THUMBOR_VERSION'" >/dev/null 2>&1
}

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
has_dav || need+=(nginx-light)
has_thumbor || has_venv || need+=(python3-venv)

if [ ${#need[@]} -gt 0 ]; then
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
fi

if ! has_thumbor; then
    echo "bench: installing thumbor $THUMBOR_VERSION (with OpenCV) into $VENV"
    if [ -f "$VENV/pyvenv.cfg" ]; then rm -rf "$VENV"; fi
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "thumbor[opencv]==$THUMBOR_VERSION"
    has_thumbor || { echo "bench: thumbor could not be installed into $VENV" >&2; exit 1; }
fi
