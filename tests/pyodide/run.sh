#!/usr/bin/env bash
# Run csrlib's test suite inside Pyodide (CPython 3.14 on WebAssembly) under Node.js.
#
#   tests/pyodide/run.sh [pytest arguments]      e.g. -x, or tests/pyodide/test_in_pyodide.py
#
# 1. installs the pinned pyodide npm package (the WebAssembly runtime and the
#    standard library) into tests/pyodide/node_modules;
# 2. builds csrlib's wheel and downloads, with pip download --only-binary=:all:
#    --no-deps, the wheels of requirements.txt for Pyodide's Python and platform;
# 3. makes CSRs of every algorithm and private keys with openssl and
#    cryptography (vectors.py make), fresh on every run;
# 4. starts Pyodide once from the local package (no network: run.mjs refuses any
#    fetch), unpacks the wheels into its site-packages and runs pytest on tests/:
#    test_in_pyodide.py and every test that needs neither cryptography nor a
#    subprocess (those are skipped, and listed);
# 5. verifies the requests signed inside Pyodide with cryptography and
#    openssl req -verify (vectors.py check).
#
# The exit status is non-zero if any step or any test fails.  PYTHON names the
# host interpreter (default: the project's .venv, which has the test extra).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/csrlib-pyodide.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/wheels" "$work/vectors" "$work/out"

echo "+ npm ci (pyodide, pinned in tests/pyodide/package.json)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
runtime="$here/node_modules/pyodide"
for file in pyodide.asm.wasm python_stdlib.zip pyodide-lock.json pyodide.mjs; do
    if [ ! -f "$runtime/$file" ]; then
        echo "the pyodide package has no $file: it cannot run offline" >&2
        exit 1
    fi
done
# Pyodide's Python version and platform tag, from its lock file (e.g. 3.14, 2026_0).
read -r py_version abi < <("$python" -c '
import json, sys
info = json.load(open(sys.argv[1]))["info"]
print(".".join(info["python"].split(".")[:2]), info["abi_version"])' "$runtime/pyodide-lock.json")

echo "+ wheels: csrlib (pip wheel) and requirements.txt (pip download, Python $py_version, pyemscripten_${abi}_wasm32 or pure)"
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/wheels" "$repo"
"$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$work/wheels" \
    --python-version "$py_version" --implementation cp --abi "cp${py_version/./}" \
    --abi abi3 --abi none --platform "pyemscripten_${abi}_wasm32" --platform any \
    --requirement "$here/requirements.txt"

echo "+ vectors: CSRs and keys made with openssl and cryptography"
"$python" "$here/vectors.py" make "$work/vectors"

shared=()
if [ -d "$repo/../shared" ]; then
    shared=(--shared "$(cd "$repo/../shared" && pwd)")
fi
echo "+ node tests/pyodide/run.mjs -- -q $*"
status=0
node "$here/run.mjs" --wheels "$work/wheels" --tests "$repo/tests" \
    --pyproject "$repo/pyproject.toml" --vectors "$work/vectors" --out "$work/out" \
    "${shared[@]}" -- -q "$@" || status=$?
if [ "$status" -ne 0 ]; then
    echo "the Pyodide run failed (exit status $status)" >&2
    exit "$status"
fi

echo "+ requests signed inside Pyodide, checked outside"
if [ -f "$work/out/signed.json" ]; then
    "$python" "$here/vectors.py" check "$work/out"
elif [ "$#" -eq 0 ]; then
    echo "the in-Pyodide signing tests wrote nothing" >&2
    exit 1
fi
echo "Pyodide suite passed in $((SECONDS - started)) s"
