#!/usr/bin/env bash
# scripts/check-package.sh DEB — check a Loopscope Debian package without installing it (CI runs
# it after `scripts/dev.sh package`). It unpacks DEB with `dpkg -x` into a scratch root and runs
# the packaged programs from there, with no LD_LIBRARY_PATH and no LOOPSCOPE_* overrides: the
# engine must find libnode through its RPATH ($ORIGIN) and the lessons and Node's builtins
# relative to itself, exactly as it will in /usr. Prints each check; exits 1 on the first failure.
set -euo pipefail

usage() { echo "usage: scripts/check-package.sh DEB   (build one with: scripts/dev.sh package)" >&2; exit 2; }
[ $# -eq 1 ] || usage
deb=$1
if [ ! -f "$deb" ] || [ ! -r "$deb" ]; then
  echo "check-package: '$deb' is not a readable file; build the package with scripts/dev.sh package." >&2
  exit 2
fi
for tool in dpkg-deb readelf; do
  command -v "$tool" >/dev/null || { echo "check-package: '$tool' is missing (sudo apt-get install dpkg binutils)." >&2; exit 2; }
done

root=$(mktemp -d "${TMPDIR:-/tmp}/loopscope-check-package.XXXXXX")
trap 'rm -rf "$root"' EXIT
checks=0
pass() { checks=$((checks + 1)); echo "ok   $*"; }
die() { echo "FAIL $*" >&2; exit 1; }

# Programs run with a clean slate: nothing may help them find their files but the package itself.
clean_env=(env -u LD_LIBRARY_PATH -u LOOPSCOPE_NODE_SHARE -u LOOPSCOPE_LESSONS -u LOOPSCOPE_ENGINE
           -u LOOPSCOPE_SANDBOX)
# The programs' last resort is the source tree they were built from (lessons/, .deps/node). On a
# build machine it exists and would hide a file missing from the package, so the checks run with
# this checkout covered by an empty folder (bubblewrap, which the package depends on anyway).
here=$(cd "$(dirname "$0")/.." && pwd)
case "$root/" in
  "$here"/*) echo "check-package: the scratch folder $root lies inside the checkout $here; set TMPDIR elsewhere." >&2; exit 2 ;;
esac
if command -v bwrap >/dev/null && bwrap --dev-bind / / --tmpfs "$here" true 2>/dev/null; then
  clean_env=(bwrap --dev-bind / / --tmpfs "$here" "${clean_env[@]}")
  hidden="the checkout $here hidden"
else
  hidden="WARNING: bwrap cannot run here, so the checkout $here stays visible and its lessons/ and .deps/ could mask a file missing from the package"
fi

echo "== $deb ($(du -h "$deb" | cut -f1), $(stat -c %s "$deb") bytes)"
info=$(dpkg-deb --info "$deb") || die "dpkg-deb cannot read '$deb': it is not a Debian package."
echo "$info" | grep -E '^ (Package|Version|Architecture|Installed-Size|Depends):' | sed 's/^ /     /'
depends=$(echo "$info" | sed -n 's/^ Depends: //p')
for needed in libbrotli1 libc-ares2 libicu72 libnghttp2-14 libssl3 zlib1g libuv1 libqt6widgets6 libqt6svg6 \
              libqcustomplot2.1-qt6 libre2-9 bubblewrap fonts-dejavu-core; do
  [[ ", $depends," == *", $needed"[\ ,]* ]] || die "the package does not depend on $needed (Depends: $depends)."
done
pass "Depends names libnode's libraries, Qt 6, QCustomPlot, RE2, bubblewrap and the fonts"

# Nothing may land where Debian's libnode108 or any nodejs package puts its files.
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
clashes=$(echo "$contents" | grep -E '^\./usr/(lib/x86_64-linux-gnu/libnode|share/nodejs/|bin/node$|include/node/)' || true)
[ -z "$clashes" ] || die "the package installs files that belong to Debian's libnode108/nodejs: $clashes"
pass "no file collides with libnode108 or nodejs ($(echo "$contents" | grep -vc '/$') files)"

dpkg-deb -x "$deb" "$root"
echo "     running the packaged programs from $root with no LD_LIBRARY_PATH or LOOPSCOPE_* variables, $hidden"
for file in usr/bin/loopscope usr/bin/loopscope-engine usr/lib/loopscope/loopscope-engine \
            usr/lib/loopscope/libnode.so.108 usr/share/applications/loopscope.desktop \
            usr/share/icons/hicolor/scalable/apps/loopscope.svg usr/share/man/man1/loopscope-engine.1 \
            usr/share/loopscope/nodejs/acorn/dist/acorn.js usr/share/loopscope/nodejs/acorn-walk/dist/walk.js \
            usr/share/loopscope/nodejs/cjs-module-lexer/lexer.js \
            usr/share/loopscope/nodejs/cjs-module-lexer/dist/lexer.js \
            usr/share/loopscope/nodejs/undici/undici-fetch.js; do
  [ -e "$root/$file" ] || die "/$file is missing from the package."
done
lessons=$(find "$root/usr/share/loopscope/lessons" -mindepth 1 -maxdepth 1 -type d | wc -l)
[ "$lessons" -gt 0 ] || die "/usr/share/loopscope/lessons holds no lessons."
pass "app, engine, libnode, desktop entry, icon, man page, Node's 5 builtins and $lessons lessons are in place"

engine="$root/usr/lib/loopscope/loopscope-engine"
runpath=$(readelf -d "$engine" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p; s/.*(RPATH).*\[\(.*\)\]/\1/p')
[ "$runpath" = '$ORIGIN' ] || die "the engine's RPATH is '$runpath', not \$ORIGIN: it would not find its libnode."
libnode=$("${clean_env[@]}" ldd "$engine" | awk '$1 == "libnode.so.108" {print $3}')
[ "$libnode" = "$root/usr/lib/loopscope/libnode.so.108" ] ||
  die "the engine loads libnode from '${libnode:-nowhere}', not from its own folder."
if "${clean_env[@]}" ldd "$engine" "$root/usr/bin/loopscope" | grep -q 'not found'; then
  die "a library is missing: $("${clean_env[@]}" ldd "$engine" "$root/usr/bin/loopscope" | grep 'not found' | sort -u | tr -s ' \t' ' ')"
fi
pass "RPATH \$ORIGIN: the engine loads the packaged libnode; every library of both programs resolves"

version=$("${clean_env[@]}" "$root/usr/bin/loopscope-engine" --version) ||
  die "the packaged engine does not start (through /usr/bin/loopscope-engine)."
pass "/usr/bin/loopscope-engine --version: $version"
man -l "$root/usr/share/man/man1/loopscope-engine.1" >/dev/null 2>&1 || ! command -v man >/dev/null ||
  die "man cannot format loopscope-engine.1."

# A snippet that touches the loop's phases, the thread pool and a builtin libnode reads from
# /usr/share/nodejs (Headers loads undici): the redirect must find the packaged copy.
mkdir -p "$root/work"
snippet="$root/work/check.js"
cat >"$snippet" <<'EOF'
const fs = require('fs');
setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
fs.readFile(__filename, () => console.log('readFile'));
process.nextTick(() => console.log('tick'));
console.log('headers', new Headers({ a: '1' }).get('a'));
EOF
out=$(cd "$root/work" && "${clean_env[@]}" "$engine" run --trace "$root/work/check.lstrace" "$snippet" 2>&1) ||
  die "the packaged engine failed on a snippet: $out"
grep -qx 'headers 1' <<<"$out" || die "the snippet's output lacks 'headers 1' (undici not loaded?): $out"
for line in tick timeout immediate readFile; do
  grep -qx "$line" <<<"$out" || die "the snippet's output lacks '$line': $out"
done
pass "engine run --trace: the snippet ran, loaded undici from the package, and wrote $(stat -c %s "$root/work/check.lstrace") bytes of trace"
summary=$("${clean_env[@]}" "$engine" info "$root/work/check.lstrace" 2>&1) || die "info cannot read the packaged engine's trace: $summary"
grep -qi 'node' <<<"$summary" || die "info's summary names no Node version: $summary"
pass "engine info reads the trace ($(wc -l <<<"$summary") lines of summary)"

app="$root/usr/bin/loopscope"
state="$root/work/state.json"
appout=$(cd "$root/work" && QT_QPA_PLATFORM=offscreen "${clean_env[@]}" "$app" --run "$snippet" --at end --dump-state "$state" 2>&1) ||
  die "the packaged app failed to run the snippet offscreen: $appout"
[ -s "$state" ] || die "the packaged app wrote no state to $state: $appout"
pass "app --run SNIPPET --at end --dump-state: $(stat -c %s "$state") bytes of state (engine found beside the app)"
first_lesson=$(basename "$(find "$root/usr/share/loopscope/lessons" -mindepth 1 -maxdepth 1 -type d | sort | head -1)")
lessonout=$(cd "$root/work" && QT_QPA_PLATFORM=offscreen "${clean_env[@]}" "$app" --lesson "$first_lesson" --at end \
            --dump-state "$root/work/lesson.json" 2>&1) ||
  die "the packaged app cannot run its built-in lesson '$first_lesson': $lessonout"
pass "app --lesson $first_lesson: the app finds the packaged lessons"

echo "== $checks checks passed: $deb"
