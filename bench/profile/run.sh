#!/usr/bin/env bash
# Profile one scenario of scenarios.ts with plain node (tsx would profile the wrong thread):
#   bench/profile/run.sh w2a [seconds]
# Writes .tmp/profile/<scenario>.cpuprofile (open it in Chrome DevTools) and prints the hottest functions.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.tmp/profile"
mkdir -p "$out"
# The bundle lives under the root so that better-sqlite3 and postgres resolve to the root's copies.
"$root/node_modules/.bin/esbuild" "$root/bench/profile/scenarios.ts" --bundle --platform=node --format=esm \
  --outfile="$out/scenarios.mjs" --external:better-sqlite3 --external:postgres --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
rm -f "$out"/*.cpuprofile.tmp
QUARRY_BENCH_DIR="$root/bench" node --cpu-prof --cpu-prof-interval "${PROF_INTERVAL_US:-100}" --cpu-prof-dir="$out" --cpu-prof-name="$1.cpuprofile" "$out/scenarios.mjs" "$@"
node "$root/bench/profile/top.mjs" "$out/$1.cpuprofile"
