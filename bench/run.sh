#!/usr/bin/env bash
# Builds and runs the benchmarks (see BENCHMARKS.md): generator speed (and on one single-file
# spec, in YAML and in JSON), compile cost of the generated code, client overhead. Each prints its
# figures as ratios to its floor or peer.
#
#   bench/run.sh [--with-peers] [--rounds N] [generator] [compile] [runtime] [client]
#
# --with-peers installs openapi-generator (PyPI `openapi-generator-cli`, which bundles its jar;
# it needs Java) into a temporary virtualenv for the side-by-side runs, and removes it after.
# Without it, or where it cannot be installed, the peer's runs are skipped, not failed
# (OPENAPI_GENERATOR_CLI may also name an installed launcher). With no benchmark named, all run.
set -euo pipefail
cd "$(dirname "$0")/.."

with_peers=false
rounds=()
which=()
while [ $# -gt 0 ]; do
    case "$1" in
        --with-peers) with_peers=true ;;
        --rounds) rounds=(--rounds "$2"); shift ;;
        generator|compile|runtime|client) which+=("$1") ;;
        *) echo "usage: bench/run.sh [--with-peers] [--rounds N] [generator] [compile] [runtime] [client]" >&2; exit 2 ;;
    esac
    shift
done
[ ${#which[@]} -gt 0 ] || which=(generator compile runtime client)

cargo build --release -q -p generator -p bench

if $with_peers && [ -z "${OPENAPI_GENERATOR_CLI:-}" ]; then
    if ! command -v java > /dev/null; then
        echo "note: no Java, so no openapi-generator: its runs are skipped" >&2
    else
        venv="$(mktemp -d)"
        trap 'rm -rf "$venv"' EXIT
        if python3 -m venv "$venv" > /dev/null 2>&1 \
            && "$venv/bin/pip" install -q openapi-generator-cli > /dev/null 2>&1 \
            && "$venv/bin/openapi-generator-cli" version > /dev/null 2>&1; then
            export OPENAPI_GENERATOR_CLI="$venv/bin/openapi-generator-cli"
            echo "openapi-generator $("$OPENAPI_GENERATOR_CLI" version 2>/dev/null | tail -1) installed in $venv (removed on exit)"
        else
            echo "note: openapi-generator-cli could not be installed: its runs are skipped" >&2
        fi
    fi
fi

for bench in "${which[@]}"; do
    case "$bench" in
        generator) target/release/generator_speed "${rounds[@]}"; echo; target/release/single_file "${rounds[@]}" ;;
        compile) target/release/compile_cost "${rounds[@]}" ;;
        runtime) target/release/runtime_choice "${rounds[@]}" ;;
        client) target/release/client_overhead "${rounds[@]}"; echo; target/release/decode_speed "${rounds[@]}" ;;
    esac
    echo
done
