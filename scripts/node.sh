#!/usr/bin/env bash
# Runs a command with Node >= 22.12 first on PATH (see node-env.sh): `bash scripts/node.sh tsc ...`.
set -euo pipefail
# shellcheck source=scripts/node-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
exec "$@"
