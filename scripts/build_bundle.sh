#!/usr/bin/env bash
# Build the station bundle with PyInstaller, then prove it works with its own self-test.
#
#   bash scripts/build_bundle.sh                     # one folder: dist/gridsvc-desktop/
#   GRIDSVC_ONEFILE=1 bash scripts/build_bundle.sh   # one file per program: dist/gridsvc-desktop(.exe)
#
# Needs the build extra (pip install -e ".[build]"). The self-test runs with an
# empty environment (no DISPLAY, no PYTHONPATH, a scratch HOME), the way a bare
# station PC would start the program; it picks the offscreen Qt platform itself.
# Prints the build time, the bundle's size and its ten biggest items.
set -euo pipefail
cd "$(dirname "$0")/.."

name=gridsvc-desktop
exe=""
case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*) exe=".exe" ;;
esac

started=$(date +%s)
pyinstaller build.spec --noconfirm --log-level WARN
built=$(date +%s)
echo "bundle built in $((built - started)) s"

if [ "${GRIDSVC_ONEFILE:-0}" != "0" ] && [ -n "${GRIDSVC_ONEFILE:-}" ]; then
  gui="dist/$name$exe"
  cli="dist/gridsvc$exe"
  ls -l "$gui" "$cli"
else
  gui="dist/$name/$name$exe"
  cli="dist/$name/gridsvc$exe"
  echo "bundle size: $(du -sh "dist/$name" | cut -f1)"
  echo "biggest items (Qt's libraries listed one by one):"
  {
    du -s "dist/$name"/gridsvc* "dist/$name/_internal"/*
    du -s "dist/$name/_internal/PySide6"/*.so*
    du -s "dist/$name/_internal/PySide6/Qt/lib"/*
  } 2>/dev/null | grep -v -e "/_internal/PySide6\$" \
    | sort -rn | sed -n "1,14p" | awk '{ printf "  %6.1f MB  %s\n", $1 / 1024, $2 }'
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$cli" --version
env -i PATH=/usr/bin:/bin HOME="$scratch" TMPDIR="$scratch" LANG=C.UTF-8 \
  timeout 300 "$gui" --self-test
echo "self-test passed in $(($(date +%s) - built)) s"
