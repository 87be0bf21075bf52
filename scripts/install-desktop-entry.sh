#!/usr/bin/env bash
# Adds Loopscope to the desktop's application menu for the current user: the .desktop entry
# (pointing at this checkout's build/bin/loopscope) and the icon. Run after scripts/dev.sh run.
# Undo with: scripts/install-desktop-entry.sh --remove
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
if [ "${1:-}" = "--remove" ]; then
  rm -f "$apps/loopscope.desktop" "$icons/loopscope.svg"
  echo "removed the Loopscope menu entry"
  exit 0
fi
if [ ! -x "$here/build/bin/loopscope" ]; then
  echo "install-desktop-entry: build/bin/loopscope is missing; run scripts/dev.sh run first" >&2
  exit 1
fi
mkdir -p "$apps" "$icons"
cp "$here/resources/icons/loopscope.svg" "$icons/loopscope.svg"
sed "s|^Exec=loopscope|Exec=$here/build/bin/loopscope|" "$here/resources/loopscope.desktop" > "$apps/loopscope.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" >/dev/null 2>&1 || true
echo "Loopscope is in the application menu ($apps/loopscope.desktop)"
