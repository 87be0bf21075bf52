#!/usr/bin/env bash
# The project's two entry points (see README):
#   scripts/dev.sh run    install what is missing, build, and open the app (or, without a
#                         display, print the demo's timeline in the terminal)
#   scripts/dev.sh test   install what is missing, build, and pass the whole test suite
# Both are idempotent: a second run only rebuilds what changed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

build() {
  "$here/scripts/setup-deps.sh"
  cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$here/build" -j2
}

case "${1:-}" in
  run)
    build
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ -n "${QT_QPA_PLATFORM:-}" ]; then
      # The app opens with the default snippet loaded and plays its first run.
      exec "$here/build/bin/loopscope"
    fi
    # No screen (a server, an SSH session): show the same run in the terminal instead.
    demo="$here/engine/demo/demo.js"
    trace="$here/build/demo.lstrace"
    echo "== no display found, so here is the terminal view (the app needs DISPLAY or WAYLAND_DISPLAY)"
    echo "== running $demo on the instrumented engine"
    "$here/build/bin/loopscope-engine" run --trace "$trace" "$demo"
    echo
    echo "== what the event loop did (loopscope-engine timeline $trace)"
    "$here/build/bin/loopscope-engine" timeline "$trace"
    ;;
  test)
    build
    cd "$here/build"
    ctest --output-on-failure -j2 --timeout 300
    ;;
  *)
    echo "usage: scripts/dev.sh run|test" >&2
    exit 2
    ;;
esac
