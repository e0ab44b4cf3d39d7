#!/usr/bin/env bash
# Installs what building and testing Magpie needs on Debian 12, only what is missing.
# Run as root (or with sudo). Safe to run again: it checks before it installs.
set -euo pipefail

need_apt=()
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v git >/dev/null 2>&1 || need_apt+=(git)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_apt+=(libsqlite3-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need_apt+=(zlib1g-dev)
dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || need_apt+=(libcurl4-openssl-dev)
dpkg -s libxml2-dev >/dev/null 2>&1 || need_apt+=(libxml2-dev)
# Images: libvips with its JPEG, PNG, WebP, GIF and HEIF/AVIF codecs.
dpkg -s libvips-dev >/dev/null 2>&1 || need_apt+=(libvips-dev)
# Video and audio jobs: ffmpeg and ffprobe (run as subprocesses at runtime).
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need_apt+=(ffmpeg)

if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        echo "note: add /opt/swift/usr/bin to PATH"
    else
        echo "error: the Swift 6 toolchain is required (https://swift.org/install); it is not a Debian package" >&2
        exit 1
    fi
fi
