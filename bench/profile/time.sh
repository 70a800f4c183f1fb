#!/usr/bin/env bash
# Times scenarios of scenarios.ts without the profiler, alternating them to share the noise:
#   bench/profile/time.sh <seconds> <scenario>...
# ORM_SRC=/tmp/base-orm/packages/orm/src runs another copy of the session layer (A/B) on this tree's core.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.tmp/profile"
mkdir -p "$out"
alias=()
if [ -n "${ORM_SRC:-}" ]; then alias=(--alias:@quarry/orm="$ORM_SRC/index.ts" --alias:@quarry/core="$root/packages/core/src/index.ts"); fi
"$root/node_modules/.bin/esbuild" "$root/bench/profile/scenarios.ts" --bundle --platform=node --format=esm "${alias[@]}" \
  --outfile="$out/${BUNDLE:-scenarios}.mjs" --external:better-sqlite3 --external:postgres --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
seconds="$1"
shift
for round in $(seq 1 ${ROUNDS:-3}); do
  for s in "$@"; do QUARRY_BENCH_DIR="$root/bench" node "$out/${BUNDLE:-scenarios}.mjs" "$s" "$seconds"; done
done
