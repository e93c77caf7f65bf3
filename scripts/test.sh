#!/usr/bin/env bash
# npm test: the local stack up, unit + integration suites (parallel workers), then the
# reliability suite alone and in band (it stops and starts shared servers).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/stack.sh up
bash scripts/jest.sh --selectProjects unit integration "$@"
bash scripts/jest.sh --selectProjects reliability --runInBand "$@"
