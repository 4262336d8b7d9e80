#!/usr/bin/env bash
# Runs a command as on a fresh machine of this project's kind, to measure first runs (BENCHMARKS.md):
# a clean clone of HEAD in a new directory, and a new HOME whose cargo registry, Go module and build
# caches, npm cache and ~/.cache/autoscaling-insights are all empty. The rustup toolchains stay (a new
# machine has Rust installed). Debian packages are system-wide: remove the project's first (see
# BENCHMARKS.md) for a faithful measurement. The cluster's ports are fixed: stop any running cluster.
#
# usage: tools/fresh-machine.sh <command...>     e.g. tools/fresh-machine.sh bash .ci/run
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
root=${FRESH_ROOT:-$(mktemp -d /tmp/fresh-machine.XXXXXX)}
git clone -q "$repo" "$root/repo"
mkdir -p "$root/home"
echo "fresh machine: clone $root/repo ($(git -C "$root/repo" rev-parse --short HEAD)), HOME $root/home" >&2
cd "$root/repo"
exec env -i \
  HOME="$root/home" \
  PATH="$HOME/.cargo/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
  CARGO_HOME="$root/home/.cargo" \
  TERM=dumb CI=true \
  "$@"
