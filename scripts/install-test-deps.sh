#!/usr/bin/env bash
# Installs what the black-box test suite (tests/blackbox) needs: pytest,
# pytest-xdist, pytest-timeout, boto3, awscli, requests, pillow, m3u8, selenium (PyPI) and curl, ffmpeg,
# chromium and chromium-driver (apt; the HLS playback and CORS upload tests drive Debian's Chromium).
# Idempotent and quick when everything is already present.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

# One interpreter start, no imports executed: find_spec only locates modules.
read -r -a missing_py <<<"$("$PYTHON" - <<'PY'
import importlib.util
wanted = {"pytest": "pytest", "xdist": "pytest-xdist", "pytest_timeout": "pytest-timeout",
          "boto3": "boto3", "requests": "requests", "awscli": "awscli", "PIL": "pillow", "m3u8": "m3u8",
          "selenium": "selenium"}
print(" ".join(pip for mod, pip in wanted.items() if importlib.util.find_spec(mod) is None))
PY
)"
if ! command -v aws >/dev/null 2>&1 && [[ " ${missing_py[*]-} " != *" awscli "* ]]; then
    missing_py+=(awscli)
fi

if ((${#missing_py[@]})); then
    echo "install-test-deps: pip installing ${missing_py[*]}"
    pip_flags=(--quiet --disable-pip-version-check)
    # Debian-style "externally managed" Pythons need this flag; harmless elsewhere.
    if "$PYTHON" -m pip install --help 2>/dev/null | grep -q -- --break-system-packages; then
        pip_flags+=(--break-system-packages)
    fi
    "$PYTHON" -m pip install "${pip_flags[@]}" "${missing_py[@]}"
fi

need_apt=()
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if ((${#need_apt[@]})); then
    echo "install-test-deps: apt-get installing ${need_apt[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${need_apt[@]}" >/dev/null
fi

echo "install-test-deps: ok"
