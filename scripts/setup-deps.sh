#!/usr/bin/env bash
# Installs what Loopscope needs to build, without touching the machine's own `nodejs`.
#
# Debian's libnode-dev cannot be installed through apt on machines that carry a third-party
# `nodejs` package (node-acorn, a dependency, wants `nodejs:any`). So libnode and the four
# JavaScript packages it reads at start-up are downloaded with `apt-get download` and unpacked
# with `dpkg -x` into .deps/node/ (a project-local prefix); nothing is registered with dpkg, and
# `apt-get check` stays clean. Idempotent: a second run only checks.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prefix="$here/.deps/node"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Everything apt can install normally: the build tools, libuv's static archive, Qt, QCustomPlot,
# GoogleTest, RE2 (lesson output patterns), libnode's own shared-library dependencies, and ffmpeg
# (File ▸ Export ▸ Replay as video, --export-video: the app pipes its frames to the program).
apt_packages=(cmake g++ make pkg-config ccache binutils libuv1-dev qt6-base-dev qt6-svg-dev
              libqcustomplot-dev libgtest-dev libre2-dev libbrotli1 libc-ares2 libicu72
              libnghttp2-14 libssl-dev zlib1g fonts-dejavu-core bubblewrap ffmpeg)
# `scripts/dev.sh fuzz` (and LOOPSCOPE_FUZZ=1 here) also needs clang with libFuzzer; the
# default build does not.
if [ "${LOOPSCOPE_FUZZ:-0}" = 1 ]; then apt_packages+=(clang-14 libclang-rt-14-dev); fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# libnode 108 (Node 18.20.4, V8 10.2) into the project-local prefix.
node_packages=(libnode108 libnode-dev node-acorn node-cjs-module-lexer node-undici)
stamp="$prefix/.unpacked"
if [ ! -f "$stamp" ] || [ ! -f "$prefix/usr/lib/x86_64-linux-gnu/libnode.so.108" ]; then
  echo "setup: unpacking libnode into $prefix"
  rm -rf "$prefix"; mkdir -p "$prefix/debs"
  ( cd "$prefix/debs" && apt-get download "${node_packages[@]}" >/dev/null 2>&1 ) || {
    sudo_if_needed apt-get update -qq
    ( cd "$prefix/debs" && apt-get download "${node_packages[@]}" >/dev/null )
  }
  for deb in "$prefix"/debs/*.deb; do dpkg -x "$deb" "$prefix"; done
  rm -rf "$prefix/debs"
  touch "$stamp"
fi
