#!/usr/bin/env bash
# Checks the published shape of the package in the current directory, on the packed tarball:
# publint (exports, files, types) and @arethetypeswrong (types resolve for ESM and CJS consumers).
# Extra arguments go to attw (the CLI, an ESM-only application, passes --ignore-rules cjs-resolves-to-esm).
# attw's own --pack cannot read npm 11's `npm pack --json`, so the tarball is packed here.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tgz=$(npm pack --pack-destination "$tmp" --silent 2>/dev/null | tail -n 1)
npx publint --strict "$tmp/$tgz"
npx attw "$tmp/$tgz" --profile node16 "$@"
