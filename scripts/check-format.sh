#!/usr/bin/env bash
# Fails, naming each file, when a C++ file differs from what the project's .clang-format makes of
# it. Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format is not installed; install it (sudo apt-get install clang-format) and run again." >&2
  exit 1
fi
if [ -d .git ] || [ -f .git ]; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
  mapfile -t files < <(find app engine model ui tests -name '*.cpp' -o -name '*.h')
fi
# One clang-format for all files; it names each misformatted line as FILE:LINE:COL: error: ...
mapfile -t unformatted < <(clang-format --dry-run --Werror "${files[@]}" 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "check-format: ${#unformatted[@]} of ${#files[@]} files are not formatted as .clang-format says:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "Fix them with: clang-format -i FILE..." >&2
  exit 1
fi
echo "check-format: all ${#files[@]} C++ files follow .clang-format"
