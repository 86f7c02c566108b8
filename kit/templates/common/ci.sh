#!/bin/sh
# Build {{crate_name}}, run its tests, and run Simpul's conformance suite on the built
# library with the sample config: what CI runs. Run it from anywhere.
#
#   SIMPUL=/path/to/simpul ./ci.sh
#
# SIMPUL is the gateway binary (default: `simpul` on PATH; build one with
# `cargo build -p simpul-gateway` in the Simpul repository).
set -eu
cd "$(dirname "$0")"
SIMPUL="${SIMPUL:-simpul}"
if ! command -v "$SIMPUL" > /dev/null 2>&1; then
    echo "ci.sh: no simpul binary at \`$SIMPUL\`: set SIMPUL=/path/to/simpul" >&2
    exit 1
fi
TARGET="${CARGO_TARGET_DIR:-{{target_dir}}}"
case "$(uname -s)" in
    Darwin) LIBRARY="$TARGET/debug/lib{{lib_name}}.dylib" ;;
    MINGW* | MSYS* | CYGWIN*) LIBRARY="$TARGET/debug/{{lib_name}}.dll" ;;
    *) LIBRARY="$TARGET/debug/lib{{lib_name}}.so" ;;
esac

cargo build
cargo test
{{ci_before_check}}"$SIMPUL" adapter test "$LIBRARY" --config sample/config.toml
