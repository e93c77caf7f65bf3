#!/usr/bin/env bash
# Jest on Node >= 22.12. Nest 12 is ESM-only: our CommonJS tests load it through require(esm),
# which Jest's module runtime supports only with vm modules on (--experimental-vm-modules). The
# flag goes to Jest's own process, not NODE_OPTIONS, so the processes tests spawn do not get it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
exec node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js "$@"
