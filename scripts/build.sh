#!/usr/bin/env bash
# Builds every lib into libs/<name>/dist (core first: the others compile against its .d.ts),
# then the apps with the Nest CLI into dist/apps/<name>.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/node-env.sh
source "$ROOT/scripts/node-env.sh"

libs=(core)
for cfg in libs/*/tsconfig.lib.json; do
  name="$(basename "$(dirname "$cfg")")"
  [ "$name" = core ] || libs+=("$name")
done
for name in "${libs[@]}"; do
  rm -rf "libs/$name/dist"
  echo "[build] @keel/$name"
  npx tsc -p "libs/$name/tsconfig.lib.json"
done

for app in apps/*/; do
  name="$(basename "$app")"
  echo "[build] apps/$name"
  npx nest build "$name"
done
