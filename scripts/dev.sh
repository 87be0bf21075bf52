#!/usr/bin/env bash
# The project's two entry points (see README):
#   scripts/dev.sh run    install what is missing, build, and open the app (or, without a
#                         display, print the demo's timeline in the terminal)
#   scripts/dev.sh test   install what is missing, build, and pass the whole test suite
# Both are idempotent: a second run only rebuilds what changed. For developers:
#   scripts/dev.sh fuzz [SECONDS]   build the libFuzzer targets (tests/fuzz) with clang in
#                                   build-fuzz/, run the library's unit tests under ASan+UBSan,
#                                   then each target for SECONDS (default 60) on its corpus
#   scripts/dev.sh conformance ...  scripts/conformance.sh with the same arguments
#   scripts/dev.sh package          build and make the Debian package build/loopscope_*.deb
#                                   (install: sudo apt install ./build/loopscope_*.deb;
#                                   check it without installing: scripts/check-package.sh DEB)
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
  fuzz)
    seconds="${2:-60}"
    case "$seconds" in
      ''|*[!0-9]*) echo "dev.sh fuzz: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;;
    esac
    LOOPSCOPE_FUZZ=1 "$here/scripts/setup-deps.sh"
    cmake -S "$here/tests/fuzz" -B "$here/build-fuzz" -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
    cmake --build "$here/build-fuzz" -j2
    echo '*' > "$here/build-fuzz/.gitignore"  # build output, like build/
    # Each target mutates a scratch copy of its committed seeds, so the repository's corpus only
    # changes when someone chooses to add a finding to it. Crash inputs land in build-fuzz/.
    status=0
    # The unit tests of the readers and the analysis under ASan + UBSan first: the fuzz targets
    # explore inputs, these pin the cases we know.
    echo "== unit tests of the Qt-free libraries under AddressSanitizer + UndefinedBehaviorSanitizer"
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$here/build-fuzz/sanitized-unit-tests" \
      --gtest_brief=1 || status=1
    for target in trace-decoder trace-analysis lessons; do
      seeds="$here/tests/fuzz/corpus/${target%%-*}"
      work="$here/build-fuzz/corpus-$target"
      mkdir -p "$work"
      echo "== fuzz-$target for ${seconds}s (seeds: $seeds)"
      "$here/build-fuzz/fuzz-$target" -max_total_time="$seconds" -max_len=65536 -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$here/build-fuzz/$target-" \
        "$work" "$seeds" || status=1
    done
    exit $status
    ;;
  package)
    # Only the two programs the package holds, not the tests: cpack does not build anything
    # itself (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY in CMakeLists.txt), it installs what is built.
    "$here/scripts/setup-deps.sh"
    cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$here/build" -j2 --target loopscope loopscope-engine
    cd "$here/build"
    rm -f loopscope_*.deb
    cpack -G DEB >/dev/null
    ls "$here"/build/loopscope_*.deb
    ;;
  conformance)
    shift
    exec "$here/scripts/conformance.sh" "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run|test|fuzz [SECONDS]|conformance [ARGS...]|package" >&2
    exit 2
    ;;
esac
