#!/usr/bin/env bash
# Node's own tests, run on Debian's node 18.20.4 and on loopscope-engine untraced and traced.
#
#   scripts/conformance.sh [--jobs 1|2] [--timeout SECONDS] [--only REGEX] [--keep-traces]
#   scripts/conformance.sh --report      print the report of the last run again
#
# 1. Through a private apt configuration under build/conformance/apt (its own sources list with
#    deb-src lines for bookworm and bookworm-security, its own state and cache; /etc/apt is never
#    read for sources nor written), it fetches Debian's `nodejs` source package of the version
#    libnode came from (`apt-get source`) and unpacks it (`dpkg-source -x`), once; and Debian's
#    `nodejs` binary package of that version (`apt-get download`, `dpkg -x`): the reference node.
# 2. The reference node is a copy of /usr/bin/node from that package, pointed at the libnode
#    that scripts/setup-deps.sh unpacked (rpath) and given a small preloaded library (DT_NEEDED,
#    added with patchelf, itself unpacked from Debian's package) that redirects libnode's reads
#    of /usr/share/nodejs to .deps/node/usr/share/nodejs, as the engine itself does. Both are
#    in the binary, not in the environment, so children that tests start with `env: {}` work.
# 3. Every test named in tests/conformance/selection.txt runs three times, each under a time
#    limit, at most two tests at once: `node TEST`, `loopscope-engine TEST` and
#    `loopscope-engine run --trace T TEST`, each with the test's own `// Flags:` (the traced run
#    gets them through --node-options). A test passes when it exits 0, as in Node's test runner.
# 4. It prints `N passed, M failed` per mode, then every test whose result differs between the
#    modes, traced runs that exited 0 with an engine line on stderr, traced runs in which Node's
#    test harness restarted the test in a child because a flag was missing, and tests whose
#    stdout differs from node's. Results stay in build/conformance/results.
#
# The first run downloads about 30 MB and unpacks the source (a minute or two); a full run of the
# selection takes about 20 minutes on a 2-core machine. It is not part of scripts/dev.sh test.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work="$here/build/conformance"
selection="$here/tests/conformance/selection.txt"
engine="$here/build/bin/loopscope-engine"
libdir="$here/.deps/node/usr/lib/x86_64-linux-gnu"
share="$here/.deps/node/usr/share/nodejs"
jobs=2
timeout_s=90
only=""
keep_traces=0
report_only=0

say() { echo "conformance: $*" >&2; }
die() { echo "conformance: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) [ $# -ge 2 ] || die "--jobs needs 1 or 2"; jobs=$2; shift 2 ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs a number of seconds"; timeout_s=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || die "--only needs a regular expression"; only=$2; shift 2 ;;
    --keep-traces) keep_traces=1; shift ;;
    --report) report_only=1; shift ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (usage: scripts/conformance.sh [--jobs 1|2] [--timeout S] [--only REGEX] [--keep-traces])" ;;
  esac
done
case "$jobs" in 1|2) ;; *) die "--jobs must be 1 or 2 (the machine is shared), not '$jobs'" ;; esac
[[ "$timeout_s" =~ ^[0-9]+$ ]] && [ "$timeout_s" -gt 0 ] || die "--timeout must be a whole number of seconds, not '$timeout_s'"
[ -f "$selection" ] || die "the selection $selection is missing"
[ -f "$libdir/libnode.so.108" ] || die "libnode is not unpacked: run scripts/setup-deps.sh first"
for tool in apt-get dpkg dpkg-source cc timeout; do
  command -v "$tool" >/dev/null || die "'$tool' is needed (Debian: apt-get install dpkg-dev gcc coreutils)"
done
if [ ! -x "$engine" ]; then
  say "building loopscope-engine"
  cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$here/build" -j2 --target loopscope-engine >/dev/null
fi

# --- 1. a private apt: own sources, state and cache, nothing under /etc/apt --------------------
apt_root="$work/apt"
mkdir -p "$apt_root"/etc/{sources.list.d,apt.conf.d,preferences.d,trusted.gpg.d} \
         "$apt_root"/state/lists/partial "$apt_root"/cache/archives/partial
touch "$apt_root/state/status"
cat > "$apt_root/etc/sources.list.d/debian.sources" <<'EOF'
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cat > "$apt_root/apt.conf" <<EOF
Dir::Etc "$apt_root/etc";
Dir::Etc::sourcelist "/dev/null";
Dir::Etc::sourceparts "$apt_root/etc/sources.list.d";
Dir::Etc::parts "$apt_root/etc/apt.conf.d";
Dir::Etc::preferencesparts "$apt_root/etc/preferences.d";
Dir::Etc::trustedparts "$apt_root/etc/trusted.gpg.d";
Dir::State "$apt_root/state";
Dir::State::status "$apt_root/state/status";
Dir::Cache "$apt_root/cache";
APT::Architecture "amd64";
APT::Sandbox::User "$(id -un)";
EOF
export APT_CONFIG="$apt_root/apt.conf"
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || die "Debian's archive keyring is missing (apt-get install debian-archive-keyring)"
if [ -z "$(find "$apt_root/state/lists" -maxdepth 1 -name '*Sources*' -mtime -7 2>/dev/null)" ]; then
  say "reading Debian's package lists (private apt configuration in $apt_root)"
  apt-get update -qq >/dev/null || die "apt-get update failed with the private configuration in $apt_root"
fi

# The version libnode came from is the one to test against.
# (sed reads the whole changelog: a reader that stops early would end zcat with SIGPIPE.)
version=$(zcat "$here/.deps/node/usr/share/doc/libnode108/changelog.Debian.gz" | sed -n '1s/^nodejs (\([^)]*\)).*/\1/p')
[ -n "$version" ] || die "cannot tell libnode's version from .deps/node/usr/share/doc/libnode108"
upstream=${version%%[-+]*}  # 18.20.4

# --- 2. Node's tests from Debian's source package -------------------------------------------
src_dir="$work/source"
if [ ! -f "$src_dir/.unpacked" ]; then
  rm -rf "$work/source.download" "$src_dir"
  mkdir -p "$work/source.download"
  got=""
  # The security archive does not always keep the .dsc of its newest upload; the previous
  # revision of the same upstream release has the same test/ tree.
  for candidate in "$version" $(apt-cache showsrc nodejs 2>/dev/null | sed -n 's/^Version: //p' | grep "^$upstream" | grep -vxF "$version" | sort -u -r -V); do
    if (cd "$work/source.download" && apt-get source --download-only -qq "nodejs=$candidate" >/dev/null 2>"$work/source.download/apt.err"); then
      got=$candidate
      break
    fi
    say "apt-get source nodejs=$candidate failed: $(grep -m1 '^E:' "$work/source.download/apt.err" || true)"
  done
  [ -n "$got" ] || die "no nodejs $upstream source package could be fetched (see $work/source.download/apt.err)"
  [ "$got" = "$version" ] || say "using the source of nodejs $got (libnode is $version; same upstream $upstream)"
  say "unpacking nodejs $got"
  (cd "$work/source.download" && dpkg-source --no-check -x ./*.dsc "$src_dir" >/dev/null)
  echo "$got" > "$src_dir/.unpacked"
  rm -rf "$work/source.download"
fi
[ -f "$src_dir/test/common/index.js" ] || die "the unpacked source in $src_dir has no test/common; delete it and run again"

# --- 3. the reference node ------------------------------------------------------------------
ref="$work/reference"
node_ref="$ref/node"
if [ ! -x "$node_ref" ] || ! env -i "$node_ref" -e 0 2>/dev/null; then
  rm -rf "$ref"; mkdir -p "$ref/debs"
  (cd "$ref/debs" && apt-get download -qq "nodejs=$version" >/dev/null) ||
    die "apt-get download nodejs=$version failed"
  dpkg -x "$ref"/debs/nodejs_*.deb "$ref/root"
  patchelf=$(command -v patchelf || true)
  if [ -z "$patchelf" ]; then
    (cd "$ref/debs" && apt-get download -qq patchelf >/dev/null) || die "apt-get download patchelf failed"
    dpkg -x "$ref"/debs/patchelf_*.deb "$ref/tools"
    patchelf="$ref/tools/usr/bin/patchelf"
  fi
  # libnode reads a few builtins from /usr/share/nodejs, which a machine with a third-party
  # nodejs lacks; this library answers those reads from the project's unpacked copy.
  cat > "$ref/share_redirect.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
struct uv_loop_s;
struct uv_fs_s;
typedef void (*uv_fs_cb)(struct uv_fs_s*);
typedef int (*uv_fs_open_fn)(struct uv_loop_s*, struct uv_fs_s*, const char*, int, int, uv_fs_cb);
int uv_fs_open(struct uv_loop_s* loop, struct uv_fs_s* req, const char* path, int flags, int mode, uv_fs_cb cb) {
  static uv_fs_open_fn next;
  static const char system_share[] = "/usr/share/nodejs/";
  char redirected[4096];
  if (!next) next = (uv_fs_open_fn)dlsym(RTLD_NEXT, "uv_fs_open");
  if (path && strncmp(path, system_share, sizeof system_share - 1) == 0 && access(path, F_OK) != 0) {
    snprintf(redirected, sizeof redirected, "%s/%s", SHARE_DIR, path + sizeof system_share - 1);
    path = redirected;
  }
  return next(loop, req, path, flags, mode, cb);
}
EOF
  cc -shared -fPIC -O2 -DSHARE_DIR="\"$share\"" -o "$ref/libshare_redirect.so" "$ref/share_redirect.c" -ldl
  cp "$ref/root/usr/bin/node" "$node_ref.tmp"
  # Two calls: patchelf 0.14 mixes up the strings when both are asked for in one.
  "$patchelf" --add-needed "$ref/libshare_redirect.so" "$node_ref.tmp"
  "$patchelf" --set-rpath "$libdir" "$node_ref.tmp"
  mv "$node_ref.tmp" "$node_ref"
  rm -rf "$ref/debs"
fi
ref_version=$(env -i "$node_ref" -p process.version) || die "the reference node in $ref does not start"
[ "$ref_version" = "v$upstream" ] || die "the reference node says $ref_version, expected v$upstream"

# --- 4. run the selection ---------------------------------------------------------------------
mapfile -t tests < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$selection" | grep -v '^$' | { if [ -n "$only" ]; then grep -E -- "$only" || true; else cat; fi; })
[ ${#tests[@]} -gt 0 ] || die "no test of $selection matches '$only'"
for t in "${tests[@]}"; do [ -f "$src_dir/test/$t" ] || die "$t (in $selection) is not in Node's source"; done
results="$work/results"
modes=(node engine traced)
if [ "$report_only" = 1 ]; then
  [ -d "$results/node" ] || die "there is no earlier run in $results to report on"
  elapsed=$(cat "$results/.elapsed" 2>/dev/null || echo "?")
else
rm -rf "$results"
mkdir -p "$results"/{node,engine,traced}
say "${#tests[@]} tests x ${#modes[@]} modes, $jobs at a time, ${timeout_s} s each at most (node $ref_version, results in $results)"

# run_one MODE TEST SLOT: one test in one mode; writes NAME.rc/.out/.err under results/MODE.
run_one() {
  local mode=$1 test=$2 slot=$3 name flags=() cmd=() rc
  name=${test//\//_}
  read -r -a flags <<< "$(head -c 1500 "$src_dir/test/$test" | grep -m1 -oP '// Flags:\s+\K--.*' || true)"
  case "$mode" in
    node) cmd=("$node_ref" "${flags[@]}" "test/$test") ;;
    engine) cmd=("$engine" "${flags[@]}" "test/$test") ;;
    traced)
      cmd=("$engine" run --trace "$results/traced/$name.lstrace")
      [ ${#flags[@]} -eq 0 ] || cmd+=(--node-options "${flags[*]}")
      cmd+=("test/$test") ;;
  esac
  set +e
  (cd "$src_dir" && TEST_THREAD_ID=$slot timeout -k 5 "$timeout_s" "${cmd[@]}" \
     > "$results/$mode/$name.out" 2> "$results/$mode/$name.err" < /dev/null)
  rc=$?
  set -e
  echo "$rc" > "$results/$mode/$name.rc"
  [ "$keep_traces" = 1 ] || rm -f "$results/traced/$name.lstrace"
}

# Each slot takes every jobs-th test and has its own TEST_THREAD_ID, so the tests' scratch
# folders (test/.tmp.N) never collide.
run_slot() {
  local slot=$1 i mode
  for ((i = slot; i < ${#tests[@]}; i += jobs)); do
    for mode in "${modes[@]}"; do run_one "$mode" "${tests[$i]}" "$slot"; done
    echo . > "$results/.done.$slot.$i"
  done
}
started=$(date +%s)
slot_pids=()
# (A slot's stderr is dropped: bash would report each test that dies by a signal there; the
# tests' own output is in the results.)
for ((slot = 0; slot < jobs; slot++)); do run_slot "$slot" 2>/dev/null & slot_pids+=($!); done
trap 'kill "${slot_pids[@]}" 2>/dev/null; exit 130' INT TERM
running() { local pid; for pid in "${slot_pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
ticks=0
while running; do
  sleep 1
  ticks=$((ticks + 1))
  [ $((ticks % 30)) -ne 0 ] || say "$(find "$results" -maxdepth 1 -name '.done.*' | wc -l)/${#tests[@]} tests done"
done
wait
elapsed=$(( $(date +%s) - started ))
echo "$elapsed" > "$results/.elapsed"
fi

# --- 5. report -----------------------------------------------------------------------------
# Every result read once (a subshell per lookup made the report take minutes).
declare -A outcome
for mode in "${modes[@]}"; do
  for t in "${tests[@]}"; do
    n=${t//\//_}
    rc=missing
    [ -f "$results/$mode/$n.rc" ] && read -r rc < "$results/$mode/$n.rc"
    case "$rc" in 0) outcome[$mode:$t]=pass ;; 124|137) outcome[$mode:$t]=timeout ;; *) outcome[$mode:$t]="fail($rc)" ;; esac
  done
done
echo
echo "Node's own tests from Debian's nodejs $(cat "$src_dir/.unpacked") source: ${#tests[@]} tests, ${elapsed} s"
for mode in "${modes[@]}"; do
  passed=0; failed=0
  for t in "${tests[@]}"; do
    if [ "${outcome[$mode:$t]}" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
  case "$mode" in
    node) label="reference node $ref_version" ;;
    engine) label="loopscope-engine FILE" ;;
    traced) label="loopscope-engine run --trace" ;;
  esac
  printf '  %-32s %d passed, %d failed\n' "$label:" "$passed" "$failed"
done

echo
echo "Tests whose result differs (node / engine / traced):"
differs=0
for t in "${tests[@]}"; do
  a=${outcome[node:$t]}; b=${outcome[engine:$t]}; c=${outcome[traced:$t]}
  if [ "$a" != "$b" ] || [ "$a" != "$c" ]; then
    printf '  %-60s %s / %s / %s\n' "$t" "$a" "$b" "$c"; differs=$((differs + 1))
  fi
done
[ "$differs" -gt 0 ] || echo "  none"

echo
echo "Traced runs that exited 0 with an engine line on stderr:"
found=0
for t in "${tests[@]}"; do
  n=${t//\//_}
  if [ "${outcome[traced:$t]}" = pass ] && grep -q '^loopscope-engine:' "$results/traced/$n.err"; then
    echo "  $t: $(grep -m1 '^loopscope-engine:' "$results/traced/$n.err")"; found=$((found + 1))
  fi
done
[ "$found" -gt 0 ] || echo "  none"

echo
echo "Traced runs that Node's test harness restarted untraced (a // Flags: flag was missing):"
found=0
for t in "${tests[@]}"; do
  n=${t//\//_}
  if grep -q '^NOTE: The test started as a child_process' "$results/traced/$n.out"; then echo "  $t"; found=$((found + 1)); fi
done
[ "$found" -gt 0 ] || echo "  none"

echo
echo "Tests that pass everywhere but whose stdout differs from node's (engine / traced):"
found=0
for t in "${tests[@]}"; do
  n=${t//\//_}
  [ "${outcome[node:$t]}" = pass ] && [ "${outcome[engine:$t]}" = pass ] && [ "${outcome[traced:$t]}" = pass ] || continue
  e=same; tr_=same
  cmp -s "$results/node/$n.out" "$results/engine/$n.out" || e=differs
  cmp -s "$results/node/$n.out" "$results/traced/$n.out" || tr_=differs
  if [ "$e" != same ] || [ "$tr_" != same ]; then printf '  %-60s %s / %s\n' "$t" "$e" "$tr_"; found=$((found + 1)); fi
done
[ "$found" -gt 0 ] || echo "  none"

# The exit code says whether the engine matched node on every test node passes.
status=0
for t in "${tests[@]}"; do
  if [ "${outcome[node:$t]}" = pass ] && { [ "${outcome[engine:$t]}" != pass ] || [ "${outcome[traced:$t]}" != pass ]; }; then status=1; fi
done
exit $status
